"""The local server's overhead: the same generation streamed through the server to an `openai`
client, and taken from LocalBackend directly, alternating in one run.

Same model, prompt, seed and sampling on both sides, so both produce the same text and the same
token count. Before each measured run a one-token reply on another question resets the model's
cache to the same state for both sides (the prompt is processed in full each time). Throughput
counts the tokens after the first over the time from the first to the last piece of text; time
to first token is measured from the call (the HTTP request, or start_reply) to the first text.

    uv run python bench/server_overhead.py [--model PATH] [--rounds 7] [--tokens 256]

Targets: streamed tokens/s through the server >= 0.95 x direct; first-token overhead <= 20 ms.
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

    import openai

    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions, SamplingParams
    from workbench.core.server import LocalServer, ServerConfig, StaticSource

    seed = 1234
    sampling = SamplingParams(temperature=0.7, max_tokens=args.tokens, seed=seed)
    backend = LocalBackend(
        model_path(args.model),
        LoadOptions(
            context_length=args.ctx, threads=args.threads, gpu_layers=args.gpu_layers, seed=seed
        ),
    )
    load = backend.load()
    server = LocalServer(StaticSource(backend), ServerConfig(port=0))
    server.start()
    client = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)

    def reset() -> None:
        for _ in backend.start_reply(prompt_for(-99), SamplingParams(max_tokens=1, seed=seed)):
            pass

    def run_direct(messages):
        reset()
        stats = {}
        result = measure(text_pieces(backend.start_reply(messages, sampling), stats))
        return result, stats["s"].completion_tokens

    def run_server(messages):
        reset()
        usage = {}

        def pieces():
            for chunk in client.chat.completions.create(
                model="",
                messages=messages,
                stream=True,
                stream_options={"include_usage": True},
                temperature=sampling.temperature,
                top_p=sampling.top_p,
                max_tokens=sampling.max_tokens,
                seed=seed,
                extra_body={
                    "top_k": sampling.top_k,
                    "min_p": sampling.min_p,
                    "repeat_penalty": sampling.repeat_penalty,
                },
            ):
                if chunk.usage is not None:
                    usage["n"] = chunk.usage.completion_tokens
                if chunk.choices:
                    yield chunk.choices[0].delta.content

        return measure(pieces()), usage["n"]

    print(
        f"model {backend.model_name}, {args.threads} threads, ctx {args.ctx}, {args.tokens} "
        f"tokens, load {load.load_s:.2f} s, server at {server.url}"
    )
    print(
        f"{'round':>5} {'server tok/s':>13} {'direct tok/s':>13} {'server ttft ms':>15} "
        f"{'direct ttft ms':>15} {'tokens':>7} {'same text':>9}"
    )
    rows = []
    run_server(prompt_for(-1))  # warm-up both: connections, thread pools, page faults
    run_direct(prompt_for(-1))
    for r in range(args.rounds):
        messages = prompt_for(r)
        if r % 2 == 0:
            (s_text, s_ttft, s_first, s_last), n = run_server(messages)
            (d_text, d_ttft, d_first, d_last), n_direct = run_direct(messages)
        else:
            (d_text, d_ttft, d_first, d_last), n_direct = run_direct(messages)
            (s_text, s_ttft, s_first, s_last), n = run_server(messages)
        s_tps = (n - 1) / (s_last - s_first)
        d_tps = (n_direct - 1) / (d_last - d_first)
        same = s_text == d_text
        rows.append((s_tps, d_tps, s_ttft, d_ttft, same))
        print(
            f"{r:>5} {s_tps:>13.1f} {d_tps:>13.1f} {s_ttft * 1000:>15.1f} {d_ttft * 1000:>15.1f} "
            f"{n:>7} {'yes' if same else 'NO':>9}"
        )
    server.stop()
    backend.unload()

    s_tps, d_tps, s_ttft, d_ttft = (
        statistics.median(col) for col in list(zip(*rows, strict=True))[:4]
    )
    print()
    print(
        f"median streamed generation: server {s_tps:.1f} tok/s, direct {d_tps:.1f} tok/s, "
        f"ratio {s_tps / d_tps:.3f} (target >= 0.95)"
    )
    print(
        f"median time to first token: server {s_ttft * 1000:.1f} ms, direct {d_ttft * 1000:.1f} "
        f"ms, overhead {(s_ttft - d_ttft) * 1000:+.1f} ms (target <= 20 ms)"
    )
    print(f"same text in every round: {'yes' if all(r[4] for r in rows) else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
