"""Talk to a Hugging Face Hub (or a mirror): search GGUF models, list a repo's files, read headers.

Built on ``huggingface_hub``, with two rules:

* The endpoint and token are always passed explicitly. The library reads ``HF_ENDPOINT`` only once,
  at import, and would otherwise send a token saved on disk by other programs.
* Listing requests (search, repository trees) follow the Hub's ``Link: rel="next"`` pages here
  rather than through ``HfApi.list_models``: the library retries those with back-off for up to
  half a minute on network errors, 429 and 5xx, which would freeze a search box. Errors are
  reported at once, as :class:`HubError`, and the caller decides about retrying.

Every failure becomes a :class:`HubError` whose text is one sentence for the user (see
:func:`hub_error`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

import httpx2
from huggingface_hub import HfApi, hf_hub_url
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.hf_api import ModelInfo, RepoFile
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

from workbench import __version__
from workbench.core.fit import ModelShape
from workbench.core.gguf_file import GGUFError, GGUFHeader, GGUFInfo, info_from_header
from workbench.core.gguf_file import read_header as parse_header
from workbench.core.httputil import retry_after_seconds
from workbench.core.hub.models import (
    HubFile,
    ModelEntry,
    RepoDetails,
    RepoSummary,
    build_entries,
    split_part_names,
)
from workbench.core.hub.remote import RangeReader
from workbench.core.i18n import translate
from workbench.core.settings import HUB_DEFAULT, SettingsError, normalize_endpoint

SORTS = {"downloads": "downloads", "likes": "likes", "updated": "lastModified"}
_SEARCH_EXPAND = ("author", "downloads", "likes", "lastModified", "gated", "private", "tags")
_SPLIT_PART_CHUNK = 64 * 2**10  # later parts of a split model hold only tensor names


def official_hub(endpoint: str) -> bool:
    """Whether ``endpoint`` is huggingface.co itself (or one of its subdomains)."""
    host = (urlsplit(endpoint).hostname or "").lower()
    return host == "huggingface.co" or host.endswith(".huggingface.co")


def token_for(endpoint: str, token: str | None, *, allow_mirror: bool = False) -> str | None:
    """The token to send to ``endpoint``: the user's token for huggingface.co, and for any other
    address (a mirror) only when the user allowed it; otherwise None."""
    if not token:
        return None
    return token if allow_mirror or official_hub(endpoint) else None


class HubError(Exception):
    """A Hub request that failed; ``str(err)`` is one sentence for the user.

    Attributes:
        kind: "auth", "gated", "not_found", "rate_limited", "server", "network" or "invalid".
        retry_after: Seconds the Hub asked to wait before trying again (rate limits), if it said.
        status: The HTTP status, when there was an answer.
    """

    def __init__(
        self,
        message: str,
        kind: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after
        self.status = status


def _retry_after(headers) -> float | None:
    """Seconds to wait from ``Retry-After``, else from the Hub's own ``RateLimit`` header."""
    wait = retry_after_seconds(headers.get("Retry-After"))
    if wait is not None:
        return wait
    # The Hub's own rate-limit header: 'RateLimit: "api";r=0;t=55' (t = seconds to reset).
    for part in (headers.get("RateLimit") or "").split(";"):
        key, _, number = part.strip().partition("=")
        if key == "t" and number.isdigit():
            return float(number)
    return None


def _subject(repo_id: str | None, filename: str | None) -> tuple[str, str]:
    """The model and the thing a request was about, as noun phrases for the error sentences."""
    if not repo_id:
        hub = translate("core.hub", "the Hub")
        return hub, hub
    model = translate("core.hub", "the model {repo}").format(repo=repo_id)
    if not filename:
        return model, model
    return model, translate("core.hub", "the file {file} in the model {repo}").format(
        file=filename, repo=repo_id
    )


