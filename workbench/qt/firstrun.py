"""The first run, as the window sees it: when to welcome, and finding a starter model.

:func:`needs_welcome` is the one rule for showing the welcome page. :class:`StarterFinder` runs
the slow part off the GUI thread in one job: this computer's facts, a Hub address that answers
(when the user has not chosen one), and the catalogue's recommendation for this computer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from workbench.core.catalogue import Recommendation
from workbench.core.machine import Machine
from workbench.qt.hub import HubSession
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

#: Set to "0" to start on the chat page whatever the rule says (automation, tests).
WELCOME_ENV = "WORKBENCH_WELCOME"
#: The window-state key that remembers the welcome page is done with.
WELCOME_DONE_KEY = "welcome_done"


def needs_welcome(
    models: int | None, providers: int, conversations: int, done: bool = False
) -> bool:
    """Whether to show the welcome page instead of the chat.

    Only on a first run: no model in the library (``None`` while it is still being scanned
    counts as none), no cloud provider, no conversation, and the page not left or finished
    before. Once a model or a provider exists it never comes back (the caller then remembers
    ``done``).
    """
    if done or providers > 0 or conversations > 0 or (models or 0) > 0:
        return False
    return os.environ.get(WELCOME_ENV, "").strip() != "0"


@dataclass(frozen=True)
class StarterFacts:
    """What the welcome page shows: ``endpoint`` is the Hub address used, ``probed`` says the
    probe chose it (else it was the user's own), ``error`` is one sentence when the Hub could
    not be asked."""

    machine: Machine | None
    endpoint: str | None
    probed: bool
    recommendation: Recommendation | None
    error: str = ""


class StarterFinder(QObject):
    """Finds this computer's facts, a working Hub address and the recommended starter.

    Signals:
        found(object): a :class:`StarterFacts`.
    """

    found = Signal(object)

    def __init__(self, session: HubSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = JobRunner(self)
        self.candidates: tuple[str, ...] | None = None  # None: the probe's own candidates

    def endpoint_chosen_by_user(self) -> bool:
        """Whether the user (or ``HF_ENDPOINT``) named a Hub address: then it is not probed."""
        return self.session.settings.hub_endpoint is not None or bool(
            os.environ.get("HF_ENDPOINT", "").strip()
        )

    def find(self, language: str) -> None:
        """Start looking (latest wins); ``found`` follows."""
        session = self.session
        probe_first = not self.endpoint_chosen_by_user()
        candidates = self.candidates

        def work() -> StarterFacts:
            from workbench.core.catalogue import CatalogueError, recommend
            from workbench.core.hub.client import HubClient, HubError
            from workbench.core.hub.probe import probe
            from workbench.core.machine import detect_machine

            machine = detect_machine()
            endpoint = session.endpoint()
            if probe_first:
                result = probe(candidates)
                if result.endpoint is None:
                    return StarterFacts(machine, None, True, None, result.message())
                endpoint = result.endpoint
            allow = session.settings.hub_token_to_mirror
            try:
                client = HubClient(endpoint, session.token(), allow_mirror=allow)
                rec = recommend(client, machine.memory_for_fit(), language)
            except (HubError, CatalogueError) as exc:
                return StarterFacts(machine, endpoint, probe_first, None, str(exc))
            return StarterFacts(machine, endpoint, probe_first, rec)

        self.jobs.run(work, self._on_found, self._on_failed, slot="find")

    def _on_found(self, facts: StarterFacts) -> None:
        if facts.probed and facts.endpoint is not None:
            self.session.set_endpoint(facts.endpoint)  # saved: the next start asks no more
        self.found.emit(facts)

    def _on_failed(self, exc: Exception) -> None:
        log.error("finding a starter model failed", exc_info=exc)
        self.found.emit(
            StarterFacts(
                None,
                None,
                False,
                None,
                self.tr("Finding a model failed unexpectedly; the details are in the log file."),
            )
        )
