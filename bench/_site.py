"""Load a CKAN app from test.ini (URLs set by scripts/bench.sh) for benchmarks."""

from __future__ import annotations

import pathlib

from ckan.cli import load_config
from ckan.config.middleware import make_app

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load_site():
    """Return the CKAN app (scripts/bench.sh has prepared an empty database)."""
    return make_app(load_config(str(ROOT / "test.ini")))
