"""A conversation to prompt tokens: the chat template, and fitting into the context.

The template is the file's own, or the one the load chose (a built-in format for a file without
one, or the user's; see :mod:`.formats`). Either is rendered by llama-cpp-python's sandboxed Jinja
formatter (the one its high-level chat API uses), so prompts are the same as before our own
token loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.i18n import decimal, translate


class DoesNotFit(Exception):
    """The conversation does not fit the context. ``str()`` is one plain sentence."""


@dataclass(frozen=True)
class Prompt:
    tokens: list[int]
    stops: list[str]  # stop strings the format itself needs (its end-of-turn text)
    dropped: int = 0  # oldest messages left out to make it fit


class PromptBuilder:
    """Renders and tokenizes conversations for one loaded model.

    Args:
        llm: The loaded ``llama_cpp.Llama``.
        template: The Jinja template to use; "" for the file's own (or, for a file without
            one, the plain built-in format).
        stops: Stop strings the template's format needs besides the end-of-text token.
    """

    def __init__(self, llm: Any, template: str = "", stops: Sequence[str] = ()) -> None:
        from llama_cpp import llama_chat_format

        from workbench.core.local.formats import FALLBACK, FORMATS

        self._llm = llm
        self._stops = list(stops)
        file_template = llm.metadata.get("tokenizer.chat_template")
        self.has_template = bool(file_template)
        if not template and not file_template:
            template, self._stops = FORMATS[FALLBACK].template, list(FORMATS[FALLBACK].stops)
        model = llm._model
        eos, bos = model.token_eos(), model.token_bos()
        self._format: Callable[..., Any] = llama_chat_format.Jinja2ChatFormatter(
            template=template or file_template,
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "",
        )

    def render(self, messages: Sequence[dict]) -> tuple[list[int], list[str]]:
        result = self._format(messages=list(messages))
        stop = result.stop or []
        stops = [stop] if isinstance(stop, str) else list(stop)
        stops += [s for s in self._stops if s not in stops]
        tokens = self._llm.tokenize(
            result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True
        )
        return tokens, [s for s in stops if s]

    def build(
        self, messages: Sequence[dict], n_ctx: int, reply_room: int, drop_oldest: bool
    ) -> Prompt:
        """The prompt for ``messages``; leaves ``reply_room`` tokens free when dropping turns.

        Without ``drop_oldest`` a prompt that leaves no room for a single token of reply raises
        :class:`DoesNotFit`. With it, whole turns are left out from the oldest on (system
        messages and the last message are always kept) until the prompt and ``reply_room``
        fit.
        """
        tokens, stops = self.render(messages)
        if len(tokens) < n_ctx and (not drop_oldest or len(tokens) + reply_room <= n_ctx):
            return Prompt(tokens, stops)
        if not drop_oldest:
            raise DoesNotFit(
                translate(
                    "core.local.prompt",
                    "This conversation is {tokens} tokens, longer than the model's context of "
                    "{n_ctx} tokens; leave out its oldest messages, start a new chat, or load the "
                    "model with a longer context.",
                ).format(tokens=decimal(len(tokens), 0), n_ctx=decimal(n_ctx, 0))
            )
        cuts = turn_starts(messages)
        # More left out, fewer tokens: the fewest cuts that fit, by bisection over the turns.
        lo, hi, best = 1, len(cuts), None
        while lo <= hi:
            mid = (lo + hi) // 2
            kept = keep_after(messages, cuts[mid - 1])
            mid_tokens, mid_stops = self.render(kept)
            if len(mid_tokens) + reply_room <= n_ctx:
                best = Prompt(mid_tokens, mid_stops, len(messages) - len(kept))
                hi = mid - 1
            else:
                lo = mid + 1
        if best is None:
            raise DoesNotFit(
                translate(
                    "core.local.prompt",
                    "Your last message is too long for the model's context of {n_ctx} tokens, "
                    "even with every earlier message left out; shorten it, or load the model with "
                    "a longer context.",
                ).format(n_ctx=decimal(n_ctx, 0))
            )
        return best


def turn_starts(messages: Sequence[dict]) -> list[int]:
    """Where the conversation may be cut so that it still starts with a user message: the index
    of each later user message (the cut drops everything before it but the system messages)."""
    last = len(messages) - 1
    first_other = next((i for i, m in enumerate(messages) if m.get("role") != "system"), last)
    cuts = [i for i, m in enumerate(messages) if i > first_other and m.get("role") == "user"]
    if not cuts or cuts[-1] != last:
        cuts.append(last)  # at worst, only the last message (and the system prompt) stays
    return cuts


def keep_after(messages: Sequence[dict], cut: int) -> list[dict]:
    system = [m for m in messages[:cut] if m.get("role") == "system"]
    return system + list(messages[cut:])
