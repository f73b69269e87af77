"""Alembic environment of vndata_quality: see migration/alembic_env.py."""

import os

from ckanext.vndata.migration.alembic_env import run

run(os.path.basename(os.path.dirname(__file__)))
