"""Console output for the windowed Windows build.

The packaged app is built with ``console=False`` so that no console window opens with it from
the Start menu. Windows then starts it without standard streams: ``sys.stdout`` and
``sys.stderr`` are None and ``print`` writes nothing. ``Workbench.exe --selftest`` typed into
cmd or PowerShell must still show its report, so :func:`attach_console` borrows the console of
the process that started it.

cmd and PowerShell don't wait for a windowed program, so the report may appear after the next
prompt; ``start /wait Workbench.exe --selftest`` (cmd) or ``Start-Process -Wait -NoNewWindow``
(PowerShell) wait for it. Output redirected to a file or a pipe needs none of this: the streams
exist then, and attach_console leaves them alone.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

# AttachConsole's "the parent process" (ATTACH_PARENT_PROCESS, (DWORD)-1).
ATTACH_PARENT_PROCESS = -1


def _kernel32() -> Any:
    import ctypes

    return ctypes.windll.kernel32  # type: ignore[attr-defined]  # exists on Windows only


def _open_console() -> TextIO:
    # The console opened by name is written as UTF-16 through WriteConsoleW whatever the code
    # page, so Chinese text shows as it is; the stream stays open for the life of the process.
    return open("CONOUT$", "w", encoding="utf-8", buffering=1)


def attach_console() -> bool:
    """Point missing ``sys.stdout``/``sys.stderr`` at the parent's console; True if it did.

    Does nothing (and returns False) off Windows, when ``sys.stdout`` exists (a console build,
    or output redirected to a file or a pipe), and when there is no console to attach to (started
    from Explorer or a shortcut). Never raises: the caller goes on without console output.
    """
    if sys.platform != "win32" or sys.stdout is not None:
        return False
    try:
        if not _kernel32().AttachConsole(ATTACH_PARENT_PROCESS):
            return False
        stream = _open_console()
    except Exception:
        return False
    sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    return True
