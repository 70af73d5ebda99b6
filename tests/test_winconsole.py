"""workbench.winconsole: the windowed Windows build borrows its parent's console for output."""

from __future__ import annotations

import sys

import pytest

from workbench import winconsole
from workbench.winconsole import attach_console

not_windows = pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows path")


@not_windows
def test_no_op_off_windows():
    stdout, stderr = sys.stdout, sys.stderr
    assert attach_console() is False
    assert sys.stdout is stdout and sys.stderr is stderr


@not_windows
def test_no_op_off_windows_even_without_streams(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert attach_console() is False
    assert sys.stdout is None and sys.stderr is None


class FakeKernel32:
    def __init__(self, result):
        self.result = result
        self.calls = []

    def AttachConsole(self, pid):
        self.calls.append(pid)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


@pytest.fixture
def windowed_windows(monkeypatch):
    """Pretend to be a windowed Windows process: no standard streams, a fake kernel32.

    Called from the test itself: pytest's output capture replaces sys.stdout between a fixture's
    setup and the test.
    """

    def use(result, console=None):
        monkeypatch.setattr(sys, "platform", "win32")
        monkeypatch.setattr(sys, "stdout", None)
        monkeypatch.setattr(sys, "stderr", None)
        kernel32 = FakeKernel32(result)
        monkeypatch.setattr(winconsole, "_kernel32", lambda: kernel32)
        monkeypatch.setattr(winconsole, "_open_console", lambda: console)
        return kernel32

    return use


def test_attaches_to_the_parent_console(windowed_windows):
    console = object()
    kernel32 = windowed_windows(1, console)
    assert attach_console() is True
    assert kernel32.calls == [winconsole.ATTACH_PARENT_PROCESS]
    assert sys.stdout is console and sys.stderr is console


@pytest.mark.parametrize("result", [0, OSError("no console")])
def test_no_parent_console_leaves_the_streams_missing(windowed_windows, result):
    windowed_windows(result)
    assert attach_console() is False
    assert sys.stdout is None and sys.stderr is None


def test_redirected_output_is_left_where_it_was_sent(windowed_windows, monkeypatch, tmp_path):
    kernel32 = windowed_windows(1)
    with open(tmp_path / "report.json", "w") as redirected:
        monkeypatch.setattr(sys, "stdout", redirected)
        assert attach_console() is False
        assert sys.stdout is redirected
    assert kernel32.calls == []