def hub_error(
    exc: BaseException,
    repo_id: str | None = None,
    filename: str | None = None,
    *,
    endpoint: str = HUB_DEFAULT,
    token_set: bool = False,
    revision: str | None = None,
) -> HubError:
    """Turn any failure of a Hub request into a HubError with a one-sentence message.

    Args:
        exc: What was raised: a ``huggingface_hub`` error, an ``httpx2`` error, a parsing error.
        repo_id: The repository involved, to name it in the message.
        filename: The file involved, if any.
        endpoint: The Hub address, to name it in network errors.
        token_set: Whether an access token was sent (changes the advice given).
        revision: The revision asked for, if any.
    """
    if isinstance(exc, HubError):
        return exc
    host = urlsplit(endpoint).netloc or endpoint
    model, subject = _subject(repo_id, filename)
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) if response is not None else None

    def err(message: str, kind: str, retry_after: float | None = None) -> HubError:
        # The noun phrases may open an English sentence ("the model x was not found").
        return HubError(
            message[0].upper() + message[1:], kind, retry_after=retry_after, status=status
        )

    def say(text: str, **values) -> str:
        return text.format(model=model, subject=subject, repo=repo_id, host=host, **values)

    if isinstance(exc, OfflineModeIsEnabled):
        return err(
            translate(
                "core.hub",
                "Hugging Face offline mode is turned on (HF_HUB_OFFLINE), so Workbench cannot "
                "reach the Hub.",
            ),
            "network",
        )
    if isinstance(exc, GatedRepoError):
        if token_set and status != 401:
            return err(
                say(
                    translate(
                        "core.hub",
                        "Your access token has not been granted access to the gated model {repo} "
                        "yet: accept its terms on the model's Hub page and try again.",
                    )
                ),
                "gated",
            )
        return err(
            say(
                translate(
                    "core.hub",
                    "The model {repo} is gated: accept its terms on the Hub and set an access "
                    "token in Settings.",
                )
            ),
            "gated",
        )
    if isinstance(exc, RepositoryNotFoundError):
        if status == 401 and not token_set:
            text = translate(
                "core.hub",
                "{model} was not found; if it is private, set an access token in Settings.",
            )
        elif status == 401:
            text = translate(
                "core.hub", "{model} was not found, or your access token cannot see it."
            )
        else:
            text = translate("core.hub", "{model} was not found on the Hub.")
        return err(say(text), "not_found")
    if isinstance(exc, RevisionNotFoundError):
        if revision:
            text = translate("core.hub", "The revision {revision} of {model} was not found.")
        else:
            text = translate("core.hub", "The requested revision of {model} was not found.")
        return err(say(text, revision=revision), "not_found")
    if isinstance(exc, EntryNotFoundError):
        if filename:
            text = translate("core.hub", "The file {file} was not found in {model}.")
        else:
            text = translate("core.hub", "The file was not found in {model}.")
        return err(say(text, file=filename), "not_found")
    if isinstance(exc, HFValidationError):
        return err(
            say(
                translate(
                    "core.hub",
                    "The model name '{repo}' is not valid; Hub names look like owner/model.",
                )
            ),
            "not_found",
        )
    if isinstance(exc, (HfHubHTTPError, httpx2.HTTPStatusError)) and status is not None:
        headers = response.headers
        if status == 401:
            if token_set:
                text = translate(
                    "core.hub", "The Hub rejected your access token; check it in Settings."
                )
                return err(text, "auth")
            text = translate(
                "core.hub", "The Hub needs an access token for {subject}; set one in Settings."
            )
            return err(say(text), "auth")
        if status == 403:
            text = translate(
                "core.hub",
                "Your access token is not allowed to read {subject}; check its permissions in "
                "Settings.",
            )
            return err(say(text), "auth")
        if status in (404, 410):
            return err(
                say(translate("core.hub", "{subject} was not found on the Hub.")), "not_found"
            )
        if status == 429:
            wait = _retry_after(headers)
            seconds = max(1, round(wait)) if wait is not None else None
            if seconds is None:
                text = translate(
                    "core.hub", "The Hub is limiting requests right now; try again in a minute."
                )
            elif seconds == 1:
                text = translate(
                    "core.hub", "The Hub is limiting requests right now; try again in 1 second."
                )
            else:
                text = translate(
                    "core.hub",
                    "The Hub is limiting requests right now; try again in {seconds} seconds.",
                ).format(seconds=seconds)
            return err(text, "rate_limited", wait)
        if status >= 500:
            text = translate(
                "core.hub",
                "The Hub had a problem (error {status}) while loading {subject}; try again later.",
            )
            return err(say(text, status=status), "server")
        text = translate("core.hub", "The Hub refused the request for {subject} (error {status}).")
        return err(say(text, status=status), "invalid")
    if isinstance(exc, (httpx2.UnsupportedProtocol, httpx2.InvalidURL)):
        text = translate("core.hub", "The Hub address {endpoint} is not a valid web address.")
        return err(say(text, endpoint=endpoint), "invalid")
    if isinstance(exc, httpx2.TooManyRedirects):
        text = translate(
            "core.hub", "The Hub address {endpoint} redirects in a loop; check it in Settings."
        )
        return err(say(text, endpoint=endpoint), "invalid")
    if isinstance(exc, httpx2.TimeoutException):
        text = translate(
            "core.hub",
            "The Hub at {host} did not answer in time; check your connection and try again.",
        )
        return err(say(text), "network")
    if isinstance(exc, httpx2.ConnectError):
        detail = str(exc).upper()
        if "SSL" in detail or "CERTIFICATE" in detail:
            text = translate(
                "core.hub",
                "A secure connection to {host} could not be set up; check the Hub address in "
                "Settings.",
            )
        else:
            text = translate(
                "core.hub",
                "Could not connect to {host}; check your internet connection and the Hub address "
                "in Settings.",
            )
        return err(say(text), "network")
    if isinstance(exc, (httpx2.TransportError, ConnectionError, TimeoutError)):
        return err(
            say(translate("core.hub", "The connection to {host} was interrupted; try again.")),
            "network",
        )
    if isinstance(exc, GGUFError):  # already a sentence that starts with the file's name
        return HubError(str(exc), "invalid", status=status)
    if isinstance(exc, (ValueError, KeyError, TypeError, AttributeError)):
        text = translate(
            "core.hub",
            "The server at {host} did not answer like a Hugging Face Hub; check the Hub address "
            "in Settings.",
        )
        return err(say(text), "invalid")
    text = translate(
        "core.hub", "Talking to the Hub about {subject} failed unexpectedly; try again."
    )
    return err(say(text), "server")


