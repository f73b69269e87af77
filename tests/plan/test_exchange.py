"""The plan exchange record: made from the source's action API output, and checked when
it comes from another portal with the rules of a plan entered here; hostile values are
refused with a ValidationError, never another error (plan/exchange.py)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.vndata.plan import exchange, fields
from tests.factories import walk
from tests.fuzz import FUZZ, HOSTILE
from tests.plan.helpers import plan_with_parts

SITE = "https://data.danang.gov.vn"


def record(**changes) -> dict:
    """A valid record: a published plan with two phases, an item in each."""
    base = {
        "id": "p1",
        "series_id": "p1",
        "version": 2,
        "status": "published",
        "modified": "2026-11-30T08:00:00",
        "url": f"{SITE}/ke-hoach/p1",
        "organization": {
            "id": "o1",
            "name": "so-tt-tt-da-nang",
            "title": "Sở Thông tin và Truyền thông Đà Nẵng",
            "agency_code": "H48.14",
            "province_code": "48",
        },
        "title": "Kế hoạch dữ liệu mở 2026",
        "period_start": 2026,
        "period_end": 2027,
        "decision_date": "2026-01-15",
        "phases": [
            {"id": "g1", "position": 0, "label": "Giai đoạn 1",
             "start_date": "2026-01-01", "end_date": "2026-06-30", "min_datasets": 2,
             "min_percent_api": 50.0},
            {"id": "g2", "position": 1, "label": "Giai đoạn 2",
             "start_date": "2026-07-01", "end_date": "2026-12-31", "min_stars": 3},
        ],
        "items": [
            {"key": "k1", "number": 1, "phase_id": "g1", "title": "Trường học",
             "formats": ["CSV", "JSON"], "target_date": "2026-03-31",
             "datasets": [{"id": "d1", "name": "truong-hoc",
                           "uri": f"{SITE}/dataset/d1"}]},
            {"key": "k2", "number": 2, "phase_id": "g2", "title": "Giá đất",
             "removed_reason": "Trùng với dữ liệu của Sở Tài nguyên"},
        ],
    }  # fmt: skip
    base.update(changes)
    return base


def errors_of(value) -> dict:
    with pytest.raises(tk.ValidationError) as raised:
        exchange.validate_record(value)
    return raised.value.error_dict


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestValidateRecord:
    def test_a_valid_record_comes_back_with_every_field(self):
        cleaned = exchange.validate_record(record())

        assert cleaned["title"] == "Kế hoạch dữ liệu mở 2026"
        assert cleaned["decision_date"] == "2026-01-15"
        assert set(cleaned["phases"][0]) == {"id", *(f.key for f in fields.PHASE)}
        assert cleaned["phases"][0]["min_percent_api"] == 50.0
        assert cleaned["phases"][1]["min_datasets"] is None
        assert cleaned["items"][0]["formats"] == ["CSV", "JSON"]
        assert cleaned["items"][1]["cooperating_agencies"] == []
        assert cleaned["items"][0]["importance_class"] == "khac"
        assert cleaned["items"][0]["datasets"][0]["name"] == "truong-hoc"

    def test_validating_a_cleaned_record_changes_nothing(self):
        cleaned = exchange.validate_record(record())

        assert exchange.validate_record(copy.deepcopy(cleaned)) == cleaned

    @pytest.mark.parametrize("status", ["draft", "submitted", "approved", None])
    def test_only_a_published_plan_travels(self, status):
        assert "status" in errors_of(record(status=status))

    def test_each_problem_is_named_by_its_path(self):
        bad = record()
        bad["items"][1]["phase_id"] = "khong-co"
        bad["items"][0]["datasets"][0]["uri"] = "javascript:alert(1)"
        bad["phases"][0]["min_percent_api"] = 150
        bad["phases"][1]["end_date"] = "2026-01-01"

        errors = errors_of(bad)

        assert set(errors) >= {
            "items.1.phase_id",
            "items.0.datasets.0.uri",
            "phases.0.min_percent_api",
            "phases.1.end_date",
        }

    def test_a_dataset_uri_may_be_a_urn(self):
        linked = record()
        linked["items"][0]["datasets"][0]["uri"] = "urn:uuid:6f1c2a3e-0000-4000-8000-1"

        assert exchange.validate_record(linked)["items"][0]["datasets"][0]["uri"] == (
            "urn:uuid:6f1c2a3e-0000-4000-8000-1"
        )

    def test_two_items_with_one_key_are_refused(self):
        bad = record()
        bad["items"][1]["key"] = "k1"

        assert "items.1.key" in errors_of(bad)

    def test_core_data_cannot_travel_on_an_open_data_list(self):
        bad = record()
        bad["items"][0]["importance_class"] = "quan_trong"

        assert "items.0.importance_class" in errors_of(bad)

    @pytest.mark.parametrize("formats", ["[", "[" * 5000, [["CSV"]], [{"a": 1}]])
    def test_a_list_that_is_no_list_of_texts_is_refused(self, formats):
        bad = record()
        bad["items"][0]["formats"] = formats

        assert "items.0.formats" in errors_of(bad)

    def test_unknown_keys_of_a_newer_portal_are_left_out(self):
        cleaned = exchange.validate_record(record(rating=5, __junk="x"))

        assert "rating" not in cleaned and "__junk" not in cleaned

    def test_the_messages_are_vietnamese(self):
        errors = errors_of(record(url="ftp://x"))

        assert errors["url"] == ["Cần một địa chỉ http(s)."]

    @pytest.mark.parametrize("value", [None, [], "x", 1, [record()]])
    def test_a_record_that_is_no_object_is_refused(self, value):
        assert errors_of(value) == {"record": [tk._("An object is expected.")]}


KEYS = st.sampled_from(
    ["id", "series_id", "version", "status", "modified", "url", "organization",
     "phases", "items", *(f.key for f in fields.PLAN)]
)  # fmt: skip
PHASE_KEYS = st.sampled_from(["id", *(f.key for f in fields.PHASE)])
ITEM_KEYS = st.sampled_from(["key", "datasets", *(f.key for f in fields.ITEM)])


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestValidateRecordFuzz:
    @FUZZ
    @given(st.dictionaries(KEYS, HOSTILE, max_size=4))
    def test_hostile_header_values_are_taken_or_refused(self, changes):
        _taken_or_refused(record(**changes))

    @FUZZ
    @given(PHASE_KEYS, HOSTILE, ITEM_KEYS, HOSTILE)
    def test_hostile_part_values_are_taken_or_refused(self, pk, pv, ik, iv):
        hostile = record()
        hostile["phases"][0][pk] = pv
        hostile["items"][0][ik] = iv
        _taken_or_refused(hostile)

    @FUZZ
    @given(st.sampled_from(["id", "name", "uri"]), HOSTILE)
    def test_hostile_dataset_links_are_taken_or_refused(self, key, value):
        hostile = record()
        hostile["items"][0]["datasets"][0][key] = value
        _taken_or_refused(hostile)


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestFromActionApiFuzz:
    @FUZZ
    @given(
        st.sampled_from(["phases", "items", "id", "title", "version"]),
        st.one_of(HOSTILE, st.lists(HOSTILE, max_size=2)),
    )
    def test_a_hostile_api_answer_is_read_or_refused(self, key, value):
        shown = {"id": "p1", "phases": [], "items": [{"key": "k", "datasets": []}]}
        shown[key] = value
        try:
            made = exchange.from_action_api(shown, {"title": value}, SITE)
        except tk.ValidationError:
            return
        _taken_or_refused(made)

    def test_an_unreadable_answer_is_also_a_value_error(self):
        with pytest.raises(ValueError) as raised:
            exchange.from_action_api({"items": "x"}, None, SITE)

        assert isinstance(raised.value, tk.ValidationError)

    @FUZZ
    @given(HOSTILE)
    def test_a_hostile_link_is_read_or_refused(self, value):
        shown = {"id": "p1", "items": [{"key": "k", "datasets": [value]}]}
        try:
            made = exchange.from_action_api(shown, None, SITE)
        except tk.ValidationError:
            return
        _taken_or_refused(made)


def _taken_or_refused(value) -> None:
    try:
        cleaned = exchange.validate_record(value)
    except tk.ValidationError as error:
        assert error.error_dict
        return
    assert cleaned["status"] == "published"


@pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")
class TestFromActionApi:
    def test_a_published_plan_as_anonymous_reads_is_a_valid_record(self, agency):
        plan = walk(plan_with_parts(agency), "published", agency)
        shown = helpers.call_action(
            "vndata_plan_show", context={"user": "", "ignore_auth": False},
            id=plan["id"],
        )  # fmt: skip
        organization = helpers.call_action("organization_show", id=agency.org["id"])

        made = exchange.from_action_api(shown, organization, SITE + "/")

        assert made["url"] == f"{SITE}/ke-hoach/{plan['id']}"
        assert made["organization"]["title"] == agency.org["title"]
        assert made["items"][0]["phase_id"] == made["phases"][0]["id"]
        assert exchange.validate_record(made) == made

    def test_only_public_links_travel(self):
        shown = {
            "id": "p1",
            "items": [{
                "key": "k1",
                "datasets": [
                    {"package_id": "d1", "is_public": True, "hidden": False},
                    {"package_id": "d2", "is_public": False, "hidden": False},
                    {"package_id": None, "is_public": False, "hidden": True},
                ],
            }],
        }  # fmt: skip

        made = exchange.from_action_api(shown, None, SITE)

        assert made["items"][0]["datasets"] == [
            {"id": "d1", "name": None, "uri": f"{SITE}/dataset/d1"}
        ]
        assert made["organization"] == dict.fromkeys(exchange.ORGANIZATION_KEYS)
