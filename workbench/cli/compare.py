"""``workbench compare``: one prompt to 2–4 targets (local models and cloud models) at once.

A target is ``local:PATH`` or ``PROVIDER:MODEL`` (only the first colon separates), where PROVIDER
is a configured provider's id or a preset id, resolved as ``chat --provider`` does (so
``openai:MODEL`` honours ``OPENAI_BASE_URL``). Every target is checked before anything loads: a
target that does not parse, an unknown provider or a missing key is one ``error:`` line.

The answers are printed in target order, each under a header naming its target, then a table of
figures; ``--json`` prints one JSON object instead. Unless ``--no-save``, the round is kept as a
compare session, each answer saved as it streams. Exit status: 0 when every target answered,
1 when any failed (all results are still printed), 2 for usage errors, 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliError,
    add_load_options,
    add_sampling_options,
    cloud_backend,
    load_options,
    local_only_option,
    note,
    print_table,
    read_prompt,
    resolve_target,
    rounded,
    sampling,
)
from workbench.core.i18n import decimal, translate

if TYPE_CHECKING:
    from workbench.core.compare.runner import RoundResult
    from workbench.core.compare.targets import TargetSpec

log = logging.getLogger(__name__)

TITLE_CHARS = 60


# -- parser ------------------------------------------------------------------------------------


def register(sub) -> None:
    """Add the ``compare`` command to the main parser's subparsers."""
    compare = sub.add_parser(
        "compare",
        help=translate(
            "cli.compare",
            "ask 2-4 models (local or cloud) the same question and compare the answers",
        ),
        description=translate(
            "cli.compare",
            "Ask 2-4 models the same question at once and compare their answers. A target is "
            "local:PATH (a GGUF file) or PROVIDER:MODEL (a configured provider or a preset, see "
            "'workbench providers').",
        ),
    )
    compare.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="TARGET",
        help=translate("cli.compare", "local:PATH or PROVIDER:MODEL (give it 2 to 4 times)"),
    )
    compare.add_argument(
        "--prompt",
        metavar="TEXT",
        help=translate("cli.compare", "the question (read from stdin when absent)"),
    )
    compare.add_argument(
        "--system",
        metavar="TEXT",
        help=translate("cli.compare", "system prompt, sent to every target"),
    )
    compare.add_argument(
        "--json", action="store_true", help=translate("cli.compare", "print one JSON object")
    )
    compare.add_argument(
        "--no-save",
        action="store_true",
        help=translate("cli.compare", "do not keep this comparison in the history"),
    )
    # The same sampling and load options as `chat`, read by the same functions.
    add_sampling_options(
        compare.add_argument_group(translate("cli.compare", "sampling (every target)"))
    )
    add_load_options(
        compare.add_argument_group(translate("cli.compare", "loading (local targets)")),
        threads_help=translate(
            "cli.compare",
            "threads per model (default: the cores shared between models answering at once)",
        ),
    )
    compare.set_defaults(run=_compare)


# -- the command -------------------------------------------------------------------------------


class _Prepared:
    """The targets, ready to answer: their specs, backends and prices."""

    def __init__(self) -> None:
        self.specs: list[TargetSpec] = []
        self.backends: list[Any] = []
        self.prices: list[Any] = []

    def close(self) -> None:
        """End every model process and close every connection (safe to call twice)."""
        for backend in self.backends:
            try:
                backend.close()  # LocalBackend.close() unloads
            except Exception:
                log.exception("closing %s failed", getattr(backend, "model_name", backend))


def _specs(args: argparse.Namespace) -> list[TargetSpec]:
    from workbench.core.compare.targets import TargetError, check_count, parse_target

    try:
        specs = [parse_target(text) for text in args.target]
        check_count(specs)
    except TargetError as exc:
        raise CliError(
            translate("cli.compare", "{problem} (see 'workbench compare --help')").format(
                problem=exc
            ),
            EXIT_USAGE,
        ) from None
    return specs


def _prepare(args, specs: list[TargetSpec], params, load_opts, prepared: _Prepared) -> None:
    """Resolve every target and make its backend; nothing is loaded or sent yet.

    Raises:
        CliError: A local file that is not there, an unknown provider, a missing key.
    """
    from workbench.core.cloud.prices import Price, PriceTable
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions

    prices = None
    for spec in specs:
        spec.params = params.to_dict()
        spec.system_prompt = args.system or None
        if spec.is_local:
            if not Path(spec.model).exists():
                raise CliError(
                    translate("cli.compare", "{path} was not found; check the path.").format(
                        path=spec.model
                    )
                )
            spec.load = load_opts.to_dict()
            prepared.specs.append(spec)
            prepared.backends.append(LocalBackend(spec.model, LoadOptions.from_dict(spec.load)))
            prepared.prices.append(Price(0.0, 0.0))  # nothing to pay on this computer
            continue
        target = resolve_target(spec.provider)
        spec.provider = target.id
        if prices is None:
            prices = PriceTable()
            if prices.warning:
                log.warning("%s", prices.warning)
        # A server on the user's own machine or network costs nothing: $0, not "unknown".
        free = target.info.local
        price = Price(0.0, 0.0) if free else prices.lookup(target.id, spec.model, local=False)
        backend = cloud_backend(target, spec.model, price=price)
        prepared.specs.append(spec)
        prepared.backends.append(backend)
        prepared.prices.append(price)


