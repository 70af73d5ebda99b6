"""The fake Hub server itself: what huggingface_hub parses, ranges, paging and injected faults."""

from __future__ import annotations

import hashlib
import http.client
import json
from urllib.parse import urlsplit

import pytest
from hubserver import FakeHub, fake_hub  # noqa: F401 - fake_hub is a fixture
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url
from huggingface_hub.errors import (
    GatedRepoError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

DATA = bytes(range(256)) * 40  # 10,240 bytes


def _get(hub: FakeHub, url: str, method: str = "GET", headers: dict | None = None):
    """One request with http.client (no redirects followed): (status, headers, body)."""
    parts = urlsplit(url if url.startswith("http") else hub.url + url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, headers=headers or {})
        resp = conn.getresponse()
        try:
            body = resp.read()
        except http.client.IncompleteRead as e:
            body = e.partial
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


@pytest.fixture
def hub(fake_hub):  # noqa: F811 - the fixture imported above
    fake_hub.add_repo("org/tiny-GGUF", {"tiny-Q8_0.gguf": DATA, "sub/part.gguf": b"abc"})
    return fake_hub


def test_resolve_redirects_to_cdn_with_hub_headers(hub):
    status, headers, _ = _get(hub, "/org/tiny-GGUF/resolve/main/tiny-Q8_0.gguf", "HEAD")
    sha = hashlib.sha256(DATA).hexdigest()
    assert status == 302
    assert headers["location"].startswith(f"{hub.url}/cdn/{sha}/tiny-Q8_0.gguf")
    assert headers["x-linked-size"] == str(len(DATA))
    assert headers["x-linked-etag"] == f'"{sha}"'
    assert len(headers["x-repo-commit"]) == 40

    status, headers, body = _get(hub, headers["location"])
    assert (status, body) == (200, DATA)
    assert headers["content-length"] == str(len(DATA))
    assert headers["accept-ranges"] == "bytes"


def test_library_reads_metadata_and_errors(hub):
    hub.add_repo("org/gated", {"m.gguf": b"GGUF"}, gated="manual")
    url = hf_hub_url("org/tiny-GGUF", "tiny-Q8_0.gguf", endpoint=hub.url)
    meta = get_hf_file_metadata(url, token=False)
    assert meta.size == len(DATA) and meta.etag == hashlib.sha256(DATA).hexdigest()

    gated = hf_hub_url("org/gated", "m.gguf", endpoint=hub.url)
    with pytest.raises(GatedRepoError) as no_token:
        get_hf_file_metadata(gated, token=False)
    with pytest.raises(GatedRepoError) as wrong_token:
        get_hf_file_metadata(gated, token="hf_someone_else")
    assert (no_token.value.response.status_code, wrong_token.value.response.status_code) == (
        401,
        403,
    )
    assert get_hf_file_metadata(gated, token=hub.require_token).size == 4

    missing = hf_hub_url("org/tiny-GGUF", "nope.gguf", endpoint=hub.url)
    with pytest.raises(RemoteEntryNotFoundError):
        get_hf_file_metadata(missing, token=False)
    api = HfApi(endpoint=hub.url, token=False)
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("org/missing")
    with pytest.raises(RevisionNotFoundError):
        api.model_info("org/tiny-GGUF", revision="v2")


def test_ranges(hub):
    hub.redirect_lfs = False
    path = "/org/tiny-GGUF/resolve/main/tiny-Q8_0.gguf"
    status, headers, body = _get(hub, path, headers={"Range": "bytes=100-199"})
    assert (status, body, headers["content-range"]) == (206, DATA[100:200], "bytes 100-199/10240")
    status, _, body = _get(hub, path, headers={"Range": "bytes=10000-"})
    assert (status, body) == (206, DATA[10000:])
    status, headers, _ = _get(hub, path, headers={"Range": f"bytes={len(DATA)}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{len(DATA)}"


def test_model_list_pages_with_link_header(hub):
    for i in range(4):
        hub.add_repo(f"org/m{i}", {"m.gguf": b"x"}, downloads=i)
    status, headers, body = _get(hub, "/api/models?filter=gguf&sort=downloads&search=org/m")
    assert status == 200 and [m["id"] for m in json.loads(body)] == ["org/m3", "org/m2"]
    next_url = headers["link"].removeprefix("<").split(">;")[0]
    assert next_url.startswith(hub.url) and headers["link"].endswith('rel="next"')
    status, headers, body = _get(hub, next_url)
    assert [m["id"] for m in json.loads(body)] == ["org/m1", "org/m0"]
    assert "link" not in headers

    ids = [m.id for m in HfApi(endpoint=hub.url, token=False).list_models(search="ORG/M")]
    assert sorted(ids) == ["org/m0", "org/m1", "org/m2", "org/m3"]


def test_tree_lists_subfolders(hub):
    tree = HfApi(endpoint=hub.url, token=False).list_repo_tree("org/tiny-GGUF", recursive=True)
    entries = {(type(e).__name__, e.path) for e in tree}
    assert entries == {
        ("RepoFolder", "sub"),
        ("RepoFile", "sub/part.gguf"),
        ("RepoFile", "tiny-Q8_0.gguf"),
    }


def test_faults(hub):
    key = "org/tiny-GGUF/tiny-Q8_0.gguf"
    path = "/org/tiny-GGUF/resolve/main/tiny-Q8_0.gguf"
    hub.fail_next(key, 429, headers={"Retry-After": "7"}, times=2)
    assert _get(hub, path)[0] == 429
    status, headers, _ = _get(hub, path, "HEAD")
    assert (status, headers["retry-after"]) == (429, "7")
    assert _get(hub, path)[0] == 302

    hub.redirect_lfs = False
    hub.reset_log()
    hub.drop_after(key, 1000)
    status, _, body = _get(hub, path, headers={"Range": "bytes=5000-"})
    assert status == 206 and body == DATA[5000:6000]
    assert _get(hub, path)[2] == DATA
    assert hub.body_bytes_sent(key) == 1000 + len(DATA)

    hub.tamper(key, b"\0" * len(DATA))
    status, headers, body = _get(hub, path)
    assert body == b"\0" * len(DATA)
    assert headers["x-linked-etag"] == f'"{hashlib.sha256(DATA).hexdigest()}"'


def test_private_repo_needs_token_and_unknown_routes_are_json_404(hub):
    hub.add_repo("org/secret", {"s.gguf": b"x"}, private=True)
    assert _get(hub, "/api/models/org/secret")[0] == 401
    auth = {"Authorization": f"Bearer {hub.require_token}"}
    assert _get(hub, "/api/models/org/secret", headers=auth)[0] == 200
    listed = json.loads(_get(hub, "/api/models?search=secret")[2])
    assert listed == []
    status, _, body = _get(hub, "/nothing/here")
    assert status == 404 and json.loads(body)["error"]
    assert hub.requests[-1].status == 404 and hub.requests[-1].path == "/nothing/here"
