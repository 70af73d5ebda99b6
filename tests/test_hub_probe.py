"""Choosing a Hub address that answers, and sending the access token only where allowed."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler

import pytest
from hubserver import DEFAULT_TOKEN, FakeHub, _QuietServer

from workbench.core.hub.client import HubClient, official_hub, token_for
from workbench.core.hub.probe import probe
from workbench.core.settings import HUB_DEFAULT, HUB_MIRROR


class _Broken(BaseHTTPRequestHandler):
    """A server that answers every request with an error page, or not at all."""

    hang: threading.Event | None = None

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.hang is not None:
            self.hang.wait(10)
            return
        body = b"<html>Service unavailable</html>"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def broken():
    servers = []

    def start(hang: bool = False) -> str:
        release = threading.Event() if hang else None
        handler = type("H", (_Broken,), {"hang": release})
        server = _QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, release))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, release in servers:
        if release is not None:
            release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def hub():
    with FakeHub() as server:
        server.add_repo("o/m-GGUF", {"m-Q4_0.gguf": b"GGUF"})
        yield server


def test_the_first_candidate_wins_when_both_answer(hub):
    with FakeHub() as other:
        assert probe((hub.url, other.url)).endpoint == hub.url
        assert probe((other.url, hub.url)).endpoint == other.url


def test_a_failing_official_address_falls_back_to_the_mirror(hub, broken):
    result = probe((broken(), hub.url), timeout=2)
    assert result.endpoint == hub.url and result.message() == ""


def test_a_hanging_official_address_costs_only_the_timeout(hub, broken):
    result = probe((broken(hang=True), hub.url), timeout=1)
    assert result.endpoint == hub.url


def test_no_answer_is_one_sentence(broken):
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    result = probe((broken(), closed), timeout=1)
    assert result.endpoint is None
    assert result.message().startswith("Neither 127.0.0.1:") and result.message().count(".") >= 1


def test_candidates_from_the_environment(hub, monkeypatch, broken):
    monkeypatch.setenv("WORKBENCH_HUB_CANDIDATES", f"{broken()}, {hub.url}")
    assert probe(timeout=2).endpoint == hub.url


def test_the_probe_never_sends_a_token(hub):
    probe((hub.url,))
    assert hub.requests and all("authorization" not in r.headers for r in hub.requests)


def test_token_rule():
    assert official_hub(HUB_DEFAULT) and official_hub("https://cdn-lfs.huggingface.co")
    assert not official_hub(HUB_MIRROR) and not official_hub("https://huggingface.co.evil.test")
    assert token_for(HUB_DEFAULT, "hf_x") == "hf_x"
    assert token_for(HUB_MIRROR, "hf_x") is None
    assert token_for(HUB_MIRROR, "hf_x", allow_mirror=True) == "hf_x"
    assert token_for(HUB_DEFAULT, None) is None


def test_a_mirror_gets_the_token_only_when_allowed(hub):
    """Recorded on the server: what a mirror really receives."""
    HubClient(hub.url, DEFAULT_TOKEN).repo_details("o/m-GGUF")
    assert [r.headers.get("authorization") for r in hub.requests] == [None]
    hub.reset_log()
    HubClient(hub.url, DEFAULT_TOKEN, allow_mirror=True).repo_details("o/m-GGUF")
    assert [r.headers.get("authorization") for r in hub.requests] == [f"Bearer {DEFAULT_TOKEN}"]
