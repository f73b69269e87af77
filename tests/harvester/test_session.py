"""Fetches use the source's timeout (on each receive, and twice it on the whole
answer), login header and retries (ckanext-dcat: none), and the session connects to
the address that was checked."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from ckanext.vndata.harvester import config
from ckanext.vndata.harvester import session as remote
from ckanext.vndata.lib import url_safety
from tests.harvester.helpers import catalogue, gather_errors
from tests.harvester.servers import recording_server
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest
from tests.quality.helpers import link_server

_source = harvest_source
CONFIG = {"timeout": 5, "requests_per_second": 100, "max_document_mb": 1}


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

    def test_a_refusal_keeps_the_status_the_server_answered(self, catalogue_server):
        handler, url = catalogue_server
        handler.pages = {"/khac": b"x"}  # 404 elsewhere
        session = remote.session_for(config.parse(json.dumps(CONFIG)), url)

        with pytest.raises(remote.FetchFailed) as failed:
            remote.fetch_text(session, url)

        assert failed.value.status == 404
        assert "404" in str(failed.value)

    def test_a_login_the_client_refuses_to_send_is_never_quoted(self, catalogue_server):
        # Saving refuses it (config.py); a login stored before that, or a token,
        # must not reach a report through http.client's message, which quotes it.
        handler, url = catalogue_server
        session = remote.session_for({**CONFIG, "auth_header": "Bearer BI-MAT\nX"}, url)

        with pytest.raises(remote.FetchFailed) as failed:
            remote.fetch_text(session, url)

        assert "BI-MAT" not in str(failed.value)
        assert "UTF-8" not in str(failed.value)  # not taken for a decoding error

    @pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
    def test_a_portal_dripping_its_answer_fails_in_time(self, path):
        # A byte (a header line) every 0.3 s for 18 s, each within the 1 s timeout
        # of a receive: the whole answer is bounded, twice the timeout.
        with link_server() as drip:
            session = remote.session_for({**CONFIG, "timeout": 1}, drip.url(path))
            started = time.monotonic()

            with pytest.raises(remote.FetchFailed, match="no answer in time"):
                remote.fetch_text(session, drip.url(path))

            assert time.monotonic() - started < 5

    def test_a_hanging_portal_times_out(self, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        handler.delay = 3
        source = _source(url, timeout=1)

        objects = run_harvest(source["id"], "vndata_dcat")

        assert objects == []
        assert gather_errors(source["id"])


@pytest.mark.usefixtures("with_plugins")
class TestSession:
    def test_https_connects_to_the_checked_address_and_verifies_the_name(
        self, monkeypatch
    ):
        real = socket.getaddrinfo

        def fake(host, *args, **kwargs):
            return real("8.8.8.8" if host == "portal.example.vn" else host, *args)

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        session = remote.session_for(CONFIG, "https://portal.example.vn/")
        adapter = session.get_adapter("https://portal.example.vn/")
        request = requests.Request("GET", "https://portal.example.vn/x").prepare()
        request.vndata_target = url_safety.check_url(request.url)

        pool = adapter.get_connection_with_tls_context(request, True)  # no traffic

        assert pool.host == "8.8.8.8"
        assert pool.conn_kw["server_hostname"] == "portal.example.vn"
        assert pool.assert_hostname == "portal.example.vn"

    def test_other_schemes_are_refused_by_the_session(self):
        session = remote.session_for(CONFIG, "http://8.8.8.8/")

        with pytest.raises(remote.FetchFailed):
            remote.fetch_text(session, "file:///etc/passwd")

    def test_environment_proxies_and_netrc_are_not_used(self):
        assert remote.session_for(CONFIG, "http://8.8.8.8/").trust_env is False


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins")
def test_a_same_origin_fetch_follows_no_redirect_to_another_port():
    """Review finding 10: a plans document redirecting to another service of an
    allowed host (a Solr admin page, say) is not read."""
    parsed = config.parse(json.dumps(CONFIG))
    with (
        recording_server("127.0.0.1") as portal,
        recording_server("127.0.0.1") as other,
    ):
        other.page("/admin", b"secret")
        portal.redirect("/ke-hoach/catalog.ttl", other.url("/admin"))
        fetch = remote.session_for(parsed, portal.url())

        with pytest.raises(remote.FetchFailed, match="redirect"):
            remote.fetch_text(fetch, portal.url("/ke-hoach/catalog.ttl"), True)
        assert other.hits == []

        assert remote.fetch_text(fetch, portal.url("/ke-hoach/catalog.ttl"))[0] == (
            "secret"
        )  # a catalogue page may still be redirected
