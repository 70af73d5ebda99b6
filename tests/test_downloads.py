"""FileTransfer against a real HTTP server on 127.0.0.1 (FakeHub): resume, retries, verification."""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import shutil
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import hubserver
import pytest
from hubserver import fake_hub  # noqa: F401 - a fixture
from huggingface_hub import hf_hub_url
from huggingface_hub.utils import build_hf_headers
from testmodel import sha256_of
from tlscert import self_signed_certificate

from workbench.core.downloads import connection as connection_module
from workbench.core.downloads import transfer as transfer_module
from workbench.core.downloads.connection import redirect_headers
from workbench.core.downloads.destination import safe_destination
from workbench.core.downloads.disk import file_matches
from workbench.core.downloads.errors import TransferError, UnsafePathError
from workbench.core.downloads.transfer import RETRY_AFTER_CAP, FileTransfer

REPO = "owner/model-GGUF"
NAME = "model-Q4_K_M.gguf"
KEY = f"{REPO}/{NAME}"
TOKEN = hubserver.DEFAULT_TOKEN
DATA = os.urandom(3 * 2**20 + 12345)
SHA = hashlib.sha256(DATA).hexdigest()


class Sleeps(list):
    """An injected sleep that records its waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def hub(fake_hub):  # noqa: F811 - the imported fixture
    fake_hub.add_repo(REPO, {NAME: DATA})
    return fake_hub


def url_of(hub, name: str = NAME, repo: str = REPO) -> str:
    return hf_hub_url(repo, name, revision=None, endpoint=hub.url)


def make(hub, dest: Path, *, token: str | None = None, **kwargs) -> FileTransfer:
    kwargs.setdefault("size", len(DATA))
    kwargs.setdefault("sha256", SHA)
    kwargs.setdefault("sleep", Sleeps())
    return FileTransfer(
        kwargs.pop("url", None) or url_of(hub),
        dest,
        headers=build_hf_headers(token=token or False),
        **kwargs,
    )


def part_of(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def gets(hub, path_part: str = "") -> list:
    return [r for r in hub.requests if r.method == "GET" and path_part in r.path]


@pytest.mark.model
def test_downloads_the_real_model_and_verifies_it(fake_hub, test_model, tmp_path):  # noqa: F811
    fake_hub.add_repo("bartowski/SmolLM2-GGUF", {test_model.name: test_model})
    sha = sha256_of(test_model)
    size = test_model.stat().st_size
    dest = tmp_path / "models" / test_model.name
    reports = []
    t = FileTransfer(
        url_of(fake_hub, test_model.name, "bartowski/SmolLM2-GGUF"),
        dest,
        size=size,
        sha256=sha,
        on_progress=reports.append,
    )

    assert t.run() == dest

    assert file_matches(dest, size=size, sha256=sha)
    assert not part_of(dest).exists()
    assert t.bytes_received == size
    assert reports and reports[-1].done == size and reports[-1].total == size
    assert all(a.done <= b.done for a, b in itertools.pairwise(reports))
    # The Hub's flow: resolve/ answers a redirect, the bytes come from the CDN path.
    assert [r.status for r in gets(fake_hub)] == [302, 200]


def test_dropped_connection_resumes_from_the_byte_it_had(hub, tmp_path):
    hub.drop_after(KEY, 1_000_000)
    dest = tmp_path / NAME
    t = make(hub, dest, backoff=0.5)

    t.run()

    assert dest.read_bytes() == DATA
    # Nothing was fetched twice: the second request asked for the rest only.
    assert hub.body_bytes_sent(KEY) == len(DATA)
    assert t.bytes_received == len(DATA)
    assert [r.headers.get("range") for r in gets(hub, "/cdn/")] == [None, "bytes=1000000-"]
    assert t._sleep == [0.5]


def test_pause_keeps_the_part_and_a_new_transfer_resumes_it(hub, tmp_path):
    dest = tmp_path / NAME
    first = make(hub, dest, on_progress=lambda p: first.pause())

    with pytest.raises(TransferError) as info:
        first.run()

    assert info.value.kind == "paused"
    assert NAME in str(info.value)
    kept = part_of(dest).stat().st_size
    assert 0 < kept < len(DATA)
    assert not dest.exists()

    hub.reset_log()
    second = make(hub, dest)  # as after a restart of the app
    second.run()

    assert dest.read_bytes() == DATA
    assert second.bytes_received == len(DATA) - kept
    assert [r.headers.get("range") for r in gets(hub)] == [f"bytes={kept}-"] * 2


def test_a_complete_part_needs_no_request(hub, tmp_path):
    dest = tmp_path / NAME
    part_of(dest).write_bytes(DATA)

    make(hub, dest).run()

    assert dest.read_bytes() == DATA
    assert hub.requests == []


def test_a_part_longer_than_the_file_starts_over(hub, tmp_path):
    dest = tmp_path / NAME
    part_of(dest).write_bytes(DATA + b"extra")

    t = make(hub, dest)
    t.run()

    assert dest.read_bytes() == DATA
    assert t.bytes_received == len(DATA)
    assert [r.headers.get("range") for r in gets(hub)] == [None, None]


def test_server_ignoring_range_restarts_from_zero(hub, tmp_path, monkeypatch):
    monkeypatch.setattr(hubserver, "_parse_range", lambda header, size: None)
    dest = tmp_path / NAME
    part_of(dest).write_bytes(b"\0" * 500_000)  # wrong bytes: only a clean restart can pass

    t = make(hub, dest)
    t.run()

    assert dest.read_bytes() == DATA
    assert t.bytes_received == len(DATA)
    assert [r.status for r in gets(hub, "/cdn/")] == [200]
    assert gets(hub, "/cdn/")[0].headers.get("range") == "bytes=500000-"


def test_tampered_content_is_discarded(hub, tmp_path):
    hub.tamper(KEY, DATA[:-1] + bytes([DATA[-1] ^ 1]))
    dest = tmp_path / NAME
    t = make(hub, dest)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "hash_mismatch"
    assert not info.value.retryable
    assert "did not match the Hub's checksum" in str(info.value)
    assert NAME in str(info.value)
    assert not dest.exists() and not part_of(dest).exists()
    assert t._sleep == []


@pytest.mark.parametrize(
    ("token", "kind", "status"),
    [(None, "gated", 401), ("hf_wrong", "gated", 403), (TOKEN, None, 200)],
)
def test_gated_repository(fake_hub, tmp_path, token, kind, status):  # noqa: F811
    fake_hub.add_repo("org/gated-GGUF", {NAME: DATA}, gated="manual")
    dest = tmp_path / NAME
    t = make(fake_hub, dest, token=token, url=url_of(fake_hub, NAME, "org/gated-GGUF"))

    if kind is None:
        t.run()
        assert dest.read_bytes() == DATA
        return
    with pytest.raises(TransferError) as info:
        t.run()
    assert info.value.kind == kind
    assert not info.value.retryable
    assert "gated" in str(info.value) and NAME in str(info.value)
    assert "\n" not in str(info.value) and "Error" not in str(info.value)
    assert [r.status for r in gets(fake_hub)] == [status]  # not retried
    assert not dest.exists()


def test_revoked_token_is_an_auth_error(hub, tmp_path):
    hub.revoked_tokens.add("hf_revoked")
    t = make(hub, tmp_path / NAME, token="hf_revoked")

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "auth"
    assert len(gets(hub)) == 1


@pytest.mark.parametrize(("repo", "name"), [(REPO, "missing.gguf"), ("owner/gone", NAME)])
def test_missing_file_or_repo_is_not_found_without_retry(hub, tmp_path, repo, name):
    t = make(hub, tmp_path / NAME, url=url_of(hub, name, repo))

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "not_found"
    assert len(gets(hub)) == 1
    assert t._sleep == []


def test_rate_limit_waits_as_told_then_succeeds(hub, tmp_path):
    hub.fail_next(KEY, 429, headers={"Retry-After": "7"})
    dest = tmp_path / NAME
    t = make(hub, dest, backoff=1.0)

    t.run()

    assert dest.read_bytes() == DATA
    assert t._sleep == [7.0]
    assert [r.status for r in gets(hub)] == [429, 302, 200]


def test_retry_after_is_capped(hub, tmp_path):
    hub.fail_next(KEY, 503, headers={"Retry-After": "86400"})
    t = make(hub, tmp_path / NAME)

    t.run()

    assert t._sleep == [RETRY_AFTER_CAP]


def test_server_errors_are_retried_with_back_off(hub, tmp_path):
    hub.fail_next(KEY, 500)
    hub.fail_next(KEY, 503)
    dest = tmp_path / NAME
    t = make(hub, dest, backoff=0.5)

    t.run()

    assert dest.read_bytes() == DATA
    assert t._sleep == [0.5, 1.0]
    assert [r.status for r in gets(hub)] == [500, 503, 302, 200]


def test_persistent_server_errors_give_up_with_a_plain_sentence(hub, tmp_path):
    hub.fail_next(KEY, 500, times=100)
    t = make(hub, tmp_path / NAME, retries=3, backoff=1.0, max_backoff=3.0)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "server"
    assert info.value.retryable
    message = str(info.value)
    assert NAME in message and "4 tries" in message
    assert message.count(".") == message.count(".gguf") + 1 and "\n" not in message
    assert t._sleep == [1.0, 2.0, 3.0]
    assert len(gets(hub)) == 4


def test_unreachable_server_is_a_network_error(tmp_path):
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as server:
        port = server.server_address[1]  # closed again at once: nothing listens there
    t = FileTransfer(
        f"http://127.0.0.1:{port}/{REPO}/resolve/main/{NAME}",
        tmp_path / NAME,
        size=10,
        sha256=None,
        retries=2,
        sleep=(sleeps := Sleeps()),
    )

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "network"
    assert len(sleeps) == 2


class _FullDisk:
    """A file object that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, raw, room: list[int]) -> None:
        self._raw = raw
        self._room = room

    def write(self, data) -> int:
        if self._room[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = self._raw.write(memoryview(data)[: self._room[0]])
        self._room[0] -= n
        return n

    def __getattr__(self, name):
        return getattr(self._raw, name)


def test_disk_full_keeps_the_part_and_resumes_later(hub, tmp_path, monkeypatch):
    room = [1_500_000]
    real_open = open
    monkeypatch.setattr(
        transfer_module,
        "open",
        lambda *a, **kw: _FullDisk(real_open(*a, **kw), room),
        raising=False,
    )
    dest = tmp_path / NAME
    t = make(hub, dest)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "disk_full"
    assert NAME in str(info.value)
    assert t._sleep == []  # a full disk is not retried
    kept = part_of(dest).read_bytes()
    assert 0 < len(kept) <= 1_500_000
    assert kept == DATA[: len(kept)]  # only whole, hashed reads are kept

    monkeypatch.undo()
    hub.reset_log()
    again = make(hub, dest)
    again.run()

    assert dest.read_bytes() == DATA
    assert again.bytes_received == len(DATA) - len(kept)


def test_not_enough_free_space_is_refused_before_downloading(hub, tmp_path, monkeypatch):
    monkeypatch.setattr(
        transfer_module.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 0, 1000)
    )
    t = make(hub, tmp_path / NAME)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "no_space"
    assert NAME in str(info.value) and "free" in str(info.value)
    assert hub.requests == []


