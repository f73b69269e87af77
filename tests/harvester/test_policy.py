"""The harvest policy: foreign records are imported, and say what was done to them."""

from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.harvester import policy
from tests.harvester.helpers import FOREIGN, MINIMAL, harvest_ckan
from tests.harvester.sources import harvest_source, newest_job_report
from tests.helpers import run_harvest


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestForeignRecords:
    def test_a_foreign_record_is_imported_and_says_what_was_done(
        self, catalogue_server
    ):
        _, harvested = harvest_ckan(catalogue_server, [FOREIGN])

        assert harvested.state == "COMPLETE", [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["type"] == "dataset"
        assert dataset["license_id"] == "CC-BY-4.0"  # CKAN's legacy id
        assert dataset["update_frequency"] == "khong_dinh_ky"
        assert "notes" not in dataset or not dataset["notes"]
        assert "contact_phone" not in dataset or not dataset["contact_phone"]
        assert [t["name"] for t in dataset["tags"]] == ["air quality"]
        extras = {e["key"]: e["value"] for e in dataset["extras"]}
        assert extras["spatial-text"] == "Hamburg"
        assert json.loads(extras["creator"]) == FOREIGN["creator"]
        assert extras["type (nguồn)"] == "Dataset"
        assert extras["contact_phone (nguồn)"] == "+49 40 42840-3494"
        assert extras["update_frequency (nguồn)"] == "other"
        notes = json.loads(dataset["harvest_notes"])
        assert notes["defaulted"] == {
            "personal_data_assessed": False,  # the source's config says so
            "data_importance_class": "khac",
            "data_sharing_class": "mo",
            "update_frequency": "khong_dinh_ky",
        }
        assert set(notes["absent"]) == {"notes", "sectors", "language"}
        dropped = {(d["field"], d["value"]) for d in notes["dropped"]}
        assert dropped == {
            ("contact_phone", "+49 40 42840-3494"),
            ("tags", "a"),
            ("tags", "%^&"),
            ("update_frequency", "other"),
        }
        assert {"creator", "spatial-text", "type (nguồn)"} <= set(notes["kept"])

    def test_with_validation_block_the_record_waits_with_its_reasons(
        self, catalogue_server
    ):
        source, harvested = harvest_ckan(
            catalogue_server, [FOREIGN], validation="block"
        )

        assert harvested.package_id is None
        report = newest_job_report(source["id"])
        assert report["counts"]["quarantined"] == 1
        (message,) = [
            m for m in report["records"][0]["messages"] if "validation: block" in m
        ]
        assert "Điện thoại liên hệ" in message  # the field's Vietnamese label
        assert "Tần suất cập nhật" in message

    def test_the_source_default_is_listed_as_defaulted(self, catalogue_server):
        _, harvested = harvest_ckan(
            catalogue_server,
            [FOREIGN],
            defaults={"update_frequency": "hang_nam", "sectors": ["moi-truong"]},
        )

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["sectors"] == ["moi-truong"]
        notes = json.loads(dataset["harvest_notes"])
        assert notes["defaulted"]["sectors"] == ["moi-truong"]
        # The record's own value was refused, then the fallback stood in for it.
        assert dataset["update_frequency"] == "khong_dinh_ky"

    def test_what_is_kept_is_bounded(self, catalogue_server):
        flood = {f"field_{n:03}": "x" for n in range(150)}
        _, harvested = harvest_ckan(
            catalogue_server, [{**FOREIGN, **flood, "huge": "y" * 50_000}]
        )

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        # ckanext-harvest shows its own harvest_* extras beside the stored ones.
        kept = [e for e in dataset["extras"] if not e["key"].startswith("harvest_")]
        assert len(kept) == policy.MAX_KEPT_KEYS
        assert all(len(e["value"]) <= policy.MAX_KEPT_CHARS for e in kept)

    def test_a_record_without_a_title_is_quarantined(self, catalogue_server):
        untitled = {**FOREIGN, "title": "   "}
        source, harvested = harvest_ckan(catalogue_server, [untitled])

        assert harvested.package_id is None
        report = newest_job_report(source["id"])
        assert report["counts"]["quarantined"] == 1

    def test_the_dataset_page_shows_the_harvest_notes(self, app, catalogue_server):
        _, harvested = harvest_ckan(
            catalogue_server, [FOREIGN], personal_data_assessed=True
        )

        page = app.get(f"/dataset/{harvested.package_id}").body

        assert "Ghi chú thu thập" in page
        assert "Cổng này tự điền (nguồn không ghi)" in page
        assert "Tần suất cập nhật: Không định kỳ" in page
        assert "Không nhận từ nguồn" in page
        assert "+49 40 42840-3494" in page


def _create_outside_a_harvest(**fields) -> dict:
    """package_create through the API, as an officer would (no harvest import)."""
    return helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        owner_org=factories.Organization()["id"],
        data_sharing_class="mo",
        data_importance_class="khac",
        update_frequency="hang_nam",
        **fields,
    )


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_outside_a_harvest_a_dataset_still_needs_a_description_and_sectors():
    with pytest.raises(tk.ValidationError) as raised:
        _create_outside_a_harvest(
            name="khong-mo-ta",
            title="Không mô tả",
            harvest_notes=json.dumps({"absent": ["notes", "sectors"]}),
        )

    assert {"notes", "sectors"} <= set(raised.value.error_dict)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_outside_a_harvest_the_licence_and_language_defaults_still_apply():
    dataset = _create_outside_a_harvest(
        name="co-mac-dinh",
        title="Có mặc định",
        notes="Mô tả.",
        sectors=["moi-truong"],
        personal_data_assessed=True,
    )

    assert (dataset["license_id"], dataset["language"]) == ("vn-open-data-terms", "vi")


