"""Where the database URL comes from: ``--db``, else ``TRACKER_DATABASE_URL``, else a local file."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
ENV_VAR = "TRACKER_DATABASE_URL"
DEFAULT_URL = "sqlite:///tracker.db"


def database_url(option: str | None = None) -> str:
    """The URL to open: the command-line option wins over the environment and the default."""
    return option or os.environ.get(ENV_VAR) or DEFAULT_URL
