"""The model process: owns one ``llama_cpp.Llama`` and answers chat requests over a pipe.

Runs in a child started with the ``spawn`` method, so a native crash (``abort()`` on a malformed
file, GPU out-of-memory, the OOM killer) takes down only this process; the host sees the pipe
close and tells the user. Imports nothing from Qt: in the frozen app this module is all the
child loads.

Messages, host → child: ``("chat", req_id, messages, sampling_dict, extra)`` (``extra``:
``drop_oldest``, ``ignore_eos``, ``json_object``), ``("complete", req_id, text, sampling_dict,
extra)``, ``("embed", req_id, texts)``, ``("quit",)``.
Child → host: ``("progress", f)``, ``("loaded", info)``, ``("load_error", kind, message)``,
``("prompt", req_id, info)``, ``("delta", req_id, text)``, ``("done", req_id, stats)``,
``("embeddings", req_id, vectors)``, ``("error", req_id, kind, message)``.
The host sends a request when the one before it has ended or been abandoned (cancelled); the
child answers them in order, and the host skips what is left of an abandoned one by its id.
Cancel is a shared integer: the host writes the id of the request to stop into it; the child
checks it once per token and, during prompt processing, from llama.cpp's abort callback.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from workbench.core.i18n import decimal, translate

#: the model process sends text at most this often (the first piece of a reply at once)
SEND_EVERY_S = 0.02


class _Cancelled(Exception):
    pass


def _cancelled() -> str:
    # The host's sentence: one for both sides of the pipe.
    return translate("core.local.host", "Loading was cancelled.")


def log_file(log_dir: str, pid: int) -> str:
    """The log of one model process: each has its own, so one's lines are never read as
    another's (the host knows the child's pid once it has started it)."""
    return os.path.join(log_dir, f"model-{pid}.log")


def _redirect_native_stderr(log_path: str | None) -> bool:
    """Send llama.cpp's own stderr chatter (and any native assert text) to a log file."""
    if not log_path:
        return False
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115 - lives as long as the process
        print(f"--- model process {os.getpid()} started {time.ctime()}", file=sys.stderr)
        return True
    except OSError:
        return False  # logging is a convenience; never fail a load over it


def _load_error_message(exc: BaseException, path: str, log_path: str | None) -> str:
    name = os.path.basename(path)
    text = str(exc)
    if "Failed to load model" in text or "Failed to create llama_context" in text:
        detail = _native_error_detail(log_path)
        if detail:
            return translate(
                "core.local.worker",
                "llama.cpp could not load {name} ({detail}): the file may use an architecture or "
                "quantization this version does not support, or there is not enough memory. Try "
                "fewer GPU layers, a shorter context or a smaller model.",
            ).format(name=name, detail=detail)
        return translate(
            "core.local.worker",
            "llama.cpp could not load {name}: the file may use an architecture or quantization "
            "this version does not support, or there is not enough memory. Try fewer GPU layers, "
            "a shorter context or a smaller model.",
        ).format(name=name)
    return translate("core.local.worker", "Loading {name} failed: {error}").format(
        name=name, error=text
    )


def _native_error_detail(log_path: str | None) -> str | None:
    """llama.cpp's own reason for a failed load, from the end of our stderr log."""
    if not log_path:
        return None
    sys.stderr.flush()
    try:
        with open(log_path, "rb") as f:
            f.seek(max(0, os.path.getsize(log_path) - 8192))
            lines = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        if "error loading model:" in line:
            return line.split("error loading model:", 1)[1].strip()[:200]
        if line.startswith("--- model process"):
            break
    return None


def _out_of_memory(exc: BaseException, log_path: str | None) -> bool:
    """Whether llama.cpp said an allocation failed: the host then retries with fewer layers."""
    from workbench.core.local.layers import looks_like_out_of_memory

    text = str(exc)
    if log_path:
        sys.stderr.flush()
        try:
            with open(log_path, "rb") as f:
                f.seek(max(0, os.path.getsize(log_path) - 16384))
                text += f.read().decode("utf-8", "replace")
        except OSError:
            pass
    return looks_like_out_of_memory(text)


