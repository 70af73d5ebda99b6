"""Turn what goes wrong talking to a cloud provider into one plain sentence and an error kind.

The openai SDK's exceptions carry the HTTP status, the provider's JSON error body and, for
connection failures, the low-level cause (DNS, refused, TLS) in their ``__cause__`` chain. This
module reads all of that and says what happened and what to do, naming the provider. Provider
text is only ever shown after secrets and masked keys are removed from it, and trimmed.
"""

from __future__ import annotations

import errno
import math
import re
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from workbench.core.httputil import retry_after_seconds
from workbench.core.i18n import translate
from workbench.core.logs import redact
from workbench.core.units import human_duration

#: how much of a provider's own message may be quoted
MAX_QUOTE_CHARS = 160

# A key shown partly masked ("sk-abc***xyz") still gives away its ends: drop the whole word.
_MASKED_RE = re.compile(r"\S*\*{3,}\S*")
_WAIT_IN_TEXT_RE = re.compile(r"try again in ([0-9]+(?:\.[0-9]+)?)\s*(ms|s|sec|seconds?)\b", re.I)
_HTML_RE = re.compile(r"^\s*<(?:!doctype|html|head|body|\?xml)", re.I)


class CloudError(Exception):
    """A cloud request failed. ``str()`` is one sentence for the user, naming the provider.

    Attributes:
        kind: an ``ErrorKind`` of :mod:`workbench.core.backend` ("auth", "rate_limited" …).
        retry_after: seconds the provider asked to wait, when it said so.
    """

    def __init__(self, message: str, kind: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


@dataclass(frozen=True)
class Context:
    """What a message needs to name: the provider, where it lives, and the request's model."""

    provider: str
    base_url: str
    host: str
    model: str | None
    has_key: bool
    timeout: float
    connect_timeout: float
    secret: str | None = None  # the API key, removed from any quoted text


def clean_text(text: Any, secret: str | None = None, limit: int = MAX_QUOTE_CHARS) -> str:
    """Provider text made safe to show: no secrets, no HTML, first sentence, trimmed."""
    if not isinstance(text, str):
        return ""
    if _HTML_RE.match(text):
        return ""
    if secret:
        text = text.replace(secret, "[redacted]")
    text = _MASKED_RE.sub("[redacted]", redact(text))
    text = " ".join(text.split())
    # One sentence: cut at the first sentence end that is not part of a number or a name.
    match = re.search(r"[.!?](?=\s+[A-Z(])", text)
    if match:
        text = text[: match.start()]
    text = text.rstrip(" .")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def provider_message(exc: Any) -> str:
    """The provider's own error message from an SDK exception (raw, not yet cleaned)."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        for key in ("message", "detail", "error", "msg"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"]
            if isinstance(value, list) and value:  # FastAPI validation errors
                first = value[0]
                if isinstance(first, dict):
                    loc = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
                    return f"{loc}: {first.get('msg', '')}".strip(": ")
        return ""
    if isinstance(body, str):
        return body
    return ""


def error_code(exc: Any) -> str:
    """The provider's error ``code`` (or ``type``), lower-case, "" when none."""
    body = getattr(exc, "body", None)
    parts = []
    if isinstance(body, dict):
        for key in ("code", "type"):
            if body.get(key) is not None:
                parts.append(str(body[key]))
    return " ".join(parts).lower()


def retry_after_of(headers: Any, text: str = "") -> float | None:
    """Seconds to wait from ``retry-after-ms`` / ``retry-after`` headers, or the message."""
    if headers is not None:
        value = headers.get("retry-after-ms")
        if value:
            try:
                return max(0.0, float(value) / 1000)
            except ValueError:
                pass
        wait = retry_after_seconds(headers.get("retry-after"))
        if wait is not None:
            return wait
    match = _WAIT_IN_TEXT_RE.search(text or "")
    if match:
        amount = float(match.group(1))
        return amount / 1000 if match.group(2).lower() == "ms" else amount
    return None


def format_wait(seconds: float) -> str:
    """A wait for a sentence, rounded up to the second: "20 s", "2 min 00 s" (in the
    current language, as :func:`~workbench.core.units.human_duration` writes durations)."""
    return human_duration(max(1, math.ceil(seconds)))


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it was raised from or during, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 20:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def log_text(exc: BaseException, secret: str | None = None) -> str:
    """The exception and its causes in one line for the log file, with keys removed."""
    text = " <- ".join(type(e).__name__ + (f": {e}" if str(e) else "") for e in _causes(exc))
    if secret:
        text = text.replace(secret, "[redacted]")
    return _MASKED_RE.sub("[redacted]", redact(text))[:2000]


def connection_error(exc: BaseException, ctx: Context, *, timeout: bool) -> CloudError:
    """Explain a failure to connect or to get an answer: DNS, refused, TLS, offline, timeout."""
    chain = _causes(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain)
    if timeout:
        if "ConnectTimeout" in names:
            return CloudError(
                translate(
                    "core.cloud",
                    "Could not connect to {host} within {seconds} s: check the base URL and "
                    "your internet connection.",
                ).format(host=ctx.host, seconds=f"{ctx.connect_timeout:g}"),
                "timeout",
            )
        return CloudError(
            translate(
                "core.cloud", "{provider} did not answer within {seconds} s: try again later."
            ).format(provider=ctx.provider, seconds=f"{ctx.timeout:g}"),
            "timeout",
        )
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or (
        "CERTIFICATE_VERIFY_FAILED" in text
    ):
        return CloudError(
            translate(
                "core.cloud",
                "The certificate of {host} could not be verified, so the connection was not "
                "trusted: check the base URL (a private server needs its certificate "
                "installed).",
            ).format(host=ctx.host),
            "tls",
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return CloudError(
            translate(
                "core.cloud",
                "A secure (TLS) connection to {host} could not be set up: check whether the "
                "base URL should start with http:// instead of https://.",
            ).format(host=ctx.host),
            "tls",
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or re.search(
        r"name or service not known|nodename nor servname|getaddrinfo failed|"
        r"temporary failure in name resolution|no address associated",
        text,
        re.I,
    ):
        return CloudError(
            translate(
                "core.cloud",
                "Could not find host {host}: check the base URL and your internet connection.",
            ).format(host=ctx.host),
            "network",
        )
    errnos = {getattr(e, "errno", None) for e in chain}
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or (
        errno.ECONNREFUSED in errnos or "connection refused" in text.lower()
    ):
        return CloudError(
            translate(
                "core.cloud",
                "Nothing answers at {url}: check the base URL and that the server is running.",
            ).format(url=ctx.base_url),
            "network",
        )
    if errnos & {errno.ENETUNREACH, errno.EHOSTUNREACH} or "unreachable" in text.lower():
        return CloudError(
            translate(
                "core.cloud",
                "{host} cannot be reached from this computer: check your internet connection.",
            ).format(host=ctx.host),
            "network",
        )
    return CloudError(
        translate(
            "core.cloud",
            "Could not reach {provider} at {url}: check the base URL and your internet connection.",
        ).format(provider=ctx.provider, url=ctx.base_url),
        "network",
    )


def status_error(exc: Any, ctx: Context) -> CloudError:
    """Explain an HTTP error status from the provider (an ``openai.APIStatusError``)."""
    status = getattr(exc, "status_code", 0) or 0
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    raw = provider_message(exc)
    quoted = clean_text(raw, ctx.secret)
    code = error_code(exc)
    retry_after = retry_after_of(headers, raw)
    p, m = ctx.provider, ctx.model

    def error(text: str, kind: str, **values: object) -> CloudError:
        wait = retry_after if kind in ("rate_limited", "server") else None
        return CloudError(text.format(provider=p, model=m, status=status, **values), kind, wait)

    if status == 401:
        if not ctx.has_key:
            return error(
                translate("core.cloud", "{provider} needs an API key (401): add one in Settings."),
                "auth",
            )
        return error(
            translate(
                "core.cloud", "The key for {provider} was refused (401): check it in Settings."
            ),
            "auth",
        )
    if status == 403:
        if m:
            return error(
                translate(
                    "core.cloud",
                    "{provider} refused access to {model} (403): the key may not have access "
                    "to this model, or the service may not be offered in your region.",
                ),
                "forbidden",
            )
        return error(
            translate(
                "core.cloud",
                "{provider} refused access (403): the key may not have the permissions needed.",
            ),
            "forbidden",
        )
    if status == 404:
        body = getattr(exc, "body", None)
        openai_style = isinstance(body, dict) and ("message" in body or "code" in body)
        mentions_model = "model" in code or "model" in raw.lower()
        if m and openai_style and mentions_model:
            return error(
                translate(
                    "core.cloud",
                    "{provider} has no model called {model} (404): pick another model or check "
                    "its name.",
                ),
                "not_found",
            )
        return error(
            translate(
                "core.cloud",
                "Nothing at {url} answered like an OpenAI-compatible API (404): check the base "
                "URL (it usually ends in /v1).",
            ),
            "not_found",
            url=ctx.base_url,
        )
    if status == 429:
        if "insufficient_quota" in code or "quota" in raw.lower() or "billing" in raw.lower():
            return error(
                translate(
                    "core.cloud",
                    "{provider} says the quota for this key is used up (429): check your plan "
                    "and billing.",
                ),
                "rate_limited",
            )
        if retry_after:
            return error(
                translate(
                    "core.cloud", "{provider} is limiting requests (429): try again in {wait}."
                ),
                "rate_limited",
                wait=format_wait(retry_after),
            )
        return error(
            translate(
                "core.cloud", "{provider} is limiting requests (429): wait a moment and try again."
            ),
            "rate_limited",
        )
    if status >= 500:
        overloaded = status in (502, 503, 504, 529)
        if retry_after and overloaded:
            text = translate(
                "core.cloud", "{provider} is overloaded or down ({status}): try again in {wait}."
            )
        elif retry_after:
            text = translate(
                "core.cloud", "{provider} had a server error ({status}): try again in {wait}."
            )
        elif overloaded:
            text = translate(
                "core.cloud", "{provider} is overloaded or down ({status}): try again later."
            )
        else:
            text = translate(
                "core.cloud", "{provider} had a server error ({status}): try again later."
            )
        wait = format_wait(retry_after) if retry_after else ""
        return error(text, "server", wait=wait)
    if status == 400 and (
        "context_length" in code
        or re.search(r"context (length|window)|maximum context|too many tokens", raw, re.I)
    ):
        if m:
            text = translate(
                "core.cloud",
                "The conversation is too long for {model} at {provider}: start a new chat or "
                "remove earlier messages.",
            )
        else:
            text = translate(
                "core.cloud",
                "The conversation is too long for this model at {provider}: start a new chat "
                "or remove earlier messages.",
            )
        return error(text, "context_overflow")
    if m and quoted:
        text = translate(
            "core.cloud", "{provider} rejected the request for {model} ({status}): {reason}."
        )
    elif m:
        text = translate("core.cloud", "{provider} rejected the request for {model} ({status}).")
    elif quoted:
        text = translate("core.cloud", "{provider} rejected the request ({status}): {reason}.")
    else:
        text = translate("core.cloud", "{provider} rejected the request ({status}).")
    return error(text, "bad_request", reason=quoted)


def explain(exc: BaseException, ctx: Context) -> CloudError:
    """One :class:`CloudError` for any exception the openai SDK raises for a request."""
    import openai

    if isinstance(exc, CloudError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return connection_error(exc, ctx, timeout=True)
    if isinstance(exc, openai.APIConnectionError):
        return connection_error(exc, ctx, timeout=False)
    if isinstance(exc, openai.APIStatusError):
        return status_error(exc, ctx)
    quoted = clean_text(provider_message(exc) or str(exc), ctx.secret)
    if quoted:
        text = translate("core.cloud", "{provider} answered with an error: {reason}.")
    else:
        text = translate("core.cloud", "{provider} answered with an error.")
    return CloudError(text.format(provider=ctx.provider, reason=quoted), "server")
