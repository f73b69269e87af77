"""Tallies: a dataset's points per indicator, their sum over datasets, MQA's bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckan.tests import factories, helpers

from ckanext.vndata.quality.indicators import Facts
from ckanext.vndata.quality.tally import Tally, rating_of, vndata_quality_tally
from tests.factories import VnDataset
from tests.fuzz import FUZZ, HOSTILE, HOSTILE_WORDS


@pytest.mark.parametrize(
    ("points", "rating"),
    [(405, "excellent"), (351, "excellent"), (350, "good"), (221, "good"),
     (220, "sufficient"), (121, "sufficient"), (120, "bad"), (0, "bad")],
)  # fmt: skip
def test_mqa_bands(points, rating):
    assert rating_of(points) == rating


def test_an_empty_dataset_scores_nothing_and_says_what_to_fix_first():
    tally = vndata_quality_tally({"resources": []})
    assert tally.total() == 0
    assert tally.rating() == "bad"
    fixes = dict(tally.fixes())
    # Keywords and sectors are worth 30 each; the distribution indicators judge no
    # resource, so no fix is offered for them.
    assert fixes["Add keywords"] == 30
    assert "Fix the broken links" not in fixes


def test_distribution_indicators_weigh_the_share_of_resources_that_pass():
    dataset = {
        "resources": [
            {"id": "a", "format": "CSV"},
            {"id": "b", "format": ""},
        ]
    }
    tally = vndata_quality_tally(dataset, Facts(reachable={"a": True, "b": False}))
    points = tally.indicator_points()
    assert points["format"] == 10  # 20 x 1/2
    assert points["access_url_reachable"] == 25  # 50 x 1/2
    # No downloadURL: its reachability judges no resource and scores nothing.
    assert tally.counts["download_url_reachable"] == (0, 0)


def test_tallies_add_up_like_a_catalogue():
    one = vndata_quality_tally({"resources": [{"id": "a", "format": "CSV"}]})
    two = vndata_quality_tally({"resources": [{"id": "b"}, {"id": "c"}]})
    catalogue = one + two
    assert catalogue.datasets == 2
    assert catalogue.counts["format"] == (1, 3)
    assert Tally.from_dict(catalogue.as_dict()) == catalogue


# One hand-checked dataset per MQA band, built through the real schema and read back
# with package_show; the points are worked out per indicator below each.
def _shown(**fields) -> dict:
    organization = factories.Organization()
    dataset = VnDataset(owner_org=organization["id"], **fields)
    return helpers.call_action("package_show", id=dataset["id"])


def _resource(**fields) -> dict:
    return {"url": "https://opendata.danang.gov.vn/f.csv", "name": "Tệp", **fields}


def _ids(dataset: dict) -> list[str]:
    return [r["id"] for r in dataset["resources"]]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHandCheckedBands:
    def test_a_complete_dataset_is_excellent_before_its_conformance_is_known(self):
        csv = _resource(
            format="CSV",
            mimetype="text/csv",
            size=20480,
            rights="Ghi nguồn khi sử dụng.",
        )
        json_ = _resource(url="https://opendata.danang.gov.vn/f.json", format="JSON",
                          mimetype="application/json", size=512,
                          rights="Ghi nguồn khi sử dụng.")  # fmt: skip
        dataset = _shown(
            tag_string="giáo dục,trường học", sectors=["giao-duc-dao-tao"],
            province_code="48", temporal_start="2024-09-01", license_id="CC-BY-4.0",
            contact_email="opendata@danang.gov.vn", resources=[csv, json_],
        )  # fmt: skip
        both = dict.fromkeys(_ids(dataset), True)
        tally = vndata_quality_tally(dataset, Facts(reachable=both))
        points = tally.dimension_points()
        # 30 keywords + 30 sectors + 20 province + 20 period
        assert points["findability"] == 100
        # 50 access reachable + 20 download (links offered for download, "tai_ve")
        # + 30 download reachable, both files
        assert points["accessibility"] == 100
        # 20 format + 10 media type + 10 from the vocabularies + 20 open + 20
        # machine-readable; DCAT-AP conformance not validated yet: 0 of 30
        assert points["interoperability"] == 80
        # 20 licence + 10 known licence + 10 access right + 5 EU access right
        # (open data: PUBLIC) + 20 contact + 10 publisher (the organization)
        assert points["reusability"] == 75
        # 5 rights + 5 size + 5 issued + 5 modified (the resource's own dates)
        assert points["contextuality"] == 20
        assert (tally.total(), tally.rating()) == (375, "excellent")
        assert tally.fixes() == [("Complete what DCAT-AP requires", 30)]
        conformant = vndata_quality_tally(dataset, Facts(both, conformant=True))
        assert conformant.total() == 405

    def test_a_spreadsheet_without_coverage_or_contact_is_good(self):
        xlsx = _resource(url="https://opendata.danang.gov.vn/f.xlsx", format="XLSX")
        dataset = _shown(tag_string="ngân sách", license_id="CC-BY-4.0",
                         resources=[xlsx])  # fmt: skip
        tally = vndata_quality_tally(dataset, Facts(dict.fromkeys(_ids(dataset), True)))
        points = tally.indicator_points()
        # Findability: 30 keywords + 30 sectors; no province, no period
        assert (points["spatial"], points["temporal"]) == (0, 0)
        # Accessibility: 50 + 20 + 30, the one link reachable
        # Interoperability: 20 format + 0 media type + 10 XLSX is an EU file type
        # + 0 proprietary + 20 machine-readable (a spreadsheet) + 0 DCAT-AP
        assert points["non_proprietary"] == 0 and points["machine_readable"] == 20
        # Reusability: 20 + 10 licence + 10 + 5 access rights + 0 contact
        # + 10 publisher
        assert points["contact_point"] == 0
        # Contextuality: 0 rights + 0 size + 5 issued + 5 modified (ckanext-dcat
        # dates a resource from its creation and last change on this portal)
        assert (points["issued"], points["modified"]) == (5, 5)
        assert tally.dimension_points() == {
            "findability": 60, "accessibility": 100, "interoperability": 50,
            "reusability": 55, "contextuality": 10,
        }  # fmt: skip
        assert (tally.total(), tally.rating()) == (275, "good")
        # Most points first; ties in the order of the indicators.
        assert tally.fixes() == [
            ("Complete what DCAT-AP requires", 30),
            ("Name the province or commune it covers", 20),
            ("Give the period it covers", 20),
            ("Offer an open format (CSV, JSON, XML…)", 20),
            ("Give a contact e-mail", 20),
            ("Give each file's media type", 10),
            ("State the rights of use", 5),
            ("Give each file's size", 5),
        ]

    def test_a_document_behind_an_unchecked_api_is_sufficient(self):
        pdf = _resource(url="https://opendata.danang.gov.vn/api/bao-cao",
                        format="PDF", access_type="api")  # fmt: skip
        # The licence is the default: the national open-data terms.
        dataset = _shown(tag_string="báo cáo", resources=[pdf])
        tally = vndata_quality_tally(dataset)  # the link is not checked yet
        assert tally.dimension_points() == {
            # 30 keywords + 30 sectors
            "findability": 60,
            # not checked yet: 0 of 50; an API is no download: 0 of 20, and no
            # download address to reach (judged on no distribution)
            "accessibility": 0,
            # 20 format + 10 EU file type + 20 PDF is an open specification;
            # not machine-readable, no media type, conformance unknown
            "interoperability": 50,
            # 20 licence, but the national terms are in no vocabulary MQA knows:
            # 0 of 10; 10 + 5 access right; no contact; 10 publisher
            "reusability": 45,
            # 5 issued + 5 modified
            "contextuality": 10,
        }
        assert tally.counts["download_url_reachable"] == (0, 0)
        assert (tally.total(), tally.rating()) == (165, "sufficient")
        assert tally.fixes() == [
            ("Fix the broken links", 50),
            ("Complete what DCAT-AP requires", 30),
            ("Name the province or commune it covers", 20),
            ("Give the period it covers", 20),
            ("Give a direct download address", 20),
            ("Offer an open format (CSV, JSON, XML…)", 20),
            ("Give a contact e-mail", 20),
            ("Give each file's media type", 10),
            ("Choose a licence", 10),
            ("State the rights of use", 5),
            ("Give each file's size", 5),
        ]

    def test_a_dataset_without_resources_keywords_or_contact_is_bad(self):
        dataset = _shown(resources=[])
        tally = vndata_quality_tally(dataset)
        # 30 sectors + 10 + 5 access right + 10 publisher; every distribution
        # indicator judges no distribution and scores nothing
        assert tally.total() == 55
        assert tally.rating() == "bad"
        assert tally.fixes() == [
            ("Add keywords", 30),
            ("Complete what DCAT-AP requires", 30),
            ("Name the province or commune it covers", 20),
            ("Give the period it covers", 20),
            ("Give a contact e-mail", 20),
        ]


_ODD = st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3))
_ODD_RESOURCE = st.one_of(
    HOSTILE,
    st.dictionaries(
        st.sampled_from(["id", "url", "format", "mimetype", "size", "rights",
                         "license", "download_url", "access_type", "url_type",
                         "issued", "modified", "state"]),
        _ODD, max_size=8,
    ),
)  # fmt: skip
_ODD_DATASET = st.dictionaries(
    st.sampled_from(["tags", "tag_string", "sectors", "province_code",
                     "temporal_start", "license_id", "license_url",
                     "data_sharing_class", "contact_email", "owner_org", "extras",
                     "resources", "issued"]),
    st.one_of(_ODD, st.lists(_ODD_RESOURCE, max_size=4),
              st.lists(st.fixed_dictionaries({"key": HOSTILE, "value": _ODD}),
                       max_size=3)),
    max_size=10,
)  # fmt: skip


@pytest.mark.usefixtures("with_plugins")
@FUZZ
@given(
    dataset=_ODD_DATASET,
    reachable=st.dictionaries(st.sampled_from(HOSTILE_WORDS), HOSTILE, max_size=3),
)
def test_odd_values_never_break_the_tally(dataset, reachable):
    tally = vndata_quality_tally(dataset, Facts(reachable=reachable))
    assert 0 <= tally.total() <= 405
    assert tally.rating() in {"excellent", "good", "sufficient", "bad"}
    assert Tally.from_dict(tally.as_dict()) == tally


@pytest.mark.usefixtures("with_plugins")
def test_a_thousand_resources_are_tallied_quickly():
    resources = [{"id": str(n), "url": f"https://x.vn/{n}.csv", "format": "CSV",
                  "access_type": "tai_ve"} for n in range(1000)]  # fmt: skip
    tally = vndata_quality_tally({"resources": resources, "tags": ["a"] * 10_000})
    assert tally.counts["format"] == (1000, 1000)
    assert tally.counts["download_url"] == (1000, 1000)
