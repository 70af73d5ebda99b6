"""The price list: lookup order, cost arithmetic, display, and a hand-broken prices.json."""

from __future__ import annotations

import json

import pytest

from workbench.core.cloud.prices import (
    DEFAULT_PRICES,
    Price,
    PriceTable,
    cost,
    format_cost,
)


def test_first_use_writes_the_defaults(workbench_home):
    table = PriceTable()
    assert table.entries() == DEFAULT_PRICES
    data = json.loads((workbench_home / "prices.json").read_text())
    assert "_note" in data  # a comment for people who edit the file
    assert data["gpt-4o-mini*"] == [0.15, 0.6]
    assert table.warning is None
    for key in (
        "gpt-4o*",
        "gpt-4.1*",
        "o3",
        "o4-mini*",
        "gpt-5",
        "gpt-5-mini*",
        "deepseek-chat",
        "deepseek-reasoner",
    ):
        assert key in DEFAULT_PRICES


def test_lookup_order(workbench_home):
    (workbench_home / "prices.json").write_text(
        json.dumps(
            {
                "gpt-4o*": [2.5, 10],
                "gpt-4o-mini*": [0.15, 0.6],
                "gpt-4o-mini": [0.2, 0.8],
                "openrouter:gpt-4o-mini": [0.3, 1.2],
                "deepseek-chat": [0.28, 0.42],
                "Llama-3.3-70B*": [0.88, 0.88],
            }
        )
    )
    table = PriceTable()
    # Exact provider:model beats exact model, which beats any prefix.
    assert table.lookup("openrouter", "gpt-4o-mini") == Price(0.3, 1.2)
    assert table.lookup("openai", "gpt-4o-mini") == Price(0.2, 0.8)
    # The longest prefix wins: the mini snapshot is not priced as gpt-4o.
    assert table.lookup("openai", "gpt-4o-mini-2024-07-18") == Price(0.15, 0.6)
    assert table.lookup("openai", "gpt-4o-2024-08-06") == Price(2.5, 10)
    # OpenRouter's "vendor/model" names match after the vendor is taken off.
    assert table.lookup("openrouter", "deepseek/deepseek-chat") == Price(0.28, 0.42)
    assert table.lookup("openrouter", "openai/gpt-4o-2024-11-20") == Price(2.5, 10)
    # Case does not matter (Together writes model ids in mixed case).
    assert table.lookup("together", "meta-llama/llama-3.3-70b-instruct-turbo") == Price(0.88, 0.88)
    # Unknown models have no price; local providers cost nothing.
    assert table.lookup("openai", "text-davinci-001") is None
    assert table.lookup("ollama", "gpt-4o") is None
    assert table.lookup("my-box", "gpt-4o", local=True) is None
    assert table.lookup(None, "gpt-4o") == Price(2.5, 10)
    assert table.lookup("openai", "") is None


def test_default_prefixes_do_not_swallow_other_models():
    table = PriceTable()
    assert table.lookup("openai", "gpt-4o-mini") == DEFAULT_PRICES["gpt-4o-mini*"]
    assert table.lookup("openai", "gpt-4.1-mini-2025-04-14") == DEFAULT_PRICES["gpt-4.1-mini*"]
    assert table.lookup("openai", "gpt-5-mini") == DEFAULT_PRICES["gpt-5-mini*"]
    assert table.lookup("openai", "o3") == DEFAULT_PRICES["o3"]
    # o3-pro is priced very differently and is not in the table: unknown, not guessed.
    assert table.lookup("openai", "o3-pro") is None
    assert table.lookup("deepseek", "deepseek-reasoner") == DEFAULT_PRICES["deepseek-reasoner"]


def test_cost_against_hand_computed_figures():
    # 1,234 prompt tokens at $2.50/M = $0.003085; 567 completion tokens at $10/M = $0.00567.
    assert cost(Price(2.5, 10.0), 1234, 567) == pytest.approx(0.008755)
    # 1M in + 1M out at $0.15 / $0.60 = $0.75 exactly.
    assert cost(Price(0.15, 0.6), 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert cost(Price(0.28, 0.42), 0, 0) == 0


@pytest.mark.parametrize(
    "dollars,text",
    [
        (None, ""),
        (0.0, "$0"),
        (0.00004, "< $0.0001"),
        (0.0012345, "≈ $0.0012"),
        (0.008755, "≈ $0.0088"),
        (0.123, "≈ $0.12"),
        (0.75, "≈ $0.75"),
        (12.345, "≈ $12.35"),
    ],
)
def test_format_cost(dollars, text):
    assert format_cost(dollars) == text


def test_set_and_remove_persist(workbench_home):
    table = PriceTable()
    table.set("my-model", Price(1, 2))
    table.remove("gpt-4o*")
    table.remove("never-there")  # no error
    again = PriceTable()
    assert again.lookup("custom", "my-model") == Price(1.0, 2.0)
    assert "gpt-4o*" not in again.entries()
    with pytest.raises(ValueError):
        table.set("x", Price(-1, 2))
    with pytest.raises(ValueError):
        table.set("  ", Price(1, 2))


def test_a_hand_broken_file_falls_back_to_defaults(workbench_home):
    path = workbench_home / "prices.json"
    path.write_text('{"gpt-4o": [2.5, 10],,}')
    table = PriceTable()
    assert table.entries() == DEFAULT_PRICES
    assert table.warning and "prices.json.bad" in table.warning and table.warning.endswith(".")
    assert (workbench_home / "prices.json.bad").read_text() == '{"gpt-4o": [2.5, 10],,}'
    assert json.loads(path.read_text())["gpt-4o*"] == [2.5, 10.0]


def test_bad_entries_are_skipped_with_a_warning(workbench_home):
    (workbench_home / "prices.json").write_text(
        json.dumps({"good": [1, 2], "words": "cheap", "short": [1], "neg": [-1, 2], "_note": "x"})
    )
    table = PriceTable()
    assert table.entries() == {"good": Price(1.0, 2.0)}
    assert "words" in table.warning and "neg" in table.warning and "_note" not in table.warning
