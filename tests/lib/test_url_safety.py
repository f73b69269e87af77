"""Harvest sources may not reach private, loopback or link-local addresses, however
they are written."""

from __future__ import annotations

import pytest

from ckanext.vndata.lib import url_safety


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
@pytest.mark.ckan_config(
    "ckanext.vndata.harvester.allowed_hosts", "127.0.0.1:8765 [::1]:8080 localhost"
)
@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8765/a.csv", True),
        ("http://127.0.0.1:5433/", False),  # the same host, another port
        ("http://127.0.0.1/a.csv", False),
        ("http://[::1]:8080/a.csv", True),
        ("http://[::1]:6380/", False),
        ("http://localhost:9999/a.csv", True),  # a host without port: any port
    ],
)
def test_an_allowed_host_with_a_port_allows_that_port_only(url, allowed):
    if allowed:
        url_safety.check_url(url)
    else:
        with pytest.raises(url_safety.UnsafeTarget):
            url_safety.check_url(url)
