"""vndata_json (issue 21) on catalogues nobody here wrote: the DCAT-US ``data.json``
files of real portals (ArcGIS Hub, DKAN, data.gov's harvester; tests/data/SOURCES.md),
described by a mapping in the source's config alone, harvested through
ckanext-harvest's real stages from a loopback server: every record with an identity
becomes its dataset, with its title, description, keywords and files."""

from __future__ import annotations

import json
import pathlib

import pytest

from ckan import model

from tests.harvester.sources import harvest_source, newest_job_report
from tests.helpers import run_harvest

REAL = pathlib.Path(__file__).parent.parent / "data" / "real"
DATA_JSON = (
    "arcgis-hub/evian.json",
    "dkan/data.json",
    "data.gov/collections2.data.json",
    "data.gov/dcatus3_0.json",
)
# DCAT-US 1.1 and 3.0 as a JSON API: no paging (one document), the records under
# "dataset", each a distribution list of files (downloadURL, else accessURL).
DCAT_US_MAPPING = {
    "records": "dataset",
    "identity": "identifier",
    "modified": "modified",
    "publisher": "publisher.name",
    "fields": {
        "title": "title",
        "notes": "description",
        "tag_string": "join(',', keyword || `[]`)",
    },
    "resources": {
        "each": "distribution",
        "fields": {
            "url": "downloadURL || accessURL",
            "name": "title",
            "format": "format || mediaType",
        },
    },
}


def _served(catalogue_server, path: str) -> str:
    handler, url = catalogue_server
    body = (REAL / path).read_bytes()
    handler.respond = lambda asked: body if asked.startswith("/data.json") else None
    return url.replace("/catalog.ttl", "/data.json")


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("path", DATA_JSON)
def test_a_real_data_json_is_harvested_by_its_mapping(catalogue_server, path):
    listed = json.loads((REAL / path).read_text())["dataset"]
    source = harvest_source(
        _served(catalogue_server, path),
        source_type="vndata_json",
        mapping=DCAT_US_MAPPING,
    )

    run_harvest(source["id"], "vndata_json")
    report = newest_job_report(source["id"])

    assert report["counts"]["added"] == len(listed), report
    assert report["counts"]["errors"] == 0, report
    made = {
        package.title: package
        for package in model.Session.query(model.Package).filter(
            model.Package.type == "dataset", model.Package.state == "active"
        )
    }
    assert set(made) == {record["title"] for record in listed}
    for record in listed:
        package = made[record["title"]]
        files = [
            d
            for d in record.get("distribution") or []
            if d.get("downloadURL") or d.get("accessURL")
        ]
        assert [r.url for r in package.resources] == [
            d.get("downloadURL") or d["accessURL"] for d in files
        ], record["title"]
        assert package.notes == (record.get("description") or None)
        tags = {tag.name for tag in package.get_tags()}
        keywords = {keyword.strip() for keyword in record.get("keyword") or []}
        assert tags and tags <= keywords if keywords else not tags, record["title"]