def _turtle(licence_triples: str) -> bytes:
    return f"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://127.0.0.1/catalog> a dcat:Catalog ; dcat:dataset <http://127.0.0.1/ds/1> .
<http://127.0.0.1/ds/1> a dcat:Dataset ;
    dct:title "Luftqualität"@de ; dct:title "Chất lượng không khí"@vi ;
    dcat:distribution <http://127.0.0.1/ds/1/csv> .
<http://127.0.0.1/ds/1/csv> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/files/luft.csv> {licence_triples} .
""".encode("utf-8")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestLicences:
    def _harvest(self, catalogue_server, licence_triples: str) -> dict:
        handler, url = catalogue_server
        handler.body = _turtle(licence_triples)
        source = harvest_source(url, **MINIMAL)
        (harvested,) = run_harvest(source["id"], "vndata_dcat")
        assert harvested.package_id, [e.message for e in harvested.errors]
        return helpers.call_action("package_show", id=harvested.package_id)

    def test_the_distributions_licence_under_another_name_is_the_datasets(
        self, catalogue_server
    ):
        dataset = self._harvest(
            catalogue_server,
            "; dct:license <http://creativecommons.org/licenses/by/4.0/legalcode>",
        )

        assert dataset["license_id"] == "CC-BY-4.0"
        assert dataset["isopen"] is True

    def test_an_unknown_licence_is_kept_and_no_default_stands_in(
        self, catalogue_server
    ):
        dataset = self._harvest(
            catalogue_server,
            "; dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>",
        )

        assert not dataset.get("license_id")
        extras = {e["key"]: e["value"] for e in dataset["extras"]}
        assert extras["source_licence"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        assert "license_id" in json.loads(dataset["harvest_notes"])["absent"]

    def test_without_licence_or_language_nothing_is_defaulted_silently(
        self, catalogue_server
    ):
        dataset = self._harvest(catalogue_server, "")

        assert not dataset.get("license_id")
        assert not dataset.get("language")
        notes = json.loads(dataset["harvest_notes"])
        assert {"license_id", "language"} <= set(notes["absent"])


@pytest.mark.usefixtures("with_plugins")
def test_a_record_cannot_hide_itself_or_join_this_portals_groups():
    claims = {"state": "draft", "groups": [{"name": "du-lieu-noi-bat"}]}
    package = {"title": "Air quality", **claims}

    notes = policy.prepare(package, [])

    assert "state" not in package and "groups" not in package
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert json.loads(extras["groups (nguồn)"]) == claims["groups"]
    assert extras["state"] == "draft"
    assert {"groups (nguồn)", "state"} <= set(notes.kept)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHostileRecords:
    """What a reviewer's hostile catalogue tried (each failed before its fix)."""

    def test_a_record_cannot_steer_itself_into_an_existing_organization(
        self, catalogue_server
    ):
        ministry = factories.Organization(name="bo-tai-chinh", title="Bộ Tài chính")
        publisher = {"id": "o1", "title": "Bộ", "province_code": "tai-chinh"}
        _, harvested = harvest_ckan(
            catalogue_server,
            [{**FOREIGN, "organization": publisher}],
            unknown_publishers="create",
        )

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["owner_org"] != ministry["id"]
        assert dataset["organization"]["name"] == "bo-48"  # the source's province

    def test_a_publisher_named_like_a_group_gets_its_organization(
        self, catalogue_server
    ):
        group = factories.Group(name="giao-duc-48")
        publisher = {"id": "o1", "title": "Giáo dục"}
        _, harvested = harvest_ckan(
            catalogue_server,
            [{**FOREIGN, "organization": publisher}],
            unknown_publishers="create",
        )

        assert harvested.package_id, [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["owner_org"] != group["id"]

    def test_a_kept_extra_cannot_claim_another_harvest_source(self, catalogue_server):
        claim = [{"key": "harvest_source_id", "value": "another-source"}]
        source, _ = harvest_ckan(catalogue_server, [{**FOREIGN, "extras": claim}])

        sysadmin = {"user": factories.Sysadmin()["name"]}

        def found(source_id: str) -> int:
            return helpers.call_action(
                "package_search",
                context=dict(sysadmin),
                fq=f'harvest_source_id:"{source_id}"',
                include_private=True,
            )["count"]

        assert (found(source["id"]), found("another-source")) == (1, 0)

    def test_many_bad_values_are_listed_within_bounds_and_the_record_imported(
        self, catalogue_server
    ):
        tags = [{"name": f"{n:03}" + "%" * 600} for n in range(200)]
        _, harvested = harvest_ckan(catalogue_server, [{**FOREIGN, "tags": tags}])

        assert harvested.package_id, [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert len(json.loads(dataset["harvest_notes"])["dropped"]) == policy.MAX_NOTED

    def test_a_resources_unknown_keys_are_bounded(self, catalogue_server):
        flood = {f"r_{n:04}": "y" * 30_000 for n in range(300)}
        resource = {**FOREIGN["resources"][0], **flood}
        _, harvested = harvest_ckan(
            catalogue_server, [{**FOREIGN, "resources": [resource]}]
        )

        dataset = helpers.call_action("package_show", id=harvested.package_id)
        stored = [k for k in dataset["resources"][0] if k.startswith("r_")]
        assert len(stored) == policy.MAX_RESOURCE_KEYS
        assert all(
            len(dataset["resources"][0][k]) <= policy.MAX_KEPT_CHARS for k in stored
        )

    def test_a_reserved_remote_name_gets_a_name_of_its_own(self, catalogue_server):
        _, harvested = harvest_ckan(catalogue_server, [{**FOREIGN, "name": "new"}])

        assert harvested.package_id, [e.message for e in harvested.errors]
        dataset = helpers.call_action("package_show", id=harvested.package_id)
        assert dataset["name"] == "new-du-lieu"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_harvest_notes_of_another_shape_are_refused():
    with pytest.raises(tk.ValidationError) as refused:
        _create_outside_a_harvest(
            name="ghi-chu-sai",
            title="Ghi chú sai",
            notes="Mô tả.",
            sectors=["moi-truong"],
            harvest_notes=json.dumps({"kept": 5}),
        )

    assert "harvest_notes" in refused.value.error_dict


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_long_schema_field_or_extra_does_not_keep_the_dataset_out_of_search():
    """Solr refuses an untokenised term over 32766 bytes: a 20,000-character
    Vietnamese value (kept from a harvest: MAX_KEPT_CHARS) fails the whole index."""
    long_text = "ấp ắt " * 3300  # 19,800 characters, 36 kB
    dataset = _create_outside_a_harvest(
        name="gia-tri-dai",
        title="Giá trị dài",
        notes="Mô tả.",
        sectors=["moi-truong"],
        personal_data_assessed=True,
        translations=json.dumps({"title": {"de": long_text}}),
        extras=[{"key": "mo-ta-nguon", "value": long_text}],
    )

    found = helpers.call_action("package_search", q="name:gia-tri-dai")
    assert [d["id"] for d in found["results"]] == [dataset["id"]]
