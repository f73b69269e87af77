from __future__ import annotations

import pytest

from tests.harvester.province import provincial_portal_running


@pytest.fixture
def provincial_portal(tmp_path):
    """Đà Nẵng's portal in a second CKAN process: (its URL, call(action, **data))."""
    with provincial_portal_running(tmp_path) as portal:
        yield portal
