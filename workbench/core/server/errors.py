"""The server's errors: :class:`ServerError` for whoever starts it, :class:`ApiError` for clients.

An :class:`ApiError` becomes an OpenAI-shaped body, ``{"error": {"message", "type", "param",
"code"}}``, with its HTTP status: the shape every OpenAI client library parses.
"""

from __future__ import annotations

from typing import Any


class ServerError(Exception):
    """The server cannot start or stop as asked; ``str()`` is one sentence for the user."""


class ApiError(Exception):
    """A request the server answers with an error body.

    Args:
        status: The HTTP status (400, 401, 404, 413, 500, 503 …).
        message: One sentence for the client's user.
        type: OpenAI's error type ("invalid_request_error", "server_error" …).
        param: The request field at fault, where there is one.
        code: A short machine-readable code ("model_not_found" …).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }
