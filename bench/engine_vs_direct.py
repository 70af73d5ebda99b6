"""Workbench's engine against llama-cpp-python used directly, in one run, on the same model.

Same model, prompt, seed, sampling, context, batch and threads; rounds alternate engine/direct so
that drift on a noisy machine hits both alike. Each round uses a fresh prompt (so prompt
processing really happens) and both sides must produce the same text, which also gives both the
same token count. Prints per-round figures, medians and ratios.

    uv run python bench/engine_vs_direct.py [--model PATH] [--rounds 7] [--tokens 256]

Targets: engine generation tokens/s >= 0.97 x direct; time-to-first-token overhead <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from benchmodel import measure, model_path, prompt_for, text_pieces


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="GGUF file (default: the cached test model)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--gpu-layers", type=int, default=0)
    args = parser.parse_args()

    import llama_cpp

    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions, SamplingParams

    model = model_path(args.model)
    seed = 1234
    sampling = SamplingParams(
        temperature=0.7,
        top_p=0.95,
        top_k=40,
        min_p=0.05,
        repeat_penalty=1.1,
        max_tokens=args.tokens,
        seed=seed,
    )

    engine = LocalBackend(
        model,
        LoadOptions(
            context_length=args.ctx,
            threads=args.threads,
            gpu_layers=args.gpu_layers,
            batch_size=512,
            seed=seed,
        ),
    )
    load = engine.load()
    direct = llama_cpp.Llama(
        model_path=str(model),
        n_ctx=args.ctx,
        n_threads=args.threads,
        n_threads_batch=args.threads,
        n_batch=512,
        n_ubatch=512,
        n_gpu_layers=args.gpu_layers,
        seed=seed,
        verbose=False,
    )
    if direct.metadata.get("tokenizer.chat_template"):
        direct.chat_format = "chat_template.default"  # what the engine uses too

    def run_engine(messages):
        stats = {}
        result = measure(text_pieces(engine.start_reply(messages, sampling), stats))
        return result, stats["s"]

    def run_direct(messages):
        stream = direct.create_chat_completion(
            messages=messages,
            stream=True,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            top_k=sampling.top_k,
            min_p=sampling.min_p,
            repeat_penalty=sampling.repeat_penalty,
            max_tokens=sampling.max_tokens,
            seed=seed,
        )
        return measure(c["choices"][0]["delta"].get("content") for c in stream)

    print(
        f"model {model.name}, {args.threads} threads, ctx {args.ctx}, {args.tokens} tokens, "
        f"llama-cpp-python {llama_cpp.__version__}, engine load {load.load_s:.2f} s"
    )
    print(
        f"{'round':>5} {'engine tok/s':>13} {'direct tok/s':>13} {'engine ttft ms':>15} "
        f"{'direct ttft ms':>15} {'tokens':>7} {'same text':>9}"
    )
    rows = []
    run_engine(prompt_for(-1))  # warm-up both: first-touch page faults, thread pools
    run_direct(prompt_for(-1))
    for r in range(args.rounds):
        messages = prompt_for(r)
        if r % 2 == 0:
            (e_text, e_ttft, e_first, e_last), stats = run_engine(messages)
            d_text, d_ttft, d_first, d_last = run_direct(messages)
        else:
            d_text, d_ttft, d_first, d_last = run_direct(messages)
            (e_text, e_ttft, e_first, e_last), stats = run_engine(messages)
        n = stats.completion_tokens
        # Both sides produced the same text, so the same number of tokens; throughput counts the
        # tokens after the first over the time between the first and the last piece of text.
        e_tps = (n - 1) / (e_last - e_first)
        d_tps = (n - 1) / (d_last - d_first)
        same = e_text.strip() == d_text.strip()
        rows.append((e_tps, d_tps, e_ttft, d_ttft, same))
        print(
            f"{r:>5} {e_tps:>13.1f} {d_tps:>13.1f} {e_ttft * 1000:>15.1f} {d_ttft * 1000:>15.1f} "
            f"{n:>7} {'yes' if same else 'NO':>9}"
        )
    engine.unload()

    med = [statistics.median(col) for col in list(zip(*rows, strict=True))[:4]]
    e_tps, d_tps, e_ttft, d_ttft = med
    print()
    print(
        f"median generation: engine {e_tps:.1f} tok/s, direct {d_tps:.1f} tok/s, "
        f"ratio {e_tps / d_tps:.3f} (target >= 0.97)"
    )
    print(
        f"median time to first token: engine {e_ttft * 1000:.1f} ms, "
        f"direct {d_ttft * 1000:.1f} ms, "
        f"overhead {(e_ttft - d_ttft) * 1000:+.1f} ms (target <= 50 ms)"
    )
    print(f"same text in every round: {'yes' if all(r[4] for r in rows) else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
