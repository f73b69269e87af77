from __future__ import annotations

import pytest

from tests.harvester.province import provincial_portal_running


@pytest.fixture
def provincial_portal(tmp_path):
    """Đà Nẵng's portal in a second CKAN process: (its URL, call(action, **data))."""
    with provincial_portal_running(tmp_path) as portal:
        yield portal


@pytest.fixture(scope="module")
def corpus_db(reset_site):
    """One clean site for a module whose cases each make their own source and
    organization (a clean database per case costs seconds each, times 30 cases)."""
    import ckan.plugins as p

    p.load_all()  # the migrations are the plugins' (with_plugins is per test)
    reset_site()


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on loopback, where test.ini sends the alerts."""
    from tests.helpers import loopback_smtp

    with loopback_smtp() as inbox:
        yield inbox
