"""Template helpers of vndata_metadata: labels and dates in the user's language
(metadata/helpers.py)."""

from __future__ import annotations

import datetime
import json

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import helpers

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.mark.ckan_config("ckan.locale_default", "vi")
class TestVietnamese:
    def test_a_term_label_is_vietnamese_and_an_unknown_value_is_itself(self):
        assert helpers.vndata_term_label("sectors", "y-te") == "Y tế"
        assert helpers.vndata_term_label("sectors", "khong-co") == "khong-co"

    @pytest.mark.parametrize(
        ("value", "shown"),
        [("2025-03-15", "15/03/2025"), ("2025-03-15T08:00:00", "15/03/2025"),
         ("2025", "2025"), (None, "")],
    )  # fmt: skip
    def test_a_date_is_day_month_year(self, value, shown):
        assert helpers.vndata_format_date(value) == shown

    @pytest.mark.ckan_config("ckan.display_timezone", "UTC")
    def test_a_time_is_day_month_year_hours_minutes(self):
        when = datetime.datetime(2026, 11, 30, 9, 28, 41)

        assert helpers.vndata_format_datetime(when) == "30/11/2026 09:28"
        assert helpers.vndata_format_datetime(when.isoformat()) == "30/11/2026 09:28"
        assert helpers.vndata_format_datetime(None) == ""
        assert helpers.vndata_format_datetime("không phải ngày") == ""

    @pytest.mark.ckan_config("ckan.display_timezone", "Asia/Ho_Chi_Minh")
    def test_a_time_is_shown_in_the_display_time_zone(self):
        when = datetime.datetime(2026, 11, 30, 20, 5)

        assert helpers.vndata_format_datetime(when) == "01/12/2026 03:05"

    @pytest.mark.ckan_config("ckan.display_timezone", "Asia/Ho_Chi_Minh")
    def test_core_pages_show_dates_day_month_year(self, app):
        when = datetime.datetime(2026, 11, 29, 14, 7)
        with app.flask_app.test_request_context():
            shown = (
                tk.h.render_datetime(when),
                tk.h.render_datetime(when.isoformat(), with_hours=True),
                tk.h.render_datetime(when, date_format="%Y"),
                tk.h.render_datetime(None),
            )

        assert shown == ("29/11/2026", "29/11/2026 21:07", "2026", "")

    def test_activity_names_a_harvest_source_as_the_glossary(self, app):
        with app.flask_app.test_request_context():
            source = tk.h.humanize_entity_type("package", "harvest", "activity_record")
            other = tk.h.humanize_entity_type("package", "harvest", "create label")

        assert source == "nguồn thu thập"
        assert "Harvest" in other  # other purposes are core's

    def test_an_error_title_is_vietnamese_and_an_unknown_one_stays(self, app):
        with app.flask_app.test_request_context():
            forbidden = helpers.vndata_error_title(403, "Forbidden")
            missing = helpers.vndata_error_title(404, "Not Found")
            teapot = helpers.vndata_error_title(418, "I'm a teapot")

        assert (forbidden, missing) == (
            "403 Không có quyền truy cập",
            "404 Không tìm thấy trang",
        )
        assert teapot == "418 I'm a teapot"


@pytest.mark.ckan_config("ckan.locale_default", "en")
@pytest.mark.ckan_config("ckan.display_timezone", "UTC")
def test_in_english_labels_are_english_and_dates_stay_iso():
    assert helpers.vndata_term_label("sectors", "y-te") == "Health"
    assert helpers.vndata_format_date("2025-03-15") == "2025-03-15"
    when = datetime.datetime(2026, 11, 30, 9, 28)
    assert helpers.vndata_format_datetime(when) == "2026-11-30 09:28"
    assert helpers.vndata_error_title(403, "Forbidden") == "403 Not permitted"


def test_unit_names_and_codes_they_do_not_know():
    assert helpers.vndata_province_name("48") == "Thành phố Đà Nẵng"
    assert helpers.vndata_province_name("99") == "99"
    assert helpers.vndata_commune_name("20242") == "Phường Hải Châu"
    assert helpers.vndata_commune_name("00000") == "00000"


def test_province_choices_are_the_34_provinces_by_code():
    choices = helpers.vndata_province_choices()

    assert len(choices) == 34
    assert {"value": "48", "label": "48 - Thành phố Đà Nẵng"} in choices


@pytest.mark.parametrize(("stars", "label"), [(3, "3 stars"), ("x", "x")])
def test_stars_label(stars, label):
    assert helpers.vndata_stars_label(stars) == label


def test_translation_rows_list_every_text_with_its_language():
    rows = helpers.vndata_translation_rows(
        '{"title": {"fr": "Écoles", "und": ["A", "B"]}}'
    )

    assert [(r["language"], r["text"]) for r in rows] == [
        ("fr", "Écoles"),
        ("und", "A"),
        ("und", "B"),
    ]