def _fake_out_of_memory(path: str, gpu_layers: int) -> None:
    """The test hook of :data:`~workbench.core.local.layers.FAKE_GPU_LAYERS_ENV`."""
    from workbench.core.local.layers import FAKE_GPU_LAYERS_ENV

    limit = os.environ.get(FAKE_GPU_LAYERS_ENV)
    if limit is None or 0 <= gpu_layers <= int(limit):
        return
    print(
        "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 1024.00 MiB on device 0: "
        "cudaMalloc failed: out of memory\n"
        "llama_model_load: error loading model: unable to allocate CUDA0 buffer",
        file=sys.stderr,
    )
    raise ValueError(f"Failed to load model from file: {path}")


def _quiet_llama_log() -> None:
    """After the load, keep only llama.cpp's warnings and errors.

    llama-cpp-python's own log callback prints every line, debug ones included, through Python;
    some backends write a debug line per token. Ours drops debug lines at once.
    """
    import llama_cpp.llama_cpp as lib

    keep = [False]

    @lib.llama_log_callback
    def on_log(level: int, text: bytes, _data: Any) -> None:
        # 2 warn, 3 error; 5 continues the line before it
        if level != 5:
            keep[0] = level in (2, 3)
        if keep[0]:
            sys.stderr.write(text.decode("utf-8", "replace"))

    global _log_callback
    _log_callback = on_log  # ctypes does not keep it alive
    lib.llama_log_set(on_log, ctypes.c_void_p(0))


_log_callback: Any = None


def main(conn: Connection, cancel_flag: Any, path: str, load: dict, log_dir: str | None) -> None:
    """Entry point of the model process (the target of ``multiprocessing.Process``)."""
    from workbench.core import i18n

    # The parent's language, handed down in WORKBENCH_LANG: our sentences reach its user.
    i18n.set_language(i18n.language_from_environment())
    # Ctrl-C in a terminal reaches the whole process group; the host decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    log_path = log_file(log_dir, os.getpid()) if log_dir else None
    # With stderr in the log file, llama.cpp may be verbose there: its own words about a failed
    # load or a failed assert are what a bug report needs. Without it, stay quiet.
    verbose = _redirect_native_stderr(log_path)
    conn.send(("progress", 0.0))
    try:
        llm, info = _load(conn, cancel_flag, path, load, verbose)
    except _Cancelled:
        conn.send(("load_error", "cancelled", _cancelled()))
        return
    except Exception as exc:  # llama.cpp reports every load failure as a Python exception
        if cancel_flag.value == -1:  # our progress callback refused to go on
            conn.send(("load_error", "cancelled", _cancelled()))
            return
        print(f"load failed: {exc!r}", file=sys.stderr)
        kind = "out_of_memory" if _out_of_memory(exc, log_path) else "load_failed"
        conn.send(("load_error", kind, _load_error_message(exc, path, log_path)))
        return
    _quiet_llama_log()
    conn.send(("loaded", info))
    server = _ChatServer(
        llm, conn, cancel_flag, load.get("prompt_template", ""), load.get("prompt_stops", ())
    )
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the host went away: nothing left to do
        if msg[0] == "quit":
            return
        if msg[0] == "chat":
            server.chat(*msg[1:])
        elif msg[0] == "complete":
            server.complete(*msg[1:])
        elif msg[0] == "embed":
            server.embed(*msg[1:])


