"""OpenAI's request and response shapes: reading a request into Workbench's terms, and writing
answers, stream chunks and usage the way OpenAI's clients expect them.

Wrong types and values raise :class:`~workbench.core.server.errors.ApiError` (400) naming the
field, before anything reaches the model.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from workbench.core.backend import ChatMessage, Stats
from workbench.core.i18n import translate
from workbench.core.options import MAX_STOP_STRINGS, SamplingParams
from workbench.core.server.errors import ApiError

#: OpenAI's ranges where they are narrower than Workbench's own
_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "top_k": (0, 100_000),
    "min_p": (0.0, 1.0),
    "repeat_penalty": (0.0, 10.0),
    "seed": (0, 2**32 - 2),
    "max_tokens": (1, 1_048_576),
}
# Sampling fields read from a request: OpenAI's, then llama.cpp's server extras.
_SAMPLING = ("temperature", "top_p", "seed", "top_k", "min_p", "repeat_penalty")
_INTEGERS = {"top_k", "seed", "max_tokens", "n"}
_ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
# What OpenAI calls a reply stopped by the token limit and by a stop string or end of text.
_FINISH = {"length": "length", "cancelled": "stop", "stop": "stop"}


def bad(param: str | None, message: str, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


def _type_error(param: str, kind: str) -> ApiError:
    if kind == "integer":
        text = translate("core.server", "'{param}' must be a whole number.")
    elif kind == "number":
        text = translate("core.server", "'{param}' must be a number.")
    elif kind == "boolean":
        text = translate("core.server", "'{param}' must be true or false.")
    elif kind == "string":
        text = translate("core.server", "'{param}' must be a string.")
    elif kind == "object":
        text = translate("core.server", "'{param}' must be an object.")
    else:
        text = translate("core.server", "'{param}' must be a list.")
    return bad(param, text.format(param=param), "invalid_type")


def number(body: dict, name: str, *, key: str | None = None) -> float | int | None:
    """``body[key]`` (``key`` defaults to ``name``) checked against ``name``'s type and range."""
    key = key or name
    value = body.get(key)
    if value is None:
        return None
    integer = name in _INTEGERS
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(key, "integer" if integer else "number")
    if integer and not float(value).is_integer():
        raise _type_error(key, "integer")
    if not math.isfinite(value):
        raise _type_error(key, "number")
    lo, hi = _RANGES.get(name, (-math.inf, math.inf))
    if not lo <= value <= hi:
        raise bad(
            key,
            translate("core.server", "'{param}' must be between {low} and {high}.").format(
                param=key, low=_plain(lo), high=_plain(hi)
            ),
            "out_of_range",
        )
    return int(value) if integer else float(value)


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def flag(body: dict, name: str) -> bool:
    value = body.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _type_error(name, "boolean")
    return value


def model_name(body: dict) -> str:
    """The model a request names ("" when it names none: the loaded one answers)."""
    value = body.get("model")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _type_error("model", "string")
    return value.strip()


def include_usage(body: dict) -> bool:
    """``stream_options.include_usage``."""
    options = body.get("stream_options")
    if options is None:
        return False
    if not isinstance(options, dict):
        raise _type_error("stream_options", "object")
    value = options.get("include_usage")
    if value is not None and not isinstance(value, bool):
        raise _type_error("stream_options.include_usage", "boolean")
    return bool(value)


def _stop(body: dict) -> list[str]:
    value = body.get("stop")
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise bad(
            "stop",
            translate("core.server", "'stop' must be a string or a list of strings."),
            "invalid_type",
        )
    value = [s for s in value if s]
    if len(value) > MAX_STOP_STRINGS:
        raise bad(
            "stop",
            translate("core.server", "'stop' may hold at most {count} strings.").format(
                count=MAX_STOP_STRINGS
            ),
        )
    return value


def _one_choice(body: dict) -> None:
    n = number(body, "n")
    if n is not None and n != 1:
        raise bad("n", translate("core.server", "Only one choice per request is served ('n': 1)."))


def sampling(body: dict, *, chat: bool) -> SamplingParams:
    """The request's sampling fields as :class:`SamplingParams` (others keep their defaults).

    ``max_tokens`` is 0 when the request does not say: the caller fills in its default.
    """
    params = SamplingParams()
    for name in _SAMPLING:
        value = number(body, name)
        if value is not None:
            setattr(params, name, value)
    limit = number(body, "max_tokens", key="max_completion_tokens") if chat else None
    if limit is None:
        limit = number(body, "max_tokens")
    params.max_tokens = int(limit) if limit is not None else 0
    params.stop = _stop(body)
    _one_choice(body)
    return params


