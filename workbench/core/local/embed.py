"""Embeddings in the model process: a second llama.cpp context on the loaded model.

The chat context keeps its KV cache (and so its prefix reuse) untouched: embeddings need a
context with ``embeddings`` on and a pooling type, which are fixed when a context is made. This
one is made at the first request and kept; it shares the model's weights, so it costs only its
own small KV cache and compute buffers.

The pooling is the model's own when its GGUF declares one, else mean; each vector is scaled to
unit length, as llama-server's ``/v1/embeddings`` does.
"""

from __future__ import annotations

import math
from typing import Any

from workbench.core.i18n import decimal, translate

#: the most tokens one text may have (a text is evaluated in one batch, whose buffers grow with
#: its square); llama-server's default batch is 512, so most clients already stay well below
MAX_TOKENS = 2048


class CannotEmbed(Exception):
    """This model or text cannot be embedded. ``str()`` is one plain sentence; ``kind`` is
    "unsupported", "too_long", "empty" or "failed"."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def declared_pooling(metadata: dict) -> int | None:
    """The pooling type the GGUF header declares (``<arch>.pooling_type``), None when none."""
    arch = metadata.get("general.architecture")
    value = metadata.get(f"{arch}.pooling_type")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def normalise(vector: list[float]) -> list[float]:
    """``vector`` scaled to unit Euclidean length (a zero vector stays zero)."""
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm > 0 else list(vector)


class Embedder:
    """Embeds texts with ``llm``'s model in a context of its own (made at the first call)."""

    def __init__(self, llm: Any, lib: Any) -> None:
        self.llm = llm
        self.lib = lib
        self.ctx: Any = None
        self.batch: Any = None
        self.n_ctx = 0
        self.n_embd = 0

    @staticmethod
    def _unsupported(message: str) -> CannotEmbed:
        return CannotEmbed(message, "unsupported")

    def _open(self) -> None:
        lib, llm = self.lib, self.llm
        model = llm.model
        if lib.llama_model_has_encoder(model) and lib.llama_model_has_decoder(model):
            raise self._unsupported(
                translate(
                    "core.local.embed",
                    "llama.cpp cannot make embeddings with an encoder-decoder model like this "
                    "one; load an embedding model instead.",
                )
            )
        pooling = declared_pooling(llm.metadata)
        if pooling == lib.LLAMA_POOLING_TYPE_RANK:
            raise self._unsupported(
                translate(
                    "core.local.embed",
                    "This model is a reranker, which scores pairs of texts instead of making "
                    "embeddings; load an embedding model instead.",
                )
            )
        if pooling is None or pooling <= lib.LLAMA_POOLING_TYPE_NONE:
            pooling = lib.LLAMA_POOLING_TYPE_MEAN
        train = lib.llama_model_n_ctx_train(model)
        n_ctx = min(llm.n_ctx(), MAX_TOKENS, train if train > 0 else MAX_TOKENS)
        # The chat context's settings (threads, KV type, flash attention), changed where
        # embeddings need it: one text is one batch, pooled into one vector.
        params = type(llm.context_params).from_buffer_copy(llm.context_params)
        params.n_ctx = params.n_batch = params.n_ubatch = n_ctx
        params.n_seq_max = 1
        params.embeddings = True
        params.pooling_type = pooling
        ctx = lib.llama_init_from_model(model, params)
        if not ctx:
            raise self._unsupported(
                translate(
                    "core.local.embed",
                    "llama.cpp could not prepare this model for embeddings; load an embedding "
                    "model instead.",
                )
            )
        self.ctx, self.n_ctx = ctx, lib.llama_n_ctx(ctx)
        self.batch = lib.llama_batch_init(self.n_ctx, 0, 1)
        out = lib.llama_model_n_embd_out(model)
        self.n_embd = out if out > 0 else lib.llama_model_n_embd(model)

    def close(self) -> None:
        if self.batch is not None:
            self.lib.llama_batch_free(self.batch)
            self.batch = None
        if self.ctx is not None:
            self.lib.llama_free(self.ctx)
            self.ctx = None

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit vector per text; raises :class:`CannotEmbed` before any work is done
        when a text is empty or too long, or when the model cannot embed at all."""
        if self.ctx is None:
            self._open()
        tokenized = []
        for number, text in enumerate(texts, 1):
            tokens = self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
            if not text or not tokens:
                raise CannotEmbed(
                    translate(
                        "core.local.embed", "Text {number} is empty; there is nothing to embed."
                    ).format(number=number),
                    "empty",
                )
            if len(tokens) > self.n_ctx:
                raise CannotEmbed(
                    translate(
                        "core.local.embed",
                        "Text {number} is {tokens} tokens, more than the {limit} tokens this model "
                        "can embed at once; split it into shorter pieces.",
                    ).format(
                        number=number,
                        tokens=decimal(len(tokens), 0),
                        limit=decimal(self.n_ctx, 0),
                    ),
                    "too_long",
                )
            tokenized.append(tokens)
        return [self._one(tokens) for tokens in tokenized]

    def _one(self, tokens: list[int]) -> list[float]:
        lib, ctx, batch = self.lib, self.ctx, self.batch
        memory = lib.llama_get_memory(ctx)
        if memory:  # encoder-only models keep no cache
            lib.llama_memory_clear(memory, True)
        batch.n_tokens = len(tokens)
        for i, tok in enumerate(tokens):
            batch.token[i] = tok
            batch.pos[i] = i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = 1
        code = lib.llama_decode(ctx, batch)
        if code != 0:
            raise CannotEmbed(
                translate(
                    "core.local.embed", "llama.cpp failed while making the embedding (code {code})."
                ).format(code=code),
                "failed",
            )
        values = lib.llama_get_embeddings_seq(ctx, 0)
        if not values:
            raise self._unsupported(
                translate(
                    "core.local.embed",
                    "llama.cpp returned no embedding for this model; load an embedding model "
                    "instead.",
                )
            )
        return normalise([float(x) for x in values[: self.n_embd]])
