"""First come, first served: the replies of one model process take turns.

The model process answers one request at a time. Every reply, completion and embedding on a
:class:`~workbench.core.local.host.LocalBackend` takes a turn here first, so a chat in the
window and requests from other programs wait for each other instead of failing. Waiting is
a blocked thread (the caller's job thread or the server's), never the GUI thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable


class Turns:
    """A FIFO of tickets; one holds the turn at a time."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: object | None = None

    @property
    def busy(self) -> bool:
        """Whether a ticket holds the turn."""
        return self._holder is not None

    @property
    def waiting(self) -> int:
        """Tickets waiting for the turn."""
        with self._cond:
            return len(self._queue)

    def take(self, ticket: object, given_up: Callable[[], bool] = lambda: False) -> bool:
        """Wait for ``ticket``'s turn; False (and out of the queue) once ``given_up()`` is true.

        ``given_up`` is checked whenever :meth:`wake` is called and when the turn passes on.
        """
        with self._cond:
            self._queue.append(ticket)
            try:
                while self._holder is not None or self._queue[0] is not ticket:
                    if given_up():
                        self._queue.remove(ticket)
                        self._cond.notify_all()  # the next one may be first now
                        return False
                    self._cond.wait()
                if given_up():
                    self._queue.popleft()
                    self._cond.notify_all()
                    return False
                self._queue.popleft()
                self._holder = ticket
                return True
            except BaseException:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                    self._cond.notify_all()
                raise

    def give(self, ticket: object) -> None:
        """End ``ticket``'s turn; the first waiting ticket gets it."""
        with self._cond:
            if self._holder is ticket:
                self._holder = None
                self._cond.notify_all()

    def wake(self) -> None:
        """Let waiting tickets check ``given_up`` again (a cancel from another thread)."""
        with self._cond:
            self._cond.notify_all()
