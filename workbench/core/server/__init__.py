"""A local OpenAI-compatible server for the models Workbench runs.

Other programs (an editor plugin, a script written with the ``openai`` package) use the model
loaded in Workbench through ``/v1/models``, ``/v1/chat/completions``, ``/v1/completions`` and
``/v1/embeddings``; with ``expose_cloud`` the configured cloud models too, under
``provider/model`` names, their keys staying inside Workbench.

Safe by default: it listens on 127.0.0.1; listening on the network needs an API key; CORS is
off until origins are given. Requests share the model with the window's chat and wait their
turn (the request log says when one waited).

The window (Settings › Local server) and ``workbench serve`` both use :class:`LocalServer`::

    server = LocalServer(StaticSource(backend), ServerConfig(port=0))
    server.start()
    print(server.url)
    server.stop()
"""

from workbench.core.server.config import DEFAULT_PORT, ServerConfig, is_loopback
from workbench.core.server.errors import ApiError, ServerError
from workbench.core.server.log import LogEntry, RequestLog
from workbench.core.server.server import LocalServer, machine_addresses
from workbench.core.server.source import ModelSource, StaticSource

__all__ = [
    "DEFAULT_PORT",
    "ApiError",
    "LocalServer",
    "LogEntry",
    "ModelSource",
    "RequestLog",
    "ServerConfig",
    "ServerError",
    "StaticSource",
    "is_loopback",
    "machine_addresses",
]
