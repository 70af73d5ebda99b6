"""The token loop of the model process, on llama.cpp's own functions.

llama-cpp-python's high-level streaming path re-detokenizes the whole reply after every token and
holds all text back while a character is unfinished: O(n) Python work per token, and stalls on
byte-fallback tokens. This loop does constant work per token, whatever the reply's length:

- the prompt is evaluated in batches, skipping the longest prefix the KV cache already holds
  (a new turn, a regenerate or an edit of the last message evaluates only what changed);
- each token is sampled by llama.cpp's sampler chain, in C, straight from the context's logits;
- its bytes go through an incremental UTF-8 decoder and a stop-string matcher that holds back
  only what may be the start of a stop string (:mod:`.textstream`);
- it ends on the vocabulary's end-of-generation tokens.

The sampler chain chooses what llama-cpp-python's chain chooses (penalties over the generated
tokens, then top-k, top-p, min-p, temperature and a seeded draw, or greedy at temperature 0), so
a reply with a chosen seed reads the same as it did through the high-level API; ``_sampler``
says how one cut before the penalty makes it cheaper without changing a choice.
"""

from __future__ import annotations

import ctypes
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.local.textstream import StopMatcher, TokenText

#: above this many seconds per token, cancel is also checked inside llama.cpp's graph computation
SLOW_TOKEN_S = 0.05
#: the repeat penalty looks at this many of the latest generated tokens (llama-cpp-python's 64)
PENALTY_LAST_N = 64


class Cancelled(Exception):
    """The host asked this request to stop."""


class DecodeError(Exception):
    """llama_decode failed; ``code`` is its return value."""

    def __init__(self, code: int) -> None:
        super().__init__(f"llama_decode returned {code}")
        self.code = code


@dataclass
class Request:
    """One reply to generate from already-tokenized ``tokens``."""

    tokens: list[int]
    temperature: float = 0.7
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    #: a benchmark's way to keep generating past end-of-text (llama.cpp's ``ignore_eos``)
    ignore_eos: bool = False
    #: a GBNF grammar (rule ``root``) the reply must follow, e.g. ``JSON_GBNF``; "" for none
    grammar: str = ""


@dataclass
class Outcome:
    prompt_tokens: int = 0
    cached_tokens: int = 0
    generated: int = 0  # tokens of the reply (not the end-of-generation token)
    sampled: int = 0  # tokens drawn, the end-of-generation token included
    finish_reason: str = "stop"
    first_token_at: float | None = None
    last_token_at: float | None = None


def _chunks(tokens: list[int], size: int) -> list[list[int]]:
    """``tokens`` in batches of ``size``, the last of at least two tokens (see reuse_prefix)."""
    chunks = [tokens[i : i + size] for i in range(0, len(tokens), size)]
    if len(chunks) > 1 and len(chunks[-1]) == 1:
        chunks[-1].insert(0, chunks[-2].pop())
    return chunks


