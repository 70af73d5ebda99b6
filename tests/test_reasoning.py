"""Splitting <think> reasoning from the answer, whatever the chunk boundaries."""

from __future__ import annotations

import random

import pytest

from workbench.core.backend import ReasoningDelta, TextDelta
from workbench.core.reasoning import ThinkSplitter


def split(chunks, **kwargs):
    splitter = ThinkSplitter(**kwargs)
    events = [e for c in chunks for e in splitter.feed(c)] + splitter.flush()
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    return answer, reasoning, events


STREAM = "<think>\nThe user wants 2+2. That is 4.\n</think>\n\nThe answer is 4 (x < y)."


def test_whole_stream():
    answer, reasoning, _ = split([STREAM])
    assert reasoning == "The user wants 2+2. That is 4.\n"
    assert answer == "The answer is 4 (x < y)."


@pytest.mark.parametrize("cut", range(1, len(STREAM)))
def test_every_two_way_split(cut):
    assert split([STREAM[:cut], STREAM[cut:]])[:2] == split([STREAM])[:2]


def test_random_chunkings_and_one_char_stream():
    expected = split([STREAM])[:2]
    assert split(list(STREAM))[:2] == expected
    rng = random.Random(1)
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, len(STREAM)), rng.randint(1, 12)))
        parts = [STREAM[a:b] for a, b in zip([0, *cuts], [*cuts, len(STREAM)], strict=True)]
        assert split(parts)[:2] == expected


def test_no_tags_is_all_answer_and_streams_immediately():
    splitter = ThinkSplitter()
    assert splitter.feed("Hello") == [TextDelta("Hello")]
    # only a possible tag start is held back
    assert splitter.feed(" a <th") == [TextDelta(" a ")]
    assert splitter.feed("ing>") == [TextDelta("<thing>")]


def test_prompt_opened_the_think_block():
    answer, reasoning, _ = split(["Let me think", ".</think>Done."], start_in_reasoning=True)
    assert reasoning == "Let me think." and answer == "Done."


def test_unclosed_think_block_stays_reasoning():
    answer, reasoning, _ = split(["<think>still going <", "/thi"])
    assert answer == "" and reasoning == "still going </thi"


def test_angle_brackets_in_answers_survive():
    answer, _, _ = split(["if a <", "b and c > d: <", "br>"])
    assert answer == "if a <b and c > d: <br>"
