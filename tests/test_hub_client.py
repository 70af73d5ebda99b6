"""HubClient against the local fake Hub: search paging, repo details, remote headers, errors."""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import re
import socket
import threading
import time
from pathlib import Path

import httpx2
import pytest
from ggufgen import write_tiny_gguf
from hubserver import FakeHub, fake_hub  # noqa: F401 - fake_hub is a fixture
from huggingface_hub import HfApi
from huggingface_hub.errors import OfflineModeIsEnabled

from workbench.core.gguf_file import inspect_gguf
from workbench.core.hub.client import HubClient, HubError, hub_error
from workbench.core.hub.models import HubFile, build_entries, quantization_from_name
from workbench.core.hub.remote import RangeReader

REPO = "tester/Tiny-GGUF"
TOKEN = "hf_test_token"


def one_sentence(text: str) -> bool:
    """A single plain sentence: no line breaks, no tracebacks or exception class names."""
    return (
        text[:1].isupper()
        and text.endswith(".")
        and "\n" not in text
        and not re.search(r"\.\s+[A-Z]", text)
        and not re.search(r"Traceback|Error\b|Exception|HTTP[A-Z]|Hf[A-Z]|httpx", text)
    )


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    """Tiny GGUF files: a single model, a 3-part split model and a projector."""
    root = tmp_path_factory.mktemp("tiny")
    single = write_tiny_gguf(root / "tiny-Q4_K_M.gguf", n_layers=2)
    first = write_tiny_gguf(root / "tiny-Q8_0.gguf", n_layers=4, split_count=3)
    mmproj = write_tiny_gguf(root / "mmproj-tiny-F16.gguf", arch="clip", n_layers=1)
    files = {"tiny-Q4_K_M.gguf": single, "mmproj-tiny-F16.gguf": mmproj}
    for i in (1, 2, 3):
        name = f"tiny-Q8_0-{i:05d}-of-00003.gguf"
        files[f"Q8_0/{name}"] = first.with_name(name)
    return files


@pytest.fixture
def hub(fake_hub, tiny):  # noqa: F811 - the fixture imported above
    files: dict[str, bytes | Path] = dict(tiny)
    files["README.md"] = b"# Tiny\n"
    # A split model with its second part missing.
    files["broken-Q2_K-00001-of-00003.gguf"] = tiny["Q8_0/tiny-Q8_0-00001-of-00003.gguf"]
    files["broken-Q2_K-00003-of-00003.gguf"] = tiny["Q8_0/tiny-Q8_0-00003-of-00003.gguf"]
    fake_hub.add_repo(
        REPO,
        files,
        downloads=50,
        likes=3,
        license="mit",
        gguf={"total": 1234567, "architecture": "llama", "context_length": 2048},
    )
    return fake_hub


# -- search ----------------------------------------------------------------------------------


def test_search_pages_through_every_result_once(fake_hub):  # noqa: F811
    for i in range(7):
        fake_hub.add_repo(f"org{i}/Model-{i}-GGUF", {"m.gguf": b"GGUF"}, downloads=100 - i)
    fake_hub.add_repo("org/Model-safetensors", {"m.safetensors": b"x"}, tags=["safetensors"])
    fake_hub.page_size = 2  # the Hub pages by 2; the client asks for 3 per page
    pager = HubClient(fake_hub.url).search("model", page_size=3)
    assert pager.has_more
    pages = []
    while pager.has_more:
        pages.append(pager.next_page())
    seen = [r.repo_id for page in pages for r in page]
    assert seen == [f"org{i}/Model-{i}-GGUF" for i in range(7)]  # by downloads, GGUF only
    assert [len(p) for p in pages] == [3, 3, 1]
    assert pager.next_page() == [] and not pager.has_more
    first = pages[0][0]
    assert (first.author, first.downloads, first.gated, first.private) == (
        "org0",
        100,
        False,
        False,
    )
    assert "gguf" in first.tags and first.last_modified.year == 2026
    assert any("cursor" in r.query for r in fake_hub.requests)  # the Link pages were followed


