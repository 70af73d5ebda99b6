"""How a download talks HTTP: ``urllib`` with the system's proxies, plus what the Hub needs.

The standard library's ``urllib`` moves the bytes because it honours the system's proxy settings
(environment variables, the Windows registry, macOS configuration), which many users depend on.
On top of it: redirects keep credentials on one origin (:func:`redirect_headers`), each new socket
is handed to the transfer so that pause and cancel can interrupt a blocked read, and TLS falls
back to certifi's trust store where Python has no system certificates (:func:`ssl_contexts`).
"""

from __future__ import annotations

import http.client
import re
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from socket import socket

from workbench.core.httputil import url_origin


def build_opener(
    on_connect: Callable[[socket], None], context: ssl.SSLContext
) -> urllib.request.OpenerDirector:
    """An opener that hands each new socket to ``on_connect`` and checks TLS with ``context``."""
    return urllib.request.build_opener(
        TrackingHTTPHandler(on_connect),
        TrackingHTTPSHandler(on_connect, context),
        RedirectHandler(),
    )


def redirect_headers(old_url: str, new_url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """The headers to send to ``new_url`` after a redirect from ``old_url``.

    Credentials (``Authorization``, ``Cookie``) only go back to the same origin (scheme, host and
    port): a signed CDN URL needs none, and the token must not leak to another host. Everything
    else, ``Range`` included, is kept so that a resumed download stays resumed.
    """
    if url_origin(old_url) == url_origin(new_url):
        return dict(headers)
    return {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}


class RedirectHandler(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            kept = redirect_headers(req.full_url, new.full_url, new.headers)
            for key in list(new.headers):
                if key not in kept:
                    new.remove_header(key)
        return new


class _Tracking:
    """Mixed into an HTTP(S) connection: reports each socket it opens to ``on_connect``."""

    def __init__(self, *args, on_connect, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_connect = on_connect

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._on_connect(self.sock)  # type: ignore[attr-defined]


class _TrackingHTTPConnection(_Tracking, http.client.HTTPConnection):
    pass


class _TrackingHTTPSConnection(_Tracking, http.client.HTTPSConnection):
    pass


class TrackingHTTPHandler(urllib.request.HTTPHandler):
    """Hands each new socket to the transfer, so that pause/cancel can interrupt a blocked read."""

    def __init__(self, on_connect) -> None:
        super().__init__()
        self._on_connect = on_connect

    def http_open(self, req):
        def factory(host, **kw):
            return _TrackingHTTPConnection(host, on_connect=self._on_connect, **kw)

        return self.do_open(factory, req)


class TrackingHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, on_connect, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._on_connect = on_connect
        self._ctx = context

    def https_open(self, req):
        def factory(host, **kw):
            kw.pop("check_hostname", None)  # the context decides (and the argument is deprecated)
            return _TrackingHTTPSConnection(host, on_connect=self._on_connect, **kw)

        return self.do_open(factory, req, context=self._ctx)


_contexts: list[ssl.SSLContext] | None = None
_contexts_lock = threading.Lock()


def ssl_contexts() -> list[ssl.SSLContext]:
    """The system's default TLS context, then one trusting certifi's bundle if it is installed.

    Some Python builds (python.org's on macOS, some embedded ones) come without system CA
    certificates; certifi's bundle lets them verify the Hub anyway.
    """
    global _contexts
    with _contexts_lock:
        if _contexts is None:
            contexts = [ssl.create_default_context()]
            try:
                import certifi

                contexts.append(ssl.create_default_context(cafile=certifi.where()))
            except (ImportError, OSError, ssl.SSLError):
                pass
            _contexts = contexts
        return _contexts


def error_message(exc: urllib.error.HTTPError) -> str:
    """The Hub's own explanation of an error answer (``X-Error-Message``), or ""."""
    return (exc.headers.get("X-Error-Message") or "") if exc.headers else ""


_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)", re.IGNORECASE)


def content_range(value: str | None) -> tuple[int | None, int | None]:
    """(first byte, total size) from a Content-Range header; None where absent or unknown."""
    m = _CONTENT_RANGE.match(value or "")
    if not m:
        return None, None
    first = int(m.group(1)) if m.group(1) else None
    total = int(m.group(3)) if m.group(3) != "*" else None
    return first, total