class TokenLoop:
    """Generation on one llama.cpp context; remembers which tokens its KV cache holds."""

    def __init__(self, lib: Any, model: Any, ctx: Any, n_batch: int) -> None:
        self.lib = lib
        self.ctx = ctx
        self.vocab = lib.llama_model_get_vocab(model)
        self.n_vocab = lib.llama_vocab_n_tokens(self.vocab)
        self.n_ctx = lib.llama_n_ctx(ctx)
        self.n_batch = max(1, n_batch)
        # Batches are cut at llama.cpp's micro-batch size, so that we decide where they end.
        self.n_ubatch = max(2, min(self.n_batch, lib.llama_n_ubatch(ctx)))
        self.memory = lib.llama_get_memory(ctx)
        self.cached: list[int] = []  # the tokens at KV positions 0..len-1, in order
        self._batch = lib.llama_batch_init(self.n_batch, 0, 1)
        self._piece_buf = ctypes.create_string_buffer(256)
        self.text = TokenText(self.piece)
        self._eog_ids: list[int] | None = None
        self.cancel_check: Callable[[], bool] = lambda: False
        self.set_abort: Callable[[bool], None] = lambda on: None

    def close(self) -> None:
        if self._batch is not None:
            self.lib.llama_batch_free(self._batch)
            self._batch = None

    # -- vocabulary --------------------------------------------------------------------------

    def piece(self, token: int, special: bool = False) -> bytes:
        """The bytes one token stands for."""
        buf = self._piece_buf
        n = self.lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, special)
        if n < 0:  # a piece longer than the buffer: ask again with room for it
            buf = ctypes.create_string_buffer(-n)
            n = self.lib.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, special)
        return buf.raw[: max(n, 0)]

    def is_eog(self, token: int) -> bool:
        return bool(self.lib.llama_vocab_is_eog(self.vocab, token))

    def eog_ids(self) -> list[int]:
        if self._eog_ids is None:
            self._eog_ids = [t for t in range(self.n_vocab) if self.is_eog(t)]
        return self._eog_ids

    # -- the KV cache ------------------------------------------------------------------------

    def forget(self, keep: int = 0) -> None:
        """Drop the cache from position ``keep`` on (all of it by default)."""
        if keep >= len(self.cached) and keep:
            return
        if not self.lib.llama_memory_seq_rm(self.memory, 0, keep, -1):
            # Some memories (recurrent models) cannot cut in the middle: start over.
            self.lib.llama_memory_clear(self.memory, True)
            keep = 0
        del self.cached[keep:]

    def reuse_prefix(self, tokens: list[int]) -> int:
        """Keep the longest cached prefix of ``tokens``; return its length.

        At least two tokens are left to evaluate: the last one's logits are where sampling
        starts, and llama.cpp computes a batch of one with other kernels than a larger batch
        (logits differ by up to ~0.3 on the test model; a larger batch's match the whole
        prompt's to the bit). Two keep a regenerate at temperature 0 the same as a fresh start.
        """
        cached = self.cached
        n = min(len(cached), len(tokens) - 2)
        k = 0
        while k < n and cached[k] == tokens[k]:
            k += 1
        self.forget(k)
        return len(self.cached)

    def decode(self, tokens: list[int]) -> None:
        """Evaluate ``tokens`` after the cached ones, in batches; logits for the last only."""
        batch = self._batch
        for chunk in _chunks(tokens, self.n_ubatch):
            pos = len(self.cached)
            n = len(chunk)
            batch.n_tokens = n
            for i, tok in enumerate(chunk):
                batch.token[i] = tok
                batch.pos[i] = pos + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = 0
            batch.logits[n - 1] = 1
            self._submit()
            self.cached.extend(chunk)

    def _decode_one(self, token: int) -> None:
        batch = self._batch
        batch.n_tokens = 1
        batch.token[0] = token
        batch.pos[0] = len(self.cached)
        batch.n_seq_id[0] = 1
        batch.seq_id[0][0] = 0
        batch.logits[0] = 1
        self._submit()
        self.cached.append(token)

    def _submit(self) -> None:
        code = self.lib.llama_decode(self.ctx, self._batch)
        if code != 0:
            # What this call added may be half there: cut back to what is known.
            self.forget(len(self.cached))
            if self.cancel_check():
                raise Cancelled
            raise DecodeError(code)

    # -- sampling ----------------------------------------------------------------------------

    def _sampler(self, req: Request, *, grammar: bool = False, seed: int | None = None) -> Any:
        """The sampler chain for ``req``; with ``grammar``, ``req.grammar`` comes first in it
        (so every cut after it chooses among the tokens the grammar allows)."""
        lib = self.lib
        chain = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())

        def add(smpl: Any) -> None:
            lib.llama_sampler_chain_add(chain, smpl)

        if grammar:
            rules = lib.llama_sampler_init_grammar(self.vocab, req.grammar.encode(), b"root")
            if not rules:
                lib.llama_sampler_free(chain)
                raise ValueError("the grammar could not be parsed")
            add(rules)
        if req.ignore_eos:
            eog = self.eog_ids()
            biases = (lib.llama_logit_bias * len(eog))()
            for i, tok in enumerate(eog):
                biases[i].token = tok
                biases[i].bias = float("-inf")
            add(lib.llama_sampler_init_logit_bias(self.n_vocab, len(eog), biases))
        greedy = req.temperature <= 0.0
        if req.repeat_penalty != 1.0:
            # The penalty looks up every candidate among the last 64 tokens: ~0.2 ms a token
            # over a 49k vocabulary, 2-3 % of generation. It only lowers logits, and at most
            # 64 tokens are penalized, so the k best after it are among the k + 64 best
            # before it: cutting to those first chooses exactly the same tokens.
            keep = 1 if greedy else req.top_k
            if keep > 0:
                add(lib.llama_sampler_init_top_k(keep + PENALTY_LAST_N))
            add(
                lib.llama_sampler_init_penalties(
                    self.n_vocab, PENALTY_LAST_N, req.repeat_penalty, 0.0, 0.0
                )
            )
        if greedy:
            add(lib.llama_sampler_init_greedy())
        else:
            if seed is None:
                seed = req.seed if req.seed is not None else random.randrange(2**31)
            add(lib.llama_sampler_init_top_k(req.top_k))
            add(lib.llama_sampler_init_top_p(req.top_p, 1))
            add(lib.llama_sampler_init_min_p(req.min_p, 1))
            add(lib.llama_sampler_init_temp(req.temperature))
            add(lib.llama_sampler_init_dist(seed))
        return chain

    # -- one reply ---------------------------------------------------------------------------

    def run(self, req: Request, emit: Callable[[str], None]) -> Outcome:
        """Evaluate the prompt and generate; ``emit`` gets each piece of text as it is ready.

        A Stop ends it with ``finish_reason`` "cancelled" (the cache stays consistent); a failed
        evaluation raises :class:`DecodeError`.
        """
        lib, out = self.lib, Outcome(prompt_tokens=len(req.tokens))
        if req.seed is not None:
            # A chosen seed promises the same text for the same prompt. A cached prefix leaves
            # the last prompt tokens to a smaller batch, whose logits can differ in the last
            # bits from a whole-prompt batch's (another matmul kernel), and sampling then
            # drifts: evaluate the whole prompt, as a fresh start would.
            self.forget(0)
        out.cached_tokens = self.reuse_prefix(req.tokens)
        self.set_abort(True)
        try:
            self.decode(req.tokens[out.cached_tokens :])
        except Cancelled:
            self.set_abort(False)
            out.finish_reason = "cancelled"
            return out

        text, stops = self.text, StopMatcher(req.stop)
        text.reset()
        sampler = self._sampler(req)
        guide = _Guide(self, req) if req.grammar else None
        sample, ctx, vocab = lib.llama_sampler_sample, self.ctx, self.vocab
        is_eog = lib.llama_vocab_is_eog
        cancel_check, set_abort = self.cancel_check, self.set_abort
        limit = min(req.max_tokens, self.n_ctx - len(self.cached))
        last = None
        try:
            out.finish_reason = "length"
            while out.generated < limit:
                if cancel_check():
                    raise Cancelled
                token = sample(sampler, ctx, -1)
                if guide is not None:
                    token, sampler = guide.check(token, sampler)
                now = time.perf_counter()
                if last is None:
                    out.first_token_at = now
                    set_abort(False)
                else:
                    # A slow model (big, or mostly on the CPU) needs the abort callback during
                    # generation too for a prompt Stop; at >50 ms a token its cost is noise.
                    set_abort(now - last > SLOW_TOKEN_S)
                last = out.last_token_at = now
                out.sampled += 1
                if is_eog(vocab, token) and not req.ignore_eos:
                    out.finish_reason = "stop"
                    break
                out.generated += 1
                piece = stops.feed(text.feed(token))
                if piece:
                    emit(piece)
                if stops.stopped:
                    out.finish_reason = "stop"
                    break
                if out.generated < limit:
                    self._decode_one(token)
        except Cancelled:
            out.finish_reason = "cancelled"
        finally:
            if not stops.stopped:
                # The end of the reply, or a Stop: what was held back is text after all.
                rest = stops.feed(text.flush())
                rest += stops.flush()
                if rest:
                    emit(rest)
            lib.llama_sampler_free(sampler)
            if guide is not None:
                guide.close()
            set_abort(False)
        return out