# What a Hub call can raise that hub_error knows how to describe; anything else is a bug.
_HUB_FAILURES = (
    HfHubHTTPError,
    httpx2.HTTPError,
    httpx2.InvalidURL,
    OfflineModeIsEnabled,
    HFValidationError,
    EntryNotFoundError,
    GGUFError,
    ValueError,
    KeyError,
    TypeError,
    OSError,
)


class SearchPager:
    """Search results fetched one page at a time, for a "More results" button.

    Follows the Hub's ``Link: rel="next"`` pages; ``next_page`` returns up to ``page_size``
    results and ``has_more`` says whether another call can return more. Not thread-safe.
    """

    def __init__(self, client: HubClient, params: list[tuple[str, str]], page_size: int) -> None:
        self.page_size = page_size
        self._client = client
        self._next_url: str | None = f"{client.endpoint}/api/models"
        self._params: list[tuple[str, str]] | None = params
        self._buffer: list[RepoSummary] = []

    @property
    def has_more(self) -> bool:
        """Whether ``next_page`` may return more results."""
        return bool(self._buffer) or self._next_url is not None

    def next_page(self) -> list[RepoSummary]:
        """The next results; an empty list at the end. Raises HubError."""
        while len(self._buffer) < self.page_size and self._next_url is not None:
            try:
                items, next_url = self._client._get_page(self._next_url, self._params)
                self._buffer += [_summary(item) for item in items]
            except _HUB_FAILURES as exc:
                raise self._client._error(exc) from exc
            self._params = None  # the next link carries the whole query
            self._next_url = next_url
        page, self._buffer = self._buffer[: self.page_size], self._buffer[self.page_size :]
        return page


def _summary(item: dict) -> RepoSummary:
    info = ModelInfo(**{"siblings": None, **item})
    return RepoSummary(
        repo_id=info.id,
        author=info.author or info.id.partition("/")[0] or None,
        downloads=info.downloads or 0,
        likes=info.likes or 0,
        last_modified=info.last_modified,
        gated=info.gated or False,
        private=bool(info.private),
        tags=tuple(info.tags or ()),
    )