def _load(
    conn: Connection, cancel_flag: Any, path: str, load: dict, verbose: bool
) -> tuple[Any, dict]:
    import llama_cpp
    import llama_cpp.llama_cpp as lib

    from workbench.core.local.layers import FAKE_GPU_LAYERS_ENV
    from workbench.core.options import KV_CACHE_TYPES

    # Llama() offers no progress hook, but builds its model params from this function; wrapping it
    # gives us llama.cpp's own load progress and a way to abort the load (return False).
    last_sent = [-1.0]

    @lib.llama_progress_callback
    def on_progress(fraction: float, _data: Any) -> bool:
        if cancel_flag.value == -1:
            return False
        if fraction - last_sent[0] >= 0.01 or fraction >= 1.0:
            last_sent[0] = fraction
            conn.send(("progress", float(fraction)))
        return True

    default_params = lib.llama_model_default_params

    def params_with_progress():
        params = default_params()
        params.progress_callback = on_progress
        return params

    _fake_out_of_memory(path, load["gpu_layers"])
    lib.llama_model_default_params = params_with_progress
    kv_type = KV_CACHE_TYPES[load["kv_cache_type"]]
    started = time.perf_counter()
    try:
        llm = llama_cpp.Llama(
            model_path=path,
            n_gpu_layers=load["gpu_layers"],
            n_ctx=load["context_length"],
            n_threads=load["threads"],
            n_threads_batch=load["threads"],
            n_batch=load["batch_size"],
            n_ubatch=min(load["batch_size"], 512),
            flash_attn=load["flash_attention"],
            type_k=kv_type,
            type_v=kv_type,
            use_mmap=load["use_mmap"],
            use_mlock=load["use_mlock"],
            seed=load["seed"] if load["seed"] is not None else llama_cpp.LLAMA_DEFAULT_SEED,
            verbose=verbose,
        )
    finally:
        lib.llama_model_default_params = default_params
    if cancel_flag.value == -1:
        raise _Cancelled
    template = llm.metadata.get("tokenizer.chat_template")
    if template:
        # Use the file's own template through llama-cpp-python's sandboxed Jinja renderer, rather
        # than a built-in format guessed from it.
        llm.chat_format = "chat_template.default"
    info = {
        "load_s": time.perf_counter() - started,
        "n_ctx": llm.n_ctx(),
        "n_layers": lib.llama_model_n_layer(llm.model),
        # the test hook's pretend GPU counts as one
        "gpu_offload_supported": bool(lib.llama_supports_gpu_offload())
        or FAKE_GPU_LAYERS_ENV in os.environ,
        "chat_template": bool(template),
        "model_name": llm.metadata.get("general.name") or os.path.basename(path),
    }
    return llm, info


