"""Whether a harvested record changed: only its meaning counts (no blank-node label,
no order that means nothing), and what it is imported with (the source's config)."""

from __future__ import annotations

import copy
import json
import pathlib

import pytest

from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester import identity
from ckanext.vndata.harvester.identity import fingerprint
from tests.harvester.helpers import ckan_api, ckan_record, ckan_source
from tests.harvester.sources import (
    SOURCE_CONFIG,
    activities,
    harvest_source,
    turtle_catalogue,
    turtle_record,
)
from tests.helpers import run_harvest

# What the Swiss records lack for the Vietnamese schema.
FILLED = {
    **SOURCE_CONFIG["defaults"],
    "notes": "Mô tả chưa có.",
    "sectors": ["giao-duc-dao-tao"],
}
RULE = {"agency_code": "H17.14", "organization": "so-khcn-da-nang"}
REAL = pathlib.Path(__file__).parents[1] / "data" / "real"


def _by_identifier(objects: list) -> dict:
    return {o.guid.split("/", 1)[1]: o for o in objects}


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBlankNodes:
    def test_blank_node_records_stay_unchanged_when_another_record_of_the_page_changes(
        self, catalogue_server
    ):
        # opendata.swiss: datasets and distributions are blank nodes, whose labels
        # rdflib makes anew on every parse (distribution_ref, parse notes).
        handler, url = catalogue_server
        handler.content_type = "application/rdf+xml"
        catalogue = (REAL / "dcat-ap-ch" / "catalog.xml").read_bytes()
        handler.body = catalogue
        source = harvest_source(url, defaults=FILLED)
        first = _by_identifier(run_harvest(source["id"], "vndata_dcat"))
        kept = first["346266@bundesamt-fur-statistik-bfs"]
        assert kept.state == "COMPLETE", [e.message for e in kept.errors]
        before = helpers.call_action("package_show", id=kept.package_id)
        written = activities(kept.package_id)

        # The other record changes, so the page is read again (no page cache).
        handler.body = catalogue.replace(
            b"Statistisches Jahrbuch der Schweiz 1894",
            b"Statistisches Jahrbuch der Schweiz 1894 (neu)",
        )
        again = _by_identifier(run_harvest(source["id"], "vndata_dcat"))

        changed = again["346252@bundesamt-fur-statistik-bfs"]
        unchanged = again["346266@bundesamt-fur-statistik-bfs"]
        assert changed.report_status == "updated"
        assert unchanged.report_status == "not modified"
        assert unchanged.package_id == kept.package_id
        after = helpers.call_action("package_show", id=kept.package_id)
        assert after["metadata_modified"] == before["metadata_modified"]
        assert activities(kept.package_id) == written

    def test_a_turtle_record_with_blank_nodes_stays_unchanged_beside_a_new_record(
        self, catalogue_server
    ):
        # GeoDCAT-AP: a blank-node distribution, access service and place; rdflib's
        # Turtle parser labels them n<hex>b<counter>, anew on every parse.
        handler, url = catalogue_server
        catalogue = (REAL / "geodcat-ap" / "dataset.ttl").read_bytes()
        handler.body = catalogue
        source = harvest_source(url, defaults=FILLED)
        (kept,) = run_harvest(source["id"], "vndata_dcat")
        assert kept.state == "COMPLETE", [e.message for e in kept.errors]
        before = helpers.call_action("package_show", id=kept.package_id)
        written = activities(kept.package_id)

        handler.body = catalogue + (
            '\n<http://127.0.0.1/ds/9> a dcat:Dataset ; dct:identifier "ds-9" ;'
            ' dct:title "Tập dữ liệu số 9"@vi .\n'
        ).encode("utf-8")
        again = {o.guid: o for o in run_harvest(source["id"], "vndata_dcat")}

        assert again[kept.guid].report_status == "not modified"
        after = helpers.call_action("package_show", id=kept.package_id)
        assert after["metadata_modified"] == before["metadata_modified"]
        assert activities(kept.package_id) == written


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRemoteOnlyFields:
    def test_what_changes_only_on_the_remote_portal_writes_nothing(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        records = [ckan_record(1)]
        handler.respond = ckan_api(records)
        hue = ckan_source(url)
        (first,) = run_harvest(hue["id"], "vndata_ckan")
        written = helpers.call_action("package_show", id=first.package_id)

        # Views counted, the record re-saved, its organization edited elsewhere.
        records[0] = ckan_record(
            1,
            metadata_modified="2026-11-30T01:00:00",
            revision_id="r-2",
            tracking_summary={"total": 120, "recent": 7},
            num_resources=1,
            organization={
                "name": "so-gd",
                "title": "Sở Giáo dục và Đào tạo",
                "description": "Trang mới của Sở.",
                "image_url": "https://example.vn/logo.png",
            },
            resources=[
                {
                    "id": "res-1",
                    "url": "https://data.example.vn/1.csv",
                    "format": "CSV",
                    "metadata_modified": "2026-11-30T01:00:00",
                    "tracking_summary": {"total": 40, "recent": 2},
                    "position": 0,
                }
            ],
        )
        (again,) = run_harvest(hue["id"], "vndata_ckan")

        assert again.report_status == "not modified"
        after = helpers.call_action("package_show", id=first.package_id)
        assert after["metadata_modified"] == written["metadata_modified"]


PUBLISHED = "".join(
    turtle_record(n) + f"<http://127.0.0.1/ds/{n}> dct:publisher [ a foaf:Agent ; "
    'foaf:name "Sở Khoa học và Công nghệ"@vi ; dct:identifier "H17.14" ] .\n'
    for n in (1, 2)
)


NEW_TITLE = "Cổng dữ liệu mở thành phố Đà Nẵng"


def _reconfigure(source: dict, title: str | None = None, **config) -> None:
    """The source saved again with SOURCE_CONFIG and ``config`` (secrets included)."""
    helpers.call_action(
        "harvest_source_update",
        context={"user": factories.Sysadmin()["name"]},
        id=source["id"],
        name=source["name"],
        title=title or source["title"],
        url=source["url"],
        source_type=source["source_type"],
        owner_org=source["owner_org"],
        config=json.dumps({**SOURCE_CONFIG, **config}),
    )


def _modified(objects: list) -> dict:
    return {
        o.package_id: helpers.call_action("package_show", id=o.package_id)[
            "metadata_modified"
        ]
        for o in objects
    }


# A config change, and what every dataset shows after it (its organization's name).
CHANGES = {
    "province": ({"province_code": "46"}, "province_code", "46"),
    "defaults": (
        {"defaults": {**SOURCE_CONFIG["defaults"], "update_frequency": "hang_nam"}},
        "update_frequency",
        "hang_nam",
    ),
    "publisher rule": (
        {"publisher_rules": [RULE]},
        "organization",
        "so-khcn-da-nang",
    ),
}


def _shown(dataset: dict, field: str):
    value = dataset[field]
    return value["name"] if field == "organization" else value


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestConfigChanges:
    @pytest.mark.parametrize("change", sorted(CHANGES))
    def test_a_config_change_rewrites_every_dcat_record_once(
        self, catalogue_server, change
    ):
        config, field, expected = CHANGES[change]
        factories.Organization(name="so-khcn-da-nang")
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: PUBLISHED})
        source = harvest_source(url, title="Cổng dữ liệu mở Đà Nẵng")
        first = run_harvest(source["id"], "vndata_dcat")
        assert [o.report_status for o in first] == ["added", "added"]

        _reconfigure(source, **config)
        applied = run_harvest(source["id"], "vndata_dcat")
        after = _modified(applied)
        # The page changes (a comment), so its records are compared one by one.
        handler.body = turtle_catalogue({1: PUBLISHED + "# trang đã đổi\n"})
        again = run_harvest(source["id"], "vndata_dcat")

        assert [o.report_status for o in applied] == ["updated", "updated"]
        for harvested in applied:
            dataset = helpers.call_action("package_show", id=harvested.package_id)
            assert _shown(dataset, field) == expected
        assert [o.report_status for o in again] == ["not modified"] * 2
        assert _modified(again) == after

    @pytest.mark.parametrize("change", sorted(CHANGES))
    def test_a_config_change_rewrites_every_ckan_record_once(
        self, catalogue_server, change
    ):
        config, field, expected = CHANGES[change]
        factories.Organization(name="so-khcn-da-nang")
        handler, url = catalogue_server
        organization = {"name": "so-khcn", "title": "Sở Khoa học và Công nghệ",
                        "agency_code": "H17.14"}  # fmt: skip
        records = [ckan_record(n, organization=organization) for n in (1, 2)]
        handler.respond = ckan_api(records)
        hue = ckan_source(url)
        first = run_harvest(hue["id"], "vndata_ckan")
        assert [o.report_status for o in first] == ["added", "added"]

        _reconfigure(hue, **config)
        applied = run_harvest(hue["id"], "vndata_ckan")
        after = _modified(applied)
        run_harvest(hue["id"], "vndata_ckan")
        # Compared with an object that was itself unchanged: it kept the fingerprint.
        again = run_harvest(hue["id"], "vndata_ckan")

        assert [o.report_status for o in applied] == ["updated", "updated"]
        for harvested in applied:
            dataset = helpers.call_action("package_show", id=harvested.package_id)
            assert _shown(dataset, field) == expected
        assert [o.report_status for o in again] == ["not modified"] * 2
        assert _modified(again) == after

    def test_a_new_source_title_is_written_once_into_every_dataset(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = turtle_catalogue({1: PUBLISHED})
        source = harvest_source(url, title="Cổng dữ liệu mở Đà Nẵng")
        run_harvest(source["id"], "vndata_dcat")

        _reconfigure(source, title=NEW_TITLE)
        applied = run_harvest(source["id"], "vndata_dcat")
        handler.body = turtle_catalogue({1: PUBLISHED + "# trang đã đổi\n"})
        again = run_harvest(source["id"], "vndata_dcat")

        assert [o.report_status for o in applied] == ["updated", "updated"]
        for harvested in applied:
            dataset = helpers.call_action("package_show", id=harvested.package_id)
            assert dataset["source_catalog_title"] == NEW_TITLE
        assert [o.report_status for o in again] == ["not modified"] * 2

    def test_validation_block_holds_back_a_record_imported_under_warn(
        self, catalogue_server
    ):
        handler, url = catalogue_server
        unknown = PUBLISHED.replace(
            "<http://publications.europa.eu/resource/authority/data-theme/EDUC> ;",
            "<http://publications.europa.eu/resource/authority/data-theme/EDUC>, "
            "<https://example.vn/linh-vuc/khong-co> ;",
            1,  # record 1 only
        )
        handler.body = turtle_catalogue({1: unknown})
        source = harvest_source(url, title="Cổng dữ liệu mở Đà Nẵng")
        first = run_harvest(source["id"], "vndata_dcat")
        assert [o.report_status for o in first] == ["added", "added"]

        _reconfigure(source, validation="block")
        applied = _by_identifier(run_harvest(source["id"], "vndata_dcat"))

        held = applied["http://127.0.0.1/ds/1"]
        assert held.state == "ERROR"
        assert "khong-co" in held.errors[0].message  # not "unchanged"

    def test_a_new_login_or_timeout_rewrites_nothing(self, catalogue_server):
        handler, url = catalogue_server
        handler.respond = ckan_api([ckan_record(1), ckan_record(2)])
        hue = ckan_source(url, auth_header="Basic aHVlOmh1ZQ==")
        first = run_harvest(hue["id"], "vndata_ckan")
        before = _modified(first)

        _reconfigure(hue, auth_header="Basic bmV3Om5ldw==", timeout=30)
        again = run_harvest(hue["id"], "vndata_ckan")

        assert handler.headers_seen[-1]["Authorization"] == "Basic bmV3Om5ldw=="
        assert [o.report_status for o in again] == ["not modified"] * 2
        assert _modified(again) == before


class TestMeaning:
    """What the fingerprint compares (pure: no site needed)."""

    RECORD = {
        "title": "Danh sách trường học",
        "tags": [{"name": "giáo dục"}, {"name": "trường học"}],
        "vndata_parse_report": [
            "dct:spatial N573cfd9cb39949bdb85033f9fc29f84a: not a Vietnamese unit",
            "dcat:theme http://example.vn/chu-de: not a national sector",
        ],
        "contact": [{"uri": "N1f80a8d405594e4196f91e091ff03581", "name": "Sở"}],
        "spatial": "n6eeff878762a4a00b43b7add39ce5c3fb2",
        "url": "_:dataset-1",
        "resources": [
            {"url": "https://example.vn/a.csv", "distribution_ref": "b0"},
            {
                "url": "https://example.vn/b.csv",
                "distribution_ref": "Nb3e2048b31644d91aff30f98d3fe4252",
                "access_services": '[{"uri": "_:b12", "title": "WMS", '
                '"access_service_ref": "dich-vu-1", "language": ["vi", "en"]}]',
            },
        ],
    }

    def _again(self, **changes) -> dict:
        record = copy.deepcopy(self.RECORD)
        record.update(changes)
        return record

    def test_blank_node_labels_anywhere_do_not_count(self):
        relabelled = self._again(
            vndata_parse_report=[
                "dcat:theme http://example.vn/chu-de: not a national sector",
                "dct:spatial Nffffffffffffffffffffffffffffffff: not a Vietnamese unit",
            ],
            contact=[{"uri": "N00000000000000000000000000000000", "name": "Sở"}],
            spatial="nd4fdc8a277334a3db586598a4cb105abb12",
            url="_:dataset-7",
            resources=[
                {"url": "https://example.vn/a.csv", "distribution_ref": "b5"},
                {
                    "url": "https://example.vn/b.csv",
                    "distribution_ref": "N0123456789abcdef0123456789abcdef",
                    "access_services": '[{"uri": "_:b3", "title": "WMS", '
                    '"access_service_ref": "b7", "language": ["en", "vi"]}]',
                },
            ],
            name="ten-moi-sinh-ra",  # made by the harvester, not the source
        )

        assert fingerprint(relabelled, "b") == fingerprint(self.RECORD, "b")

    def test_sets_are_compared_sorted_and_resources_in_their_order(self):
        tags = self._again(tags=list(reversed(self.RECORD["tags"])))
        resources = self._again(resources=list(reversed(self.RECORD["resources"])))

        assert fingerprint(tags, "b") == fingerprint(self.RECORD, "b")
        assert fingerprint(resources, "b") != fingerprint(self.RECORD, "b")

    def test_a_change_of_meaning_or_of_basis_counts(self):
        iri = self._again(contact=[{"uri": "https://example.vn/so", "name": "Sở"}])
        title = self._again(title="Danh sách trường học (2026)")
        text = self._again(notes="Tệp so_sanh_:2026 đã đổi")  # no label: text

        assert fingerprint(iri, "b") != fingerprint(self.RECORD, "b")
        assert fingerprint(title, "b") != fingerprint(self.RECORD, "b")
        assert fingerprint(text, "b") != fingerprint(
            self._again(notes="Tệp so_sanh_:2025 đã đổi"), "b"
        )
        assert fingerprint(self.RECORD, "c") != fingerprint(self.RECORD, "b")


def test_the_order_of_a_dcat_records_distributions_is_no_change():
    """rdflib gives blank-node distributions in another order on each parse (the CSW
    records of tests/data/real/geonetwork were "updated" once in three re-harvests)."""
    from ckanext.harvest.model import HarvestObject

    from ckanext.vndata.harvester.dcat_rdf import VndataDCATRDFHarvester

    record = copy.deepcopy(TestMeaning.RECORD)
    reversed_record = {**record, "resources": record["resources"][::-1]}
    harvester = VndataDCATRDFHarvester()

    def compared(content: dict):
        return harvester._vndata_compared(HarvestObject(content=json.dumps(content)))

    assert fingerprint(compared(record), "") == fingerprint(
        compared(reversed_record), ""
    )


def test_swapped_coordinates_are_a_change():
    point = {"type": "Point", "coordinates": [21.03, 105.85]}
    swapped = {"type": "Point", "coordinates": [105.85, 21.03]}

    def record(geometry: dict) -> dict:
        return {"extras": [{"key": "spatial", "value": json.dumps(geometry)}]}

    assert fingerprint(record(point), "") != fingerprint(record(swapped), "")


def test_a_plan_object_is_of_kind_plan_and_a_dataset_record_of_none():
    plan = HarvestObject(
        guid="vndata-plan:s1",
        extras=[HarvestObjectExtra(key=identity.KIND, value=identity.PLAN)],
    )

    assert identity.kind(plan) == identity.PLAN
    assert identity.kind(HarvestObject(guid="nguon/1")) is None
