"""The server's routes: OpenAI's ``/v1`` endpoints over Workbench's backends (Starlette).

Every request passes the same gate: the key (when one is set), the size limit, then JSON. Every
failure is an OpenAI-shaped error body with its status, never a traceback; every request,
failed or not, becomes one entry of the request log.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import logging
import struct
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.core.i18n import translate
from workbench.core.server import shapes
from workbench.core.server.config import ServerConfig
from workbench.core.server.errors import ApiError
from workbench.core.server.log import RequestLog
from workbench.core.server.replies import (
    Call,
    ChatShape,
    CompletionShape,
    Pump,
    ReplyResponse,
    json_bytes,
)
from workbench.core.server.source import ModelSource

if TYPE_CHECKING:
    from workbench.core.backend import Backend

log = logging.getLogger(__name__)

#: A body over the limit is still read (and dropped) up to this much more, so that the client
#: gets its 413 instead of a connection cut while it was still sending.
_DRAIN_BYTES = 64 * 2**20


class Service:
    """What the routes share: the models, the settings, the log and the replies running."""

    def __init__(self, source: ModelSource, config: ServerConfig, log_: RequestLog) -> None:
        self.source = source
        self.config = config
        self.log = log_
        self._pumps: set[Pump] = set()
        self._lock = threading.Lock()
        self.crashes = 0

    def track(self, pump: Pump) -> None:
        with self._lock:
            self._pumps = {p for p in self._pumps if not p.ended}
            self._pumps.add(pump)

    def cancel_all(self) -> None:
        """Cancel every reply still running (the server is stopping)."""
        with self._lock:
            pumps, self._pumps = self._pumps, set()
        for pump in pumps:
            pump.reply.cancel()

    def crashed(self, message: str) -> None:
        self.crashes += 1
        log.warning(
            "the model process crashed while answering a request (%s); the server keeps running "
            "and answers 503 until a model is loaded again",
            message,
        )


def _error(exc: ApiError) -> Response:
    return Response(json_bytes(exc.body()), exc.status, media_type="application/json")


def _no_model() -> ApiError:
    return ApiError(
        503,
        translate(
            "core.server",
            "No model is loaded in Workbench; load one in the chat, then try again.",
        ),
        type="server_error",
        code="model_not_loaded",
    )


def _aliases(backend: Backend) -> set[str]:
    """The names a request may use for the local model: its file name, with or without
    the ".gguf" ending."""
    name = backend.model_name
    return {name, Path(name).stem} if name.lower().endswith(".gguf") else {name}


class Routes:
    def __init__(self, service: Service) -> None:
        self.service = service

    # -- the gate ------------------------------------------------------------------------------

    def _check_key(self, request: Request) -> None:
        key = self.service.config.api_key
        if not key:
            return
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if not header:
            raise ApiError(
                401,
                translate(
                    "core.server",
                    "This server needs an API key: send it as 'Authorization: Bearer KEY'.",
                ),
                code="missing_api_key",
            )
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), key.encode("utf-8")
        ):
            raise ApiError(
                401,
                translate("core.server", "The API key is not the one this server was given."),
                code="invalid_api_key",
            )

    async def _body(self, request: Request) -> dict[str, Any]:
        limit = self.service.config.max_body_bytes
        too_big = ApiError(
            413,
            translate(
                "core.server", "The request is larger than this server accepts ({size} MiB)."
            ).format(size=f"{limit / 2**20:g}"),
            code="request_too_large",
        )
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit + _DRAIN_BYTES:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                chunks.clear()  # keep reading, keep nothing: the answer is the 413
                if size > limit + _DRAIN_BYTES:
                    break
            else:
                chunks.append(chunk)
        if size > limit:
            raise too_big
        try:
            data = json.loads(b"".join(chunks))
        except json.JSONDecodeError as exc:
            raise ApiError(
                400,
                translate(
                    "core.server",
                    "The request body is not valid JSON (line {line}, column {column}).",
                ).format(line=exc.lineno, column=exc.colno),
                code="invalid_json",
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise ApiError(
                400,
                translate("core.server", "The request body is not UTF-8 JSON."),
                code="invalid_json",
            ) from None
        if not isinstance(data, dict):
            raise ApiError(
                400,
                translate("core.server", "The request body must be a JSON object."),
                code="invalid_json",
            )
        return data

    def _guard(
        self, endpoint: str, handler: Callable[[Request, Call], Awaitable[Response | Any]]
    ) -> Callable[[Request], Awaitable[Any]]:
        """The route for ``handler``: key first, errors as OpenAI bodies, one log entry."""

        async def route(request: Request) -> Any:
            call = Call(self.service.log, endpoint)
            try:
                self._check_key(request)
                return await handler(request, call)
            except ApiError as exc:
                call.finish(exc.status, error=exc.message)
                return _error(exc)
            except Exception:
                log.exception("the server failed to answer %s", endpoint)
                exc = ApiError(
                    500,
                    translate(
                        "core.server",
                        "Workbench could not answer this request; the details are in its log file.",
                    ),
                    type="server_error",
                )
                call.finish(500, error=exc.message)
                return _error(exc)

        return route

    # -- models ------------------------------------------------------------------------------

    def _cloud(self) -> dict[str, Callable[[], Backend]]:
        if not self.service.config.expose_cloud:
            return {}
        try:
            return self.service.source.cloud()
        except Exception:  # the cloud list failing must not take the local model down with it
            log.exception("the cloud models could not be listed")
            return {}

    def _local(self) -> Backend | None:
        backend = self.service.source.local()
        if backend is None or not getattr(backend, "is_loaded", True):
            return None
        return backend

    def _resolve(self, name: str, call: Call, *, chat: bool) -> tuple[str, Backend, bool]:
        """(the model's name, its backend, whether it is a cloud model) for ``name``."""
        cloud = self._cloud()
        if name in cloud:
            call.model = name
            if not chat:
                raise shapes.bad(
                    "model",
                    translate(
                        "core.server",
                        "Cloud models are offered for chat completions only; use the local "
                        "model here.",
                    ),
                )
            return name, cloud[name](), True
        call.model = name
        backend = self._local()
        if backend is None:
            raise _no_model()
        if name and name not in _aliases(backend):
            raise ApiError(
                404,
                translate(
                    "core.server",
                    "The model '{model}' is not served here; GET /v1/models lists those that are.",
                ).format(model=name),
                param="model",
                code="model_not_found",
            )
        call.model = backend.model_name
        call.waited = bool(getattr(backend, "busy", False))
        return backend.model_name, backend, False

    async def models(self, request: Request, call: Call) -> Response:
        data = []
        backend = self._local()
        if backend is not None:
            data.append(shapes.model_entry(backend.model_name, "workbench"))
        for name in self._cloud():
            data.append(shapes.model_entry(name, name.split("/", 1)[0]))
        call.finish(200)
        return JSONResponse({"object": "list", "data": data})

    async def model(self, request: Request, call: Call) -> Response:
        name = request.path_params["model"]
        call.model = name
        backend = self._local()
        if backend is not None and name in _aliases(backend):
            entry = shapes.model_entry(backend.model_name, "workbench")
        elif name in self._cloud():
            entry = shapes.model_entry(name, name.split("/", 1)[0])
        else:
            raise ApiError(
                404,
                translate("core.server", "The model '{model}' is not served here.").format(
                    model=name
                ),
                param="model",
                code="model_not_found",
            )
        call.finish(200)
        return JSONResponse(entry)

    # -- generation ----------------------------------------------------------------------------

    def _default_max_tokens(self, backend: Backend) -> int:
        info = getattr(backend, "info", None)
        # Like llama.cpp's server: as long as the context allows, unless the client says.
        return int(info.n_ctx) if info is not None and getattr(info, "n_ctx", 0) else 1024

    def _respond(
        self, call: Call, reply: Any, shape: Any, *, stream: bool, close: Backend | None = None
    ) -> ReplyResponse:
        pump = Pump(reply, asyncio.get_running_loop(), close.close if close else None)
        self.service.track(pump)
        pump.start()
        return ReplyResponse(call, pump, shape, stream=stream, on_crash=self.service.crashed)

    async def chat(self, request: Request, call: Call) -> Any:
        body = await self._body(request)
        call.model = shapes.model_name(body)
        stream = shapes.flag(body, "stream")
        usage = shapes.include_usage(body) and stream
        messages = shapes.messages(body)
        as_json = shapes.json_object(body)
        params = shapes.sampling(body, chat=True)
        name, backend, is_cloud = self._resolve(call.model, call, chat=True)
        params.max_tokens = params.max_tokens or self._default_max_tokens(backend)
        if is_cloud:
            if as_json:
                raise shapes.bad(
                    "response_format",
                    translate("core.server", "JSON mode is offered for the local model only."),
                )
            reply = backend.start_reply(messages, params)
            shape = ChatShape(name, include_usage=usage)
            return self._respond(call, reply, shape, stream=stream, close=backend)
        if as_json:
            reply = backend.start_reply(messages, params, json_object=True)  # type: ignore[call-arg]
        else:
            reply = backend.start_reply(messages, params)
        return self._respond(call, reply, ChatShape(name, include_usage=usage), stream=stream)

    async def completions(self, request: Request, call: Call) -> Any:
        body = await self._body(request)
        call.model = shapes.model_name(body)
        stream = shapes.flag(body, "stream")
        usage = shapes.include_usage(body) and stream
        text = shapes.prompt(body)
        params = shapes.sampling(body, chat=False)
        # OpenAI's completions default to 16 tokens; clients that want more say so.
        params.max_tokens = params.max_tokens or 16
        name, backend, _ = self._resolve(call.model, call, chat=False)
        reply = backend.start_completion(text, params)  # type: ignore[attr-defined]
        shape = CompletionShape(name, include_usage=usage)
        return self._respond(call, reply, shape, stream=stream)

    async def embeddings(self, request: Request, call: Call) -> Response:
        from workbench.core.local.host import EmbeddingError

        body = await self._body(request)
        call.model = shapes.model_name(body)
        texts = shapes.embedding_inputs(body)
        encoding = shapes.encoding_format(body)
        name, backend, _ = self._resolve(call.model, call, chat=False)
        try:
            vectors = await asyncio.to_thread(backend.embed, texts)  # type: ignore[attr-defined]
        except EmbeddingError as exc:
            kind = getattr(exc, "kind", "unsupported")
            if kind == "not_loaded":
                raise _no_model() from None
            if kind in ("process_died", "failed"):
                if kind == "process_died":
                    self.service.crashed(str(exc))
                raise ApiError(500, str(exc), type="server_error", code="model_crashed") from None
            raise ApiError(400, str(exc), param="input", code="embeddings_unavailable") from None
        data = []
        for i, vector in enumerate(vectors):
            value: Any = vector
            if encoding == "base64":  # little-endian float32, as OpenAI sends it
                value = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            data.append({"object": "embedding", "index": i, "embedding": value})
        call.finish(200)
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": name,
                "usage": {"prompt_tokens": 0, "total_tokens": 0},
            }
        )


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 404:
        message = translate(
            "core.server", "There is nothing at {path}; the API is under /v1."
        ).format(path=request.url.path)
        code = "not_found"
    elif status == 405:
        message = translate("core.server", "{method} is not accepted at {path}.").format(
            method=request.method, path=request.url.path
        )
        code = "method_not_allowed"
    else:
        message = translate("core.server", "The request could not be answered.")
        code = None
    return _error(ApiError(status, message, code=code))


def build_app(service: Service) -> Starlette:
    """The ASGI application serving ``service``."""
    routes = Routes(service)
    middleware = []
    if service.config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(service.config.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                max_age=600,
            )
        )
    return Starlette(
        routes=[
            Route("/v1/models", routes._guard("/v1/models", routes.models), methods=["GET"]),
            Route(
                "/v1/models/{model:path}",
                routes._guard("/v1/models", routes.model),
                methods=["GET"],
            ),
            Route(
                "/v1/chat/completions",
                routes._guard("/v1/chat/completions", routes.chat),
                methods=["POST"],
            ),
            Route(
                "/v1/completions",
                routes._guard("/v1/completions", routes.completions),
                methods=["POST"],
            ),
            Route(
                "/v1/embeddings",
                routes._guard("/v1/embeddings", routes.embeddings),
                methods=["POST"],
            ),
        ],
        middleware=middleware,
        exception_handlers={HTTPException: _http_error},
    )
