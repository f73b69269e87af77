"""Fetches use the source's timeout, login header and retries (ckanext-dcat: none)."""

from __future__ import annotations

import pytest

from tests.harvester.sources import harvest_source
from tests.harvester.test_deletion import _errors, catalogue
from tests.helpers import run_harvest

_source = harvest_source


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestFetching:
    def test_source_login_header_is_sent(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        source = _source(url, auth_header="Basic ZGVtbzpkZW1v")

        run_harvest(source["id"], "vndata_dcat")

        assert all(
            h.get("Authorization") == "Basic ZGVtbzpkZW1v" for h in handler.headers_seen
        )

    def test_server_errors_are_retried(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1, 2])
        handler.fail_first = 2
        source = _source(url)

        objects = run_harvest(source["id"], "vndata_dcat")

        assert len(objects) == 2
        assert len(handler.headers_seen) >= 3

    def test_a_hanging_portal_times_out(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        handler.delay = 3
        source = _source(url, timeout=1)

        objects = run_harvest(source["id"], "vndata_dcat")

        assert objects == []
        assert _errors(source["id"])
