"""How the local server listens: address, port, key, CORS origins and limits."""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from workbench.core.i18n import translate
from workbench.core.server.errors import ServerError

#: Clashes with none of the usual local servers: LM Studio 1234, Ollama 11434, llama.cpp's
#: server 8080, vLLM 8000, Jan 1337.
DEFAULT_PORT = 5837
DEFAULT_HOST = "127.0.0.1"
#: The largest request body taken (a long conversation is a few hundred kilobytes).
DEFAULT_MAX_BODY = 8 * 2**20


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this computer (127.0.0.0/8, ::1, "localhost")."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def is_any_address(host: str) -> bool:
    """Whether ``host`` means every address of this computer ("0.0.0.0", "::")."""
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_unspecified
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    """What :class:`~workbench.core.server.LocalServer` listens on and accepts.

    Attributes:
        host: The address to listen on: 127.0.0.1 (this computer only), 0.0.0.0 (the network)
            or one of the computer's own addresses.
        port: The TCP port; 0 picks a free one (tests).
        api_key: The key clients must send (``Authorization: Bearer KEY``); required beyond
            loopback. When set, it is required on loopback too.
        cors_origins: Web pages allowed to call the server from a browser
            ("http://localhost:3000"); empty turns CORS off.
        expose_cloud: Also offer the configured cloud models, as ``provider/model``.
        max_body_bytes: Larger request bodies get a 413 answer.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    expose_cloud: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY

    def checked(self) -> ServerConfig:
        """This configuration tidied (origins without a trailing slash, host trimmed), or a
        :class:`ServerError` saying what is wrong with it."""
        host = (self.host or "").strip()
        if not host:
            raise ServerError(translate("core.server", "Give an address to listen on."))
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise ServerError(
                translate("core.server", "The port must be a whole number (got {value}).").format(
                    value=repr(self.port)
                )
            )
        if not 0 <= self.port <= 65535:
            raise ServerError(
                translate(
                    "core.server", "The port must be between 1 and 65535 (got {value})."
                ).format(value=self.port)
            )
        key = self.api_key.strip() if isinstance(self.api_key, str) else None
        if not is_loopback(host) and not key:
            raise ServerError(
                translate(
                    "core.server",
                    "Listening on the network needs an API key, so that only the programs you "
                    "give it to can use your models; set a key or listen on this computer only.",
                )
            )
        origins = []
        for origin in self.cors_origins:
            origin = origin.strip().rstrip("/")
            if not origin:
                continue
            parts = urlsplit(origin)
            if origin != "*" and (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or parts.path
                or parts.query
            ):
                raise ServerError(
                    translate(
                        "core.server",
                        "{origin} is not a web origin; write it like http://localhost:3000.",
                    ).format(origin=origin)
                )
            origins.append(origin)
        if self.max_body_bytes <= 0:
            raise ServerError(
                translate("core.server", "The request size limit must be above zero.")
            )
        return dataclasses.replace(
            self, host=host, api_key=key or None, cors_origins=tuple(origins)
        )
