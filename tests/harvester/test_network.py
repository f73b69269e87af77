"""Harvest sources may not reach private, loopback or link-local addresses."""

from __future__ import annotations

import pytest

from ckanext.vndata.harvester import url_safety as network


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
        ],
    )
    def test_non_public_address_is_refused(self, url):
        with pytest.raises(network.UnsafeTarget) as raised:
            network.check_url(url)

        assert "allowed_hosts" in str(raised.value)

    @pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd"])
    def test_other_schemes_are_refused(self, url):
        with pytest.raises(network.UnsafeTarget):
            network.check_url(url)

    def test_public_address_is_allowed(self):
        network.check_url("http://8.8.8.8/catalog.ttl")  # checked, not contacted

    @pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
    def test_allowlisted_host_is_allowed(self):
        network.check_url("http://127.0.0.1:8999/catalog.ttl")
