"""vndata_json's paging and the checks of its keys (json_source.py), against a
loopback API."""

from __future__ import annotations

import json

import pytest

from ckanext.vndata.harvester import (
    config,
    gather_outcome,
    job_state,
    json_mapping,
    json_source,
    session,
)
from tests.harvester import json_servers as served

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1"),
    pytest.mark.usefixtures("with_plugins"),
]
MAPPING = {"records": "items", "identity": "maDuLieu", "fields": {"title": "tenDuLieu"}}


@pytest.fixture
def api():
    with served.json_api() as running:
        running.records = [served.danang_record(n) for n in range(1, 6)]
        yield running


def _pages(url: str, mapping=MAPPING, **given) -> list[tuple[str, list]]:
    parsed = config.parse(json.dumps({"mapping": mapping, **given}))
    job = job_state.VndataHarvestJob(
        job_id=None,
        source_id="nguon",
        parsed_config=parsed,
        session=session.session_for(parsed, url),
    )
    mapping = json_mapping.parse(parsed["mapping"], *json_mapping.schema_fields())
    return list(json_source.pages(job, mapping, url))


def _ids(pages: list[tuple[str, list]]) -> list[str]:
    return [record["maDuLieu"] for _url, records in pages for record in records]


class TestPaging:
    def test_by_offset_until_an_empty_page(self, api):
        pages = _pages(
            api.origin + "/offset/datasets",
            paging={"type": "offset", "param": "offset", "size_param": "limit",
                    "size": 2},
        )  # fmt: skip

        assert _ids(pages) == [f"DN-{n:04d}" for n in range(1, 6)]
        # A short page is not the end (the server may page by fewer): an empty one.
        assert [url.split("?")[1] for url, _r in pages] == [
            "offset=0&limit=2",
            "offset=2&limit=2",
            "offset=4&limit=2",
            "offset=5&limit=2",
        ]

    def test_by_offset_ends_on_an_empty_page_when_the_last_is_full(self, api):
        api.records = api.records[:4]

        pages = _pages(
            api.origin + "/offset/datasets",
            paging={"type": "offset", "param": "offset", "size_param": "limit",
                    "size": 2},
        )  # fmt: skip

        assert [len(records) for _url, records in pages] == [2, 2, 0]

    def test_a_server_that_pages_by_fewer_than_asked_is_read_to_the_end(self, api):
        # The provider lowered its largest page below the source's size: its pages
        # are short, and the records after the first short one are not gone.
        pages = _pages(
            api.origin + "/offset/datasets",
            paging={"type": "offset", "param": "offset", "size": 10},
        )  # the server's own limit: 2

        assert _ids(pages) == [f"DN-{n:04d}" for n in range(1, 6)]

    def test_none_reads_one_page(self, api):
        pages = _pages(api.origin + "/offset/datasets?limit=100")

        assert len(pages) == 1 and len(_ids(pages)) == 5

    def test_a_next_link_that_comes_back_is_an_incomplete_list(self, api):
        api.next_link = "/keyed/datasets"  # itself: a loop
        keyed = {"api_key_header": "X-API-Key", "api_key": served.API_KEY}

        with pytest.raises(gather_outcome.CatalogueError, match="same page twice"):
            _pages(
                api.origin + "/keyed/datasets",
                paging={"type": "next", "next": "next"},
                **keyed,
            )

    def test_more_pages_than_max_pages_is_an_error(self, api):
        with pytest.raises(gather_outcome.CatalogueError, match="more than 2 pages"):
            _pages(
                api.origin + "/offset/datasets",
                paging={"type": "offset", "param": "offset", "size_param": "limit",
                        "size": 1},
                max_pages=2,
            )  # fmt: skip

    def test_an_answer_without_the_records_path_is_an_error(self, api):
        elsewhere = {**MAPPING, "records": "data.items"}  # the answer has "items"

        with pytest.raises(gather_outcome.CatalogueError, match="no list of records"):
            _pages(api.origin + "/offset/datasets", mapping=elsewhere)


class TestCheck:
    @pytest.mark.parametrize(
        "given, key",
        [
            ({"paging": {"type": "trang"}}, "paging.type"),
            ({"paging": {"type": []}}, "paging.type"),  # unhashable: was a 500
            ({"paging": ["page"]}, "paging.type"),
            ({"paging": {"type": "page"}}, "paging.param"),
            ({"paging": {"type": "page", "param": "p", "size": 0}}, "paging.size"),
            ({"paging": {"type": "page", "param": "p", "next": "n"}}, "paging.next"),
            ({"paging": {"type": "cursor", "param": "c", "next": "["}}, "paging.next"),
            ({"detail_url": "https://example.vn/api/1"}, "detail_url"),
            ({"detail_url": "file:///etc/{id}"}, "detail_url"),
            ({"detail_url": "https://{id}.example.vn/api"}, "detail_url"),
            ({"detail_record": "data["}, "detail_record"),
            ({"basic_user": "a", "oauth2": {"token_url": "https://x.vn/t",
                                           "client_id": "c"}}, "oauth2"),
            ({"api_key_header": "X-Key", "api_key_param": "key"}, "api_key_param"),
            ({"oauth2": {"token_url": "ftp://x.vn/t", "client_id": "c"}},
             "oauth2.token_url"),
            ({"oauth2": {"token_url": "https://x.vn/t"}}, "oauth2.client_id"),
            ({"oauth2": {"token_url": "https://x.vn/t", "client_id": "c",
                         "client_secret": "lo"}}, "oauth2.client_secret"),
        ],
    )  # fmt: skip
    def test_each_mistake_is_named_by_its_key(self, given, key):
        _mapping, problems = json_source.check({"mapping": MAPPING, **given})

        assert key in {k for k, _m in problems}, problems

    def test_a_source_without_a_mapping_is_refused(self):
        mapping, problems = json_source.check({})

        assert mapping is None and [k for k, _m in problems] == ["mapping"]
