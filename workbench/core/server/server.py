"""The local server: uvicorn on a thread of its own, serving :mod:`~workbench.core.server.app`.

``start()`` binds the socket itself, so a port in use or an address this computer does not
have is one sentence at once (and port 0 picks a free port); ``stop()`` cancels the replies
still running and ends the thread within two seconds.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING

from workbench.core.i18n import translate
from workbench.core.server.config import ServerConfig, is_any_address, is_loopback
from workbench.core.server.errors import ServerError
from workbench.core.server.log import RequestLog
from workbench.core.server.source import ModelSource

if TYPE_CHECKING:
    from workbench.core.server.app import Service

log = logging.getLogger(__name__)

#: how long ``start()`` waits for uvicorn to say it is serving
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 2.0


def _url_host(host: str) -> str:
    if is_any_address(host):
        return "[::1]" if ":" in host else "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def machine_addresses(ipv6: bool = False) -> list[str]:
    """This computer's network addresses (not loopback, not link-local), IPv4 first."""
    import ipaddress

    import psutil

    found: list[str] = []
    try:
        interfaces = psutil.net_if_addrs()
    except (OSError, RuntimeError):
        return found
    for addresses in interfaces.values():
        for address in addresses:
            if address.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            if address.family == socket.AF_INET6 and not ipv6:
                continue
            try:
                ip = ipaddress.ip_address(address.address.split("%")[0])
            except ValueError:
                continue
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
                continue
            if str(ip) not in found:
                found.append(str(ip))
    return sorted(found, key=lambda a: (":" in a, a))


class LocalServer:
    """An OpenAI-compatible server for Workbench's models.

    Args:
        source: Where the models come from, asked at each request.
        config: What to listen on and accept.

    Attributes:
        log: The request log (:class:`~workbench.core.server.log.RequestLog`).
    """

    def __init__(self, source: ModelSource, config: ServerConfig | None = None) -> None:
        self.source = source
        self.config = config or ServerConfig()
        self.log = RequestLog()
        self._server = None
        self._thread: threading.Thread | None = None
        self._service: Service | None = None
        self._port: int | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        """The port listened on (the one picked when the configuration says 0)."""
        return self._port if self._port is not None else self.config.port

    @property
    def url(self) -> str:
        """The API's root for this computer, e.g. ``http://127.0.0.1:5837/v1``."""
        return f"http://{_url_host(self.config.host.strip())}:{self.port}/v1"

    def addresses(self) -> list[str]:
        """The API's root for each address clients can use: the network addresses of this
        computer when listening on all of them, else just :attr:`url`."""
        host = self.config.host.strip()
        if is_loopback(host) or not is_any_address(host):
            return [self.url]
        ips = machine_addresses(ipv6=":" in host)
        return [f"http://{_url_host(ip)}:{self.port}/v1" for ip in ips] or [self.url]

    @property
    def crashes(self) -> int:
        """How many times the model process crashed while answering a request."""
        return self._service.crashes if self._service is not None else 0

    def start(self) -> None:
        """Listen and serve on a thread of its own; blocks until serving (a moment).

        Raises:
            ServerError: One sentence when the configuration is refused, the port is in use
                or the address cannot be used.
        """
        # The web stack is imported when a server starts, not when the window does (~0.15 s).
        import uvicorn

        from workbench.core.server.app import Service, build_app

        with self._lock:
            if self.running:
                return
            config = self.config.checked()
            sock = self._bind(config)
            self._port = sock.getsockname()[1]
            self._service = Service(self.source, config, self.log)
            app = build_app(self._service)
            uv_config = uvicorn.Config(
                app,
                http="h11",
                loop="asyncio",
                ws="none",
                lifespan="off",
                log_config=None,
                access_log=False,
                server_header=False,
                timeout_graceful_shutdown=1,
                timeout_keep_alive=5,
            )
            server = uvicorn.Server(uv_config)
            thread = threading.Thread(
                target=self._serve, args=(server, sock), name="workbench-server", daemon=True
            )
            self._server, self._thread = server, thread
            thread.start()
            deadline = time.monotonic() + START_TIMEOUT_S
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            if not server.started:
                server.should_exit = True
                thread.join(STOP_TIMEOUT_S)
                sock.close()
                self._server = self._thread = None
                raise ServerError(
                    translate(
                        "core.server",
                        "The server could not start; the details are in the log file.",
                    )
                )
            log.info("local server listening at %s", self.url)

    def _serve(self, server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException:  # the thread's last word goes to the log, not to stderr
            log.exception("the local server stopped with an error")
        finally:
            sock.close()

    def _bind(self, config: ServerConfig) -> socket.socket:
        host = config.host.strip("[]")
        try:
            infos = socket.getaddrinfo(host, config.port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise ServerError(
                translate(
                    "core.server",
                    "{host} is not an address of this computer; listen on 127.0.0.1 or on the "
                    "network instead.",
                ).format(host=config.host)
            ) from None
        family, _, _, _, address = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if sys.platform == "win32":
                # Windows lets SO_REUSEADDR steal a port in use; this refuses instead.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
            else:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
            sock.set_inheritable(False)
        except OSError as exc:
            sock.close()
            log.info("could not listen on %s:%s: %s", config.host, config.port, exc)
            if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)) or (
                getattr(exc, "winerror", None) == 10048
            ):
                message = translate(
                    "core.server",
                    "Port {port} is in use by another program; choose another port or stop "
                    "that program.",
                )
            elif exc.errno == errno.EACCES:
                message = translate(
                    "core.server",
                    "This computer does not allow Workbench to listen on port {port}; choose a "
                    "port above 1024.",
                )
            else:
                message = translate(
                    "core.server",
                    "{host} is not an address of this computer; listen on 127.0.0.1 or on the "
                    "network instead.",
                )
            raise ServerError(message.format(port=config.port, host=config.host)) from None
        return sock

    def stop(self) -> None:
        """Stop serving: running replies are cancelled, the thread ends within two seconds."""
        with self._lock:
            server, thread, service = self._server, self._thread, self._service
            self._server = self._thread = None
        if server is None or thread is None:
            return
        if service is not None:
            service.cancel_all()
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S - 0.2)
        if thread.is_alive():
            server.force_exit = True
            thread.join(0.2)
        log.info("local server stopped")
