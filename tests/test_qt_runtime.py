"""The Qt binding itself: guards against known defects of the version we ship."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emission_keeps_bool_refcounts(qapp):
    """PySide6 6.12.0 lost a reference to True/False per emission, aborting Python < 3.12 at
    exit (or mid-run) with "bool_dealloc"; pyproject.toml keeps that version out."""
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(False), sys.getrefcount(True)
    for i in range(2000):
        emitter.fired.emit(i)
    after = sys.getrefcount(False), sys.getrefcount(True)
    assert len(received) == 2000
    # a few references may come and go elsewhere; a leak per emission would show as ~2000
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50


def test_void_calls_keep_none_refcount(qapp):
    """The same 6.12.0 defect dropped a reference to None per void call ("none_dealloc")."""
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor()
    before = sys.getrefcount(None)
    for _ in range(2000):
        cursor.clearSelection()
    assert abs(sys.getrefcount(None) - before) < 50