@pytest.mark.parametrize("remove_partial", [True, False])
def test_cancel(hub, tmp_path, remove_partial):
    dest = tmp_path / NAME
    t = make(hub, dest, on_progress=lambda p: t.cancel(remove_partial=remove_partial))

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "cancelled"
    assert part_of(dest).exists() is not remove_partial
    assert not dest.exists()


def test_pause_interrupts_a_slow_read(hub, tmp_path):
    hub.throttle_bps = 200_000  # the whole file would take 16 s
    dest = tmp_path / NAME
    started = threading.Event()
    t = make(hub, dest, on_progress=lambda p: started.set())
    errors = []

    def run():
        try:
            t.run()
        except TransferError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(10)
    t.pause()
    worker.join(10)

    assert not worker.is_alive()
    assert [e.kind for e in errors] == ["paused"]
    assert part_of(dest).stat().st_size < len(DATA)


def test_unknown_size_and_hash_use_the_server_length(hub, tmp_path):
    dest = tmp_path / NAME
    reports = []
    FileTransfer(url_of(hub), dest, size=None, sha256=None, on_progress=reports.append).run()

    assert dest.read_bytes() == DATA
    assert reports[-1].total == len(DATA)


def test_progress_reports_speed_and_time_left(hub, tmp_path):
    hub.throttle_bps = 4 * 2**20
    reports = []
    make(hub, tmp_path / NAME, on_progress=reports.append).run()

    moving = [r for r in reports if r.speed_bps > 0]
    assert moving and all(r.eta_s is not None and r.eta_s >= 0 for r in moving)
    assert {r.phase for r in reports} == {"download"}
    assert reports[-1].done == reports[-1].total == len(DATA)


