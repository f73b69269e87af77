"""A citizen reads a dataset harvested from a foreign portal: what came from the
source and what this portal filled in, in vi and en, on a desktop and a phone."""

from __future__ import annotations

import json

import pytest

from ckan.tests import factories, helpers

from tests.browser.conftest import overflow, shot, views
from tests.harvester.helpers import FOREIGN, harvest_ckan
from tests.harvester.sources import harvest_source, turtle_catalogue, turtle_record
from tests.helpers import run_harvest

HEADINGS = {
    "vi": ("Ghi chú thu thập", "Cổng này tự điền (nguồn không ghi)",
           "Không nhận từ nguồn"),
    "en": ("Harvest notes", "Filled in by this portal (the source did not say)",
           "Not accepted from the source"),
}  # fmt: skip


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_harvested_dataset_says_what_came_from_its_source(
    portal, browser, catalogue_server
):
    _, harvested = harvest_ckan(
        catalogue_server, [FOREIGN], personal_data_assessed=True
    )

    path = f"/dataset/{harvested.package_id}"
    for language, width, page in views(browser, portal, path):
        shot(page, f"harvested-dataset-{language}-{width}")
        text = page.inner_text("body")
        assert all(heading in text for heading in HEADINGS[language]), language
        assert "+49 40 42840-3494" in text  # the refused value, as given
        assert overflow(page) <= 0, (language, width)


CATALOGUE = """<http://127.0.0.1/catalog> a dcat:Catalog ;
    dct:title "Cổng dữ liệu Đà Nẵng"@vi ;
    dct:description "Danh mục dữ liệu mở của thành phố"@vi ;
    dct:modified "2026-01-02" ;
    foaf:homepage <https://opendata.danang.gov.vn> ;
    dct:language <http://publications.europa.eu/resource/authority/language/VIE> ;
    dct:publisher <https://opendata.danang.gov.vn/agency/H48> ;
    dcat:dataset <http://127.0.0.1/ds/1> .
<https://opendata.danang.gov.vn/agency/H48> a foaf:Agent ;
    foaf:name "Cổng dữ liệu mở Đà Nẵng"@vi, "Da Nang open data portal"@en .
"""
# As datasets harvested before the publisher was read kept it: ckanext-dcat's JSON.
LEGACY_PUBLISHER = json.dumps(
    {"uri": "https://opendata.danang.gov.vn/agency/H48",
     "name_translated": {"vi": "Cổng dữ liệu mở Đà Nẵng",
                         "en": "Da Nang open data portal"}}
)  # fmt: skip
SHOWN = {
    "vi": ("Ngày công bố\t15/01/2024", "Ngày cập nhật\t24/12/2025",
           "Thu thập lúc\t", "Ngày cập nhật danh mục nguồn\t02/01/2026",
           "Ngôn ngữ của danh mục nguồn\tTiếng Việt",
           "Cơ quan công bố danh mục nguồn\tCổng dữ liệu mở Đà Nẵng"),
    "en": ("Publication date\t2024-01-15", "Last updated\t2025-12-24",
           "Harvested at\t", "Source catalogue last updated\t2026-01-02",
           "Language of the source catalogue\tVietnamese",
           "Source catalogue publisher\tDa Nang open data portal"),
}  # fmt: skip


@pytest.mark.ckan_config("ckanext.dcat.expose_subcatalogs", "true")
@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_harvested_datasets_dates_and_source_catalogue_are_readable(
    portal, browser, catalogue_server
):
    handler, url = catalogue_server
    record = turtle_record(1).replace(
        "a dcat:Dataset ;",
        'a dcat:Dataset ; dct:modified "2025-12-24T08:00:00" ;'
        ' dct:issued "2024-01-15" ;',
    )
    handler.body = turtle_catalogue({1: record}, catalog=CATALOGUE)
    (harvested,) = run_harvest(harvest_source(url)["id"], "vndata_dcat")
    helpers.call_action(
        "package_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=harvested.package_id,
        source_catalog_publisher=LEGACY_PUBLISHER,
    )

    path = f"/dataset/{harvested.package_id}"
    for language, width, page in views(browser, portal, path):
        shot(page, f"harvested-dataset/catalogue-{language}-{width}")
        table = page.inner_text(".additional-info")
        assert all(row in table for row in SHOWN[language]), (language, table)
        assert "{" not in table and "source_catalog" not in table, table
        link = page.locator(".additional-info a", has_text=SHOWN[language][-1][-10:])
        assert link.get_attribute("href") == "https://opendata.danang.gov.vn/agency/H48"
        assert overflow(page) <= 0, (language, width)
