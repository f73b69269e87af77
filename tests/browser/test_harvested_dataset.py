"""A citizen reads a dataset harvested from a foreign portal: what came from the
source and what this portal filled in, in vi and en, on a desktop and a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import overflow, shot, views
from tests.harvester.helpers import FOREIGN, harvest_ckan

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
