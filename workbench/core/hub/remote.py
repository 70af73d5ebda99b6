"""Read the start of a remote file with HTTP range requests, as a file-like object.

:func:`workbench.core.gguf_file.read_header` parses any stream with ``read(n)``, so wrapping a
``resolve/`` URL in :class:`RangeReader` reads a model's header (a few MB even with a large
vocabulary) without downloading gigabytes of weights.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import urljoin

import httpx2
from huggingface_hub.utils import get_session, hf_raise_for_status

from workbench.core.httputil import url_origin

FIRST_CHUNK = 256 * 2**10
MAX_CHUNK = 8 * 2**20
_MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
# A cached CDN address is signed and expires; these answers mean "resolve the file again".
_EXPIRED = (401, 403, 404, 410)


class RangeReader(io.RawIOBase):
    """A read-only, seekable file over HTTP that fetches growing ranges as it is read.

    Each fetch asks for at least the next chunk size, starting at 256 KiB and doubling up to
    8 MiB, so a header of a few MB takes a handful of requests. The first redirect (the Hub sends
    LFS files to a CDN) is followed and its target remembered for later requests. The
    ``Authorization`` header is only sent to the origin of ``url``.

    Args:
        url: The file's ``resolve/`` URL.
        headers: Request headers (user agent, authorization).
        on_error: Turns an exception (an HTTP error status or a network failure) into the
            exception to raise; the response is passed when there is one.
        timeout: Seconds per request.
        first_chunk: Size of the first request (default 256 KiB).
    """

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        *,
        on_error: Callable[[BaseException], BaseException],
        timeout: float = 15.0,
        first_chunk: int | None = None,
    ) -> None:
        super().__init__()
        self.url = url
        self.size: int | None = None  # known after the first fetch
        self.bytes_fetched = 0
        self.requests = 0
        self._headers = dict(headers)
        self._on_error = on_error
        self._timeout = timeout
        self._target: str | None = None  # where the data comes from after redirects
        self._chunk = first_chunk or FIRST_CHUNK
        self._pos = 0
        self._buf = bytearray()
        self._buf_start = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            if self.size is None:
                self._fetch(0, 1)
            offset += self.size or 0
        if offset < 0:
            raise ValueError("negative seek position")
        self._pos = offset
        return offset

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        chunks = []
        while chunk := self.read(MAX_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes from the current position (fewer only at the end of the file)."""
        if size is None or size < 0:
            return self.readall()
        if self._pos < self._buf_start or self._pos > self._buf_start + len(self._buf):
            self._buf, self._buf_start = bytearray(), self._pos  # a seek away from the buffer
        while self._buf_start + len(self._buf) < self._pos + size:
            end = self._buf_start + len(self._buf)
            if self.size is not None and end >= self.size:
                break
            want = max(self._chunk, self._pos + size - end)
            data = self._fetch(end, want)
            if not data:
                break
            self._buf += data
            self._chunk = min(self._chunk * 2, MAX_CHUNK)
        offset = self._pos - self._buf_start
        out = bytes(self._buf[offset : offset + size])
        self._pos += len(out)
        consumed = self._pos - self._buf_start
        if consumed > len(self._buf) // 2:  # drop what was read, without copying on every call
            del self._buf[:consumed]
            self._buf_start = self._pos
        return out

    def _headers_for(self, url: str) -> dict[str, str]:
        if url_origin(url) == url_origin(self.url):
            return self._headers
        return {k: v for k, v in self._headers.items() if k.lower() != "authorization"}

    def _fetch(self, start: int, length: int) -> bytes:
        """Bytes ``start`` .. ``start + length - 1`` (fewer at the end of the file)."""
        if self.size is not None:
            length = min(length, self.size - start)
            if length <= 0:
                return b""
        if self._target is not None:
            try:
                return self._fetch_from(self._target, start, length, cached=True)
            except _Expired:
                self._target = None  # the signed address ran out: ask the Hub again
        return self._fetch_from(self.url, start, length, cached=False)

    def _fetch_from(self, url: str, start: int, length: int, *, cached: bool) -> bytes:
        headers = {"Range": f"bytes={start}-{start + length - 1}", "Accept-Encoding": "identity"}
        try:
            for attempt in range(_MAX_REDIRECTS):
                self.requests += 1
                with get_session().stream(
                    "GET",
                    url,
                    headers={**self._headers_for(url), **headers},
                    timeout=self._timeout,
                    follow_redirects=False,
                ) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        self._target = url
                        continue
                    if response.status_code == 416:  # starts at or after the end of the file
                        self.size = self.size if self.size is not None else start
                        return b""
                    if cached and attempt == 0 and response.status_code in _EXPIRED:
                        raise _Expired
                    if response.status_code >= 400:
                        response.read()
                        hf_raise_for_status(response)
                    return self._body(response, start, length)
            raise httpx2.TooManyRedirects(f"too many redirects for {self.url}")
        except _Expired:
            raise
        except Exception as exc:
            raise self._on_error(exc) from exc

    def _body(self, response: httpx2.Response, start: int, length: int) -> bytes:
        if response.status_code == 206:
            total = response.headers.get("content-range", "").rpartition("/")[2]
            if total.isdigit():
                self.size = int(total)
            skip = 0
        else:
            # A server that ignores Range sends the whole file: read only up to what we need.
            length_header = response.headers.get("content-length", "")
            if length_header.isdigit():
                self.size = int(length_header)
            skip = start
        out = bytearray()
        for chunk in response.iter_raw():
            self.bytes_fetched += len(chunk)
            out += chunk
            if len(out) >= skip + length:
                break
        return bytes(out[skip : skip + length])


class _Expired(Exception):
    """The remembered CDN address no longer works."""
