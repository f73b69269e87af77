"""One link checked against a real loopback server: each kind of answer gives its
verdict, within the deadline, and never reaches a private address."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk

from ckanext.vndata.quality import link_check
from tests.fuzz import fuzz_settings
from tests.helpers import allowing
from tests.quality.helpers import SLOW_SECONDS, link_server


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(link_check, "READ_SECONDS", 1)
    monkeypatch.setattr(link_check, "DEADLINE", 2)
    with link_server() as state, allowing(state.origin, link_check.ALLOWED_HOSTS):
        yield state


@pytest.mark.usefixtures("with_plugins")
class TestVerdicts:
    def test_a_working_link_is_ok_after_one_head(self, server):
        result = link_check.vndata_check_link(server.url("/data.csv"))

        assert result == link_check.LinkResult(200, True)
        assert server.hits("/data.csv") == ["HEAD"]

    @pytest.mark.parametrize("path, status", [("/missing", 404), ("/error", 500)])
    def test_an_http_error_is_broken_with_its_status(self, server, path, status):
        result = link_check.vndata_check_link(server.url(path))

        assert (result.status, result.ok, result.error) == (status, False, "http_error")

    def test_a_404_to_head_is_believed(self, server):
        link_check.vndata_check_link(server.url("/missing"))

        assert server.hits("/missing") == ["HEAD"]

    def test_head_refused_is_asked_again_with_a_ranged_get(self, server):
        result = link_check.vndata_check_link(server.url("/nohead"))

        assert result == link_check.LinkResult(200, True)
        assert server.hits("/nohead") == ["HEAD", "GET"]
        ranges = [h.get("Range") for m, p, h in server.requests if m == "GET"]
        assert ranges == ["bytes=0-1023"]

    def test_a_server_slower_than_the_timeout_is_a_timeout_within_the_deadline(
        self, server
    ):
        started = time.monotonic()
        result = link_check.vndata_check_link(server.url("/sleep"))

        assert (result.ok, result.error) == (False, "timeout")
        assert time.monotonic() - started < min(SLOW_SECONDS, link_check.DEADLINE + 1)

    def test_a_redirect_loop_stops_after_the_cap(self, server):
        result = link_check.vndata_check_link(server.url("/loop"))

        assert (result.ok, result.error) == (False, "too_many_redirects")
        assert len(server.hits("/loop")) == link_check.MAX_REDIRECTS + 1

    def test_a_redirect_is_followed_to_its_answer(self, server):
        result = link_check.vndata_check_link(server.url("/hop"))

        assert result == link_check.LinkResult(200, True)

    @pytest.mark.parametrize("path", ["/private", "/ten-dot"])
    def test_a_redirect_to_a_private_address_is_refused(self, server, path):
        # 127.0.0.1:port is allowed; where it redirects is not, and is not asked.
        started = time.monotonic()
        result = link_check.vndata_check_link(server.url(path))

        assert (result.status, result.ok) == (None, False)
        assert result.error == "private_address"
        assert time.monotonic() - started < 1  # refused before any connection

    def test_another_port_of_an_allowed_host_is_refused(self, server):
        result = link_check.vndata_check_link("http://127.0.0.1:9/")

        assert result.error == "port"  # neither 80/443 nor listed with its port

    def test_a_private_address_on_the_web_port_is_refused(self, server):
        result = link_check.vndata_check_link("http://127.0.0.1/")

        assert result.error == "private_address"

    def test_the_harvesters_allow_list_does_not_allow_a_link(self, server):
        # Harvest sources are a sysadmin's; resource addresses any editor's.
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(tk.config, link_check.ALLOWED_HOSTS, [])
            patch.setitem(tk.config, link_check.PORTS, str(server.port))
            with allowing(server.origin):  # the harvesters' key only
                result = link_check.vndata_check_link(server.url("/data.csv"))

        assert (result.ok, result.error) == (False, "private_address")
        assert server.requests == []

    def test_an_https_link_is_checked_and_its_untrusted_certificate_said(
        self, tls_files
    ):
        # The watched connections once failed every HTTPS request with a TypeError
        # out of the check. This certificate is signed by nobody the portal trusts.
        with (
            link_server(tls=tls_files) as https,
            allowing(https.origin, link_check.ALLOWED_HOSTS),
        ):
            result = link_check.vndata_check_link(https.url("/data.csv"))

        assert (result.ok, result.error) == (False, "connection")

    @pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
    def test_a_server_dripping_its_answer_is_cut_at_the_deadline(self, server, path):
        # Each byte comes before the read timeout: only the wall clock ends it.
        started = time.monotonic()
        result = link_check.vndata_check_link(server.url(path), deadline=2)

        assert (result.ok, result.error) == (False, "timeout")
        assert time.monotonic() - started < 2 + link_check.MARGIN

    def test_each_request_is_gated_by_host_name_and_by_address(self, server):
        keys = []

        def gate(key):
            keys.append(key)
            return contextlib.nullcontext()

        url = f"http://localhost:{server.port}/data.csv"
        with allowing(f"http://localhost:{server.port}", link_check.ALLOWED_HOSTS):
            link_check.vndata_check_link(url, gate)

        assert keys[0] == "localhost" and keys[1] in ("127.0.0.1", "::1")

    @pytest.mark.ckan_config("ckanext.vndata.quality.link_check_ports", "8080 8443")
    def test_the_ports_checked_are_the_web_ones_and_those_configured(self):
        assert link_check.vndata_link_ports() == {80, 443, 8080, 8443}
        result = link_check.vndata_check_link("http://example.org:22/")
        assert (result.ok, result.error) == (False, "port")  # not even resolved

    def test_a_slow_huge_body_is_cut_at_the_cap_quickly(self, server):
        started = time.monotonic()
        result = link_check.vndata_check_link(server.url("/huge"))

        assert result == link_check.LinkResult(200, True)
        assert time.monotonic() - started < link_check.DEADLINE
        time.sleep(0.3)  # the server notices the closed connection
        # Sent: what was read, plus what the sockets' buffers held.
        assert server.sent["/huge"] < 100 * link_check.BODY_CAP

    def test_a_host_that_limits_requests_says_when_to_come_back(self, server):
        result = link_check.vndata_check_link(server.url("/limited"))

        assert result == link_check.LinkResult(429, False, "rate_limited", 2)
        assert server.hits("/limited") == ["HEAD"]  # no second request after a 429

    def test_nothing_listening_is_a_connection_error(self, server):
        with allowing("http://127.0.0.1:9", link_check.ALLOWED_HOSTS):
            result = link_check.vndata_check_link("http://127.0.0.1:9/")

        assert (result.status, result.ok, result.error) == (None, False, "connection")


@pytest.mark.usefixtures("with_plugins")
class TestHostileAddresses:
    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "gopher://127.0.0.1:70/",
            "ftp://example.org/a.csv",
            "javascript:alert(1)",
            "",
            "http://",
            "http://a\\@127.0.0.1/",
            "http://user:pw@example.org/",
            "/relative/path.csv",
            None,
        ],
    )
    def test_an_address_that_is_not_a_web_address_is_invalid(self, url):
        result = link_check.vndata_check_link(url)

        assert (result.ok, result.error) == (False, "invalid_url")

    def test_a_huge_address_is_refused_without_a_request(self):
        started = time.monotonic()
        result = link_check.vndata_check_link("http://" + "a" * 100000 + ".vn/")

        assert (result.ok, result.error) == (False, "connection")  # no such host
        assert time.monotonic() - started < 5

    @given(url=st.text(max_size=300))
    @fuzz_settings(max_examples=60)
    def test_any_text_gives_a_verdict_never_an_exception(self, url):
        result = link_check.vndata_check_link(url, deadline=2)

        assert result.ok is False or result.status is not None
        assert result.error is None or result.error in link_check.ERRORS


class TestRetryAfter:
    @pytest.mark.parametrize(
        "value, seconds",
        [
            ("120", 120),
            (None, link_check.DEFAULT_RETRY_AFTER),
            ("soon", link_check.DEFAULT_RETRY_AFTER),
            ("99999999999", link_check.MAX_RETRY_AFTER),
            ("0", 1),
            ("Wed, 21 Oct 2015 07:28:00 GMT", 1),  # in the past
        ],
    )
    def test_retry_after_is_read_and_bounded(self, value, seconds):
        assert link_check.retry_after(value) == seconds


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestMessages:
    def test_each_error_has_a_vietnamese_message(self):
        for code in link_check.ERRORS:
            message = link_check.vndata_link_error(code, 404)
            assert message and "{" not in message

    def test_the_timeout_message_names_the_seconds(self):
        assert "10" in link_check.vndata_link_error("timeout")

    def test_an_unknown_code_has_no_message(self):
        assert link_check.vndata_link_error("nonsense") == ""
        assert link_check.vndata_link_error(None) == ""
