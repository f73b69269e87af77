"""No harvest reaches an internal address, whatever the source, a redirect, a next-page
link or a JSON-LD context says, and the source's login goes to its own origin only.

Every harvest runs through ckanext-harvest's real stages (tests.helpers.run_harvest).
The "public" portal is 127.0.0.2, the only allowed host; the internal services on
127.0.0.1 and ::1 record every request and must record none. Names that must look
public are resolved by a patched getaddrinfo: nothing leaves the machine.
"""

from __future__ import annotations

import json
import socket
import sys
import uuid

import pytest

from ckanext.harvest.model import HarvestSource

from tests.harvester.helpers import catalogue, ckan_record, gather_errors
from tests.harvester.servers import (
    INTERNAL_BODY,
    ipv6_loopback_works,
    recording_server,
)
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest

PUBLIC = "127.0.0.2"
SECRET = "Bearer so-secret"
EDUC = "http://publications.europa.eu/resource/authority/data-theme/EDUC"


@pytest.fixture
def public():
    with recording_server(PUBLIC) as server:
        yield server


@pytest.fixture
def elsewhere():
    """Another origin on the allowed host (another port): not the source's."""
    with recording_server(PUBLIC) as server:
        yield server


@pytest.fixture
def internal():
    with recording_server("127.0.0.1") as server:
        server.default = (200, {"Content-Type": "text/turtle"}, INTERNAL_BODY)
        yield server


@pytest.fixture
def internal6():
    if not ipv6_loopback_works():
        pytest.skip("this machine has no IPv6 loopback")  # the IPv4 cases still run
    with recording_server("::1") as server:
        server.default = (200, {"Content-Type": "text/turtle"}, INTERNAL_BODY)
        yield server


