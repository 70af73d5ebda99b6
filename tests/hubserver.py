"""A local HTTP server speaking the parts of the Hugging Face Hub API that Workbench uses.

``FakeHub`` answers what ``huggingface_hub`` really requests (model search with ``Link`` paging,
model info, repository trees, ``resolve/`` downloads with LFS-style redirects) with the headers and
``X-Error-Code`` values the library maps to its exceptions, so that client and download code can be
tested end to end without the internet. Faults (error statuses, dropped connections, corrupted
bytes) can be injected per file.

Files given as paths are streamed from disk with ``sendfile``, never read into memory, so large
files can be served at loopback speed.

Usage::

    with FakeHub() as hub:
        hub.add_repo("owner/model-GGUF", {"model-Q4_K_M.gguf": path}, downloads=10)
        client = HubClient(hub.url)

or the ``fake_hub`` fixture (``from hubserver import fake_hub`` in a test module).
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import hashlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pytest


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-reply (pause, cancel, Stop) is what these tests do on purpose;
    the base class would print a traceback to stderr, into whatever test runs then."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


DEFAULT_TOKEN = "hf_test_token"
CREATED_AT = "2025-06-01T00:00:00.000Z"
_SEND_CHUNK = 4 * 2**20  # per sendfile call, so the bytes sent are counted even if the peer leaves
_INVALID_CREDENTIALS = "Invalid credentials in Authorization header"

# sha256 of files on disk, keyed by (path, mtime, size): the 98 MB test model is added to many
# hubs in one test session and hashing it each time would dominate test time.
_HASH_CACHE: dict[tuple[str, int, int], str] = {}
_HASH_LOCK = threading.Lock()


def _sha256_of_path(path: Path) -> tuple[str, int]:
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    with _HASH_LOCK:
        cached = _HASH_CACHE.get(key)
    if cached is None:
        with path.open("rb") as f:
            cached = hashlib.file_digest(f, "sha256").hexdigest()
        with _HASH_LOCK:
            _HASH_CACHE[key] = cached
    return cached, st.st_size


@dataclass
class Request:
    """One request as the server saw it; ``query`` values are str, or lists when repeated."""

    method: str
    path: str
    query: dict
    headers: dict
    status: int
    body_bytes_sent: int
    file: str | None = None  # "owner/repo/path" when the request was for a repo file


@dataclass
class _File:
    path: str  # inside the repo
    source: bytes | Path
    size: int
    sha256: str
    pointer: bytes  # the Git LFS pointer, whose git blob id is the file's "oid" in the tree

    @property
    def blob_id(self) -> str:
        return hashlib.sha1(b"blob %d\0" % len(self.pointer) + self.pointer).hexdigest()


@dataclass
class _Repo:
    repo_id: str
    files: dict[str, _File]
    gated: str | bool
    private: bool
    downloads: int
    likes: int
    last_modified: str
    license: str | None
    tags: list[str]
    gguf: dict | None
    sha: str
    object_id: str


@dataclass
class _Fault:
    kind: str  # "fail", "drop" or "hold"
    times: int
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    n_bytes: int = 0
    release: threading.Event | None = None  # "hold": set to send the rest


class _Reply(Exception):
    """Raised inside a handler to answer with a JSON error."""

    def __init__(self, status: int, message: str, code: str | None = None, headers=None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.headers = dict(headers or {})


class FakeHub:
    """ThreadingHTTPServer on 127.0.0.1, random port; usable as a context manager (start/stop)."""

    def __init__(self) -> None:
        self.url = ""
        self.page_size = 2
        self.tree_page_size = 1000  # like the Hub; smaller values exercise tree paging
        self.require_token: str | None = DEFAULT_TOKEN
        # Tokens answered with 401 "Invalid credentials" everywhere, as the Hub does for a revoked
        # or mistyped token (any other unknown token is a valid user without access).
        self.revoked_tokens: set[str] = set()
        self.redirect_lfs = True
        self.throttle_bps: int | None = None
        self.requests: list[Request] = []
        self._repos: dict[str, _Repo] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._tampered: dict[str, bytes] = {}
        self._holds: list[threading.Event] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeHub:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"hub": self})
        server = _QuietServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket (open connections die with their threads)."""
        server, self._server = self._server, None
        with self._lock:
            holds, self._holds = self._holds, []
        for release in holds:  # no handler thread stays parked in a hold
            release.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- content -----------------------------------------------------------------------------

    def add_repo(
        self,
        repo_id: str,
        files: dict[str, bytes | Path],
        *,
        gated: str | bool = False,
        private: bool = False,
        downloads: int = 0,
        likes: int = 0,
        last_modified: str = "2026-01-01T00:00:00.000Z",
        license: str | None = "apache-2.0",
        tags: list[str] | None = None,
        gguf: dict | None = None,
        sha: str | None = None,
    ) -> None:
        """Add (or replace) a model repository; every file is treated as an LFS file."""
        if repo_id.count("/") != 1 or not all(repo_id.split("/")):
            raise ValueError(f"repo_id must look like 'owner/name', not {repo_id!r}")
        if gated not in (False, "auto", "manual"):
            raise ValueError("gated must be False, 'auto' or 'manual'")
        entries: dict[str, _File] = {}
        for name, source in files.items():
            name = name.strip("/")
            if isinstance(source, (str, os.PathLike)):
                source = Path(source)
                digest, size = _sha256_of_path(source)
            else:
                source = bytes(source)
                digest, size = hashlib.sha256(source).hexdigest(), len(source)
            pointer = (
                f"version https://git-lfs.github.com/spec/v1\noid sha256:{digest}\nsize {size}\n"
            ).encode()
            entries[name] = _File(name, source, size, digest, pointer)
        if sha is None:
            seed = repo_id + "".join(f"{p}:{f.sha256}" for p, f in sorted(entries.items()))
            sha = hashlib.sha1(seed.encode()).hexdigest()
        if tags is None:
            tags = ["gguf", "text-generation"] + ([f"license:{license}"] if license else [])
        repo = _Repo(
            repo_id=repo_id,
            files=entries,
            gated=gated,
            private=private,
            downloads=downloads,
            likes=likes,
            last_modified=last_modified,
            license=license,
            tags=list(tags),
            gguf=gguf,
            sha=sha,
            object_id=hashlib.md5(repo_id.encode()).hexdigest()[:24],
        )
        with self._lock:
            self._repos[repo_id] = repo

    def fail_next(
        self, path: str, status: int, *, times: int = 1, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next ``times`` requests for repo file ``path`` with ``status``."""
        with self._lock:
            self._faults.setdefault(path, []).append(
                _Fault("fail", times, status=status, headers=dict(headers or {}))
            )

    def drop_after(self, path: str, n_bytes: int, *, times: int = 1) -> None:
        """Make the next ``times`` GETs of ``path`` send ``n_bytes`` of body, then hang up."""
        with self._lock:
            self._faults.setdefault(path, []).append(_Fault("drop", times, n_bytes=n_bytes))

    def hold_after(self, path: str, n_bytes: int) -> threading.Event:
        """Make the next GET of ``path`` send ``n_bytes`` of body, then wait until the returned
        event is set (or a minute passes) before it sends the rest.

        A download held this way is mid-transfer for as long as a test needs: what else
        happens meanwhile (a second download of the same file, a kill) does not race a clock.
        """
        release = threading.Event()
        with self._lock:
            self._holds.append(release)
            self._faults.setdefault(path, []).append(
                _Fault("hold", 1, n_bytes=n_bytes, release=release)
            )
        return release

    def tamper(self, path: str, data: bytes) -> None:
        """Serve ``data`` for ``path`` while still advertising the original sha256 and size."""
        with self._lock:
            self._tampered[path] = bytes(data)

    def body_bytes_sent(self, path: str) -> int:
        """Total body bytes sent by GETs of repo file ``path`` (``resolve/`` and ``cdn/``)."""
        with self._lock:
            return sum(r.body_bytes_sent for r in self.requests if r.file == path)

    def reset_log(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()

    # -- internals used by the handler -------------------------------------------------------

    def _take_fault(self, key: str, kind: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(key, [])
            for fault in queue:
                if fault.kind == kind:
                    fault.times -= 1
                    if fault.times <= 0:
                        queue.remove(fault)
                    return fault
        return None

    def _log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


def _bearer(headers) -> str | None:
    value = headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _flag(query: dict, name: str) -> bool:
    return str(_one(query, name, "")).lower() in ("1", "true", "yes")


def _one(query: dict, name: str, default=None):
    value = query.get(name, default)
    return value[-1] if isinstance(value, list) else value


def _many(query: dict, *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        value = query.get(name)
        if value is not None:
            out += value if isinstance(value, list) else [value]
    return out


def _parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(start, end inclusive), None for no usable range, "unsatisfiable" for a 416."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, sep, last = header[6:].strip().partition("-")
    if not sep:
        return None
    try:
        if first == "":  # suffix range: the last N bytes
            n = int(last)
            if n <= 0:
                return "unsatisfiable"
            return max(0, size - n), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return start, min(end, size - 1)


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"
    timeout = 60  # an idle keep-alive connection must not hold a thread forever

    def log_message(self, format, *args) -> None:
        pass

    # -- plumbing ----------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _other(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._req, self._file = None, None
        self._query, self._url_path = {}, unquote(urlsplit(self.path).path)
        self._error(_Reply(405, "Method not allowed"))

    do_POST = do_PUT = do_DELETE = do_PATCH = _other

    def _dispatch(self) -> None:
        self._req: Request | None = None
        self._file: str | None = None
        split = urlsplit(self.path)
        self._query = {
            k: v[0] if len(v) == 1 else v
            for k, v in parse_qs(split.query, keep_blank_values=True).items()
        }
        # Split before unquoting: a quoted "/" (%2F) in a revision or tree path is one segment.
        self._segments = [unquote(s) for s in split.path.split("/")[1:]]
        self._url_path = unquote(split.path)
        try:
            self._route()
        except _Reply as reply:
            self._error(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        if self._req is None:  # the connection broke before an answer
            self._record(0)

    def _record(self, status: int) -> None:
        # Logged before the answer is sent, so a client that has its reply also finds it in
        # ``hub.requests``; body bytes are counted as they are handed to the socket.
        self._req = Request(
            method=self.command,
            path=self._url_path,
            query=self._query,
            headers={k.lower(): v for k, v in self.headers.items()},
            status=status,
            body_bytes_sent=0,
            file=self._file,
        )
        self.hub._log(self._req)

    def _send_head(self, status: int, headers: dict[str, str]) -> None:
        self._record(status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _json(self, status: int, data, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self._send_head(
            status,
            {
                "Content-Type": "application/json; charset=utf-8",
                "Content-Length": str(len(body)),
                **(headers or {}),
            },
        )
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, reply: _Reply) -> None:
        headers = dict(reply.headers)
        headers.setdefault("X-Error-Message", reply.message)
        if reply.code:
            headers["X-Error-Code"] = reply.code
        self._json(reply.status, {"error": reply.message}, headers)

    # -- routing -----------------------------------------------------------------------------

    def _route(self) -> None:
        seg = self._segments
        if seg[:2] == ["api", "models"]:
            rest = seg[2:]
            if not rest or rest == [""]:
                return self._list_models()
            if len(rest) == 2:
                return self._model_info(self._repo(f"{rest[0]}/{rest[1]}"), None)
            if len(rest) == 4 and rest[2] == "revision":
                return self._model_info(self._repo(f"{rest[0]}/{rest[1]}"), rest[3])
            if len(rest) >= 4 and rest[2] == "tree":
                repo = self._repo(f"{rest[0]}/{rest[1]}")
                return self._tree(repo, rest[3], "/".join(rest[4:]).strip("/"))
        elif len(seg) >= 5 and seg[2] == "resolve":
            return self._resolve(f"{seg[0]}/{seg[1]}", seg[3], "/".join(seg[4:]))
        elif len(seg) >= 3 and seg[0] == "cdn":
            return self._cdn(seg[1])
        raise _Reply(404, "Not Found")

    # -- access control ----------------------------------------------------------------------

    def _token(self) -> str | None:
        token = _bearer(self.headers)
        if token is not None and token in self.hub.revoked_tokens:
            raise _Reply(401, _INVALID_CREDENTIALS)
        return token

    def _authorized(self) -> bool:
        required = self.hub.require_token
        return required is None or self._token() == required

    def _repo(self, repo_id: str) -> _Repo:
        self._token()  # a revoked token fails everywhere, as on the Hub
        with self.hub._lock:
            repo = self.hub._repos.get(repo_id)
        if repo is None:
            raise _Reply(404, "Repository not found", "RepoNotFound")
        if repo.private and not self._authorized():
            # The Hub hides private repos: same answer as a missing one, but 401.
            raise _Reply(401, "Repository not found", "RepoNotFound")
        return repo

    def _check_revision(self, repo: _Repo, revision: str) -> None:
        if revision not in ("main", repo.sha):
            raise _Reply(404, f"Invalid rev id: {revision}", "RevisionNotFound")

    def _check_gate(self, repo: _Repo) -> None:
        if not repo.gated or self._authorized():
            return
        message = (
            f"Access to model {repo.repo_id} is restricted. You must have access to it and be "
            f"authenticated to access it. Please log in."
        )
        if _bearer(self.headers) is None:
            raise _Reply(401, message, "GatedRepo")
        message = (
            f"Access to model {repo.repo_id} is restricted and you are not in the authorized list. "
            f"Visit https://huggingface.co/{repo.repo_id} to ask for access."
        )
        raise _Reply(403, message, "GatedRepo")

    # -- API ---------------------------------------------------------------------------------

    def _summary(self, repo: _Repo) -> dict:
        return {
            "_id": repo.object_id,
            "id": repo.repo_id,
            "modelId": repo.repo_id,
            "author": repo.repo_id.split("/")[0],
            "sha": repo.sha,
            "downloads": repo.downloads,
            "likes": repo.likes,
            "trendingScore": repo.likes,
            "lastModified": repo.last_modified,
            "createdAt": CREATED_AT,
            "private": repo.private,
            "gated": repo.gated,
            "disabled": False,
            "tags": list(repo.tags),
            "library_name": "gguf" if "gguf" in repo.tags else None,
            "pipeline_tag": "text-generation",
        }

    @staticmethod
    def _expand(item: dict, expand: list[str]) -> dict:
        """Only the properties asked for (plus the ids), as the Hub does with ``expand``."""
        return {k: v for k, v in item.items() if k in ("_id", "id") or k in expand}

    def _list_models(self) -> None:
        q = self._query
        token_ok = self._authorized()
        with self.hub._lock:
            repos = list(self.hub._repos.values())
        repos = [r for r in repos if token_ok or not r.private]
        search = (_one(q, "search") or "").lower()
        if search:
            repos = [r for r in repos if search in r.repo_id.lower()]
        if author := _one(q, "author"):
            repos = [r for r in repos if r.repo_id.split("/")[0].lower() == author.lower()]
        for wanted in _many(q, "filter"):
            repos = [r for r in repos if wanted in r.tags]
        sort = _one(q, "sort")
        keys = {
            "downloads": lambda r: r.downloads,
            "likes": lambda r: r.likes,
            "trendingScore": lambda r: r.likes,
            "trending_score": lambda r: r.likes,
            "lastModified": lambda r: r.last_modified,
            "last_modified": lambda r: r.last_modified,
            "createdAt": lambda r: CREATED_AT,
            "created_at": lambda r: CREATED_AT,
        }
        repos.sort(key=lambda r: r.repo_id)  # stable tie-break
        if sort in keys:
            ascending = str(_one(q, "direction", "-1")) == "1"
            repos.sort(key=keys[sort], reverse=not ascending)

        limit = _one(q, "limit")
        per_page = self.hub.page_size
        if limit is not None and str(limit).isdigit():
            per_page = min(per_page, int(limit))
        start = self._page_start()
        page = repos[start : start + per_page]
        expand = _many(q, "expand", "expand[]")
        full = _flag(q, "full")
        items = []
        for repo in page:
            item = self._summary(repo)
            if full:
                item["siblings"] = [{"rfilename": p} for p in repo.files]
            items.append(self._expand(item, expand) if expand else item)
        headers = {}
        if start + per_page < len(repos):
            headers["Link"] = f'<{self._next_url(start + per_page)}>; rel="next"'
        self._json(200, items, headers)

    def _page_start(self) -> int:
        cursor = _one(self._query, "cursor")
        if cursor:
            try:
                return int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["offset"])
            except (ValueError, KeyError, TypeError):
                raise _Reply(400, "Invalid cursor") from None
        page = _one(self._query, "p")
        if page is not None:
            if not str(page).isdigit():
                raise _Reply(400, "Invalid page")
            return int(page) * self.hub.page_size
        return 0

    def _next_url(self, offset: int) -> str:
        cursor = base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()
        pairs = []
        for k, v in self._query.items():
            if k in ("cursor", "p"):
                continue
            pairs += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
        pairs.append(("cursor", cursor))
        path = quote(self._url_path)
        return f"{self.hub.url}{path}?{urlencode(pairs)}"

    def _model_info(self, repo: _Repo, revision: str | None) -> None:
        if revision is not None:
            self._check_revision(repo, revision)
        blobs = _flag(self._query, "blobs")
        siblings = []
        for f in repo.files.values():
            sibling: dict = {"rfilename": f.path}
            if blobs:
                sibling |= {
                    "size": f.size,
                    "blobId": f.blob_id,
                    "lfs": {"sha256": f.sha256, "size": f.size, "pointerSize": len(f.pointer)},
                }
            siblings.append(sibling)
        info = self._summary(repo) | {
            "cardData": {"license": repo.license} if repo.license else {},
            "siblings": siblings,
            "spaces": [],
            "usedStorage": sum(f.size for f in repo.files.values()),
        }
        if repo.gguf is not None:
            info["gguf"] = dict(repo.gguf)
        expand = _many(self._query, "expand", "expand[]")
        self._json(200, self._expand(info, expand) if expand else info)

    def _tree(self, repo: _Repo, revision: str, path: str) -> None:
        self._check_revision(repo, revision)
        recursive = _flag(self._query, "recursive")
        prefix = f"{path}/" if path else ""
        files = [f for p, f in sorted(repo.files.items()) if p.startswith(prefix)]
        dirs = {
            p.rsplit("/", 1)[0] for p in repo.files if "/" in p and p.startswith(prefix)
        }  # every folder holding a file, and their parents
        for d in list(dirs):
            while "/" in d:
                d = d.rsplit("/", 1)[0]
                dirs.add(d)
        dirs = {d for d in dirs if d.startswith(prefix) and d != path}
        if path and not files:
            raise _Reply(404, f"Entry not found: {path}", "EntryNotFound")

        def depth(p: str) -> int:
            return p[len(prefix) :].count("/")

        if not recursive:
            files = [f for f in files if depth(f.path) == 0]
            dirs = {d for d in dirs if depth(d) == 0}
        entries: list[dict] = [
            {"type": "directory", "oid": hashlib.sha1(d.encode()).hexdigest(), "size": 0, "path": d}
            for d in sorted(dirs)
        ]
        entries += [
            {
                "type": "file",
                "oid": f.blob_id,
                "size": f.size,
                "path": f.path,
                "lfs": {"oid": f.sha256, "size": f.size, "pointerSize": len(f.pointer)},
            }
            for f in files
        ]
        start = self._page_start()
        per_page = self.hub.tree_page_size
        headers = {}
        if start + per_page < len(entries):
            headers["Link"] = f'<{self._next_url(start + per_page)}>; rel="next"'
        self._json(200, entries[start : start + per_page], headers)

    # -- files -------------------------------------------------------------------------------

    def _file_headers(self, repo: _Repo, f: _File) -> dict[str, str]:
        etag = f'"{f.sha256}"'
        return {
            "X-Repo-Commit": repo.sha,
            "ETag": etag,
            "X-Linked-Etag": etag,
            "X-Linked-Size": str(f.size),
            "Accept-Ranges": "bytes",
            "Last-Modified": email.utils.formatdate(usegmt=True),
        }

    def _resolve(self, repo_id: str, revision: str, path: str) -> None:
        repo = self._repo(repo_id)
        self._check_gate(repo)
        self._check_revision(repo, revision)
        f = repo.files.get(path)
        if f is None:
            raise _Reply(404, "Entry not found", "EntryNotFound")
        key = self._file = f"{repo_id}/{path}"
        self._apply_fail(key)
        if self.hub.redirect_lfs:
            query = urlencode({"repo": repo_id, "path": path, "rev": repo.sha})
            name = quote(path.rsplit("/", 1)[-1])
            location = f"{self.hub.url}/cdn/{f.sha256}/{name}?{query}"
            headers = self._file_headers(repo, f) | {"Location": location, "Content-Length": "0"}
            self._send_head(302, headers)
            return
        self._send_file(repo, f, key)

    def _cdn(self, sha256: str) -> None:
        # Like signed CDN URLs, these need no token: access was checked by resolve/.
        repo_id, path = _one(self._query, "repo"), _one(self._query, "path")
        with self.hub._lock:
            repos = list(self.hub._repos.values())
        found = None
        for repo in repos:
            for f in repo.files.values():
                same = repo_id in (None, repo.repo_id) and path in (None, f.path)
                if f.sha256 == sha256 and same:
                    found = (repo, f)
                    break
            if found:
                break
        if found is None:
            raise _Reply(404, "Not Found")
        repo, f = found
        key = self._file = f"{repo.repo_id}/{f.path}"
        self._apply_fail(key)
        self._send_file(repo, f, key)

    def _apply_fail(self, key: str) -> None:
        fault = self.hub._take_fault(key, "fail")
        if fault is None:
            return
        code = "EntryNotFound" if fault.status == 404 else None
        raise _Reply(fault.status, f"Injected error {fault.status}", code, fault.headers)

    def _send_file(self, repo: _Repo, f: _File, key: str) -> None:
        with self.hub._lock:
            tampered = self.hub._tampered.get(key)
        source = tampered if tampered is not None else f.source
        size = len(source) if isinstance(source, bytes) else f.size
        headers = self._file_headers(repo, f) | {"Content-Type": "application/octet-stream"}
        wanted = _parse_range(self.headers.get("Range"), size)
        if wanted == "unsatisfiable":
            raise _Reply(
                416, "Requested range not satisfiable", None, {"Content-Range": f"bytes */{size}"}
            )
        if wanted is None:
            status, start, length = 200, 0, size
        else:
            start, end = wanted
            status, length = 206, end - start + 1
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(length)
        self._send_head(status, headers)
        if self.command == "HEAD":
            return
        drop = self.hub._take_fault(key, "drop")
        hold = self.hub._take_fault(key, "hold")
        count = min(length, drop.n_bytes) if drop else length
        try:
            self._send_body(source, start, count, hold)
        finally:
            if drop:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

    def _send_body(
        self, source: bytes | Path, start: int, count: int, hold: _Fault | None = None
    ) -> None:
        assert self._req is not None
        req, throttle = self._req, self.hub.throttle_bps
        step = max(1, throttle // 20) if throttle else _SEND_CHUNK
        began, pos, end = time.monotonic(), start, start + count
        hold_at = start + hold.n_bytes if hold is not None else None
        with contextlib.ExitStack() as stack:
            fh = None if isinstance(source, bytes) else stack.enter_context(source.open("rb"))
            view = memoryview(source) if isinstance(source, bytes) else None
            while pos < end:
                if hold_at is not None and pos >= hold_at:
                    hold_at = None
                    hold.release.wait(60)
                    began = time.monotonic() - (pos - start) / throttle if throttle else began
                want = min(step, end - pos)
                if hold_at is not None:
                    want = min(want, hold_at - pos)
                req.body_bytes_sent += want  # counted first: the client may finish reading first
                if view is not None:
                    self.wfile.write(view[pos : pos + want])
                    n = want
                else:
                    n = self.connection.sendfile(fh, pos, want)
                    req.body_bytes_sent += n - want
                    if n == 0:  # the file shrank under us
                        raise ConnectionResetError
                pos += n
                if throttle:
                    ahead = (pos - start) / throttle - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)


@pytest.fixture
def fake_hub():
    """A started FakeHub, stopped after the test."""
    with FakeHub() as hub:
        yield hub
