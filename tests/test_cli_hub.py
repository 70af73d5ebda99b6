"""``workbench search / files / download / models`` against FakeHub on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ggufgen import write_tiny_gguf
from hubserver import FakeHub

from workbench.cli import main
from workbench.core.settings import Settings, save_settings

REPO = "cli-tests/Tiny-GGUF"


@pytest.fixture
def tiny_files(tmp_path):
    files = {}
    for name, layers in (("Tiny-Q4_0.gguf", 2), ("Tiny-Q8_0.gguf", 3)):
        path = tmp_path / name
        write_tiny_gguf(path, n_layers=layers)
        files[name] = path.read_bytes()
    return files


@pytest.fixture
def hub(tiny_files):
    with FakeHub() as server:
        server.add_repo(REPO, tiny_files, downloads=50, likes=3)
        server.add_repo("cli-tests/Popular-GGUF", tiny_files, downloads=900, likes=1)
        server.add_repo("cli-tests/Liked-GGUF", tiny_files, downloads=10, likes=99)
        yield server


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_sorts_and_limits(capsys, hub):
    code, out, err = run(capsys, "search", "gguf", "--endpoint", hub.url, "--json")
    assert code == 0, err
    repos = [r["repo"] for r in json.loads(out)]
    assert repos == ["cli-tests/Popular-GGUF", REPO, "cli-tests/Liked-GGUF"]
    code, out, _ = run(
        capsys, "search", "gguf", "--sort", "likes", "--limit", "2", "--endpoint", hub.url, "--json"
    )
    assert [r["repo"] for r in json.loads(out)] == ["cli-tests/Liked-GGUF", REPO]
    code, out, _ = run(capsys, "search", "tiny", "--endpoint", hub.url)
    assert code == 0 and REPO in out and "Popular" not in out


def test_endpoint_precedence(capsys, hub, monkeypatch):
    with FakeHub() as other:
        other.add_repo("other/Only-Here-GGUF", {"x-Q4_0.gguf": b"GGUF" + bytes(60)})
        save_settings(Settings(hub_endpoint=hub.url))
        _, out, _ = run(capsys, "search", "", "--json")
        assert REPO in out  # the app setting
        monkeypatch.setenv("HF_ENDPOINT", other.url)
        _, out, _ = run(capsys, "search", "", "--json")
        assert "Only-Here" in out and REPO not in out  # HF_ENDPOINT beats the setting
        _, out, _ = run(capsys, "search", "", "--json", "--endpoint", hub.url)
        assert REPO in out  # --endpoint beats both


def test_files_lists_sizes_and_fit(capsys, hub, tiny_files):
    code, out, err = run(capsys, "files", REPO, "--endpoint", hub.url, "--json")
    assert code == 0, err
    data = json.loads(out)
    by_name = {f["name"]: f for f in data["files"]}
    assert by_name["Tiny-Q8_0.gguf"]["size"] == len(tiny_files["Tiny-Q8_0.gguf"])
    assert by_name["Tiny-Q4_0.gguf"]["quantization"] == "Q4_0"
    assert all(f["fit"] in ("full_gpu", "partial", "cpu", "too_large") for f in data["files"])
    code, out, _ = run(capsys, "files", REPO, "--endpoint", hub.url)
    assert code == 0 and "Q8_0" in out
    assert "CPU only" in out or "GPU" in out


def test_download_verifies_and_lists_in_models(capsys, hub, tiny_files, workbench_home):
    code, out, err = run(capsys, "download", REPO, "Tiny-Q4_0.gguf", "--endpoint", hub.url)
    assert code == 0, err
    path = out.strip()
    assert path.endswith("Tiny-Q4_0.gguf")
    with open(path, "rb") as f:
        assert f.read() == tiny_files["Tiny-Q4_0.gguf"]
    code, out, err = run(capsys, "models", "--json")
    assert code == 0, err
    [entry] = json.loads(out)
    assert entry["source"] == "downloaded" and entry["repo"] == REPO


def test_download_to_folder_resumes_a_partial_file(capsys, hub, tmp_path, test_model):
    hub.add_repo("cli-tests/Real-GGUF", {"real.gguf": test_model})
    target = tmp_path / "out"
    target.mkdir()
    data = test_model.read_bytes()
    (target / "real.gguf.part").write_bytes(data[: 40 * 2**20])
    hub.reset_log()
    code, _out, err = run(
        capsys,
        "download",
        "cli-tests/Real-GGUF",
        "real.gguf",
        "--to",
        str(target),
        "--endpoint",
        hub.url,
    )
    assert code == 0, err
    assert (target / "real.gguf").read_bytes() == data
    sent = hub.body_bytes_sent("cli-tests/Real-GGUF/real.gguf")
    assert sent == len(data) - 40 * 2**20  # only the missing bytes crossed the network


def test_download_of_tampered_file_fails_and_leaves_nothing(capsys, hub, tmp_path, tiny_files):
    original = tiny_files["Tiny-Q4_0.gguf"]
    hub.tamper(f"{REPO}/Tiny-Q4_0.gguf", original[:-4] + b"XXXX")
    code, out, err = run(
        capsys,
        "download",
        REPO,
        "Tiny-Q4_0.gguf",
        "--to",
        str(tmp_path / "d"),
        "--endpoint",
        hub.url,
    )
    assert code == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "checksum" in err
    assert list((tmp_path / "d").iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["files", "nobody/nothing"], "not found"),
        (["download", REPO, "missing.gguf"], "missing.gguf"),
        (["search", "x", "--endpoint", "hf-mirror.com"], "https://"),
    ],
)
def test_errors_are_one_line(capsys, hub, argv, needle):
    if "--endpoint" not in argv:
        argv = [*argv, "--endpoint", hub.url]
    code, _out, err = run(capsys, *argv)
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1
    assert needle.lower() in err.lower()
    assert "Traceback" not in err


def test_unreachable_hub_is_one_line(capsys):
    code, _out, err = run(capsys, "search", "x", "--endpoint", "http://127.0.0.1:9")
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1


def test_download_command_runs_as_a_program(hub, tmp_path, workbench_home):
    """The installed entry point, in a child process: exit 0 and the path on stdout."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "download",
            REPO,
            "Tiny-Q8_0.gguf",
            "--to",
            str(tmp_path / "p"),
            "--endpoint",
            hub.url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p" / "Tiny-Q8_0.gguf").is_file()
