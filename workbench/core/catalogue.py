"""The starter catalogue: widely used instruct models, and the one to recommend for this computer.

``resources/catalogue.json`` lists GGUF repositories by family, size tier, languages, licence and
the quantizations to take, in order of preference. It names repositories, not files: the file is
found in the repository's listing when a recommendation is made, by its quantization label, so a
publisher renaming a file does not break the catalogue, and a repository that has gone (404) is
skipped. Split models count only when every part is listed (see
:func:`~workbench.core.hub.models.build_entries`).

The fit comes from the real header, read over range requests as the Discover badges read it, and
:func:`~workbench.core.fit.estimate_fit`. A starter is *comfortable*: all on the GPU when this
build can use one, otherwise small enough to answer at a readable speed on the processor.

``WORKBENCH_CATALOGUE`` names another catalogue file (tests point it at their own Hub's models).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.fit import FitEstimate, GiB, estimate_fit
from workbench.core.hub.models import ModelEntry, RepoDetails
from workbench.core.i18n import translate
from workbench.core.sysmem import MemoryInfo

CATALOGUE_ENV = "WORKBENCH_CATALOGUE"
#: Context length the recommendation is sized for: room for a real conversation.
DEFAULT_CONTEXT = 8192
#: Without a usable GPU, files up to this size still answer at a readable speed on a processor.
CPU_COMFORT_BYTES = 3 * GiB
# Before a header is read: a file needs roughly this much more for its context and buffers.
_APPROX_OVERHEAD = 1.15
_APPROX_EXTRA = 384 * 2**20


class CatalogueError(ValueError):
    """The catalogue file is missing or malformed; the message is one sentence."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One curated repository.

    Attributes:
        id: A short stable key, e.g. "qwen3-4b".
        repo: The Hub repository, "owner/name".
        name: The model's name as shown to users.
        family: "Qwen", "Llama", "Gemma", …
        params_b: Billions of parameters.
        tier: "tiny", "small", "medium", "large" or "xlarge".
        languages: ISO 639-1 codes the model handles well, strongest first.
        chinese_strong: Whether it is among the best at Chinese.
        licence: The licence's identifier on the Hub, e.g. "apache-2.0".
        quantizations: Labels to look for in the file names, preferred first.
        approx_bytes: Rough file size, to order the list before headers are read.
    """

    id: str
    repo: str
    name: str
    family: str
    params_b: float
    tier: str
    languages: tuple[str, ...]
    chinese_strong: bool
    licence: str
    quantizations: tuple[str, ...]
    approx_bytes: int


@dataclass(frozen=True)
class Pick:
    """A catalogue model resolved against the Hub: its file and how it fits here."""

    entry: CatalogueEntry
    file: ModelEntry
    revision: str | None
    fit: FitEstimate

    @property
    def repo_id(self) -> str:
        return self.entry.repo

    @property
    def size(self) -> int:
        return self.file.size


@dataclass(frozen=True)
class Recommendation:
    """One starter and its smaller and larger alternatives; ``gone`` lists skipped repositories."""

    starter: Pick | None
    smaller: Pick | None = None
    larger: Pick | None = None
    gone: tuple[str, ...] = field(default=())

    def picks(self) -> list[Pick]:
        """Starter, smaller, larger: those that exist."""
        return [p for p in (self.starter, self.smaller, self.larger) if p is not None]


def default_path() -> Path:
    """The catalogue in use: ``WORKBENCH_CATALOGUE`` or the bundled one."""
    override = os.environ.get(CATALOGUE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from workbench.resources import resource_path

    return resource_path("catalogue.json")


def _entry(item: dict) -> CatalogueEntry:
    quants = item.get("quantizations") or [item["quantization"]]
    return CatalogueEntry(
        id=str(item.get("id") or item["repo"]),
        repo=str(item["repo"]),
        name=str(item.get("name") or item["repo"].split("/")[-1]),
        family=str(item.get("family") or ""),
        params_b=float(item.get("params_b") or 0),
        tier=str(item.get("tier") or ""),
        languages=tuple(str(lang) for lang in item.get("languages") or ()),
        chinese_strong=bool(item.get("chinese_strong")),
        licence=str(item.get("licence") or ""),
        quantizations=tuple(str(q).upper() for q in quants),
        approx_bytes=int(item.get("approx_bytes") or 0),
    )


def load_catalogue(path: str | os.PathLike | None = None) -> list[CatalogueEntry]:
    """The catalogue's entries in the file's order.

    Raises:
        CatalogueError: The file is missing or not a catalogue.
    """
    where = Path(path) if path is not None else default_path()
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
        return [_entry(item) for item in data["models"]]
    except OSError as exc:
        text = translate("core.catalogue", "The model catalogue {path} cannot be read: {reason}.")
        raise CatalogueError(text.format(path=where, reason=exc.strerror or exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        text = translate(
            "core.catalogue",
            "The model catalogue {path} cannot be read: it is not a model catalogue ({error}).",
        )
        raise CatalogueError(text.format(path=where, error=type(exc).__name__)) from None


def is_chinese(language: str | None) -> bool:
    """Whether an interface language ("zh", "zh_CN", "zh-Hant-TW") is Chinese."""
    return (language or "").lower().replace("-", "_").split("_")[0] == "zh"


def ordered(entries: Sequence[CatalogueEntry], language: str | None) -> list[CatalogueEntry]:
    """The entries in the order to offer them: Chinese-strong models first for a Chinese
    interface, otherwise the catalogue's own order."""
    if not is_chinese(language):
        return list(entries)
    return sorted(entries, key=lambda e: not e.chinese_strong)  # stable: the file's order stays