def _text_of(content: Any, where: str) -> str:
    """A message's content: a string, or a list of text parts (images are refused)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise bad(
            where,
            translate("core.server", "'{param}' must be a string or a list of text parts.").format(
                param=where
            ),
            "invalid_type",
        )
    texts = []
    for part in content:
        if not isinstance(part, dict) or part.get("type") != "text":
            raise bad(
                where,
                translate(
                    "core.server",
                    "Only text parts are understood in '{param}'; this model reads text only.",
                ).format(param=where),
            )
        text = part.get("text")
        if not isinstance(text, str):
            raise _type_error(f"{where}.text", "string")
        texts.append(text)
    return "".join(texts)


def messages(body: dict) -> list[ChatMessage]:
    """The conversation of a chat request."""
    value = body.get("messages")
    if value is None:
        raise bad("messages", translate("core.server", "'messages' is required."), "missing")
    if not isinstance(value, list):
        raise _type_error("messages", "list")
    if not value:
        raise bad("messages", translate("core.server", "'messages' must not be empty."))
    out: list[ChatMessage] = []
    for i, message in enumerate(value):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise _type_error(where, "object")
        role = message.get("role")
        if role not in _ROLES:
            raise bad(
                f"{where}.role",
                translate(
                    "core.server",
                    "'{param}' must be system, developer, user or assistant (tools are not "
                    "served).",
                ).format(param=f"{where}.role"),
            )
        content = _text_of(message.get("content"), f"{where}.content")
        out.append({"role": _ROLES[role], "content": content})  # type: ignore[typeddict-item]
    return out


def json_object(body: dict) -> bool:
    """Whether ``response_format`` asks for JSON (``{"type": "json_object"}``)."""
    value = body.get("response_format")
    if value is None:
        return False
    if not isinstance(value, dict):
        raise _type_error("response_format", "object")
    kind = value.get("type")
    if kind in (None, "text"):
        return False
    if kind == "json_object":
        return True
    raise bad(
        "response_format.type",
        translate(
            "core.server", "'response_format.type' must be text or json_object (got {value})."
        ).format(value=repr(kind)),
    )


def prompt(body: dict) -> str:
    """The prompt of a text completion: a string, or a list holding one."""
    value = body.get("prompt")
    if value is None:
        raise bad("prompt", translate("core.server", "'prompt' is required."), "missing")
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        value = value[0]
    if not isinstance(value, str):
        raise bad(
            "prompt",
            translate("core.server", "'prompt' must be a string (one prompt per request)."),
            "invalid_type",
        )
    return value


def embedding_inputs(body: dict) -> list[str]:
    """The texts of an embeddings request: a string or a list of strings."""
    value = body.get("input")
    if value is None:
        raise bad("input", translate("core.server", "'input' is required."), "missing")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise bad(
            "input",
            translate("core.server", "'input' must be a string or a non-empty list of strings."),
            "invalid_type",
        )
    return value


def encoding_format(body: dict) -> str:
    value = body.get("encoding_format")
    if value is None:
        return "float"
    if value not in ("float", "base64"):
        raise bad(
            "encoding_format",
            translate("core.server", "'encoding_format' must be float or base64."),
        )
    return value


# -- answers -----------------------------------------------------------------------------------


@dataclass
class Answer:
    """What a reply produced, gathered for the non-streaming answer and the log."""

    text: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    stats: Stats | None = None

    @property
    def finish_reason(self) -> str:
        return _FINISH.get(self.stats.finish_reason, "stop") if self.stats else "stop"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def usage(stats: Stats | None) -> dict[str, int]:
    prompt_tokens = stats.prompt_tokens if stats else 0
    completion = stats.completion_tokens if stats else 0
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
    }


def finish_reason(stats: Stats) -> str:
    return _FINISH.get(stats.finish_reason, "stop")


def chat_completion(rid: str, model: str, created: int, answer: Answer) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": "".join(answer.text)}
    if answer.reasoning:
        message["reasoning_content"] = "".join(answer.reasoning)
    return {
        "id": rid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": answer.finish_reason,
            }
        ],
        "usage": usage(answer.stats),
    }


def chat_chunk(
    rid: str,
    model: str,
    created: int,
    delta: dict[str, Any] | None,
    finish: str | None = None,
    usage_of: Stats | None = None,
    *,
    with_usage: bool = False,
) -> dict[str, Any]:
    """One ``chat.completion.chunk``; ``delta=None`` is the usage chunk (no choices)."""
    chunk: dict[str, Any] = {
        "id": rid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": []
        if delta is None
        else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if with_usage:
        chunk["usage"] = usage(usage_of) if delta is None else None
    return chunk


def text_completion(
    rid: str,
    model: str,
    created: int,
    text: str,
    finish: str | None,
    stats: Stats | None = None,
    *,
    final: bool = True,
    with_usage: bool = True,
) -> dict[str, Any]:
    """A ``text_completion`` (or one chunk of it when streaming)."""
    body: dict[str, Any] = {
        "id": rid,
        "object": "text_completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}],
    }
    if with_usage:
        body["usage"] = usage(stats) if final else None
    return body


def model_entry(name: str, owner: str, created: int | None = None) -> dict[str, Any]:
    return {
        "id": name,
        "object": "model",
        "created": int(created if created is not None else time.time()),
        "owned_by": owner,
    }