class _Guide:
    """Keeps a reply inside ``req.grammar`` the way llama.cpp's own tools do.

    Putting the grammar in the sampler chain checks every token of the vocabulary against it
    at every step (measured at hundreds of milliseconds a token on the test model's 49k
    vocabulary). Instead the free chain draws a token and only that token is checked; only
    when the grammar refuses it does a second chain, with the grammar first, draw again.
    Greedy choices are the same either way: the best token, if allowed, is the best allowed.
    """

    def __init__(self, loop: TokenLoop, req: Request) -> None:
        lib = loop.lib
        self.loop, self.req, self.lib = loop, req, lib
        self.seed = req.seed if req.seed is not None else random.randrange(2**31)
        self.chain = loop._sampler(req, grammar=True, seed=self.seed)
        self.rules = lib.llama_sampler_chain_get(self.chain, 0)
        self.cell = lib.llama_token_data()
        self.cur = lib.llama_token_data_array(ctypes.pointer(self.cell), 1, -1, False)
        self.cur_p = ctypes.byref(self.cur)
        self.recent: list[int] = []  # the tokens chosen so far, for a rebuilt free chain
        self.redraws = 0

    def allowed(self, token: int) -> bool:
        self.cell.id, self.cell.logit, self.cell.p = token, 1.0, 0.0
        self.cur.size, self.cur.selected = 1, -1
        self.lib.llama_sampler_apply(self.rules, self.cur_p)
        return self.cell.logit != float("-inf")

    def check(self, token: int, free: Any) -> tuple[int, Any]:
        """The token to use after ``free`` drew ``token``, and the free chain to go on with."""
        lib = self.lib
        if self.allowed(token):
            lib.llama_sampler_accept(self.chain, token)  # the grammar moves on
        else:
            token = lib.llama_sampler_sample(self.chain, self.loop.ctx, -1)
            # The free chain's repeat penalty has seen the refused token: build it again from
            # the tokens really chosen (a new seed, so that its draws do not repeat).
            self.redraws += 1
            lib.llama_sampler_free(free)
            free = self.loop._sampler(self.req, seed=(self.seed + self.redraws) % 2**31)
            for past in self.recent[-PENALTY_LAST_N:]:
                lib.llama_sampler_accept(free, past)
            lib.llama_sampler_accept(free, token)
        self.recent.append(token)
        return token, free

    def close(self) -> None:
        self.lib.llama_sampler_free(self.chain)
