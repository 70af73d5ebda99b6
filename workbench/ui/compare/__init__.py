"""The Compare page: panes side by side, blind rounds, prompt sets and the leaderboard."""
