"""Estimated cost of cloud replies, from a price list the user can edit.

``prices.json`` in the data folder maps a model id (or a prefix ending in ``*``, or
``provider:model``) to ``[input, output]`` US dollars per million tokens. It starts as a copy of
:data:`DEFAULT_PRICES`. The figures are estimates: providers change prices, round differently
and bill cached or reasoning tokens their own way, so the UI always says "≈".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.i18n import translate
from workbench.core.state import JsonFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input_per_m: float
    output_per_m: float


# List prices (USD per million input / output tokens) at the time of writing; providers change
# them, so users should check their provider's pricing page and edit prices.json. A key ending
# in "*" is a prefix that also covers dated snapshots ("gpt-4o-2024-08-06").
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o*": Price(2.50, 10.00),
    "gpt-4o-mini*": Price(0.15, 0.60),
    "gpt-4.1*": Price(2.00, 8.00),
    "gpt-4.1-mini*": Price(0.40, 1.60),
    "gpt-4.1-nano*": Price(0.10, 0.40),
    "o3": Price(2.00, 8.00),
    "o3-2025*": Price(2.00, 8.00),
    "o4-mini*": Price(1.10, 4.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-2025*": Price(1.25, 10.00),
    "gpt-5-mini*": Price(0.25, 2.00),
    "gpt-5-nano*": Price(0.05, 0.40),
    "deepseek-chat": Price(0.28, 0.42),
    "deepseek-reasoner": Price(0.28, 0.42),
}

_NOTE = (
    "US dollars per million tokens, [input, output]. A key may be a model id, a prefix ending "
    "in *, or provider:model. Defaults are list prices at the time of writing: check your "
    "provider's pricing page."
)


def cost(price: Price, prompt_tokens: int, completion_tokens: int) -> float:
    """The estimated cost in US dollars of one request."""
    return (prompt_tokens * price.input_per_m + completion_tokens * price.output_per_m) / 1e6


def format_cost(dollars: float | None) -> str:
    """A cost for display: "≈ $0.0012", "< $0.0001", "$0" for free, "" when unknown."""
    if dollars is None:
        return ""
    if dollars <= 0:
        return "$0"
    if dollars < 0.0001:
        return "< $0.0001"
    # Two significant figures below a dollar, cents above: never more precision than we have.
    decimals = max(2, 1 - math.floor(math.log10(dollars)))
    return f"≈ ${dollars:.{decimals}f}"


def _price(value: Any) -> Price | None:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return None
    if not all(math.isfinite(v) and v >= 0 for v in value):
        return None
    return Price(float(value[0]), float(value[1]))


class PriceTable:
    """The user's price list, loaded on first use; each edit is made to the file as it is then
    (under its lock), and the list in memory is refreshed from what was written.

    Attributes:
        warning: One sentence when the file could not be used as written, else None.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.data_dir() / "prices.json"
        self._file = JsonFile(self.path)
        self._entries: dict[str, Price] | None = None
        self.warning: str | None = None

    def _load(self) -> dict[str, Price]:
        if self._entries is not None:
            return self._entries
        existed = self.path.exists()
        data = self._file.load()
        if not existed or not self.path.exists():
            # First use, or JsonFile found it broken and set it aside as .bad.
            if existed:
                self.warning = translate(
                    "core.cloud",
                    "The price list {path} could not be read, so the default prices are used and "
                    "the broken file was kept as {name}.",
                ).format(path=self.path, name=f"{self.path.name}.bad")
                log.warning("price list %s unreadable; kept as .bad, defaults used", self.path)
            self._entries = dict(DEFAULT_PRICES)
            # Another process may have written the first list meanwhile: then that one stays.
            self._change(lambda entries: None)
            return self._entries
        self._entries = self._parse(data)
        return self._entries

    def _parse(self, data: dict[str, Any]) -> dict[str, Price]:
        """The usable prices in the file's content; ``warning`` names the unusable ones."""
        entries: dict[str, Price] = {}
        bad: list[str] = []
        for key, value in data.items():
            if key.startswith("_"):  # "_note" and other comments
                continue
            price = _price(value)
            if price is None or not key.strip():
                bad.append(key)
            else:
                entries[key.strip()] = price
        if bad:
            names = ", ".join(bad[:5]) + ("…" if len(bad) > 5 else "")
            self.warning = translate(
                "core.cloud",
                "Some entries in {file} are not [input, output] prices and are ignored: {names}.",
            ).format(file=self.path.name, names=names)
            log.warning("%s: entries that are not prices ignored: %s", self.path.name, names)
        return entries

    def _change(self, change: Callable[[dict[str, Price]], object]) -> None:
        """Apply ``change`` (it edits a dict of prices) to the file as it is now, under its lock,
        and to the list in memory, which then holds what was written.

        A file that is missing (or was set aside) starts from the defaults. When it cannot be
        written, the change still holds in memory, so a read-only data folder gets estimates.
        """

        def apply(data: dict[str, Any]) -> dict[str, Any]:
            entries = self._parse(data) if data else dict(DEFAULT_PRICES)
            change(entries)
            out: dict[str, Any] = {"_note": _NOTE}
            out.update({k: [p.input_per_m, p.output_per_m] for k, p in sorted(entries.items())})
            return out

        try:
            written = self._file.update(apply)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.path, exc)
            change(self._entries if self._entries is not None else {})
            return
        self._entries = self._parse(written)

    def entries(self) -> dict[str, Price]:
        """All prices by key."""
        return dict(self._load())

    def set(self, key: str, price: Price) -> None:
        """Add or change a price (``key``: model id, ``prefix*`` or ``provider:model``).

        Raises:
            ValueError: An empty key or a negative or non-finite price.
        """
        key = key.strip()
        if not key:
            raise ValueError(translate("core.cloud", "The price needs a model name."))
        if _price([price.input_per_m, price.output_per_m]) is None:
            raise ValueError(
                translate("core.cloud", "Prices must be zero or more dollars per million tokens.")
            )
        self._load()
        self._change(lambda entries: entries.update({key: price}))

    def remove(self, key: str) -> None:
        """Delete a price; removing one that is not there does nothing."""
        self._load()
        # Applied to the file as it is now: it may hold the key even if this copy does not.
        self._change(lambda entries: entries.pop(key, None))

    def lookup(
        self, provider_id: str | None, model: str, *, local: bool | None = None
    ) -> Price | None:
        """The price for a model, or None when unknown or free.

        Tried in order: exact ``provider:model``; exact model id, also without a leading
        ``vendor/`` (as OpenRouter names models); then the longest prefix key ending in ``*``.
        Matching ignores case.

        Args:
            local: The provider runs on the user's machine or network, so replies cost nothing;
                None means "decide from the preset when ``provider_id`` is a preset id".
        """
        if local is None and provider_id:
            from workbench.core.cloud.providers import preset

            try:
                local = preset(provider_id).local
            except KeyError:
                local = False
        if local or not model:
            return None
        table = {k.lower(): p for k, p in self._load().items()}
        name = model.strip().lower()
        candidates = [f"{provider_id.lower()}:{name}"] if provider_id else []
        candidates.append(name)
        if "/" in name:
            candidates.append(name.split("/", 1)[1])
        for candidate in candidates:
            if candidate in table:
                return table[candidate]
        prefixes = sorted((k for k in table if k.endswith("*")), key=len, reverse=True)
        for candidate in candidates:
            for key in prefixes:
                if candidate.startswith(key[:-1]):
                    return table[key]
        return None
