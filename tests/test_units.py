"""Tests for workbench.core.units: sizes and counts as the window and the CLI write them."""

from __future__ import annotations

import pytest

from workbench.core.units import human_count, human_size


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (512, "512 B"),
        (999, "999 B"),
        (1000, "1.0 KB"),
        (98_362_432, "98.4 MB"),
        (999_960, "1.0 MB"),
        (4_100_000_000, "4.1 GB"),
        (3 * 10**15, "3,000.0 TB"),
    ],
)
def test_human_size(n, text):
    assert human_size(n) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (999, "999"),
        (820_000, "820K"),
        (134_515_008, "135M"),
        (1_100_048_384, "1.1B"),
        (7_241_732_096, "7.2B"),
        (8_030_261_248, "8B"),
        (999_700, "1M"),
        (70_553_706_496, "71B"),
        (1_500_000_000_000, "1.5T"),
    ],
)
def test_human_count(n, text):
    assert human_count(n) == text


def test_sizes_take_floats_as_speeds_do():
    # Download speeds are bytes per second as a float.
    assert human_size(512.7) == "512 B"
    assert human_size(1_234_567.8) == "1.2 MB"