def _compare(args: argparse.Namespace) -> int:
    """Run ``compare``; returns the exit status."""
    from workbench.core.compare.pool import ModelPool
    from workbench.core.compare.runner import RoundEntry, RoundRunner
    from workbench.core.options import OptionError

    specs = _specs(args)
    flag = local_only_option(args)
    if flag is not None and not any(s.is_local for s in specs):
        raise CliError(
            translate(
                "cli.compare",
                "{option} applies to local models only, and no target is local (see 'workbench "
                "compare --help')",
            ).format(option=flag),
            EXIT_USAGE,
        )
    params, load_opts = sampling(args), load_options(args)
    try:
        params.validate()
        load_opts.validate()
    except OptionError as exc:
        raise CliError(str(exc)) from None
    prompt = read_prompt(args)

    messages: list[dict[str, str]] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})

    prepared = _Prepared()
    pool = ModelPool()  # this round's models; closed when it ends
    store = None
    try:
        _prepare(args, specs, params, load_opts, prepared)
        if args.no_save:
            entries = [
                RoundEntry(
                    target=text,
                    backend=backend,
                    messages=list(messages),  # type: ignore[arg-type]
                    params=params,
                    local=spec.is_local,
                )
                for text, spec, backend in zip(
                    args.target, prepared.specs, prepared.backends, strict=True
                )
            ]
        else:
            store, entries = _save_round(args.target, prompt, prepared)
        runner = RoundRunner(entries, pool=pool)
        if runner.sequential:
            note(
                translate(
                    "cli.compare",
                    "the local models do not fit in memory together, so they answer one after "
                    "another",
                )
            )
        try:
            results = runner.run()
        except KeyboardInterrupt:
            print(file=sys.stdout, flush=True)
            return EXIT_INTERRUPTED
    finally:
        pool.close()
        prepared.close()
        if store is not None:
            store.close()

    if args.json:
        _print_json(results, prepared.prices)
    else:
        _print_text(results, prepared.prices)
    return 0 if all(r.ok for r in results) else EXIT_ERROR


def _save_round(texts: list[str], prompt: str, prepared: _Prepared):
    """Keep the round as a compare session, saved as it runs, as the window does.

    Returns the store, to be closed when the round is over, and the round's entries: each
    reply is saved as it streams, and a target that never started answering (its model
    failed to load, the round was cancelled) has its outcome saved as its answer.
    """
    from workbench.core.compare.record import open_round, recorded_entry
    from workbench.core.compare.sessions import CompareStore
    from workbench.core.store import Store

    store = Store()
    compare = CompareStore(store)
    title = " ".join(prompt.split())[:TITLE_CHARS] or translate("cli.compare", "Comparison")
    session = compare.create_session(title, prepared.specs)
    round_, questions = open_round(compare, session.id, prompt, compare.targets(session.id))
    entries = [
        recorded_entry(compare, round_.id, question, backend, target=text)
        for text, question, backend in zip(texts, questions, prepared.backends, strict=True)
    ]
    return store, entries


# -- output ------------------------------------------------------------------------------------


def _cost(result: RoundResult, price) -> float | None:
    from workbench.core.cloud.prices import cost

    stats = result.stats
    if stats is None:
        return None
    if stats.cost is not None:
        return stats.cost
    if price is not None:
        return cost(price, stats.prompt_tokens, stats.completion_tokens)
    return None


def _figures(result: RoundResult, price) -> dict[str, Any]:
    stats = result.stats
    spent = _cost(result, price)
    return {
        "ttft_s": rounded(stats.ttft_s) if stats else None,
        "tokens_per_s": rounded(stats.tokens_per_s) if stats else None,
        "completion_tokens": stats.completion_tokens if stats else None,
        "cost": None if spent is None else round(spent, 8),
    }


def _print_json(results: list[RoundResult], prices: list) -> None:
    data = {
        "results": [
            {
                "target": r.target,
                "text": r.text,
                "reasoning": r.reasoning,
                "stats": _figures(r, price),
                "error": r.error,
            }
            for r, price in zip(results, prices, strict=True)
        ]
    }
    print(json.dumps(data, ensure_ascii=False))


def _print_text(results: list[RoundResult], prices: list) -> None:
    out = sys.stdout
    for r in results:
        out.write(f"=== {r.target} ===\n")
        if r.text:
            out.write(r.text.rstrip("\n") + "\n")
        if r.error:
            out.write(
                translate("cli.compare", "(failed: {problem})").format(problem=r.error) + "\n"
            )
        out.write("\n")
    rows = [
        (
            translate("cli.compare", "TARGET"),
            translate("cli.compare", "FIRST TOKEN"),
            translate("cli.compare", "TOK/S"),
            translate("cli.compare", "TOKENS"),
            translate("cli.compare", "COST"),
            translate("cli.compare", "STATUS"),
        )
    ]
    for r, price in zip(results, prices, strict=True):
        f = _figures(r, price)
        ttft = "-"
        if f["ttft_s"] is not None:
            ttft = translate("cli.compare", "{seconds} s").format(seconds=decimal(f["ttft_s"], 2))
        if r.ok:
            status = translate("cli.compare", "ok")
        else:
            status = translate("cli.compare", "failed: {problem}").format(problem=r.error)
        rows.append(
            (
                r.target,
                ttft,
                "-" if f["tokens_per_s"] is None else decimal(f["tokens_per_s"], 1),
                "-" if f["completion_tokens"] is None else str(f["completion_tokens"]),
                "-" if f["cost"] is None else f"${decimal(f['cost'], 6)}",
                status,
            )
        )
    print_table(rows)
    out.flush()
