"""The host side of local inference: starts, feeds and watches the model process.

``LocalBackend`` implements :class:`~workbench.core.backend.Backend` for a GGUF file. The model
lives in a child process (``spawn``), one per loaded model; if the child dies, the reply in
progress ends with an :class:`Error` event that says why, and ``load()`` can simply be called
again. Unloading ends the process, so the operating system really gets the memory back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    FailedReply,
    Reply,
)
from workbench.core.gguf_file import GGUFError, check_gguf, vocabulary_markers
from workbench.core.i18n import translate
from workbench.core.local import formats
from workbench.core.local.layers import (
    LayerMemory,
    LayerPlan,
    looks_like_out_of_memory,
    plan_for_file,
    retry_layers,
    retry_sentence,
)
from workbench.core.local.reply import CANCEL_GRACE_S, POLL_S, LocalReply, not_loaded
from workbench.core.local.turns import Turns
from workbench.core.options import LoadOptions, OptionError, SamplingParams
from workbench.core.sysmem import MemoryInfo

log = logging.getLogger(__name__)

__all__ = [
    "CANCEL_GRACE_S",
    "EmbeddingError",
    "LoadInfo",
    "LocalBackend",
    "LocalReply",
    "ModelLoadError",
    "explain_exit",
    "prompt_format",
]


def _cancelled() -> str:
    return translate("core.local.host", "Loading was cancelled.")


class ModelLoadError(Exception):
    """Loading failed. ``str()`` is one plain sentence; ``kind`` is an ``ErrorKind``."""

    def __init__(self, message: str, kind: str = "load_failed") -> None:
        super().__init__(message)
        self.kind = kind


class EmbeddingError(Exception):
    """Embeddings could not be made. ``str()`` is one plain sentence; ``kind`` says why:
    "unsupported" (this model cannot embed), "too_long", "empty", "failed" (llama.cpp failed),
    "not_loaded" or "process_died"."""

    def __init__(self, message: str, kind: str = "unsupported") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class LoadInfo:
    """What a load did.

    Attributes:
        load_s: Seconds the load took (all tries together).
        n_ctx: The context length llama.cpp allocated.
        n_layers: The model's repeating layers (``n_layer``).
        gpu_offload_supported: Whether this llama.cpp build can use a GPU.
        chat_template: Whether the file has a chat template.
        model_name: The model's name from its header, else the file name.
        gpu_layers: Layers actually put on the GPU (0 on the CPU).
        total_layers: Offloadable layers (``n_layer + 1``), None when unknown.
        gpu_note: One sentence on where the layers went: the Auto plan, the manual setting, or
            what the out-of-memory retry did ("Not enough graphics memory for 31 layers; …").
        gpu_retried: True when the first try ran out of graphics memory.
        gpu_tried: Layers of the first try (what was planned or set).
    """

    load_s: float
    n_ctx: int
    n_layers: int
    gpu_offload_supported: bool
    chat_template: bool
    model_name: str
    gpu_layers: int = 0
    total_layers: int | None = None
    gpu_note: str = ""
    gpu_retried: bool = False
    gpu_tried: int = 0
    path: str = ""  # the model file
    #: the prompt format used: "file" (the file's template), a built-in's name, or "custom"
    prompt_format: str = formats.FILE
    #: why: "file", "chosen", "custom", "vocabulary", "architecture", "name" or "fallback"
    prompt_evidence: str = formats.FILE

    @property
    def prompt_choice(self) -> formats.Choice:
        """The prompt format as a :class:`~workbench.core.local.formats.Choice` (no template)."""
        return formats.Choice(self.prompt_format, self.prompt_evidence)


def explain_exit(exitcode: int | None, loading: str | None = None) -> str:
    """One sentence for a model process that ended without being asked to: while loading the
    file named ``loading``, or while answering when it is None."""
    sig = -exitcode if exitcode is not None and exitcode < 0 else None
    if sig == getattr(signal, "SIGKILL", 9):
        problem = (
            translate(
                "core.local.host",
                "The model process was killed while loading {name} (often the system running "
                "out of memory).",
            )
            if loading
            else translate(
                "core.local.host",
                "The model process was killed while answering (often the system running out of "
                "memory).",
            )
        )
    elif sig == getattr(signal, "SIGABRT", 6):
        problem = (
            translate(
                "core.local.host",
                "llama.cpp stopped with an internal error while loading {name} (a damaged or "
                "unsupported model file, or the GPU running out of memory).",
            )
            if loading
            else translate(
                "core.local.host",
                "llama.cpp stopped with an internal error while answering (a damaged or "
                "unsupported model file, or the GPU running out of memory).",
            )
        )
    elif sig == getattr(signal, "SIGSEGV", 11):
        problem = (
            translate("core.local.host", "The model process crashed while loading {name}.")
            if loading
            else translate("core.local.host", "The model process crashed while answering.")
        )
    elif sig is not None:
        problem = (
            translate(
                "core.local.host",
                "The model process was stopped by signal {signal} while loading {name}.",
            )
            if loading
            else translate(
                "core.local.host",
                "The model process was stopped by signal {signal} while answering.",
            )
        )
    else:
        problem = (
            translate(
                "core.local.host",
                "The model process ended unexpectedly while loading {name} (exit code {code}).",
            )
            if loading
            else translate(
                "core.local.host",
                "The model process ended unexpectedly while answering (exit code {code}).",
            )
        )
    name = ""
    if sig is not None:
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    advice = translate(
        "core.local.host",
        "Load the model again; if it keeps happening, try fewer GPU layers, a shorter context or "
        "another file.",
    )
    # Two sentences, joined as the language joins them (Chinese needs no space).
    return translate("core.local.host", "{problem} {advice}").format(
        problem=problem.format(name=loading, signal=name, code=exitcode), advice=advice
    )


def prompt_format(metadata: dict, file_name: str, options: LoadOptions) -> formats.Choice:
    """The prompt format a load with ``options`` uses for a file with this header metadata."""

    def text(key: str) -> str | None:
        value = metadata.get(key)
        return value if isinstance(value, str) else None

    return formats.choose(
        options.chat_format,
        options.chat_template,
        has_template=bool(text("tokenizer.chat_template")),
        architecture=text("general.architecture"),
        name=text("general.name"),
        file_name=file_name,
        tokens=vocabulary_markers(metadata),
    )


#: model process logs kept: each process writes its own, the oldest go at the next load
KEEP_LOGS = 10


def _prune_logs(log_dir: Path) -> None:
    try:
        logs = sorted(log_dir.glob("model-*.log"), key=lambda p: p.stat().st_mtime)
        for old in logs[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a log we cannot tidy is no reason to refuse a load


class LocalBackend(Backend):
    """A GGUF model run by llama.cpp in a process of its own.

    Args:
        path: the GGUF file (the first shard of a split model).
        options: how to load it; validated in ``load()``.
        hardware: gives (whether the build can use a GPU, free memory now) for the GPU layers
            plan; measured at each load when not given (tests give a GPU here).
        layer_memory: where the GPU layers that worked are remembered (default: the data
            folder's).
    """

    source = "local"

    def __init__(
        self,
        path: str | os.PathLike,
        options: LoadOptions | None = None,
        *,
        hardware: Callable[[], tuple[bool, MemoryInfo | None]] | None = None,
        layer_memory: LayerMemory | None = None,
    ) -> None:
        self.path = Path(path)
        self.options = options or LoadOptions()
        self._hardware = hardware
        self._layer_memory = layer_memory
        self.info: LoadInfo | None = None
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: Any = None
        self._flag: Any = None
        self._next_req = 0
        self._req_lock = threading.Lock()
        self._turns = Turns()
        self._process_count = 0  # model processes started so far
        self._died: tuple[int, str] | None = None  # (process number, why) of a crash
        self._state_lock = threading.Lock()
        self._load_cancelled = threading.Event()
        self._unloading = False

    # -- Backend -----------------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        return self.path.name

    @property
    def is_loaded(self) -> bool:
        return self.info is not None and self._proc is not None and self._proc.is_alive()

    @property
    def process_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    can_drop_oldest = True

    @property
    def busy(self) -> bool:
        """Whether a reply, completion or embedding is running on the model now."""
        return self._turns.busy

    @property
    def waiting(self) -> int:
        """Replies, completions and embeddings waiting for their turn."""
        return self._turns.waiting

    def start_reply(
        self,
        messages: list[ChatMessage],
        params: SamplingParams,
        *,
        drop_oldest: bool = False,
        ignore_eos: bool = False,
        json_object: bool = False,
    ) -> Reply:
        """As :meth:`Backend.start_reply`. ``drop_oldest`` leaves out the oldest turns of a
        conversation longer than the context (``Stats.dropped_messages`` says how many);
        ``ignore_eos`` keeps generating past end-of-text, for benchmarks only; ``json_object``
        lets llama.cpp's grammar sampler allow only a JSON object.

        Iterating the reply waits (first come, first served) while another reply on this
        backend runs; ``cancel()`` during the wait ends it at once as cancelled."""
        failed = self._refuse(params)
        if failed is not None:
            return failed
        extra = {"drop_oldest": drop_oldest, "ignore_eos": ignore_eos, "json_object": json_object}
        return LocalReply(self, self._new_request(), list(messages), params, extra)

    def start_completion(self, prompt: str, params: SamplingParams) -> Reply:
        """A raw continuation of ``prompt`` (no chat template): the same events as a reply
        (``TextDelta`` pieces, then ``Stats`` or ``Error``), cancel and stop strings alike,
        and it takes its turn with the replies."""
        failed = self._refuse(params)
        if failed is not None:
            return failed
        return LocalReply(self, self._new_request(), prompt, params, {}, kind="complete")

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One embedding per text, each of unit length (as llama-server's /v1/embeddings).

        Blocks until done, waiting its turn with the replies: call it off the GUI thread and
        off an event loop. Raises :class:`EmbeddingError` when this model cannot embed, a text
        is empty or too long, or no model process is there to ask.
        """
        if not texts:
            return []
        if not self.is_loaded:
            if self.info is not None:
                raise EmbeddingError(self._process_died(), "process_died")
            raise EmbeddingError(not_loaded(), "not_loaded")
        req_id, process = self._new_request(), self._process_count
        ticket = object()
        self._turns.take(ticket)
        try:
            return self._embed(req_id, process, list(texts))
        finally:
            self._turns.give(ticket)

    def _embed(self, req_id: int, process: int, texts: list[str]) -> list[list[float]]:
        conn, proc = self._conn, self._proc
        if conn is None or proc is None:
            died = self._died
            if died is not None and died[0] == process:  # it died while this call waited
                raise EmbeddingError(died[1], "process_died")
            raise EmbeddingError(not_loaded(), "not_loaded")
        try:
            conn.send(("embed", req_id, texts))
            while True:
                if not conn.poll(POLL_S):
                    if not proc.is_alive():
                        raise EOFError
                    continue
                msg = conn.recv()
                if len(msg) > 1 and msg[1] != req_id:
                    continue  # left over from an earlier, abandoned reply
                if msg[0] == "embeddings":
                    return msg[2]
                if msg[0] == "error":
                    raise EmbeddingError(msg[3], msg[2])
        except (EOFError, OSError, ValueError):
            if self._unloading:
                raise EmbeddingError(
                    translate("core.local.host", "The model was unloaded while answering."),
                    "not_loaded",
                ) from None
            raise EmbeddingError(self._process_died(), "process_died") from None

    def _refuse(self, params: SamplingParams) -> Reply | None:
        """A reply that fails at once for bad ``params`` or no model; None when all is well."""
        try:
            params.validate()
        except OptionError as exc:
            return FailedReply(Error(str(exc), "invalid_options"))
        if not self.is_loaded:
            if self.info is not None:  # loaded once, but the process has died since
                return FailedReply(Error(self._process_died(), "process_died"))
            return FailedReply(Error(not_loaded(), "not_loaded"))
        return None

    def _new_request(self) -> int:
        with self._req_lock:  # replies may be started from several threads
            self._next_req += 1
            return self._next_req

    def close(self) -> None:
        self.unload()

    # -- loading -----------------------------------------------------------------------------

    def load(self, on_progress: Callable[[float], None] | None = None) -> LoadInfo:
        """Start the model process and load the model; blocks until loaded.

        The GPU layers are planned first (:mod:`workbench.core.local.layers`); a try that runs
        out of graphics memory is followed by one with fewer layers, down to the CPU, and
        ``LoadInfo.gpu_note`` says what happened. ``on_progress`` gets fractions from 0.0 to 1.0
        (from the calling thread; each try starts again at 0). Raises :class:`ModelLoadError`
        with a plain message on any failure, including cancellation.
        """
        try:
            self.options.validate()
        except OptionError as exc:
            raise ModelLoadError(str(exc), "invalid_options") from None
        try:
            header = check_gguf(self.path)
        except GGUFError as exc:
            raise ModelLoadError(str(exc), "bad_model_file") from None
        prompt = prompt_format(header.metadata, self.path.name, self.options)
        self._load_cancelled.clear()
        started = time.perf_counter()
        plan = self._plan()
        memory = self._layer_memory or LayerMemory()
        tries = retry_layers(plan.layers, plan.total) if plan.layers else [0]
        log.info("GPU layers: %s (tries %s)", plan.sentence(), tries)
        for i, layers in enumerate(tries):
            try:
                info = self._load_once(layers, prompt, on_progress)
            except ModelLoadError as exc:
                if exc.kind != "out_of_memory" or layers == 0:
                    raise
                memory.failed(self.path, self._count(layers, plan), plan.n_ctx)
                if self._load_cancelled.is_set() or i == len(tries) - 1:
                    raise
                log.warning("out of graphics memory with %s GPU layers; trying fewer", layers)
                continue
            used = self._count(layers, plan) if info.gpu_offload_supported else 0
            if i > 0 or (used and not plan.auto):  # a manual count that loads lifts a limit
                memory.worked(self.path, used)
            note = retry_sentence(self._count(tries[0], plan), used) if i else plan.sentence()
            total = plan.total or info.n_layers + 1
            self.info = dataclasses.replace(
                info,
                load_s=time.perf_counter() - started,
                gpu_layers=used,
                total_layers=total,
                gpu_note=note,
                gpu_retried=i > 0,
                gpu_tried=self._count(tries[0], plan),
                path=str(self.path),
            )
            log.info("model loaded: %s", self.info)
            return self.info
        raise AssertionError("unreachable: the last try returns or raises")

    def _plan(self) -> LayerPlan:
        """The GPU layers plan for this load (reads the header and measures free memory)."""
        supported, memory = self._hardware() if self._hardware is not None else (None, None)
        return plan_for_file(
            self.path,
            self.options,
            memory=memory,
            gpu_supported=supported,
            store=self._layer_memory,
        )

    @staticmethod
    def _count(layers: int, plan: LayerPlan) -> int:
        """``n_gpu_layers`` as a count (-1 means all)."""
        return (plan.total or -1) if layers < 0 else layers

    def _load_once(
        self,
        gpu_layers: int,
        prompt: formats.Choice,
        on_progress: Callable[[float], None] | None,
    ) -> LoadInfo:
        """One try: a model process loading with ``gpu_layers`` on the GPU and ``prompt``."""
        self.unload()
        self._unloading = False
        ctx = multiprocessing.get_context("spawn")
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        flag = ctx.RawValue("q", 0)
        load = self.options.to_dict()
        load["threads"] = self.options.resolved_threads()
        load["gpu_layers"] = gpu_layers
        load["prompt_template"], load["prompt_stops"] = prompt.template, list(prompt.stops)
        log_dir = paths.logs_dir()
        _prune_logs(log_dir)
        from workbench.core.local import worker

        proc = ctx.Process(
            target=worker.main,
            args=(child_conn, flag, str(self.path), load, str(log_dir)),
            name=f"workbench-model-{self.path.stem}",
            daemon=True,
        )
        started = time.perf_counter()
        with self._state_lock:
            try:
                proc.start()
            except (OSError, RuntimeError) as exc:  # no process could be started (limits, memory)
                parent_conn.close()
                child_conn.close()
                log.exception("could not start the model process")
                raise ModelLoadError(
                    translate(
                        "core.local.host",
                        "The model process could not be started ({error}); close other programs "
                        "and try again.",
                    ).format(error=exc),
                    "load_failed",
                ) from None
            child_conn.close()  # so that the child's death closes the pipe for us
            self._proc, self._conn, self._flag = proc, parent_conn, flag
            self._process_count += 1
            self._died = None
        log.info("model process %s loading %s with %s", proc.pid, self.path.name, load)
        cancel_at: float | None = None
        try:
            while True:
                if self._load_cancelled.is_set() and cancel_at is None:
                    flag.value = -1
                    cancel_at = time.monotonic()
                if cancel_at is not None and time.monotonic() - cancel_at > CANCEL_GRACE_S:
                    raise ModelLoadError(_cancelled(), "cancelled")
                try:
                    if not parent_conn.poll(POLL_S):
                        if proc.is_alive():
                            continue
                        raise EOFError
                    msg = parent_conn.recv()
                except (EOFError, OSError):
                    proc.join(1.0)
                    if cancel_at is not None:
                        raise ModelLoadError(_cancelled(), "cancelled") from None
                    tail = self._log_child_tail()
                    message = explain_exit(proc.exitcode, self.path.name)
                    # llama.cpp may abort() when the GPU runs out of memory: retry that too.
                    kind = "out_of_memory" if looks_like_out_of_memory(tail) else "process_died"
                    raise ModelLoadError(message, kind) from None
                if msg[0] == "progress":
                    if on_progress is not None:
                        on_progress(msg[1])
                elif msg[0] == "loaded":
                    info = dict(msg[1])
                    info["load_s"] = time.perf_counter() - started
                    info["prompt_format"], info["prompt_evidence"] = prompt.format, prompt.evidence
                    if on_progress is not None:
                        on_progress(1.0)
                    return LoadInfo(**info)
                elif msg[0] == "load_error":
                    _, kind, message = msg
                    raise ModelLoadError(message, kind)
        except BaseException:
            self.unload()
            raise

    def cancel_load(self) -> None:
        """Stop a ``load()`` running in another thread; it raises ModelLoadError("cancelled")."""
        self._load_cancelled.set()

    def unload(self) -> None:
        """End the model process (waits up to a few seconds, then kills it)."""
        with self._state_lock:
            proc, conn = self._proc, self._conn
            self._proc = self._conn = None
            self.info = None
            self._unloading = proc is not None
        if proc is None:
            return
        try:
            if proc.is_alive() and conn is not None:
                with contextlib.suppress(OSError, ValueError):
                    conn.send(("quit",))
                proc.join(1.0)
            if proc.is_alive():
                proc.terminate()
                proc.join(2.0)
            if proc.is_alive():
                proc.kill()
                proc.join(2.0)
        finally:
            if conn is not None:
                conn.close()
            log.info("model process %s ended (exit code %s)", proc.pid, proc.exitcode)

    # -- helpers for LocalReply ----------------------------------------------------------------

    def _process_died(self) -> str:
        proc = self._proc
        exitcode = None
        if proc is not None:
            proc.join(1.0)
            exitcode = proc.exitcode
        message = explain_exit(exitcode)
        log.warning("model process died: exit code %s", exitcode)
        self._log_child_tail()
        number = self._process_count
        self.unload()
        self._died = (number, message)  # for the replies that were waiting for this process
        return message

    def _log_child_tail(self) -> str:
        """Copy the end of the model process's native log into ours: the crash's own words.

        Returns that text ("" when there is none).
        """
        proc = self._proc
        if proc is None or proc.pid is None:
            return ""
        from workbench.core.local.worker import log_file

        try:
            with open(log_file(str(paths.logs_dir()), proc.pid), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 2000))
                text = f.read().decode("utf-8", "replace")
            log.warning("model process log (tail):\n%s", text)
            return text
        except OSError:
            return ""
