"""The bulk reader gives the indicators what package_show gives them: the same tally
for datasets made through the real schema."""

from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories

from ckanext.vndata.quality import dataset_score, reading
from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.model import DatasetScore, LinkCheck
from ckanext.vndata.quality.tally import vndata_quality_tally
from tests.factories import VnDataset


def _show(package_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})


def _admin() -> dict:
    return {"user": factories.Sysadmin()["name"], "ignore_auth": True}


def _read_all(**kwargs) -> dict[str, tuple[dict, Facts]]:
    ids = reading.vndata_quality_dataset_ids(**kwargs)
    return {
        dataset["id"]: (dataset, facts)
        for chunk in reading.vndata_quality_read(ids, chunk=2)
        for dataset, facts in chunk
    }


def _varied(org: dict) -> list[dict]:
    rich = VnDataset(
        owner_org=org["id"],
        tags=[{"name": "giáo dục"}, {"name": "trường học"}],
        sectors=["xa-hoi", "giao-duc-dao-tao"],
        province_code="48",
        temporal_start="2024-01-01",
        contact_email="lienhe@danang.gov.vn",
        publisher_code="G12.34",
        license_id="CC-BY-4.0",
        issued="2024-02-01",
        resources=[
            {"url": "https://example.vn/a.csv", "format": "CSV",
             "mimetype": "text/csv", "size": 1200, "issued": "2024-02-01"},
            {"url": "https://example.vn/api", "format": "JSON",
             "access_type": "api", "modified": "2024-03-01"},
            {"url": "https://example.vn/b.pdf", "format": "PDF"},
        ],
    )  # fmt: skip
    bare = VnDataset(owner_org=org["id"], license_id="other-closed", resources=[])
    closed = VnDataset(
        owner_org=org["id"],
        commune_code="20233",
        temporal_end="2025-12-31",
        contact_name="Phòng dữ liệu",
        resources=[{"url": "https://example.vn/x.xlsx", "format": "XLSX"}],
    )
    private = VnDataset(
        owner_org=org["id"], private=True, resources=[{"url": "https://e.vn/p.csv"}]
    )
    return [rich, bare, closed, private]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_bulk_tally_equals_the_tally_of_package_show():
    org = factories.Organization()
    datasets = _varied(org)
    rich = datasets[0]
    # A deleted resource and a deleted dataset: neither is read.
    tk.get_action("resource_delete")(_admin(), {"id": rich["resources"][2]["id"]})
    gone = VnDataset(owner_org=org["id"])
    tk.get_action("package_delete")(_admin(), {"id": gone["id"]})
    # Link verdicts and stored conformance are the facts; a verdict counts only
    # once checked and for the resource's current address, as a write reads it.
    first, second = rich["resources"][0], rich["resources"][1]
    checked = datetime.datetime.utcnow()
    for resource, url, ok in (
        (first, first["url"], True),
        (second, "https://example.vn/old", False),
    ):
        model.Session.add(
            LinkCheck(resource_id=resource["id"], package_id=rich["id"],
                      url=url, ok=ok, checked=checked)
        )  # fmt: skip
    first, second = first["id"], second["id"]
    model.Session.merge(
        DatasetScore(package_id=rich["id"], points=0,
                     rating="bad", tally="{}", conformant=True)
    )  # fmt: skip
    model.Session.commit()

    read = _read_all()
    assert set(read) == {d["id"] for d in datasets}
    assert read[rich["id"]][1] == Facts({first: True, second: None}, True)
    assert len(read[rich["id"]][0]["resources"]) == 2
    for dataset in datasets:
        shown, facts = _show(dataset["id"]), read[dataset["id"]][1]
        ids = [r["id"] for r in shown["resources"]]
        assert facts == dataset_score.vndata_quality_facts(dataset["id"], ids)
        expected = vndata_quality_tally(shown, facts)
        assert vndata_quality_tally(read[dataset["id"]][0], facts) == expected
    # The varied datasets really differ, so the comparison can fail.
    tallies = {str(vndata_quality_tally(_show(d["id"])).counts) for d in datasets}
    assert len(tallies) == len(datasets)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_only_the_organizations_asked_for_are_read():
    one, two = factories.Organization(), factories.Organization()
    mine = VnDataset(owner_org=one["id"])
    VnDataset(owner_org=two["id"])
    assert reading.vndata_quality_dataset_ids([one["id"]]) == [mine["id"]]
    assert reading.vndata_quality_dataset_ids([]) == []


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_fields_are_where_package_show_puts_them():
    org = factories.Organization(title="Sở Y tế")
    resource = {"url": "https://e.vn/a.csv", "access_type": "api"}
    made = VnDataset(
        owner_org=org["id"], sectors=["y-te"], license_id="CC-BY-4.0",
        resources=[resource],
    )  # fmt: skip
    # An extra outside the schema, as a harvest may keep one.
    theme = "http://eu/theme/HEAL"
    model.Session.add(
        model.PackageExtra(package_id=made["id"], key="dcat_theme", value=theme,
                           state="active")
    )  # fmt: skip
    model.Session.commit()
    ((dataset, _facts),) = _read_all().values()
    shown = _show(made["id"])
    assert dataset["extras"] == [{"key": "dcat_theme", "value": theme}]
    keys = ("sectors", "license_url", "name", "title", "owner_org", "private",
            "metadata_modified", "data_sharing_class", "update_frequency")  # fmt: skip
    for key in keys:
        assert dataset[key] == shown[key], key
    assert dataset["organization"]["title"] == shown["organization"]["title"]
    (resource,) = dataset["resources"]
    for key in ("id", "url", "access_type", "format", "created", "position"):
        assert resource[key] == shown["resources"][0][key], key