def test_search_sorts_and_filters(fake_hub):  # noqa: F811
    fake_hub.add_repo("a/Llama-GGUF", {"m.gguf": b"G"}, downloads=1, likes=30,
                      last_modified="2025-03-01T00:00:00.000Z")  # fmt: skip
    fake_hub.add_repo("b/llama-small-GGUF", {"m.gguf": b"G"}, downloads=2, likes=10,
                      last_modified="2026-02-01T00:00:00.000Z")  # fmt: skip
    fake_hub.add_repo("c/Qwen-GGUF", {"m.gguf": b"G"}, downloads=3, likes=20,
                      last_modified="2025-12-01T00:00:00.000Z")  # fmt: skip
    client = HubClient(fake_hub.url)

    def ids(query: str, sort: str) -> list[str]:
        return [r.repo_id for r in client.search(query, sort=sort, page_size=10).next_page()]

    assert ids("", "downloads") == ["c/Qwen-GGUF", "b/llama-small-GGUF", "a/Llama-GGUF"]
    assert ids("", "likes") == ["a/Llama-GGUF", "c/Qwen-GGUF", "b/llama-small-GGUF"]
    assert ids("", "updated") == ["b/llama-small-GGUF", "c/Qwen-GGUF", "a/Llama-GGUF"]
    assert ids("LLAMA", "likes") == ["a/Llama-GGUF", "b/llama-small-GGUF"]
    assert ids("mistral", "downloads") == []
    with pytest.raises(ValueError):
        client.search("x", sort="newest")


def test_the_endpoint_given_is_the_one_used(tiny, monkeypatch):
    with FakeHub() as one, FakeHub() as two:
        one.add_repo("one/First-GGUF", {"a.gguf": b"GGUF"})
        two.add_repo("two/Second-GGUF", {"b.gguf": b"GGUF"})
        monkeypatch.setenv("HF_ENDPOINT", one.url)  # read by the library at import only
        assert [r.repo_id for r in HubClient(one.url).search("").next_page()] == ["one/First-GGUF"]
        client = HubClient(two.url + "/")  # a trailing slash is fine
        assert client.endpoint == two.url
        assert [r.repo_id for r in client.search("").next_page()] == ["two/Second-GGUF"]
        assert client.file_url("two/Second-GGUF", "b.gguf").startswith(two.url + "/two/")
        with pytest.raises(HubError) as missing:
            client.repo_details("one/First-GGUF")
        assert missing.value.kind == "not_found"


def test_no_saved_or_environment_token_is_sent(fake_hub, monkeypatch):  # noqa: F811
    monkeypatch.setenv("HF_TOKEN", "hf_from_the_environment")
    fake_hub.add_repo("o/m-GGUF", {"m.gguf": b"GGUF"})
    client = HubClient(fake_hub.url)
    client.search("").next_page()
    client.repo_details("o/m-GGUF")
    assert fake_hub.requests and all("authorization" not in r.headers for r in fake_hub.requests)
    assert all(r.headers["user-agent"].startswith("workbench/") for r in fake_hub.requests)
    assert "authorization" not in {k.lower() for k in client.auth_headers()}
    headers = HubClient(fake_hub.url, TOKEN, allow_mirror=True).auth_headers()
    assert headers["authorization"] == f"Bearer {TOKEN}"


# -- repository details ------------------------------------------------------------------------


def test_repo_details_groups_files_into_entries(hub, tiny):
    details = HubClient(hub.url).repo_details(REPO)
    assert details.repo_id == REPO and len(details.sha) == 40
    assert (details.architecture, details.parameters, details.context_length) == (
        "llama",
        1234567,
        2048,
    )
    assert (details.license, details.downloads, details.likes) == ("mit", 50, 3)
    by_name = {e.name: e for e in details.entries}
    assert set(by_name) == {
        "tiny-Q4_K_M.gguf",
        "mmproj-tiny-F16.gguf",
        "Q8_0/tiny-Q8_0.gguf (3 parts)",
    }
    split = by_name["Q8_0/tiny-Q8_0.gguf (3 parts)"]
    parts = [f"Q8_0/tiny-Q8_0-{i:05d}-of-00003.gguf" for i in (1, 2, 3)]
    assert split.is_split and [f.path for f in split.files] == parts
    assert split.first_file.path == parts[0]
    assert split.size == sum(tiny[p].stat().st_size for p in parts)
    assert split.files[1].sha256 == hashlib.sha256(tiny[parts[1]].read_bytes()).hexdigest()
    assert (split.quantization, split.kind) == ("Q8_0", "model")
    mmproj = by_name["mmproj-tiny-F16.gguf"]
    assert (mmproj.kind, mmproj.quantization, mmproj.is_split) == ("mmproj", "F16", False)
    assert details.incomplete_splits == ("broken-Q2_K.gguf",)

    groups = details.by_quantization()
    assert [q for q, _ in groups] == ["Q4_K_M", "Q8_0", "mmproj"]  # by size, projector last
    assert [e.name for e in groups[1][1]] == ["Q8_0/tiny-Q8_0.gguf (3 parts)"]


