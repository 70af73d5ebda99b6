"""The packaged Linux app: build it, then run its self-test the way a user's machine would.

Slow (about two minutes: PyInstaller, then the .tar.gz and .deb), and run in CI like every other
test. The bundle runs with a bare environment — no PYTHONPATH, no virtual environment on PATH,
another working directory, HOME and WORKBENCH_HOME in a temporary folder — once from dist/ and
once unpacked from the .deb with ``dpkg -x``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"

# The first test also pays for the build (about two minutes here).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def built():
    """Run packaging/build-linux.sh once for this module; returns its output."""
    assert shutil.which("dpkg-deb"), "dpkg-deb is needed to build the .deb"
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build-linux.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def clean_run(executable: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "WORKBENCH_HOME": str(home / "workbench"),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        [str(executable), *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def check_report(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["frozen"] is True
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["window"]["ok"] and checks["llama_cpp"]["ok"] and checks["keychain"]["ok"]
    assert checks["generate"]["completion_tokens"] > 0 and checks["generate"]["text"]
    assert "CPU" in checks["llama_cpp"]["backends"]
    return report


def test_bundle_self_test_in_a_clean_environment(built, test_model, tmp_path):
    app = DIST / "Workbench" / "Workbench"
    assert app.is_file() and os.access(app, os.X_OK)
    report = check_report(clean_run(app, "--selftest", "--model", str(test_model), home=tmp_path))
    # The model process (the same executable, spawned) did the generating.
    generate = next(c for c in report["checks"] if c["name"] == "generate")
    assert generate["tokens_per_s"] > 0


def test_deb_unpacked_elsewhere_runs(built, test_model, tmp_path):
    [deb] = DIST.glob("workbench_*.deb")
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    launcher = root / "usr" / "bin" / "workbench"
    assert launcher.is_symlink() and launcher.resolve() == root / "opt" / "workbench" / "Workbench"
    assert (root / "usr/share/applications/workbench.desktop").is_file()
    assert (root / "usr/share/icons/hicolor/scalable/apps/workbench.svg").is_file()
    check_report(clean_run(launcher, "--selftest", "--model", str(test_model), home=tmp_path / "h"))
    control = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Version"], capture_output=True, text=True
    ).stdout
    assert "workbench" in control


def test_bundle_holds_nothing_it_must_not(built):
    bundle = DIST / "Workbench"
    names = [p.name.lower() for p in bundle.rglob("*")]
    assert not [n for n in names if "webengine" in n]
    assert not [n for n in names if n.endswith(".gguf")]
    assert not [n for n in names if n in ("keys.json", "providers.json", "conftest.py")]
    assert not [n for n in names if n in ("hubserver.py", "openai_fake.py")]
    # No key-shaped secret from this machine's environment or the tests' fixtures.
    markers = [b"hf_test_token", b"sk-test-"]
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 50 * 2**20:
            data = path.read_bytes()
            assert not any(m in data for m in markers), path
    # The llama.cpp libraries sit where llama_cpp looks for them.
    lib = bundle / "_internal" / "llama_cpp" / "lib"
    assert (lib / "libllama.so").exists() and (lib / "libggml.so").exists()
    # The catalogues travel: ours (source and compiled) and Qt's for the same languages only.
    i18n = bundle / "_internal" / "workbench" / "_resources" / "i18n"
    assert (i18n / "workbench_zh_CN.qm").is_file() and (i18n / "workbench_zh_CN.ts").is_file()
    qt = sorted(p.name for p in bundle.rglob("qtbase_*.qm"))
    assert qt == ["qtbase_zh_CN.qm"]


def test_sizes_within_targets(built):
    size = sum(
        p.stat().st_size
        for p in (DIST / "Workbench").rglob("*")
        if p.is_file() and not p.is_symlink()
    )
    [deb] = DIST.glob("workbench_*.deb")
    print(f"unpacked {size / 1e6:.0f} MB, deb {deb.stat().st_size / 1e6:.0f} MB")
    assert size <= 250 * 2**20
    assert deb.stat().st_size <= 100 * 2**20