@pytest.mark.parametrize("value", ["{", "[]", None, 5])
def test_harvest_notes_of_any_other_shape_are_none(value):
    assert helpers.vndata_harvest_notes(value, {"dataset_fields": []}) == {}


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.parametrize(
    ("resource", "label"),
    [
        ({"url": "http://x.vn/a.csv", "url_type": "upload"}, "Tải xuống"),
        ({"url": "https://x.vn/files/truong-hoc.xlsx", "format": "XLSX"}, "Tải xuống"),
        ({"url": "https://x.vn/download?id=7", "format": "CSV"}, "Tải xuống"),
        ({"url": "https://x.vn/bao-cao.pdf"}, "Tải xuống"),
        ({"url": "https://x.vn/du-lieu/truong-hoc", "format": "HTML"},
         "Đến trang nguồn"),
        ({"url": "https://x.vn/du-lieu/truong-hoc"}, "Đến trang nguồn"),
        ({"url": "https://x.vn/api/3/action/x", "format": "API"}, "Mở liên kết"),
        ({"url": "https://x.vn/wms", "format": "WMS"}, "Mở liên kết"),
        ({"url": "https://x.vn/data.json", "format": "JSON", "access_type": "api"},
         "Mở liên kết"),
    ],
)  # fmt: skip
def test_the_resource_button_says_what_it_does(app, resource, label):
    with app.flask_app.test_request_context():
        assert helpers.vndata_resource_action(resource)["label"] == label


@pytest.mark.ckan_config("ckan.locale_default", "en")
def test_a_form_shows_a_date_day_month_year_in_every_language():
    assert helpers.vndata_form_date("2026-03-05") == "05/03/2026"
    assert helpers.vndata_form_date("31/02/2026") == "31/02/2026"  # as typed
    assert helpers.vndata_form_date(None) == ""


PUBLISHER = {
    "uri": "https://opendata.danang.gov.vn/agency/H48",
    "name": "Cổng dữ liệu",
    "name_translated": {"vi": "Cổng dữ liệu mở Đà Nẵng", "en": "Da Nang portal"},
}


@pytest.mark.parametrize(
    ("language", "name"), [("vi", "Cổng dữ liệu mở Đà Nẵng"), ("en", "Da Nang portal")]
)
def test_a_publisher_object_is_its_name_in_the_readers_language(
    ckan_config, monkeypatch, language, name
):
    monkeypatch.setitem(ckan_config, "ckan.locale_default", language)

    agent = helpers.vndata_agent(json.dumps(PUBLISHER))

    assert agent == {"name": name, "uri": PUBLISHER["uri"]}


@pytest.mark.ckan_config("ckan.locale_default", "en")
def test_a_publisher_without_the_readers_language_falls_back_to_vietnamese():
    only_vi = {**PUBLISHER, "name_translated": {"vi": "Cổng Đà Nẵng"}}

    assert helpers.vndata_agent(json.dumps(only_vi))["name"] == "Cổng Đà Nẵng"


@pytest.mark.parametrize(
    ("value", "agent"),
    [
        ("Sở Y tế", {"name": "Sở Y tế", "uri": None}),
        ("{not json", {"name": "{not json", "uri": None}),
        ('{"uri": "javascript:alert(1)", "name": "X"}', {"name": "X", "uri": None}),
        (
            '{"uri": "https://a.vn/p"}',
            {"name": "https://a.vn/p", "uri": "https://a.vn/p"},
        ),
        ('{"name_translated": {"fr": "Portail"}}', {"name": "Portail", "uri": None}),
        ('{"name_translated": "x", "uri": 5}', {"name": "", "uri": None}),
        (None, {"name": "", "uri": None}),
    ],
)
def test_any_stored_publisher_is_shown_as_text_and_only_http_is_linked(value, agent):
    assert helpers.vndata_agent(value) == agent


HARVESTED = {
    "metadata_modified": "2026-11-30T02:05:00",
    "source_catalog_uri": "https://opendata.danang.gov.vn/catalog.ttl",
    "extras": [
        {"key": "source_catalog_modified", "value": "2026-01-02"},
        {"key": "source_catalog_language",
         "value": "http://publications.europa.eu/resource/authority/language/VIE"},
        {"key": "source_catalog_homepage", "value": "https://opendata.danang.gov.vn"},
        {"key": "uri", "value": "urn:uuid:1"},
    ],
}  # fmt: skip


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.ckan_config("ckan.display_timezone", "UTC")
@pytest.mark.usefixtures("with_request_context")
def test_a_harvested_dataset_shows_its_harvest_time_and_its_catalogue_readably():
    rows = helpers.vndata_harvested_rows(HARVESTED)

    assert [(r["label"], r["text"], r["href"]) for r in rows] == [
        ("Thu thập lúc", "30/11/2026 02:05", None),
        ("Định danh tại nguồn", "urn:uuid:1", None),
        ("Ngày cập nhật danh mục nguồn", "02/01/2026", None),
        ("Trang chủ danh mục nguồn", "https://opendata.danang.gov.vn",
         "https://opendata.danang.gov.vn"),
        ("Ngôn ngữ của danh mục nguồn", "Tiếng Việt", None),
    ]  # fmt: skip


def test_a_dataset_not_harvested_has_no_harvest_rows():
    assert helpers.vndata_harvested_rows({"extras": HARVESTED["extras"]}) == []


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_request_context")
def test_kept_names_are_labelled_and_unknown_ones_stay_as_the_source_gave_them():
    notes = (
        '{"kept": ["source_catalog_modified", "uri (nguồn)", "spatial-text",'
        ' "publisher_name", "identifier", "x_rare (nguồn)"]}'
    )

    shown = helpers.vndata_harvest_notes(notes, {"dataset_fields": []})

    assert shown["kept"] == [
        "Ngày cập nhật danh mục nguồn",
        "Định danh tại nguồn (theo nguồn)",
        "Tên cơ quan công bố tại nguồn",
        "Mã định danh do nguồn công bố",
    ]
    assert shown["kept_other"] == ["spatial-text", "x_rare"]