def test_repo_details_reads_sizes_from_the_tree_when_info_has_none(hub, monkeypatch):
    client = HubClient(hub.url)
    plain = client.repo_details(REPO)

    def info_without_blobs(repo_id, **kwargs):
        return HfApi.model_info(client._api, repo_id, **{**kwargs, "files_metadata": False})

    monkeypatch.setattr(client._api, "model_info", info_without_blobs)
    hub.reset_log()
    assert client.repo_details(REPO).entries == plain.entries
    assert any("/tree/" in r.path and r.query.get("recursive") == "true" for r in hub.requests)


def test_repo_details_at_a_revision(hub):
    client = HubClient(hub.url)
    sha = client.repo_details(REPO).sha
    assert client.repo_details(REPO, sha).sha == sha
    with pytest.raises(HubError) as err:
        client.repo_details(REPO, "v9.9")
    assert err.value.kind == "not_found" and "v9.9" in str(err.value)
    assert one_sentence(str(err.value))


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M"),
        ("qwen2.5-7b-instruct-q5_k_s-00001-of-00002.gguf", "Q5_K_S"),
        ("gemma-3-27b-it-UD-Q4_K_XL.gguf", "UD-Q4_K_XL"),
        ("Qwen3-30B-A3B-UD-IQ1_S.gguf", "UD-IQ1_S"),
        ("model.i1-IQ2_XXS.gguf", "IQ2_XXS"),
        ("Phi-3-mini-4k-instruct-IQ4_NL.gguf", "IQ4_NL"),
        ("sub/dir/Mistral-7B-Q8_0.gguf", "Q8_0"),
        ("llama-Q4_0_4_4.gguf", "Q4_0_4_4"),
        ("gpt-oss-20b-MXFP4.gguf", "MXFP4"),
        ("BitNet-TQ1_0.gguf", "TQ1_0"),
        ("ggml-model-f16.gguf", "F16"),
        ("model-fp16.gguf", "F16"),
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1"),
        ("Model-BF16.gguf", "BF16"),
        ("f32-experiments-Q6_K.gguf", "Q6_K"),  # the last label wins
        ("model.gguf", ""),
        ("Q4_Kx.gguf", ""),
        ("model_Q3_K_L.gguf", "Q3_K_L"),
    ],
)
def test_quantization_from_name(name, quant):
    assert quantization_from_name(name) == quant


def test_build_entries_ignores_other_files_and_odd_part_numbers():
    files = [
        HubFile("config.json", 10, None),
        HubFile("x-00001-of-00001.gguf", 5, None),  # a "split" of one part is a plain file
        HubFile("y-00004-of-00003.gguf", 7, None),  # not a valid part: shown as a file
        HubFile("z-00001-of-00002.gguf", 1, None),
        HubFile("z-00002-of-00002.gguf", 2, None),
    ]
    entries, incomplete = build_entries(files)
    assert [(e.name, e.size, len(e.files)) for e in entries] == [
        ("z.gguf (2 parts)", 3, 2),
        ("x-00001-of-00001.gguf", 5, 1),
        ("y-00004-of-00003.gguf", 7, 1),
    ]
    assert incomplete == ()


# -- remote headers ----------------------------------------------------------------------------


def test_read_header_of_a_split_model_matches_the_local_file(hub, tiny):
    client = HubClient(hub.url)
    details = client.repo_details(REPO)
    entry = next(e for e in details.entries if e.is_split)
    info = client.read_header(REPO, entry, details.sha)
    local = inspect_gguf(tiny[entry.first_file.path])
    assert info.split_count == 3 and info.file_size == entry.size
    assert info.path == client.file_url(REPO, entry.first_file.path, details.sha)
    assert info.to_dict() | {"path": local.path} == local.to_dict()
    # Naming the first part also finds the others.
    by_name = client.read_header(REPO, entry.first_file.path)
    assert (by_name.split_count, by_name.file_size, by_name.tensor_count) == (
        3,
        entry.size,
        local.tensor_count,
    )


def test_read_header_follows_the_cdn_redirect_once(hub):
    client = HubClient(hub.url)
    client.read_header(REPO, "tiny-Q4_K_M.gguf")
    resolves = [r for r in hub.requests if "/resolve/" in r.path]
    assert len(resolves) == 1 and resolves[0].status == 302
    hub.redirect_lfs = False
    hub.reset_log()
    info = client.read_header(REPO, "tiny-Q4_K_M.gguf")
    assert info.block_count == 2
    assert all(r.status == 206 for r in hub.requests)


