"""packaging/check_selftest.py: a package's self-test report against the variant it was built as."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "check_selftest", ROOT / "packaging" / "check_selftest.py"
)
check_selftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_selftest)


def report(gpu_offload=False, generate=True, ok=True, frozen=True):
    checks = [
        {"name": "window", "ok": True, "seconds": 0.1, "qt_platform": "offscreen"},
        {
            "name": "llama_cpp",
            "ok": True,
            "seconds": 0.1,
            "backends": ["CPU"],
            "gpu_offload": gpu_offload,
        },
        {"name": "keychain", "ok": True, "seconds": 0.0, "backend": "test", "usable": False},
    ]
    if generate:
        checks.append({"name": "generate", "ok": ok, "seconds": 1.0, "text": "Hello"})
    return {"ok": ok, "frozen": frozen, "version": "0.1.0", "checks": checks}


def bundle(tmp_path, *libraries):
    lib = tmp_path / "Workbench" / "_internal" / "llama_cpp" / "lib"
    lib.mkdir(parents=True)
    for name in ("libllama.so", "libggml-cpu.so", *libraries):
        (lib / name).write_bytes(b"")
    return tmp_path / "Workbench"


def run(tmp_path, data, *args):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data) if isinstance(data, dict) else data, encoding="utf-8")
    return check_selftest.main([str(path), *args])


def test_a_cpu_bundle_passes(tmp_path):
    assert (
        run(tmp_path, report(), "--variant", "cpu", "--bundle", str(bundle(tmp_path)), "--model")
        == 0
    )


@pytest.mark.parametrize(
    ("variant", "library"),
    [
        ("cuda", "libggml-cuda.so.0"),
        ("vulkan", "ggml-vulkan.dll"),
        ("metal", "libggml-metal.dylib"),
    ],
)
def test_a_gpu_bundle_needs_its_backend_library_not_a_gpu(tmp_path, variant, library):
    # No GPU on the machine: gpu_offload is false, and that is fine without --expect-gpu.
    assert (
        run(tmp_path, report(), "--variant", variant, "--bundle", str(bundle(tmp_path, library)))
        == 0
    )


def test_a_gpu_bundle_without_its_backend_fails(tmp_path, capsys):
    assert run(tmp_path, report(), "--variant", "cuda", "--bundle", str(bundle(tmp_path))) == 1
    assert "no ggml-cuda library" in capsys.readouterr().out


def test_a_cpu_bundle_with_a_gpu_backend_fails(tmp_path, capsys):
    path = bundle(tmp_path, "libggml-metal.dylib")
    assert run(tmp_path, report(), "--variant", "cpu", "--bundle", str(path)) == 1
    assert "other GPU backends: metal" in capsys.readouterr().out


def test_expect_gpu_needs_gpu_offload(tmp_path):
    path = bundle(tmp_path, "libggml-metal.dylib")
    args = ("--variant", "metal", "--bundle", str(path), "--expect-gpu")
    assert run(tmp_path, report(gpu_offload=False), *args) == 1
    assert run(tmp_path, report(gpu_offload=True), *args) == 0


@pytest.mark.parametrize(
    ("data", "args"),
    [
        (report(ok=False), ()),  # a failed check
        (report(frozen=False), ()),  # run from source, not the package
        (report(generate=False), ("--model",)),  # --model was asked for but not run
        ("Traceback (most recent call last): ...", ()),  # the app crashed before printing
    ],
)
def test_failures(tmp_path, data, args):
    assert run(tmp_path, data, "--variant", "cpu", *args) == 1
