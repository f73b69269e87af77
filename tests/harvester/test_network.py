"""Harvest sources may not reach private, loopback or link-local addresses, however
they are written, and the session connects to the address that was checked."""

from __future__ import annotations

import socket

import pytest
import requests

from ckanext.vndata.harvester import network, url_safety

CONFIG = {"timeout": 5, "requests_per_second": 100, "max_document_mb": 1}


@pytest.mark.usefixtures("with_plugins")
class TestTargets:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/catalog.ttl",
            "http://localhost:5000/catalog.ttl",
            "http://10.1.2.3/catalog.ttl",
            "http://192.168.1.10/catalog.ttl",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/catalog.ttl",
            "http://2130706433/catalog.ttl",
            "http://0x7f.1/catalog.ttl",
            "http://017700000001/catalog.ttl",
            "http://0/catalog.ttl",
            "http://100.64.0.1/catalog.ttl",
            "http://224.0.0.1/catalog.ttl",
            "http://[fe80::1]/catalog.ttl",
            "http://[fec0::1]/catalog.ttl",  # deprecated site-local
            "http://[fc00::1]/catalog.ttl",
            "http://[::ffff:127.0.0.1]/catalog.ttl",
            "http://[::127.0.0.1]/catalog.ttl",
            "http://[64:ff9b::10.0.0.1]/catalog.ttl",
            "http://[2002:a00:1::]/catalog.ttl",
        ],
    )
    def test_non_public_address_is_refused(self, url):
        with pytest.raises(url_safety.UnsafeTarget) as raised:
            url_safety.check_url(url)

        assert "allowed_hosts" in str(raised.value)

    @pytest.mark.parametrize(
        "url",
        [
            "ftp://example.org/x",
            "file:///etc/passwd",
            "gopher://8.8.8.8/",
            "http://2130706433\\@8.8.8.8/catalog.ttl",
            "http://8.8.8.8\\catalog.ttl",
            "http://user:secret@8.8.8.8/catalog.ttl",
            "http://8.8.8.8@127.0.0.1/catalog.ttl",
            "http://8.8.8.8 /catalog.ttl",
            "http://8.8.8.8\t/catalog.ttl",
            "http://8.8.8.8/cata\nlog.ttl",
            "http:///catalog.ttl",
            "http://8.8.8.8:99999/catalog.ttl",
        ],
    )
    def test_other_schemes_and_ambiguous_urls_are_refused(self, url):
        with pytest.raises(url_safety.UnsafeTarget):
            url_safety.check_url(url)

    @pytest.mark.parametrize(
        "url",
        [
            "http://8.8.8.8/catalog.ttl",
            "http://[::ffff:8.8.8.8]/catalog.ttl",
            "http://[64:ff9b::8.8.8.8]/catalog.ttl",
            "http://[2002:808:808::]/catalog.ttl",
        ],
    )
    def test_public_address_is_allowed(self, url):
        url_safety.check_url(url)  # checked, not contacted

    @pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
    def test_allowlisted_host_is_allowed(self):
        target = url_safety.check_url("http://127.0.0.1:8999/catalog.ttl")

        assert target.address == "127.0.0.1"

    @pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
    def test_allowlist_matches_whole_names(self):
        with pytest.raises(url_safety.UnsafeTarget):
            url_safety.check_url("http://0.0.1/catalog.ttl")  # 0.0.0.1


@pytest.mark.usefixtures("with_plugins")
class TestSession:
    def test_https_connects_to_the_checked_address_and_verifies_the_name(
        self, monkeypatch
    ):
        real = socket.getaddrinfo

        def fake(host, *args, **kwargs):
            return real("8.8.8.8" if host == "portal.example.vn" else host, *args)

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        session = network.session_for(CONFIG, "https://portal.example.vn/")
        adapter = session.get_adapter("https://portal.example.vn/")
        request = requests.Request("GET", "https://portal.example.vn/x").prepare()
        request.vndata_target = url_safety.check_url(request.url)

        pool = adapter.get_connection_with_tls_context(request, True)  # no traffic

        assert pool.host == "8.8.8.8"
        assert pool.conn_kw["server_hostname"] == "portal.example.vn"
        assert pool.assert_hostname == "portal.example.vn"

    def test_other_schemes_are_refused_by_the_session(self):
        session = network.session_for(CONFIG, "http://8.8.8.8/")

        with pytest.raises(network.FetchFailed):
            network.fetch_text(session, "file:///etc/passwd")

    def test_environment_proxies_and_netrc_are_not_used(self):
        assert network.session_for(CONFIG, "http://8.8.8.8/").trust_env is False
