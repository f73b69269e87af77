"""ckanext-harvest's codes as the harvest pages show them."""

from __future__ import annotations

import pytest

from ckanext.vndata.harvester import labels


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestLabels:
    def test_harvester_types_have_vietnamese_titles(self):
        assert labels.harvester_title("vndata_dcat") == "Danh mục DCAT (Việt Nam)"
        assert labels.harvester_title("vndata_ckan") == "API CKAN (Việt Nam)"
        assert labels.harvester_title("csw", "CSW Server") == "CSW Server"

    @pytest.mark.parametrize(
        ("code", "label"),
        [("MANUAL", "Thủ công"), ("WEEKLY", "Hằng tuần"), ("DAILY", "Hằng ngày")],
    )
    def test_frequencies_are_labelled(self, code, label):
        assert labels.frequency(code) == label

    def test_job_statuses_are_labelled_and_an_unknown_one_shown_as_it_is(self):
        assert labels.job_status("Running") == "Đang chạy"
        assert labels.job_status("New") == "Đang chờ chạy"
        assert labels.job_status("Odd") == "Odd"
        assert labels.job_status(None) == ""

    def test_facets_show_labels_not_codes(self):
        results = {
            "search_facets": {
                "frequency": {"items": [{"name": "MANUAL", "display_name": "MANUAL"}]},
                "source_type": {
                    "items": [{"name": "vndata_dcat", "display_name": "vndata_dcat"}]
                },
                "tags": {"items": [{"name": "x", "display_name": "x"}]},
            }
        }

        facets = labels.label_facets(results)["search_facets"]

        assert facets["frequency"]["items"][0]["display_name"] == "Thủ công"
        assert facets["source_type"]["items"][0]["display_name"] == (
            "Danh mục DCAT (Việt Nam)"
        )
        assert facets["tags"]["items"][0]["display_name"] == "x"
        assert labels.label_facets({}) == {}
