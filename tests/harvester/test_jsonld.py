"""Remote JSON-LD contexts replaced by the contexts themselves before rdflib sees a
page: shipped copies for well-known ones, the harvest's session for the others, and
refusals past the limits.

That no context reaches an internal address, however it is written, is proven by
whole harvests in test_ssrf.py (TestJsonLdContexts); here the module's own functions,
with a real loopback portal serving the contexts.
"""

from __future__ import annotations

import json

import pytest

from ckanext.vndata.harvester import jsonld
from ckanext.vndata.harvester import session as remote

CONFIG = {"timeout": 5, "requests_per_second": 100, "max_document_mb": 1}
TERMS = {"@context": {"title": "http://purl.org/dc/terms/title"}}


def page(context) -> str:
    return json.dumps({"@context": context, "@id": "http://x/1", "title": "Một"})


def served(handler, pages: dict[str, dict | bytes]) -> None:
    handler.content_type = "application/ld+json"
    handler.pages = {
        path: body if isinstance(body, bytes) else json.dumps(body).encode()
        for path, body in pages.items()
    }


@pytest.fixture
def portal(ckan_config, catalogue_server):
    """(handler, the page's address, inline(text)) on the loopback portal."""
    handler, url = catalogue_server
    page_url = url.replace("/catalog.ttl", "/data/catalog.jsonld")
    session = remote.session_for(CONFIG, page_url)

    def inline(text: str, rdf_format: str | None = "json-ld") -> str:
        return jsonld.inline_contexts(text, page_url, session, rdf_format)

    return handler, page_url, inline


# The loopback portal is reachable only as an allowed host (url_safety.py).
ALLOWED = pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")


@ALLOWED
class TestInlining:
    def test_a_remote_context_is_read_through_the_session_and_put_in_the_page(
        self, portal
    ):
        handler, page_url, inline = portal
        served(handler, {"/data/ctx.jsonld": TERMS})
        remote_url = page_url.replace("catalog.jsonld", "ctx.jsonld")

        inlined = json.loads(inline(page(remote_url)))

        assert inlined["@context"] == TERMS["@context"]
        assert len(handler.headers_seen) == 1

    def test_relative_contexts_and_imports_are_resolved_against_their_document(
        self, portal
    ):
        handler, _page_url, inline = portal
        served(
            handler,
            {
                "/data/a.jsonld": {"@context": "sub/b.jsonld"},
                "/data/sub/b.jsonld": {
                    "@context": {"@import": "c.jsonld", "title": "http://t/"}
                },
                "/data/sub/c.jsonld": {"@context": {"title": "x:y", "n": "x:n"}},
            },
        )

        inlined = json.loads(inline(page(["a.jsonld", {"k": "x:k"}])))

        # The importing context's own terms win over the imported ones (as in rdflib).
        assert inlined["@context"] == [
            {"title": "http://t/", "n": "x:n"},
            {"k": "x:k"},
        ]

    def test_a_well_known_context_comes_from_the_shipped_copy(self, portal):
        handler, _page_url, inline = portal

        inlined = json.loads(inline(page("https://www.schema.org/")))

        assert isinstance(inlined["@context"], dict) and inlined["@context"]
        assert handler.headers_seen == []

    def test_a_page_without_a_remote_context_keeps_its_text(self, portal):
        handler, _page_url, inline = portal
        text = ' \ufeff{"@context": {"t": "x:t"},  "t": "v"}'.strip()

        assert inline(text) == text
        assert handler.headers_seen == []

    def test_a_page_that_is_not_json_is_refused_only_when_read_as_json_ld(self, portal):
        _handler, _page_url, inline = portal
        turtle = "[ a <http://www.w3.org/ns/dcat#Catalog> ] ."

        assert inline(turtle, "turtle") == turtle
        with pytest.raises(jsonld.ContextRefused):
            inline(turtle, "application/ld+json")