def pick_file(details: RepoDetails, quantizations: Sequence[str]) -> ModelEntry | None:
    """The repository's file for the first quantization it has (complete split models only)."""
    models = [e for e in details.entries if e.kind == "model"]
    for quant in quantizations:
        matches = [e for e in models if e.quantization == quant.upper()]
        if matches:
            # One file over parts, then the smallest: some repos hold a file twice.
            return min(matches, key=lambda e: (e.is_split, e.size, e.name))
    return None


def gpu_usable(memory: MemoryInfo) -> bool:
    """Whether layers can go to a GPU (callers pass memory measured without GPUs when the
    build cannot use one)."""
    return bool(memory.gpus)


def comfortable(fit: FitEstimate, memory: MemoryInfo) -> bool:
    """All on the GPU when there is one to use; else small enough for the processor."""
    if gpu_usable(memory):
        return fit.verdict == "full_gpu"
    return fit.verdict == "cpu" and fit.model_bytes <= CPU_COMFORT_BYTES


def _approx_comfortable(entry: CatalogueEntry, memory: MemoryInfo) -> bool:
    need = entry.approx_bytes * _APPROX_OVERHEAD + _APPROX_EXTRA
    ram = memory.ram_available - GiB
    if gpu_usable(memory):
        return need <= memory.gpu_free * 0.9 and need <= ram + memory.gpu_free
    return entry.approx_bytes <= CPU_COMFORT_BYTES and need <= ram