def test_resuming_reports_hashing_of_the_part_first(hub, tmp_path):
    dest = tmp_path / NAME
    part_of(dest).write_bytes(DATA[:2_000_000])
    reports = []
    make(hub, dest, on_progress=reports.append).run()

    assert reports[0].phase == "hashing"
    assert reports[-1].phase == "download" and reports[-1].done == len(DATA)


def test_size_announced_differently_is_refused(hub, tmp_path):
    dest = tmp_path / NAME
    t = make(hub, dest, size=len(DATA) + 1)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "size_mismatch"
    assert not dest.exists()


# -- redirects ---------------------------------------------------------------------------------


class _Redirector(BaseHTTPRequestHandler):
    """Another origin (another port) that redirects every GET to ``target``."""

    target = ""
    seen: list

    def do_GET(self):
        self.seen.append({k.lower(): v for k, v in self.headers.items()})
        self.send_response(302)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_redirect_to_another_host_drops_the_token_but_keeps_the_range(hub, tmp_path):
    handler = type("H", (_Redirector,), {"target": url_of(hub), "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dest = tmp_path / NAME
        part_of(dest).write_bytes(DATA[:1000])
        url = f"http://127.0.0.1:{server.server_address[1]}/mirror/{NAME}"
        make(hub, dest, token=TOKEN, url=url).run()
    finally:
        server.shutdown()
        server.server_close()

    assert dest.read_bytes() == DATA
    assert handler.seen[0]["authorization"] == f"Bearer {TOKEN}"
    for request in gets(hub):  # the hub is another origin than the mirror
        assert "authorization" not in request.headers
        assert request.headers["range"] == "bytes=1000-"


def test_redirect_on_the_same_host_keeps_the_token(fake_hub, tmp_path):  # noqa: F811
    fake_hub.add_repo("org/gated-GGUF", {NAME: DATA}, gated="auto")
    make(fake_hub, tmp_path / NAME, token=TOKEN, url=url_of(fake_hub, NAME, "org/gated-GGUF")).run()

    assert [r.headers.get("authorization") for r in gets(fake_hub)] == [f"Bearer {TOKEN}"] * 2


def test_redirect_headers():
    headers = {"Authorization": "Bearer x", "Range": "bytes=5-", "User-agent": "wb"}
    same = redirect_headers("https://hub.example/a", "https://HUB.example:443/b", headers)
    other = redirect_headers("https://hub.example/a", "https://cdn.example/b", headers)
    downgraded = redirect_headers("https://hub.example/a", "http://hub.example/b", headers)
    other_port = redirect_headers("http://h:8080/a", "http://h:8081/b", headers)

    assert same == headers
    assert other == {"Range": "bytes=5-", "User-agent": "wb"}
    assert downgraded == other and other_port == other


# -- destinations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ("../x.gguf",),
        ("/etc/x.gguf",),
        ("a/../../x",),
        ("a", "..", "..", "x"),
        ("C:\\x.gguf",),
        ("C:x.gguf",),
        ("..\\x.gguf",),
        ("CON.gguf",),
        ("sub/nul",),
        ("com1.gguf",),
        ("a//b.gguf",),
        ("",),
        (".",),
        ("x.gguf\0.txt",),
        ("x\n.gguf",),
        ("trailing.",),
    ],
)
def test_safe_destination_refuses(tmp_path, parts):
    with pytest.raises(UnsafePathError) as info:
        safe_destination(tmp_path, *parts)
    assert info.value.kind == "unsafe_path"
    assert isinstance(info.value, ValueError)
    assert "refused" in str(info.value)


