"""Compare mode: the same prompt to 2–4 targets (local models and cloud models), side by side or
blind, with votes, a leaderboard and prompt sets.

- :mod:`.targets`: what a target is (``local:PATH`` or ``PROVIDER:MODEL``) and its identity.
- :mod:`.sessions`: sessions, rounds, answers, votes and prompt sets in the conversation database.
- :mod:`.schedule`: which local targets can be loaded at the same time.
- :mod:`.blind`: hiding who is who until the vote.
- :mod:`.leaderboard`: ratings from the stored votes, CSV export.
- :mod:`.runner`: the one compare engine (command line and window): one round, per-target
  events (:mod:`.events`), per-target stop, local models kept in a :mod:`.pool`.
- :mod:`.record`: a round saved as it runs, the same way for the window and the command line.
- :mod:`.view`: what a window shows of a session, read in one go (off its GUI thread).

No Qt here, as everywhere in ``core``.
"""