def choose(
    entries: Sequence[CatalogueEntry],
    resolve: Callable[[CatalogueEntry], Pick | None],
    memory: MemoryInfo,
    language: str | None = None,
) -> Recommendation:
    """The starter and its alternatives, resolving as few entries as possible.

    The candidates are the Chinese-strong entries for a Chinese interface (all entries if none
    is), by size. The largest whose rough size is comfortable is resolved first; while its real
    fit is not comfortable, the next smaller one is tried. If none is, the smallest that fits at
    all is the starter. The alternatives are the nearest smaller and larger entries that exist
    and fit at all.

    Args:
        entries: The catalogue.
        resolve: Finds an entry's file and fit on the Hub; None when the repository is gone or
            has no file in the wanted quantizations.
        memory: This computer's memory (GPUs left out when the build cannot use them).
        language: The interface language, e.g. "zh_CN".
    """
    pool = (
        [e for e in ordered(entries, language) if e.chinese_strong] if is_chinese(language) else []
    )
    pool = sorted(pool or list(entries), key=lambda e: e.approx_bytes)  # stable by preference
    cache: dict[str, Pick | None] = {}
    gone: list[str] = []

    def get(i: int) -> Pick | None:
        entry = pool[i]
        if entry.id not in cache:
            cache[entry.id] = resolve(entry)
            if cache[entry.id] is None:
                gone.append(entry.repo)
        return cache[entry.id]

    if not pool:
        return Recommendation(None)
    top = max((i for i, e in enumerate(pool) if _approx_comfortable(e, memory)), default=0)
    starter_at = None
    for i in range(top, -1, -1):
        pick = get(i)
        if pick is not None and comfortable(pick.fit, memory):
            starter_at = i
            break
    if starter_at is None:  # nothing comfortable: the smallest that fits at all
        for i in range(len(pool)):
            pick = get(i)
            if pick is not None and pick.fit.verdict != "too_large":
                starter_at = i
                break
    if starter_at is None:
        return Recommendation(None, gone=tuple(gone))
    starter = get(starter_at)
    assert starter is not None

    def nearest(indices) -> Pick | None:
        for i in indices:
            pick = get(i)
            if pick is not None and pick.fit.verdict != "too_large" and pick.size != starter.size:
                return pick
        return None

    smaller = nearest(range(starter_at - 1, -1, -1))
    larger = nearest(range(starter_at + 1, len(pool)))
    return Recommendation(starter, smaller, larger, tuple(gone))


def hub_resolver(client, memory: MemoryInfo, n_ctx: int = DEFAULT_CONTEXT):
    """A ``resolve`` for :func:`choose` that asks the Hub through ``client`` (a HubClient).

    A repository that is gone, or has no file in the wanted quantizations, resolves to None;
    other Hub errors (network, rate limits) are raised, so that an unreachable Hub is reported
    instead of looking like an empty catalogue.
    """
    from workbench.core.hub.client import HubError

    def resolve(entry: CatalogueEntry) -> Pick | None:
        try:
            details = client.repo_details(entry.repo)
        except HubError as exc:
            if exc.kind in ("not_found", "gated"):
                return None
            raise
        file = pick_file(details, entry.quantizations)
        if file is None:
            return None
        try:
            shape = client.read_shape(details.repo_id, file, details.sha)
        except ValueError:  # a header without layer counts: not a usable starter
            return None
        fit = estimate_fit(shape, memory, n_ctx=n_ctx)
        return Pick(entry, file, details.sha, fit)

    return resolve


def recommend(
    client,
    memory: MemoryInfo,
    language: str | None = None,
    entries: Sequence[CatalogueEntry] | None = None,
    *,
    n_ctx: int = DEFAULT_CONTEXT,
) -> Recommendation:
    """The recommendation for this computer from the Hub behind ``client`` (blocking: run it
    off the GUI thread). Raises HubError when the Hub cannot be reached, CatalogueError when
    the catalogue cannot be read."""
    entries = load_catalogue() if entries is None else entries
    return choose(entries, hub_resolver(client, memory, n_ctx), memory, language)


def recommend_list(
    client,
    memory: MemoryInfo,
    language: str | None = None,
    more: int = 8,
    entries: Sequence[CatalogueEntry] | None = None,
) -> tuple[Recommendation, list[CatalogueEntry]]:
    """The recommendation and up to ``more`` other catalogue models whose rough size fits this
    computer, in the order to offer them (for a list such as Discover's empty search)."""
    entries = load_catalogue() if entries is None else entries
    rec = recommend(client, memory, language, entries)
    shown = {p.entry.repo for p in rec.picks()} | set(rec.gone)
    ram = memory.ram_available - GiB
    others = [
        e
        for e in ordered(entries, language)
        if e.repo not in shown and e.approx_bytes * _APPROX_OVERHEAD + _APPROX_EXTRA <= ram
    ]
    return rec, others[:more]