class HubClient:
    """One Hub endpoint and token. Cheap to create; holds no connections or caches of its own.

    Args:
        endpoint: The Hub's address, e.g. ``https://huggingface.co`` or a mirror.
        token: An access token, or None to send none (a token saved by other programs is never
            used). It is sent only to huggingface.co unless ``allow_mirror``.
        allow_mirror: Send the token to another address too (the user allowed it in Settings).
        timeout: Seconds to wait for each answer.

    Raises:
        HubError: "invalid" if ``endpoint`` is not an http(s) address.
    """

    def __init__(
        self,
        endpoint: str,
        token: str | None = None,
        *,
        timeout: float = 15.0,
        allow_mirror: bool = False,
    ) -> None:
        try:
            self.endpoint = normalize_endpoint(endpoint)
        except SettingsError as exc:
            raise HubError(str(exc), "invalid") from None
        # Every request's Authorization header comes from self.token (auth_headers, HfApi).
        self.token = token_for(self.endpoint, token, allow_mirror=allow_mirror)
        self.timeout = timeout
        self.last_header_bytes = 0  # bytes downloaded by the last read_header call
        self._api = HfApi(
            endpoint=self.endpoint,
            token=self.token or False,
            library_name="workbench",
            library_version=__version__,
        )

    def auth_headers(self) -> dict[str, str]:
        """Headers for requests to this Hub: user agent, and the token if one is set."""
        return build_hf_headers(
            token=self.token or False, library_name="workbench", library_version=__version__
        )

    def file_url(self, repo_id: str, filename: str, revision: str | None = None) -> str:
        """The ``resolve/`` URL of a file on this Hub."""
        return hf_hub_url(repo_id, filename, revision=revision, endpoint=self.endpoint)

    def _error(self, exc: BaseException, repo_id=None, filename=None, revision=None) -> HubError:
        return hub_error(
            exc,
            repo_id,
            filename,
            endpoint=self.endpoint,
            token_set=self.token is not None,
            revision=revision,
        )

    def _get_page(self, url: str, params) -> tuple[list, str | None]:
        """One page of a listing: the JSON list and the next page's URL (None at the end).

        Raises what the request raised; callers turn it into a HubError naming their subject.
        """
        r = get_session().get(url, params=params, headers=self.auth_headers(), timeout=self.timeout)
        hf_raise_for_status(r)
        data = r.json()
        if not isinstance(data, list):
            raise ValueError("expected a list")
        return data, r.links.get("next", {}).get("url")

    def _pages(self, url: str, params) -> Iterator[dict]:
        while url:
            items, url = self._get_page(url, params)
            params = None
            yield from items

    # -- search ------------------------------------------------------------------------------

    def search(self, query: str, *, sort: str = "downloads", page_size: int = 20) -> SearchPager:
        """GGUF models whose name contains ``query``, most downloaded/liked/recent first.

        Args:
            query: Text to look for in repository names; empty for all GGUF models.
            sort: "downloads", "likes" or "updated".
            page_size: Results per ``next_page`` call.

        Nothing is requested until the pager's ``next_page`` is called.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")  # a caller's bug
        params = [("filter", "gguf"), ("sort", SORTS[sort]), ("direction", "-1")]
        if query.strip():
            params.insert(0, ("search", query.strip()))
        # The Hub's page length follows ``limit``; its Link header still points to the rest.
        params += [("limit", str(page_size))] + [("expand", e) for e in _SEARCH_EXPAND]
        return SearchPager(self, params, page_size)

    # -- one repository ----------------------------------------------------------------------

    def repo_details(self, repo_id: str, revision: str | None = None) -> RepoDetails:
        """A repository's facts and its GGUF files grouped into entries. Raises HubError."""
        try:
            info = self._api.model_info(
                repo_id, revision=revision, files_metadata=True, timeout=self.timeout
            )
            files = [
                HubFile(s.rfilename, s.size, s.lfs.sha256 if s.lfs else None)
                for s in info.siblings or []
                if s.rfilename.lower().endswith(".gguf")
            ]
        except _HUB_FAILURES as exc:
            raise self._error(exc, repo_id, revision=revision) from exc
        if info.siblings is None or any(f.size is None for f in files):
            # A mirror that ignores ``blobs=true``: sizes and hashes come from the file tree.
            files = self._tree_files(repo_id, info.sha or revision or "main")
        entries, incomplete = build_entries(files)
        gguf = info.gguf if isinstance(info.gguf, dict) else {}
        parameters = gguf.get("total")
        if not isinstance(parameters, int) and info.safetensors is not None:
            parameters = info.safetensors.total
        context, arch = gguf.get("context_length"), gguf.get("architecture")
        return RepoDetails(
            repo_id=info.id,
            sha=info.sha,
            architecture=arch if isinstance(arch, str) else None,
            parameters=parameters if isinstance(parameters, int) else None,
            context_length=context if isinstance(context, int) else None,
            license=_license(info),
            downloads=info.downloads or 0,
            likes=info.likes or 0,
            gated=info.gated or False,
            private=bool(info.private),
            last_modified=info.last_modified,
            entries=entries,
            incomplete_splits=incomplete,
        )

    def _tree_files(self, repo_id: str, revision: str) -> list[HubFile]:
        url = f"{self.endpoint}/api/models/{repo_id}/tree/{quote(revision, safe='')}"
        files = []
        try:
            for item in self._pages(url, {"recursive": "true", "expand": "false"}):
                if item.get("type") == "file" and item["path"].lower().endswith(".gguf"):
                    f = RepoFile(**item)
                    files.append(HubFile(f.path, f.size, f.lfs.sha256 if f.lfs else None))
        except _HUB_FAILURES as exc:
            raise self._error(exc, repo_id, revision=revision) from exc
        return files

    # -- remote headers ----------------------------------------------------------------------

    def read_header(
        self, repo_id: str, entry: ModelEntry | str, revision: str | None = None
    ) -> GGUFInfo:
        """A remote GGUF file's metadata, read with range requests (a few MB, not the model).

        For a split model every part's header is read (the later ones are tiny), so that the
        parameter and tensor counts cover the whole model. ``GGUFInfo.path`` is the file's URL.
        Raises HubError ("invalid" if the file is not a usable GGUF file).
        """
        return self.read_headers(repo_id, entry, revision)[0]

    def read_shape(
        self, repo_id: str, entry: ModelEntry | str, revision: str | None = None
    ) -> ModelShape:
        """The model's shape for a fit estimate, with exact per-layer sizes from its headers.

        Raises HubError, or ValueError (one sentence) if the header lacks layer or head counts.
        """
        info, headers = self.read_headers(repo_id, entry, revision)
        return ModelShape.from_info(info, headers)

    def read_headers(
        self, repo_id: str, entry: ModelEntry | str, revision: str | None = None
    ) -> tuple[GGUFInfo, list[GGUFHeader]]:
        """:meth:`read_header`'s summary and the parsed header of every part."""
        parsed: list[GGUFHeader] = []
        if isinstance(entry, str):
            paths, sizes = split_part_names(entry), None
        else:
            paths, sizes = [f.path for f in entry.files], [f.size for f in entry.files]
        self.last_header_bytes = 0
        headers, tensors, total = None, [], 0
        for i, path in enumerate(paths):
            reader = RangeReader(
                self.file_url(repo_id, path, revision),
                self.auth_headers(),
                on_error=lambda exc, path=path: self._error(exc, repo_id, path, revision),
                timeout=self.timeout,
                first_chunk=None if i == 0 else _SPLIT_PART_CHUNK,
            )
            try:
                header = parse_header(reader, source=PurePosixPath(path).name)
            except GGUFError as exc:
                raise self._error(exc, repo_id, path, revision) from exc
            finally:
                self.last_header_bytes += reader.bytes_fetched
            parsed.append(header)
            if i == 0:
                headers = header
            else:
                tensors += header.tensors
            size = sizes[i] if sizes else reader.size
            total += size or 0
        assert headers is not None
        info = info_from_header(
            headers,
            path=self.file_url(repo_id, paths[0], revision),
            file_size=total,
            split_count=len(paths),
            extra_tensors=tensors,
        )
        return info, parsed


def _license(info: ModelInfo) -> str | None:
    value = getattr(info.card_data, "license", None) if info.card_data is not None else None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value) or None
    if isinstance(value, str) and value:
        return value
    for tag in info.tags or ():
        if tag.startswith("license:"):
            return tag.removeprefix("license:")
    return None