@pytest.mark.model
def test_read_header_of_the_real_model_fetches_only_the_header(fake_hub, test_model):  # noqa: F811
    fake_hub.add_repo("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", {test_model.name: test_model})
    client = HubClient(fake_hub.url)
    info = client.read_header("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", test_model.name)
    assert (info.block_count, info.head_count_kv, info.context_length) == (30, 3, 8192)
    assert info.to_dict() | {"path": ""} == inspect_gguf(test_model).to_dict() | {"path": ""}
    size = test_model.stat().st_size
    sent = fake_hub.body_bytes_sent(f"HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/{test_model.name}")
    assert 0 < sent < 10 * 2**20 < size
    assert client.last_header_bytes == sent
    assert len([r for r in fake_hub.requests if r.method == "GET"]) <= 6


def test_read_header_of_something_that_is_not_gguf(fake_hub):  # noqa: F811
    fake_hub.add_repo("o/html-GGUF", {"model.gguf": b"<!DOCTYPE html><html>login</html>"})
    with pytest.raises(HubError) as err:
        HubClient(fake_hub.url).read_header("o/html-GGUF", "model.gguf")
    assert err.value.kind == "invalid" and "web page" in str(err.value)


def test_range_reader_reads_and_seeks(fake_hub):  # noqa: F811
    data = bytes(range(256)) * 4096  # 1 MiB
    fake_hub.add_repo("o/bytes", {"blob.gguf": data})
    client = HubClient(fake_hub.url)
    reader = RangeReader(client.file_url("o/bytes", "blob.gguf"), {}, on_error=lambda e: e)
    assert reader.read(10) == data[:10]
    assert reader.read(300_000) == data[10:300_010]
    assert reader.size == len(data)
    reader.seek(len(data) - 5)
    assert reader.read(100) == data[-5:] and reader.read(1) == b""
    reader.seek(3)
    assert reader.read(4) == data[3:7]
    # The token goes to the Hub only, never to another host the file is served from.
    headers = {"authorization": "Bearer secret", "user-agent": "t"}
    reader = RangeReader("https://hub.example/x", headers, on_error=lambda e: e)
    assert "authorization" in reader._headers_for("https://hub.example/cdn/x")
    assert reader._headers_for("https://cdn.example/x") == {"user-agent": "t"}


# -- errors ------------------------------------------------------------------------------------


def _raises(call) -> HubError:
    with pytest.raises(HubError) as err:
        call()
    assert one_sentence(str(err.value)), str(err.value)
    return err.value


def test_gated_repo_needs_an_accepted_token(fake_hub, tiny):  # noqa: F811
    fake_hub.add_repo("meta/Gated-GGUF", {"m-Q4_0.gguf": tiny["tiny-Q4_K_M.gguf"]}, gated="manual")
    details = HubClient(fake_hub.url).repo_details("meta/Gated-GGUF")  # info is public
    assert details.gated == "manual"

    no_token = _raises(
        lambda: HubClient(fake_hub.url).read_header("meta/Gated-GGUF", "m-Q4_0.gguf")
    )
    assert (no_token.kind, no_token.status) == ("gated", 401)
    assert "meta/Gated-GGUF" in str(no_token) and "access token" in str(no_token)

    other = HubClient(fake_hub.url, "hf_not_granted", allow_mirror=True)
    refused = _raises(lambda: other.read_header("meta/Gated-GGUF", "m-Q4_0.gguf"))
    assert (refused.kind, refused.status) == ("gated", 403)
    assert str(refused) != str(no_token)

    info = HubClient(fake_hub.url, TOKEN, allow_mirror=True).read_header(
        "meta/Gated-GGUF", "m-Q4_0.gguf"
    )
    assert info.architecture == "llama"


def test_rejected_token_is_an_auth_error(fake_hub):  # noqa: F811
    fake_hub.add_repo("o/m-GGUF", {"m.gguf": b"GGUF"})
    fake_hub.revoked_tokens.add("hf_revoked")
    err = _raises(
        lambda: HubClient(fake_hub.url, "hf_revoked", allow_mirror=True).repo_details("o/m-GGUF")
    )
    assert (err.kind, err.status) == ("auth", 401)
    err = _raises(
        lambda: HubClient(fake_hub.url, "hf_revoked", allow_mirror=True).search("").next_page()
    )
    assert err.kind == "auth"