class _ChatServer:
    """Runs requests on one loaded model, one at a time: chat replies and completions through
    our own token loop, embeddings in a context of their own."""

    def __init__(
        self,
        llm: Any,
        conn: Connection,
        cancel_flag: Any,
        template: str = "",
        stops: tuple[str, ...] | list[str] = (),
    ) -> None:
        import llama_cpp.llama_cpp as lib

        from workbench.core.local.generate import TokenLoop
        from workbench.core.local.prompt import PromptBuilder

        self.llm = llm
        self.conn = conn
        self.cancel_flag = cancel_flag
        self.lib = lib
        self.req_id = 0
        self.embedder: Any = None  # made at the first embeddings request
        self._abort_installed = False
        self.prompts = PromptBuilder(llm, template, stops)
        self.loop = TokenLoop(lib, llm.model, llm.ctx, llm.n_batch)
        self.loop.cancel_check = lambda: cancel_flag.value == self.req_id
        self.loop.set_abort = self._set_abort

        # ggml calls this between graph nodes: it lets a long prompt be stopped mid-batch.
        @lib.ggml_abort_callback
        def should_abort(_data: Any) -> bool:
            return cancel_flag.value == self.req_id

        self._abort_cb = should_abort  # keep a reference: ctypes does not
        self._no_abort_cb = lib.ggml_abort_callback()  # NULL function pointer

    def _set_abort(self, on: bool) -> None:
        # The callback costs a Python call per graph node (~600 a token for a 30-layer model,
        # measured at ~9 % of generation speed); for fast tokens the per-token check in the
        # loop is enough, so it is on during prompt processing and for slow tokens only.
        if on != self._abort_installed:
            self.lib.llama_set_abort_callback(
                self.llm.ctx, self._abort_cb if on else self._no_abort_cb, None
            )
            self._abort_installed = on

    def chat(
        self, req_id: int, messages: list[dict], sampling: dict, extra: dict | None = None
    ) -> None:
        """A reply to ``messages`` through the chat template; ``extra`` may hold
        ``drop_oldest``, ``ignore_eos`` and ``json_object``."""
        from workbench.core.local.prompt import DoesNotFit

        extra = extra or {}
        self.req_id = req_id
        started = time.perf_counter()
        try:
            prompt = self.prompts.build(
                messages,
                self.loop.n_ctx,
                reply_room=min(sampling["max_tokens"], self.loop.n_ctx // 4),
                drop_oldest=bool(extra.get("drop_oldest")),
            )
        except DoesNotFit as exc:
            self.conn.send(("error", req_id, "context_overflow", str(exc)))
            return
        except Exception as exc:  # a template that refuses this conversation
            kind, message = _classify_chat_error(exc, self.llm)
            print(f"prompt failed: {exc!r}", file=sys.stderr)
            self.conn.send(("error", req_id, kind, message))
            return
        tail = b"".join(self.loop.piece(t, special=True) for t in prompt.tokens[-4:])
        # A JSON grammar allows no reasoning text: what comes is the object, even where the
        # template opened a <think> block.
        starts_in_reasoning = not extra.get("json_object") and tail.decode(
            "utf-8", "ignore"
        ).rstrip().endswith("<think>")
        self._generate(
            req_id,
            prompt.tokens,
            prompt.stops,
            sampling,
            extra,
            started,
            prompt.dropped,
            starts_in_reasoning,
        )

    def complete(self, req_id: int, text: str, sampling: dict, extra: dict | None = None) -> None:
        """A raw continuation of ``text`` (no chat template)."""
        self.req_id = req_id
        started = time.perf_counter()
        tokens = self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)
        n_ctx = self.loop.n_ctx
        if not tokens:
            self.conn.send(
                (
                    "error",
                    req_id,
                    "invalid_options",
                    translate(
                        "core.local.worker", "The prompt is empty; there is nothing to continue."
                    ),
                )
            )
            return
        if len(tokens) >= n_ctx:
            self.conn.send(
                (
                    "error",
                    req_id,
                    "context_overflow",
                    translate(
                        "core.local.worker",
                        "The prompt is {tokens} tokens, longer than the model's context of "
                        "{n_ctx} tokens; shorten it, or load the model with a longer context.",
                    ).format(tokens=decimal(len(tokens), 0), n_ctx=decimal(n_ctx, 0)),
                )
            )
            return
        self._generate(req_id, tokens, [], sampling, extra or {}, started, 0, False)

    def embed(self, req_id: int, texts: list[str]) -> None:
        """One unit vector per text, from a context of its own (the chat cache stays)."""
        from workbench.core.local.embed import CannotEmbed, Embedder

        self.req_id = req_id
        if self.embedder is None:
            self.embedder = Embedder(self.llm, self.lib)
        try:
            vectors = self.embedder.embed(texts)
        except CannotEmbed as exc:
            print(f"embedding failed: {exc}", file=sys.stderr)
            self.conn.send(("error", req_id, exc.kind, str(exc)))
            return
        self.conn.send(("embeddings", req_id, vectors))

    def _generate(
        self,
        req_id: int,
        tokens: list[int],
        stops: list[str],
        sampling: dict,
        extra: dict,
        started: float,
        dropped: int,
        starts_in_reasoning: bool,
    ) -> None:
        from llama_cpp.llama_grammar import JSON_GBNF

        from workbench.core.local.generate import DecodeError, Request

        conn, loop = self.conn, self.loop
        conn.send(
            (
                "prompt",
                req_id,
                {"starts_in_reasoning": starts_in_reasoning, "dropped_messages": dropped},
            )
        )
        request = Request(
            tokens=tokens,
            temperature=sampling["temperature"],
            top_k=sampling["top_k"],
            top_p=sampling["top_p"],
            min_p=sampling["min_p"],
            repeat_penalty=sampling["repeat_penalty"],
            max_tokens=sampling["max_tokens"],
            stop=list(sampling.get("stop") or []) + stops,
            seed=sampling.get("seed"),
            ignore_eos=bool(extra.get("ignore_eos")),
            grammar=JSON_GBNF if extra.get("json_object") else "",
        )
        sender = _DeltaSender(conn, req_id)
        try:
            out = loop.run(request, sender.send)
        except DecodeError as exc:
            sender.flush()
            if exc.code == 1:  # no room left in the KV cache
                kind = "context_overflow"
                message = translate(
                    "core.local.worker",
                    "The model's context of {n_ctx} tokens is full; leave out the oldest "
                    "messages, start a new chat, or load the model with a longer context.",
                ).format(n_ctx=decimal(loop.n_ctx, 0))
            else:
                kind = "generation_failed"
                message = translate(
                    "core.local.worker", "The model failed while answering ({error})."
                ).format(error=exc)
            print(f"generation failed: {exc!r}", file=sys.stderr)
            conn.send(("error", req_id, kind, message))
            return
        except Exception as exc:  # a sampler llama.cpp refused: this request fails, not the process
            sender.flush()
            print(f"generation failed: {exc!r}", file=sys.stderr)
            conn.send(
                (
                    "error",
                    req_id,
                    "generation_failed",
                    translate(
                        "core.local.worker", "The model failed while answering ({error})."
                    ).format(error=exc),
                )
            )
            return
        sender.flush()
        first, last = out.first_token_at, out.last_token_at
        tps = None
        if first is not None and last is not None and out.sampled > 1 and last > first:
            tps = (out.sampled - 1) / (last - first)
        conn.send(
            (
                "done",
                req_id,
                {
                    "prompt_tokens": out.prompt_tokens,
                    "cached_tokens": out.cached_tokens,
                    "dropped_messages": dropped,
                    "completion_tokens": out.generated,
                    "ttft_s": (first - started) if first is not None else None,
                    "tokens_per_s": tps,
                    "total_s": time.perf_counter() - started,
                    "finish_reason": out.finish_reason,
                },
            )
        )


