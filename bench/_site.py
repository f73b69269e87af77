"""Load a CKAN app from test.ini (URLs set by scripts/bench.sh) for benchmarks."""

from __future__ import annotations

import pathlib

from ckan.cli import load_config
from ckan.config.middleware import make_app

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load_site(ini: str | None = None, **options: str):
    """Return the CKAN app (scripts/bench.sh has prepared an empty database).

    ``ini`` replaces test.ini (the national benchmarks load the cluster's portal);
    ``options`` override its settings (dots written as double underscores)."""
    config = load_config(ini or str(ROOT / "test.ini"))
    for key, value in options.items():
        config[key.replace("__", ".")] = value
    return make_app(config)