def test_private_repo(fake_hub):  # noqa: F811
    fake_hub.add_repo("me/Private-GGUF", {"p.gguf": b"GGUF"}, private=True)
    anonymous = HubClient(fake_hub.url)
    assert anonymous.search("private").next_page() == []
    err = _raises(lambda: anonymous.repo_details("me/Private-GGUF"))
    assert err.kind == "not_found" and "access token" in str(err)
    owner = HubClient(fake_hub.url, TOKEN, allow_mirror=True)
    assert [r.repo_id for r in owner.search("private").next_page()] == ["me/Private-GGUF"]
    assert owner.repo_details("me/Private-GGUF").private is True


def test_missing_repo_and_file(hub):
    client = HubClient(hub.url)
    err = _raises(lambda: client.repo_details("nobody/Nothing-GGUF"))
    assert err.kind == "not_found" and "nobody/Nothing-GGUF" in str(err)
    err = _raises(lambda: client.read_header(REPO, "missing-Q4_0.gguf"))
    assert err.kind == "not_found" and "missing-Q4_0.gguf" in str(err)
    err = _raises(lambda: client.repo_details("not a valid id"))
    assert err.kind == "not_found"


def test_rate_limit_and_server_errors(hub):
    client = HubClient(hub.url)
    hub.fail_next(f"{REPO}/tiny-Q4_K_M.gguf", 429, headers={"Retry-After": "7"})
    err = _raises(lambda: client.read_header(REPO, "tiny-Q4_K_M.gguf"))
    assert (err.kind, err.retry_after) == ("rate_limited", 7.0) and "7 seconds" in str(err)

    hub.fail_next(f"{REPO}/tiny-Q4_K_M.gguf", 500)
    err = _raises(lambda: client.read_header(REPO, "tiny-Q4_K_M.gguf"))
    assert (err.kind, err.status) == ("server", 500)
    # Nothing is retried behind the caller's back, and the next call works.
    assert client.read_header(REPO, "tiny-Q4_K_M.gguf").block_count == 2


def test_rate_limit_waits_from_a_date_or_the_hubs_own_header(hub):
    client = HubClient(hub.url)
    key = f"{REPO}/tiny-Q4_K_M.gguf"
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    hub.fail_next(key, 429, headers={"Retry-After": when})
    err = _raises(lambda: client.read_header(REPO, "tiny-Q4_K_M.gguf"))
    assert err.kind == "rate_limited" and 100 < err.retry_after <= 120
    # No Retry-After: the Hub's 'RateLimit' header says when the window resets.
    hub.fail_next(key, 429, headers={"RateLimit": '"api";r=0;t=55'})
    err = _raises(lambda: client.read_header(REPO, "tiny-Q4_K_M.gguf"))
    assert (err.kind, err.retry_after) == ("rate_limited", 55.0)


def test_connection_refused_is_a_network_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    client = HubClient(f"http://127.0.0.1:{port}")
    for call in (lambda: client.search("x").next_page(), lambda: client.repo_details("a/b")):
        err = _raises(call)
        assert err.kind == "network" and f"127.0.0.1:{port}" in str(err)


@pytest.mark.parametrize("endpoint", ["", "huggingface.co", "ftp://hub.example", "http://", "  "])
def test_invalid_endpoint(endpoint):
    err = _raises(lambda: HubClient(endpoint))
    assert err.kind == "invalid"


def test_a_server_that_is_not_a_hub():
    class Html(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html>Welcome</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = HubClient(f"http://127.0.0.1:{server.server_address[1]}")
        assert _raises(lambda: client.search("x").next_page()).kind == "invalid"
        assert _raises(lambda: client.repo_details("a/b")).kind == "invalid"
        # A server that ignores Range sends everything; the reader still returns the right bytes.
        reader = RangeReader(f"{client.endpoint}/file", {}, on_error=lambda e: e)
        assert reader.read(6) == b"<html>" and reader.read(3) == b"Wel"
        assert reader.size == len(b"<html>Welcome</html>")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (OfflineModeIsEnabled("offline"), "network"),
        (httpx2.ConnectTimeout("timed out"), "network"),
        (httpx2.ReadError("reset"), "network"),
        (
            httpx2.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "network",
        ),
        (httpx2.UnsupportedProtocol("bad scheme"), "invalid"),
        (ValueError("Expecting value: line 1 column 1"), "invalid"),
    ],
)
def test_hub_error_describes_transport_failures(exc, kind):
    err = hub_error(exc, "o/m", endpoint="https://hub.example")
    assert err.kind == kind and one_sentence(str(err)), str(err)
