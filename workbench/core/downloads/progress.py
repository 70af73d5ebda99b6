"""Progress of one file's transfer: what is reported, and how often."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# At most this many reports a second reach the caller (the last one is always forced through).
_PROGRESS_INTERVAL = 0.1
# The speed is averaged over about this many seconds.
_SPEED_WINDOW = 3.0


@dataclass(frozen=True)
class TransferProgress:
    """Where a transfer stands.

    ``phase`` is "download", or "hashing" while the checksum of a ``.part`` left by an earlier
    attempt is being computed before resuming (``done`` then counts the bytes hashed).
    """

    done: int
    total: int
    speed_bps: float
    eta_s: float | None
    phase: str = "download"


class Progress:
    """Throttled progress reports with a moving-average speed."""

    def __init__(self, callback: Callable[[TransferProgress], None] | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self._samples: deque[tuple[float, int]] = deque()
        self._last = 0.0

    def reset(self) -> None:
        self._samples.clear()

    def report(self, done: int, *, force: bool = False, phase: str = "download") -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self._last < _PROGRESS_INTERVAL:
            return
        self._last = now
        speed, eta = 0.0, None
        if phase == "download":
            samples = self._samples
            samples.append((now, done))
            while len(samples) > 2 and now - samples[1][0] >= _SPEED_WINDOW:
                samples.popleft()
            t0, d0 = samples[0]
            if now > t0 and done >= d0:
                speed = (done - d0) / (now - t0)
            if speed > 0 and self.total:
                eta = max(0, self.total - done) / speed
        self.callback(TransferProgress(done, self.total, speed, eta, phase))