class _DeltaSender:
    """Sends text to the host at most every ``SEND_EVERY_S``, the first piece at once.

    Each message wakes the host process, and on a machine with as many llama.cpp threads as
    cores that wake-up preempts one of them mid-token, holding up the rest at the next barrier.
    The window redraws 20 times a second and a terminal shows no difference at 50 a second,
    so sending more often buys nothing.
    """

    def __init__(self, conn: Connection, req_id: int) -> None:
        self.conn = conn
        self.req_id = req_id
        self.parts: list[str] = []
        self.sent_at = 0.0

    def send(self, text: str) -> None:
        self.parts.append(text)
        now = time.perf_counter()
        if now - self.sent_at >= SEND_EVERY_S:
            self.sent_at = now
            self.flush()

    def flush(self) -> None:
        if self.parts:
            text = "".join(self.parts)
            self.parts.clear()
            self.conn.send(("delta", self.req_id, text))


def _classify_chat_error(exc: Exception, llm: Any) -> tuple[str, str]:
    text = str(exc)
    if "exceed context window" in text:
        return (
            "context_overflow",
            translate(
                "core.local.worker",
                "This conversation is longer than the model's context of {n_ctx} tokens; start "
                "a new chat, shorten it, or load the model with a longer context.",
            ).format(n_ctx=decimal(llm.n_ctx(), 0)),
        )
    if "template" in text.lower() or "jinja" in type(exc).__module__:
        return (
            "generation_failed",
            translate(
                "core.local.worker",
                "The model's chat template could not be applied to this conversation ({error}).",
            ).format(error=text.splitlines()[0][:200] if text else type(exc).__name__),
        )
    return "generation_failed", translate(
        "core.local.worker", "The model failed while answering: {error}."
    ).format(error=text or type(exc).__name__)
