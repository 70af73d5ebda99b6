"""Find a Hub address that works from here: huggingface.co and hf-mirror.com side by side.

Users in mainland China cannot reach huggingface.co, and others should not depend on a mirror.
Each candidate gets one cheap API call at the same time as the others, with a short timeout; the
first (in the candidates' order, among those that answered) whose answer looks like the Hub's
wins. Nothing here raises for a failing candidate: :class:`ProbeResult` says what happened.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2

from workbench import __version__
from workbench.core.i18n import translate
from workbench.core.settings import HUB_DEFAULT, HUB_MIRROR, normalize_endpoint

log = logging.getLogger(__name__)

CANDIDATES = (HUB_DEFAULT, HUB_MIRROR)
TIMEOUT_S = 4.0
GRACE_S = 0.75
#: Tests (and people behind other mirrors) name the candidates, comma-separated.
CANDIDATES_ENV = "WORKBENCH_HUB_CANDIDATES"


@dataclass(frozen=True)
class ProbeResult:
    """The outcome: ``endpoint`` is the address that answered, or None if none did."""

    endpoint: str | None
    failures: tuple[tuple[str, str], ...] = ()  # (candidate, why) for those that did not answer

    def message(self) -> str:
        """One sentence for the user when no candidate answered; "" otherwise."""
        if self.endpoint is not None:
            return ""
        hosts = [urlsplit(c).netloc or c for c, _ in self.failures]
        if not hosts:
            return translate(
                "core.hub.probe",
                "The Hub did not answer; check your internet connection, or set a Hub address "
                "in Settings › Hub.",
            )
        if len(hosts) == 1:
            text = translate(
                "core.hub.probe",
                "{host} did not answer; check your internet connection, or set a Hub address "
                "in Settings › Hub.",
            )
            return text.format(host=hosts[0])
        if len(hosts) == 2:
            text = translate(
                "core.hub.probe",
                "Neither {first} nor {second} answered; check your internet connection, or set "
                "a Hub address in Settings › Hub.",
            )
            return text.format(first=hosts[0], second=hosts[1])
        text = translate(
            "core.hub.probe",
            "None of {hosts} answered; check your internet connection, or set a Hub address in "
            "Settings › Hub.",
        )
        return text.format(hosts=", ".join(hosts))


def candidates_from_env(environ=None) -> tuple[str, ...]:
    """The candidates to try: ``WORKBENCH_HUB_CANDIDATES`` if set, else the official Hub and
    the mirror."""
    environ = os.environ if environ is None else environ
    text = (environ.get(CANDIDATES_ENV) or "").strip()
    if not text:
        return CANDIDATES
    return tuple(normalize_endpoint(part) for part in text.split(",") if part.strip())


def check(endpoint: str, timeout: float = TIMEOUT_S) -> str | None:
    """Ask ``endpoint`` for one GGUF model; None if it answered like the Hub, else why not."""
    url = f"{endpoint.rstrip('/')}/api/models"
    params = {"filter": "gguf", "limit": "1"}
    headers = {"User-Agent": f"workbench/{__version__}"}  # never a token: any host may answer
    try:
        r = httpx2.get(url, params=params, headers=headers, timeout=timeout, follow_redirects=True)
    except httpx2.HTTPError as exc:
        return type(exc).__name__
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    try:
        data = r.json()
    except ValueError:
        return "not JSON"
    if not isinstance(data, list) or (data and not isinstance(data[0], dict)):
        return "not a model list"
    if data and "id" not in data[0] and "modelId" not in data[0]:
        return "not a model list"
    return None


def probe(candidates: tuple[str, ...] | None = None, timeout: float = TIMEOUT_S) -> ProbeResult:
    """Try the candidates at once and take the first that answers correctly.

    An earlier candidate (huggingface.co before the mirror) still wins if it answers correctly
    within ``GRACE_S`` of a later one. Waits at most about ``timeout`` seconds in all.
    """
    candidates = tuple(candidates) if candidates else candidates_from_env()
    pool = ThreadPoolExecutor(max_workers=len(candidates), thread_name_prefix="hub-probe")
    answers: dict[str, str | None] = {}
    try:
        futures = {pool.submit(check, c, timeout): c for c in candidates}
        pending = set(futures)
        deadline = time.monotonic() + timeout + 1
        while pending:
            left = deadline - time.monotonic()
            if _winner(candidates, answers) is not None:
                left = min(left, GRACE_S)  # only earlier candidates are still awaited
            if left <= 0:
                break
            done, pending = wait(pending, timeout=left, return_when="FIRST_COMPLETED")
            if not done:
                break
            for future in done:
                answers[futures[future]] = future.result()
            chosen = _winner(candidates, answers)
            if chosen is not None and all(
                c in answers for c in candidates[: candidates.index(chosen)]
            ):
                break
        chosen = _winner(candidates, answers)
        failures = tuple(
            (c, answers.get(c) or "no answer") for c in candidates if answers.get(c, "") is not None
        )
        if chosen is None:
            log.warning("no Hub address answered: %s", failures)
        else:
            log.info("Hub probe chose %s (not answering: %s)", chosen, failures)
        return ProbeResult(chosen, failures if chosen is None else ())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _winner(candidates: tuple[str, ...], answers: dict[str, str | None]) -> str | None:
    return next((c for c in candidates if c in answers and answers[c] is None), None)