def test_safe_destination_refuses_a_symlink_escape(tmp_path):
    root = tmp_path / "models"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    try:
        (root / "link").symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks are not available here")

    with pytest.raises(UnsafePathError):
        safe_destination(root, "link", "x.gguf")


def test_safe_destination_accepts_repository_paths(tmp_path):
    path = safe_destination(tmp_path, "owner", "repo", "Q4_K_M/model-00001-of-00002.gguf")

    assert path == tmp_path / "owner" / "repo" / "Q4_K_M" / "model-00001-of-00002.gguf"
    assert safe_destination(tmp_path, ".hidden.gguf") == tmp_path / ".hidden.gguf"
    assert safe_destination(tmp_path, "console.gguf") == tmp_path / "console.gguf"


# -- TLS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_hub(hub, certificate):
    """The hub, answering HTTPS (its CDN redirects too) with the self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = hub._server
    server.socket = context.wrap_socket(server.socket, server_side=True)
    # A client that pauses hangs up mid-stream; over TLS the server reports that as an error.
    server.handle_error = lambda request, client_address: None
    hub.url = hub.url.replace("http://", "https://")
    return hub


def test_https_download_with_a_trusted_certificate(https_hub, certificate, tmp_path, monkeypatch):
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    monkeypatch.setattr(connection_module, "_contexts", [trusted])
    dest = tmp_path / NAME
    part_of(dest).write_bytes(DATA[:5000])

    make(https_hub, dest, token=TOKEN).run()

    assert dest.read_bytes() == DATA
    assert [r.headers.get("range") for r in gets(https_hub)] == ["bytes=5000-"] * 2


def test_https_falls_back_to_the_second_trust_store(https_hub, certificate, tmp_path, monkeypatch):
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    monkeypatch.setattr(connection_module, "_contexts", [ssl.create_default_context(), trusted])
    t = make(https_hub, tmp_path / NAME)

    t.run()

    assert (tmp_path / NAME).read_bytes() == DATA
    assert t._sleep == []


def test_untrusted_certificate_is_not_retried(https_hub, tmp_path, monkeypatch):
    monkeypatch.setattr(connection_module, "_contexts", None)  # the real system + certifi stores
    t = make(https_hub, tmp_path / NAME)

    with pytest.raises(TransferError) as info:
        t.run()

    assert info.value.kind == "network" and not info.value.retryable
    assert "certificate" in str(info.value)
    assert t._sleep == []
    assert not (tmp_path / NAME).exists()


def test_pause_interrupts_a_slow_tls_read(https_hub, certificate, tmp_path, monkeypatch):
    monkeypatch.setattr(
        connection_module, "_contexts", [ssl.create_default_context(cafile=str(certificate[0]))]
    )
    https_hub.throttle_bps = 200_000
    started = threading.Event()
    t = make(https_hub, tmp_path / NAME, on_progress=lambda p: started.set())
    errors = []

    def run():
        try:
            t.run()
        except TransferError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(10)
    t.pause()
    worker.join(10)

    assert not worker.is_alive()
    assert [e.kind for e in errors] == ["paused"]