@pytest.fixture
def fake_dns(monkeypatch):
    """Names of our own: {name: address} answered without any DNS."""
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return real(names[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def _dcat(url: str, **config) -> dict:
    name = f"nguon-{uuid.uuid4().hex[:10]}"
    return _stored(url, name=name, deletion={"grace_days": 0}, **config)


def _ckan(url: str, **config) -> dict:
    name = f"ckan-{uuid.uuid4().hex[:10]}"
    return _stored(url, name=name, source_type="vndata_ckan", **config)


def _stored(url: str, **kwargs) -> dict:
    """A source with ``url``. The source form refuses addresses that are not http(s);
    such a one (stored before that check, or written straight to the database) is
    put in the row itself, so the harvest stages must refuse it too."""
    if url.startswith(("http://", "https://")):
        return harvest_source(url, **kwargs)
    source = harvest_source("http://portal.example.vn/catalog.ttl", **kwargs)
    row = HarvestSource.get(source["id"])
    row.url = url
    row.save()
    return {**source, "url": url}


def _refused(source: dict, harvester: str, *internal_servers) -> str:
    """Harvest ``source``; assert nothing internal was reached and the report says
    why without quoting an internal answer. Returns the report's messages."""
    objects = run_harvest(source["id"], harvester)
    for server in internal_servers:
        assert server.hits == []
    messages = "\n".join(gather_errors(source["id"]))
    assert messages, "the job report says why nothing was harvested"
    assert "INTERNAL-SECRET" not in messages
    assert not [o for o in objects if o.state == "COMPLETE" and o.package_id]
    return messages


ALLOWED_PUBLIC = pytest.mark.ckan_config(
    "ckanext.vndata.harvester.allowed_hosts", PUBLIC
)

# Ways of writing the internal server's address (port {port}).
INTERNAL_FORMS = [
    "http://127.0.0.1:{port}/catalog.ttl",
    "http://2130706433:{port}/catalog.ttl",
    "http://0x7f.1:{port}/catalog.ttl",
    "http://0x7f000001:{port}/catalog.ttl",
    "http://017700000001:{port}/catalog.ttl",
    "http://127.1:{port}/catalog.ttl",
    "http://0:{port}/catalog.ttl",
    "http://localhost:{port}/catalog.ttl",
    "http://[::ffff:127.0.0.1]:{port}/catalog.ttl",
    "http://[::127.0.0.1]:{port}/catalog.ttl",
    "http://[64:ff9b::127.0.0.1]:{port}/catalog.ttl",
    "http://[2002:7f00:1::]:{port}/catalog.ttl",
    # urlsplit reads host 8.8.8.8 (never contacted), requests 2130706433
    "http://2130706433:{port}\\@8.8.8.8/catalog.ttl",
    # userinfo naming the public host, and whitespace that parsers read differently
    "http://127.0.0.2:{port}@127.0.0.1:{port}/catalog.ttl",
    "http://127.0.0.2\t@127.0.0.1:{port}/catalog.ttl",
    "http://intranet.example.vn:{port}/catalog.ttl",
    "ftp://127.0.0.1:{port}/catalog.ttl",
    "file:///etc/passwd",
]


@ALLOWED_PUBLIC
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDcatSourceAddress:
    @pytest.mark.parametrize("form", INTERNAL_FORMS)
    def test_internal_source_address_is_never_fetched(self, form, internal, fake_dns):
        fake_dns["intranet.example.vn"] = "127.0.0.1"
        source = _dcat(form.format(port=internal.port))

        _refused(source, "vndata_dcat", internal)

    def test_ipv6_loopback_source_is_never_fetched(self, internal6):
        source = _dcat(internal6.url("/catalog.ttl"))

        messages = _refused(source, "vndata_dcat", internal6)

        assert "allowed_hosts" in messages


@pytest.mark.ckan_config(
    "ckanext.vndata.harvester.allowed_hosts", f"{PUBLIC} portal.example.vn"
)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPinnedAddress:
    def test_checked_address_is_the_one_connected_to(
        self, public, internal, monkeypatch
    ):
        """DNS rebinding: the name answers the check with the portal (127.0.0.2) and
        any later lookup with the internal service; only the checked one is reached,
        with the name kept in the Host header."""
        real = socket.getaddrinfo

        def rebinding(host, port, *args, **kwargs):
            if host == "portal.example.vn":
                caller = sys._getframe(1).f_globals["__name__"]
                host = PUBLIC if caller.endswith(".url_safety") else "127.0.0.1"
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        public.page("/catalog.ttl", catalogue([1]))
        url = f"http://portal.example.vn:{public.port}/catalog.ttl"

        objects = run_harvest(_dcat(url)["id"], "vndata_dcat")

        assert internal.hits == []
        assert [o.state for o in objects] == ["COMPLETE"]
        assert public.headers("Host") == [f"portal.example.vn:{public.port}"]


@ALLOWED_PUBLIC
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDcatRedirectsAndLinks:
    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    @pytest.mark.parametrize(
        "target",
        [
            "http://127.0.0.1:{port}/secret",
            "http://2130706433:{port}/secret",
            "http://[::ffff:127.0.0.1]:{port}/secret",
        ],
    )
    def test_redirect_to_internal_is_not_followed(
        self, status, target, public, internal
    ):
        public.redirect("/catalog.ttl", target.format(port=internal.port), status)
        source = _dcat(public.url("/catalog.ttl"), rdf_format="text/turtle")

        _refused(source, "vndata_dcat", internal)

    @pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
    def test_redirect_to_another_scheme_is_not_followed(self, target, public):
        public.redirect("/catalog.ttl", target)
        source = _dcat(public.url("/catalog.ttl"))

        messages = _refused(source, "vndata_dcat")

        assert "root:" not in messages

    def test_redirect_chain_is_cut_after_five_hops(self, public):
        for hop in range(7):
            public.redirect(f"/hop{hop}", f"/hop{hop + 1}")
        public.page("/hop7", catalogue([1]))
        source = _dcat(public.url("/hop0"))

        _refused(source, "vndata_dcat")

        assert len(public.hits) == 6

    def test_next_page_link_to_internal_is_not_fetched(self, public, internal):
        link = f"http://2130706433:{internal.port}/page2"
        public.page("/catalog.ttl", catalogue([1], next_page=link))
        source = _dcat(public.url("/catalog.ttl"))

        _refused(source, "vndata_dcat", internal)

    def test_next_page_with_backslash_trick_is_not_fetched(self, public, internal):
        link = f"http://2130706433:{internal.port}\\\\@8.8.8.8/page2"
        public.page("/catalog.ttl", catalogue([1], next_page=link))
        source = _dcat(public.url("/catalog.ttl"))

        _refused(source, "vndata_dcat", internal)

    def test_rdf_xml_external_entity_is_not_fetched(self, public, internal):
        body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "http://127.0.0.1:{internal.port}/xxe">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dct="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="http://127.0.0.2/ds/1"><dct:title>&x;</dct:title>
  </rdf:Description>
</rdf:RDF>"""
        public.page("/catalog.rdf", body.encode(), "application/rdf+xml")

        run_harvest(_dcat(public.url("/catalog.rdf"))["id"], "vndata_dcat")

        assert internal.hits == []


def _jsonld(context) -> bytes:
    return json.dumps(
        {
            "@context": context,
            "@id": "http://127.0.0.2/catalog",
            "@type": "dcat:Catalog",
        }
    ).encode()


@ALLOWED_PUBLIC
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestJsonLdContexts:
    @pytest.mark.parametrize(
        "context",
        [
            "http://127.0.0.1:{port}/context.jsonld",
            "http://2130706433:{port}/context.jsonld",
            ["http://127.0.0.1:{port}/context.jsonld"],
            {"@import": "http://127.0.0.1:{port}/context.jsonld"},
            {"dct": {"@id": "x:y", "@context": "http://127.0.0.1:{port}/c.jsonld"}},
            "file:///etc/passwd",
            "/etc/passwd",
        ],
    )
    def test_context_is_read_only_through_the_checked_session(
        self, context, public, internal
    ):
        context = json.loads(json.dumps(context).replace("{port}", str(internal.port)))
        public.page("/catalog.jsonld", _jsonld(context), "application/ld+json")
        source = _dcat(public.url("/catalog.jsonld"))

        messages = _refused(source, "vndata_dcat", internal)

        assert "root:" not in messages

    def test_context_behind_a_byte_order_mark_is_read_here_too(self, public, internal):
        page = "\ufeff".encode() + _jsonld(internal.url("/context.jsonld"))
        public.page("/catalog.jsonld", page, "application/ld+json")
        source = _dcat(public.url("/catalog.jsonld"))

        _refused(source, "vndata_dcat", internal)

    def test_context_redirecting_to_internal_is_not_followed(self, public, internal):
        public.redirect("/context.jsonld", internal.url("/context.jsonld"))
        public.page(
            "/catalog.jsonld", _jsonld("/context.jsonld"), "application/ld+json"
        )
        source = _dcat(public.url("/catalog.jsonld"))

        _refused(source, "vndata_dcat", internal)

    def test_well_known_context_is_read_from_the_shipped_copy(self, public):
        page = {
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@id": "http://127.0.0.2/catalog",
            "@type": "Catalog",
            "dataset": [
                {
                    "@id": "http://127.0.0.2/ds/1",
                    "@type": "Dataset",
                    "title": "Tập dữ liệu 1",
                    "description": "Mô tả 1",
                    "theme": {"@id": EDUC},
                }
            ],
        }
        public.page("/data.json", json.dumps(page).encode(), "application/ld+json")
        source = _dcat(public.url("/data.json"))

        objects = run_harvest(source["id"], "vndata_dcat")

        assert [o.state for o in objects] == ["COMPLETE"]
        assert [path for path, _ in public.hits] == ["/data.json"]

    def test_context_on_the_portal_itself_is_read(self, public):
        context = {"@context": {"@vocab": "http://www.w3.org/ns/dcat#"}}
        public.page("/ctx.jsonld", json.dumps(context).encode(), "application/json")
        page = {
            "@context": [
                "ctx.jsonld",
                {"title": "http://purl.org/dc/terms/title"},
                {"description": "http://purl.org/dc/terms/description"},
            ],
            "@id": "http://127.0.0.2/catalog",
            "@type": "Catalog",
            "dataset": {
                "@id": "http://127.0.0.2/ds/1",
                "@type": "Dataset",
                "title": "Tập dữ liệu 1",
                "description": "Mô tả 1",
                "theme": {"@id": EDUC},
            },
        }
        public.page("/data.json", json.dumps(page).encode(), "application/ld+json")

        source = _dcat(public.url("/data.json"))

        objects = run_harvest(source["id"], "vndata_dcat")

        assert [o.state for o in objects] == ["COMPLETE"], gather_errors(source["id"])


def _api_page(records: list[dict]) -> bytes:
    result = {"count": len(records), "results": records}
    return json.dumps({"success": True, "result": result}).encode()


SEARCH = "/api/3/action/package_search?rows=100&start={start}&sort=id+asc"


@ALLOWED_PUBLIC
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCkanApiSource:
    @pytest.mark.parametrize(
        "form",
        [
            "http://2130706433:{port}",
            "http://[::ffff:127.0.0.1]:{port}",
            "http://127.0.0.2:{port}@127.0.0.1:{port}",
            "file:///etc",
        ],
    )
    def test_internal_portal_address_is_never_fetched(self, form, internal):
        source = _ckan(form.format(port=internal.port))

        _refused(source, "vndata_ckan", internal)

    def test_search_redirecting_to_internal_is_not_followed(self, public, internal):
        public.redirect(SEARCH.format(start=0), internal.url("/api"), 307)
        source = _ckan(public.url(""))

        _refused(source, "vndata_ckan", internal)

    def test_next_api_page_redirecting_to_internal_is_not_followed(
        self, public, internal
    ):
        public.page(
            SEARCH.format(start=0), _api_page([ckan_record(1)]), "application/json"
        )
        public.redirect(SEARCH.format(start=100), internal.url("/api"))
        source = _ckan(public.url(""))

        _refused(source, "vndata_ckan", internal)

    def test_organization_lookup_redirecting_to_internal_is_not_followed(
        self, public, internal
    ):
        listed = ckan_record(1, organization={"id": "org-1", "name": "so-gd"})
        public.page(SEARCH.format(start=0), _api_page([listed]), "application/json")
        public.page(SEARCH.format(start=100), _api_page([]), "application/json")
        public.default = (302, {"Location": internal.url("/org")}, b"")

        run_harvest(_ckan(public.url(""))["id"], "vndata_ckan")

        assert internal.hits == []

    def test_answer_that_is_not_the_api_is_not_quoted(self, public):
        public.page(SEARCH.format(start=0), b"<html>" + b"x" * 5000, "text/html")
        source = _ckan(public.url(""))

        messages = _refused(source, "vndata_ckan")

        assert "xxxxxxxxxx" not in messages


@ALLOWED_PUBLIC
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestLoginGoesOnlyToTheSourceOrigin:
    def test_next_page_on_another_origin_gets_no_login(self, public, elsewhere):
        public.page("/catalog.ttl", catalogue([1], next_page=elsewhere.url("/p2")))
        elsewhere.page("/p2", catalogue([2]))
        source = _dcat(public.url("/catalog.ttl"), auth_header=SECRET)

        run_harvest(source["id"], "vndata_dcat")

        assert public.headers("Authorization") == [SECRET]
        assert elsewhere.headers("Authorization") == [None]

    def test_redirect_to_another_origin_gets_no_login(self, public, elsewhere):
        public.redirect("/catalog.ttl", elsewhere.url("/catalog.ttl"))
        elsewhere.page("/catalog.ttl", catalogue([1]))
        source = _dcat(public.url("/catalog.ttl"), auth_header=SECRET)

        objects = run_harvest(source["id"], "vndata_dcat")

        assert [o.state for o in objects] == ["COMPLETE"]
        assert public.headers("Authorization") == [SECRET]
        assert elsewhere.headers("Authorization") == [None]

    def test_redirect_within_the_origin_keeps_the_login(self, public):
        public.redirect("/catalog.ttl", "/v2/catalog.ttl")
        public.page("/v2/catalog.ttl", catalogue([1]))
        source = _dcat(public.url("/catalog.ttl"), auth_header=SECRET)

        run_harvest(source["id"], "vndata_dcat")

        assert public.headers("Authorization") == [SECRET, SECRET]

    def test_ckan_api_redirect_to_another_origin_gets_no_login(self, public, elsewhere):
        public.redirect(SEARCH.format(start=0), elsewhere.url("/search"))
        elsewhere.page("/search", _api_page([]), "application/json")
        source = _ckan(public.url(""), auth_header=SECRET)

        run_harvest(source["id"], "vndata_ckan")

        # The dataset list, then its plan list (plan_reading.py): both the source's.
        assert set(public.headers("Authorization")) == {SECRET}
        assert elsewhere.headers("Authorization") == [None]
