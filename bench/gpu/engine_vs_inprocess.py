"""One model at a time: the engine's model process against llama.cpp in this process.

    python3 engine_vs_inprocess.py MODEL.gguf

Same file, load settings and sampling (uniform over the vocabulary, so a model whose weights are
all zero keeps generating); prints tokens/s of each and the model process's log tail if a load
fails. Three figures: llama-cpp-python's high-level streaming (the path the engine used before
its own token loop), a bare llama_decode loop in this process without sampling (what llama-bench
tg measures), and the engine (model process, our token loop, the pipe). On the first GPU machine
lent, the old engine measured 16-26 tok/s against 505 in process.
"""

import os
import sys
import time

from workbench.core.backend import Stats
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions, SamplingParams

UNIFORM = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0, "repeat_penalty": 1.0}
MESSAGES = [{"role": "user", "content": "Write a story."}]


def engine(path: str, max_tokens: int) -> None:
    backend = LocalBackend(path, LoadOptions(gpu_layers=-1))  # as the in-process side
    try:
        backend.load()
    except ModelLoadError as exc:
        print("engine: load failed:", exc)
        home = os.environ.get("WORKBENCH_HOME", "/tmp/wbh")
        log = os.path.join(home, "logs", "model-process.log")
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                print(f.read()[-3000:])
        return
    params = SamplingParams(max_tokens=max_tokens, seed=1, **UNIFORM)
    for _ in range(2):  # the first reply warms up (CUDA graphs, caches)
        reply = backend.start_reply(MESSAGES, params, ignore_eos=True)
        stats = next(e for e in reply if isinstance(e, Stats))
    rate = stats.tokens_per_s or 0.0
    print(f"engine (model process): {stats.completion_tokens} tokens, {rate:.1f} tok/s")
    backend.unload()


def in_process(path: str, max_tokens: int) -> None:
    import llama_cpp

    options = LoadOptions()
    llm = llama_cpp.Llama(
        path,
        n_gpu_layers=-1,
        n_ctx=options.context_length,
        n_threads=options.resolved_threads(),
        verbose=False,
        seed=1,
    )
    llm.chat_format = "chat_template.default"
    for _ in range(2):
        start, n = time.perf_counter(), 0
        for _chunk in llm.create_chat_completion(
            messages=MESSAGES, stream=True, max_tokens=max_tokens, seed=1, **UNIFORM
        ):
            n += 1
        elapsed = time.perf_counter() - start
    print(f"llama.cpp in process: about {n} tokens, {n / elapsed:.1f} tok/s")

    import llama_cpp.llama_cpp as lib

    batch = lib.llama_batch_init(1, 0, 1)
    lib.llama_memory_clear(lib.llama_get_memory(llm.ctx), True)
    for _ in range(2):
        start = time.perf_counter()
        for pos in range(max_tokens):
            batch.n_tokens = 1
            batch.token[0] = 1 + pos % 100
            batch.pos[0] = pos
            batch.n_seq_id[0] = 1
            batch.seq_id[0][0] = 0
            batch.logits[0] = 1
            lib.llama_decode(llm.ctx, batch)
        elapsed = time.perf_counter() - start
        lib.llama_memory_clear(lib.llama_get_memory(llm.ctx), True)
    lib.llama_batch_free(batch)
    rate = max_tokens / elapsed
    print(f"bare llama_decode loop in process: {max_tokens} tokens, {rate:.1f} tok/s")


if __name__ == "__main__":
    os.environ.setdefault("WORKBENCH_HOME", "/tmp/wbh")
    model = sys.argv[1]
    in_process(model, 200)
    engine(model, 200)