@ALLOWED
class TestRefusals:
    @pytest.mark.parametrize(
        "context",
        [
            "file:///etc/passwd",
            "ftp://127.0.0.1/ctx.jsonld",
            "data:application/json,{}",
            {"@import": ["http://127.0.0.1/a"]},
            {"@import": 7},
        ],
    )
    def test_what_is_not_an_http_address_is_never_read(self, portal, context):
        handler, _page_url, inline = portal

        with pytest.raises(jsonld.ContextRefused):
            inline(page(context))

        assert handler.headers_seen == []

    @pytest.mark.parametrize(
        "body",
        [
            b"not json",
            json.dumps(["a", "list"]).encode(),
            json.dumps({"no": "context"}).encode(),
            json.dumps({"@context": 5}).encode(),
        ],
    )
    def test_a_context_document_that_is_none_is_refused(self, portal, body):
        handler, _page_url, inline = portal
        served(handler, {"/data/ctx.jsonld": body})

        with pytest.raises(jsonld.ContextRefused):
            # Imported: the last one is no object once resolved.
            inline(page({"@import": "ctx.jsonld"}))

    def test_a_context_that_cannot_be_fetched_is_refused_saying_why(self, portal):
        handler, _page_url, inline = portal
        served(handler, {"/data/other.jsonld": TERMS})  # 404 for any other path

        with pytest.raises(jsonld.ContextRefused, match="404"):
            inline(page("missing.jsonld"))

    def test_contexts_naming_contexts_too_deep_are_refused(self, portal):
        handler, _page_url, inline = portal
        depth = jsonld.MAX_DEPTH + 2
        served(
            handler,
            {
                f"/data/{n}.jsonld": {"@context": f"{n + 1}.jsonld"}
                for n in range(depth)
            },
        )

        with pytest.raises(jsonld.ContextRefused, match=str(jsonld.MAX_DEPTH)):
            inline(page("0.jsonld"))

        assert len(handler.headers_seen) <= jsonld.MAX_DEPTH + 1

    def test_a_context_naming_itself_stops_at_the_depth_limit(self, portal):
        handler, _page_url, inline = portal
        served(handler, {"/data/self.jsonld": {"@context": "self.jsonld"}})

        with pytest.raises(jsonld.ContextRefused):
            inline(page("self.jsonld"))

        assert len(handler.headers_seen) <= jsonld.MAX_DEPTH + 1

    def test_more_remote_contexts_than_the_limit_are_refused(self, portal):
        handler, _page_url, inline = portal
        count = jsonld.MAX_REMOTE_CONTEXTS + 1
        served(handler, {f"/data/{n}.jsonld": TERMS for n in range(count)})

        with pytest.raises(
            jsonld.ContextRefused, match=str(jsonld.MAX_REMOTE_CONTEXTS)
        ):
            inline(page([f"{n}.jsonld" for n in range(count)]))

        assert len(handler.headers_seen) == jsonld.MAX_REMOTE_CONTEXTS


class TestWellKnownKey:
    @pytest.mark.parametrize(
        ("url", "key"),
        [
            ("https://schema.org", "schema.org"),
            ("http://WWW.Schema.org/", "schema.org"),
            ("https://schema.org/docs/jsonldcontext.json",
             "schema.org/docs/jsonldcontext.json"),
            ("https://schema.org/?x=1", None),
            ("ftp://schema.org/", None),
            ("file://schema.org/", None),
            ("https://schema.org.example.com/", None),
            ("https://example.com/schema.org", None),
        ],
    )  # fmt: skip
    def test_only_shipped_contexts_on_web_addresses_have_a_key(self, url, key):
        assert jsonld.well_known_key(url) == key


@pytest.mark.parametrize(
    ("text", "rdf_format", "needed"),
    [
        ("<rdf:RDF/>", "json-ld", True),
        ('\ufeff {"a": 1}', "turtle", True),
        ("[ a <x:y> ] .", "turtle", True),
        ("@prefix x: <x:> .", "turtle", False),
        ("<rdf:RDF/>", None, False),
    ],
)
def test_pages_rdflib_could_read_as_json_ld_are_inlined(text, rdf_format, needed):
    assert jsonld.needs_inlining(text, rdf_format) is needed
