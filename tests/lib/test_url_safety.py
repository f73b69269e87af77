"""Harvest sources may not reach private, loopback or link-local addresses, however
they are written."""

from __future__ import annotations

import pytest

from ckanext.vndata.lib import url_safety
from tests.helpers import allowing, redirect_server


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


@pytest.mark.usefixtures("with_plugins")
class TestFinalTarget:
    """url_safety.final_target: a link's redirects are followed, every hop checked."""

    @pytest.mark.parametrize(
        "internal",
        [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.7/bang.csv",
            "file:///etc/passwd",
            "http://[::ffff:127.0.0.1]:5433/",
        ],
    )
    def test_a_redirect_to_an_internal_address_is_refused(self, internal):
        with (
            redirect_server({"/a.csv": internal}) as (origin, seen),
            allowing(origin),
        ):
            with pytest.raises(url_safety.UnsafeTarget) as refused:
                url_safety.final_target(f"{origin}/a.csv")
        assert not isinstance(refused.value, url_safety.Unresolved)
        assert seen == [("HEAD", "/a.csv")]  # the internal address is never asked

    def test_redirects_to_allowed_addresses_are_followed_to_the_file(self):
        redirects = {"/a.csv": "{origin}/b", "/b": "/c.csv"}
        with (
            redirect_server(redirects, refuse_head=True) as (origin, seen),
            allowing(origin),
        ):
            target = url_safety.final_target(f"{origin}/a.csv")
        assert (target.host, target.port) == ("127.0.0.1", int(origin.split(":")[2]))
        # HEAD refused, so each hop is asked again with a GET of its first byte
        assert [path for method, path in seen if method == "GET"] == [
            "/a.csv",
            "/b",
            "/c.csv",
        ]

    def test_endless_redirects_and_silent_hosts_are_unresolved(self):
        endless = {"/a": "/b", "/b": "/a"}
        with redirect_server(endless) as (origin, _seen), allowing(origin):
            with pytest.raises(url_safety.Unresolved):
                url_safety.final_target(f"{origin}/a")
        with redirect_server({}) as (origin, _seen):
            pass  # stopped: nothing answers on its port any more
        with allowing(origin), pytest.raises(url_safety.Unresolved):
            url_safety.final_target(f"{origin}/a.csv")
        with pytest.raises(url_safety.Unresolved):
            url_safety.final_target("http://khong-co-may-chu.invalid/a.csv")
