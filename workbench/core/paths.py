"""Where Workbench keeps its data.

One place decides every path. ``WORKBENCH_HOME`` (or ``--home DIR`` on the command line, which
sets it) moves everything — settings, database, models, logs — for tests and portable installs;
otherwise the platform's per-user data folder is used.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Workbench"
HOME_ENV = "WORKBENCH_HOME"


def data_dir() -> Path:
    """The folder that holds all of Workbench's data (created on first use)."""
    override = os.environ.get(HOME_ENV)
    path = (
        Path(override).expanduser()
        if override
        else Path(platformdirs.user_data_dir(APP_NAME, False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return data_dir() / "workbench.sqlite3"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path
