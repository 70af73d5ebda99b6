"""``workbench --selftest [--model PATH]``: does this installation work?

Meant for packaged builds (and support requests): it creates the window offscreen, reports the
llama.cpp build (which backends, whether GPU offload is possible), the keychain backend and the
local server's HTTP stack (started on a free port, asked for its models, stopped), and
with ``--model`` loads the model through the model process and generates a few tokens. It prints
one JSON object on stdout and exits 0 only if every check passed. Its keys and machine values are
English for programs; what people read (``summary``, each failed check's ``error``) is in the
command line's language.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from typing import Any

from workbench import __version__
from workbench.core.i18n import translate

# What the model is asked: its input, not a sentence for the user, so always English.
PROMPT = "Say hello in five words."


def _check(name: str, fn) -> dict[str, Any]:
    """Run one check: its figures, or its ``error`` (a sentence in the user's language)."""
    start = time.perf_counter()
    try:
        result = fn()
        ok = True
    except Exception as exc:  # every failure becomes a line of the report, never a traceback
        result, ok = {"error": str(exc) or type(exc).__name__}, False
    return {"name": name, "ok": ok, "seconds": round(time.perf_counter() - start, 3), **result}


def llama_build() -> dict[str, Any]:
    """The llama.cpp backends compiled in (CPU, CUDA, Metal, Vulkan, …) and GPU offload."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    # "CPU : SSE3 = 1 | AVX2 = 1 | … | CUDA : ARCHS = 890 | …": a backend starts each " : " part.
    backends = []
    for part in info.split("|"):
        if " : " in part:
            name = part.split(" : ", 1)[0].strip()
            if name and name not in backends:
                backends.append(name)
    return {
        "llama_cpp_python": getattr(llama_cpp, "__version__", "unknown"),
        "backends": backends,
        "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
    }


def keychain() -> dict[str, Any]:
    from workbench.core import secrets

    return {"backend": secrets.keyring_description(), "usable": secrets.keyring_available()}


def window() -> dict[str, Any]:
    import psutil
    from PySide6.QtWidgets import QApplication

    from workbench.app import create_app
    from workbench.core import paths
    from workbench.qt.single_instance import Claim, SingleInstance

    # The one-window guard, over the throwaway data folder: it proves that the lock and the
    # local socket work in this build, and never meets a window open on the user's own folder.
    guard = SingleInstance(paths.data_dir())
    if guard.claim() is not Claim.OWNED:
        raise RuntimeError(
            translate("selftest", "the data folder's window lock could not be taken")
        )
    try:
        app, win = create_app([sys.argv[0] if sys.argv else "workbench"])
        listening = guard.listen()
        win.show()
        deadline = time.monotonic() + 5
        while not win.isVisible() and time.monotonic() < deadline:
            app.processEvents()
        for _ in range(20):
            app.processEvents()
        visible = win.isVisible()
        # From the process's start (the bootloader of a packaged app included) to a shown window.
        shown_after = time.time() - psutil.Process().create_time()
        platform_name = QApplication.platformName()
        win.close()
    finally:
        guard.release()
    if not visible:
        raise RuntimeError(translate("selftest", "the window did not appear"))
    if not listening:
        raise RuntimeError(translate("selftest", "the window could not listen for a second start"))
    return {"qt_platform": platform_name, "shown_after_s": round(shown_after, 3)}


def generate(model: str) -> dict[str, Any]:
    from workbench.core.backend import Error, Stats, TextDelta
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions, SamplingParams

    backend = LocalBackend(model, LoadOptions(context_length=1024))
    try:
        info = backend.load()
        params = SamplingParams(max_tokens=16, seed=1, temperature=0.0)
        text, stats = "", None
        for event in backend.start_reply([{"role": "user", "content": PROMPT}], params):
            if isinstance(event, TextDelta):
                text += event.text
            elif isinstance(event, Stats):
                stats = event
            elif isinstance(event, Error):
                raise RuntimeError(event.message)
        if stats is None or not text.strip():
            raise RuntimeError(translate("selftest", "the model produced no text"))
        return {
            "model": os.path.basename(model),
            "load_s": round(info.load_s, 3),
            "gpu_offload_supported": info.gpu_offload_supported,
            "completion_tokens": stats.completion_tokens,
            "tokens_per_s": round(stats.tokens_per_s or 0.0, 1),
            "text": text.strip(),
        }
    finally:
        backend.unload()


def run(model: str | None) -> int:
    """Run every check, print the JSON report, return the exit status."""
    from workbench.winconsole import attach_console

    attach_console()  # a windowed Windows build has no stdout until it borrows the console
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        # A frozen app ignores PYTHONUTF8; a model's reply may be any language.
        with contextlib.suppress(ValueError, OSError):
            sys.stdout.reconfigure(encoding="utf-8")
    # A packaged app may be started without a display (CI, a support session over SSH).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The checks use a throwaway data folder: the window would otherwise open the user's chats
    # and resume their downloads for the second it is shown.
    home = tempfile.mkdtemp(prefix="workbench-selftest-")
    os.environ["WORKBENCH_HOME"] = home
    try:
        return _run(model)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def server() -> dict[str, Any]:
    """The local server starts (its HTTP stack is in this build), answers, and stops."""
    import urllib.request

    from workbench.core.server import LocalServer, ServerConfig
    from workbench.core.server.source import StaticSource

    local = LocalServer(StaticSource(None), ServerConfig(port=0))
    local.start()
    try:
        with urllib.request.urlopen(local.url + "/models", timeout=10) as response:
            listed = json.loads(response.read())
    finally:
        local.stop()
    return {"status": response.status, "models": len(listed.get("data", []))}


def _run(model: str | None) -> int:
    checks = [
        _check("window", window),
        _check("llama_cpp", llama_build),
        _check("keychain", keychain),
        _check("server", server),
    ]
    if model:
        checks.append(_check("generate", lambda: generate(model)))
    failed = [c["name"] for c in checks if not c["ok"]]
    report = {
        "ok": not failed,
        # For the person reading the report: the keys and values above are for programs.
        "summary": _summary(failed),
        "version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "checks": checks,
    }
    if sys.stdout is not None:
        print(json.dumps(report, ensure_ascii=False), flush=True)
    return 0 if report["ok"] else 1


def _summary(failed: list[str]) -> str:
    if not failed:
        return translate("selftest", "Every check passed.")
    return translate(
        "selftest", "Checks that failed: {checks} (each one's error says why)."
    ).format(checks=", ".join(failed))
