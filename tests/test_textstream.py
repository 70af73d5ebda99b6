"""Token bytes to text and stop strings, without a model: the pieces of the token loop."""

from __future__ import annotations

import pytest

from workbench.core.local.prompt import keep_after, turn_starts
from workbench.core.local.textstream import StopMatcher, TokenText

PIECES = {
    1: "你".encode()[:2],  # a character split over two tokens (byte fallback)
    2: "你".encode()[2:],
    3: b"ok",
    4: b"\xff",  # never valid UTF-8
    5: "好".encode()[:1],
}


def decode(tokens: list[int]) -> list[str]:
    text = TokenText(PIECES.__getitem__)
    return [text.feed(t) for t in tokens] + [text.flush()]


def test_a_character_split_over_tokens_waits_only_for_its_own_bytes():
    assert decode([3, 1, 2, 3]) == ["ok", "", "你", "ok", ""]


def test_invalid_bytes_become_a_replacement_character_without_stalling():
    # The bad byte shows at once as U+FFFD and the text after it is not held back.
    assert decode([4, 3, 3]) == ["\ufffd", "ok", "ok", ""]


def test_a_reply_ending_inside_a_character_ends_with_a_replacement_character():
    assert "".join(decode([3, 5])) == "ok\ufffd"


def test_pieces_are_asked_once_per_token():
    asked = []

    def piece(t):
        asked.append(t)
        return PIECES[t]

    text = TokenText(piece)
    for t in [3, 3, 3, 1, 2, 1, 2]:
        text.feed(t)
    assert sorted(asked) == [1, 2, 3]


def stream(stops, parts):
    m = StopMatcher(stops)
    shown = [m.feed(p) for p in parts]
    return shown, m.flush(), m.stopped


def test_a_stop_string_split_across_tokens_is_caught_and_not_shown():
    shown, rest, stopped = stream(["</answer>"], ["The end", "</an", "swer", "> more"])
    assert "".join(shown) + rest == "The end"
    assert stopped


def test_only_a_possible_start_of_a_stop_string_is_held_back():
    shown, rest, stopped = stream(["STOP"], ["abc S", "T", "x", "yz"])
    # "S" and "ST" could start "STOP": held; "STx" cannot: released with the next piece.
    assert shown == ["abc ", "", "STx", "yz"]
    assert rest == "" and not stopped


def test_held_text_that_never_became_a_stop_string_is_shown_at_the_end():
    shown, rest, stopped = stream(["STOP"], ["abc ST"])
    assert shown == ["abc "] and rest == "ST" and not stopped


def test_the_earliest_stop_string_wins_and_nothing_after_it_is_shown():
    shown, rest, stopped = stream(["world", "lo w"], ["hel", "lo world and more"])
    assert "".join(shown) + rest == "hel" and stopped
    shown, rest, stopped = stream(["b", "abc"], ["xabc"])
    assert "".join(shown) + rest == "x"


def test_no_stop_strings_passes_text_through():
    assert stream([], ["a", "b"]) == (["a", "b"], "", False)


def test_held_back_text_is_bounded_by_the_longest_stop_string():
    m = StopMatcher(["<|end|>"])
    for _ in range(1000):
        m.feed("<|en")  # never completes: "<|en<|en" is not a prefix of the stop
    assert len(m._held) < len("<|end|>")


def conversation(*roles):
    return [{"role": r, "content": f"{r} {i}"} for i, r in enumerate(roles)]


@pytest.mark.parametrize(
    ("roles", "cuts"),
    [
        (("user", "assistant", "user", "assistant", "user"), [2, 4]),
        (("system", "user", "assistant", "user"), [3]),
        (("system", "user"), [1]),
        (("user",), [0]),
    ],
)
def test_conversations_are_cut_only_before_a_user_message(roles, cuts):
    assert turn_starts(conversation(*roles)) == cuts


def test_cutting_keeps_the_system_prompt():
    msgs = conversation("system", "user", "assistant", "user", "assistant", "user")
    kept = keep_after(msgs, 3)
    assert [m["role"] for m in kept] == ["system", "user", "assistant", "user"]
    assert kept[0] is msgs[0] and kept[-1] is msgs[-1]
