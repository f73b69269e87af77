"""The schema's rules, through package_create/update on the real database and index."""

from __future__ import annotations

import unicodedata

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.lib import text
from tests.helpers import token_headers
from tests.metadata.helpers import create_dataset as _create
from tests.metadata.helpers import creation_errors as _errors
from tests.metadata.helpers import vn_dataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestVietnameseText:
    def test_nfd_title_notes_and_tags_are_stored_as_nfc(
        self, sysadmin_context, organization
    ):
        nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                title=nfd("Điểm wifi công cộng"),
                notes=nfd("Vị trí các điểm truy cập"),
                tags=[{"name": nfd("hạ tầng số")}],
            ),
        )

        assert dataset["title"] == unicodedata.normalize("NFC", "Điểm wifi công cộng")
        assert dataset["notes"] == unicodedata.normalize(
            "NFC", "Vị trí các điểm truy cập"
        )
        assert [t["name"] for t in dataset["tags"]] == ["hạ tầng số"]
        assert unicodedata.is_normalized("NFC", dataset["tags"][0]["name"])

    def test_tag_string_is_stored_as_nfc(self, sysadmin_context, organization):
        nfd_tags = unicodedata.normalize("NFD", "giáo dục,trường học")
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], tag_string=nfd_tags)
        )

        assert sorted(t["name"] for t in dataset["tags"]) == ["giáo dục", "trường học"]

    def test_name_is_transliterated_from_the_title(
        self, sysadmin_context, organization
    ):
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        assert dataset["name"] == "danh-sach-truong-hoc-da-nang"

    def test_second_dataset_with_the_same_title_gets_a_numbered_name(
        self, sysadmin_context, organization
    ):
        _create(sysadmin_context(), **vn_dataset(organization["id"]))
        second = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        assert second["name"] == "danh-sach-truong-hoc-da-nang-2"

    @pytest.mark.parametrize(
        "given",
        ["Giá đất Đà Nẵng", "gi%C3%A1-%C4%91%E1%BA%A5t-%C4%91%C3%A0-n%E1%BA%B5ng"],
    )
    def test_vietnamese_or_percent_encoded_name_is_transliterated(
        self, sysadmin_context, organization, given
    ):
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], name=given)
        )

        assert dataset["name"] == "gia-dat-da-nang"

    def test_taken_name_given_by_the_user_is_refused_not_renamed(
        self, sysadmin_context, organization
    ):
        _create(sysadmin_context(), **vn_dataset(organization["id"], name="gia-dat"))

        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], name="gia-dat")
        )

        assert "name" in errors


AGENCY = "Sở Tài nguyên và Môi trường thành phố Đà Nẵng"
AGENCY_NAME = "so-tai-nguyen-va-moi-truong-thanh-pho-da-nang"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganizationNames:
    def test_a_name_left_empty_in_the_form_is_the_title_transliterated(self, app):
        user = factories.Sysadmin()
        headers = token_headers(user)
        form = app.get("/organization/new", headers=headers).get_data(as_text=True)

        app.post(
            "/organization/new",
            data={"title": AGENCY, "name": "", "save": "", **_csrf(form)},
            headers=headers,
        )

        assert helpers.call_action("organization_show", id=AGENCY_NAME)["title"] == (
            AGENCY
        )

    def test_a_second_agency_with_the_same_title_gets_a_numbered_name(self):
        context = {"user": factories.Sysadmin()["name"]}
        helpers.call_action("organization_create", context=dict(context), title=AGENCY)

        second = helpers.call_action(
            "organization_create", context=dict(context), title=AGENCY, name=""
        )

        assert second["name"] == f"{AGENCY_NAME}-2"

    @pytest.mark.parametrize(
        "given", ["Sở Y tế Huế", "s%E1%BB%9F-y-t%E1%BA%BF-hu%E1%BA%BF"]
    )
    def test_a_name_typed_with_accents_is_transliterated(self, given):
        context = {"user": factories.Sysadmin()["name"]}

        made = helpers.call_action(
            "organization_create", context=context, name=given, title="Sở Y tế"
        )

        assert made["name"] == "so-y-te-hue"

    @pytest.mark.parametrize("hostile", [["so-y-te"], "\x00", "!!!", "đ" * 500])
    def test_a_hostile_name_is_a_validation_error_or_a_clean_name(self, hostile):
        context = {"user": factories.Sysadmin()["name"]}

        try:
            made = helpers.call_action(
                "organization_create", context=context, name=hostile, title="Sở"
            )
        except tk.ValidationError as error:
            assert "name" in error.error_dict
        else:
            assert made["name"] == text.slugify(made["name"])
            assert len(made["name"]) <= 100

    def test_updating_an_organization_keeps_its_name(self):
        context = {"user": factories.Sysadmin()["name"]}
        made = helpers.call_action(
            "organization_create", context=dict(context), title=AGENCY
        )

        updated = helpers.call_action(
            "organization_patch", context=dict(context), id=made["id"], title="Sở mới"
        )

        assert updated["name"] == AGENCY_NAME


def _csrf(form: str) -> dict:
    marker = 'name="_csrf_token" value="'
    start = form.index(marker) + len(marker)
    return {"_csrf_token": form[start : form.index('"', start)]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDates:
    def test_vietnamese_and_iso_dates_are_stored_as_iso(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                issued="15/03/2025",
                modified="2025-06-30T10:00:00+07:00",
                temporal_start="01/01/2024",
                temporal_end="2024-12-31",
            ),
        )

        assert (dataset["issued"], dataset["modified"]) == ("2025-03-15", "2025-06-30")
        assert (dataset["temporal_start"], dataset["temporal_end"]) == (
            "2024-01-01",
            "2024-12-31",
        )

    def test_impossible_date_is_refused(self, sysadmin_context, organization):
        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], issued="31/02/2025")
        )

        assert "dd/mm/yyyy" in errors["issued"][0]

    def test_coverage_ending_before_it_starts_is_refused(
        self, sysadmin_context, organization
    ):
        errors = _errors(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                temporal_start="2025-01-01",
                temporal_end="2024-01-01",
            ),
        )

        assert "temporal_start" in errors

    @pytest.mark.parametrize(
        ("frequency", "due"),
        [
            ("hang_ngay", "2025-03-16"),
            ("hang_tuan", "2025-03-22"),
            ("hang_thang", "2025-04-15"),
            ("hang_quy", "2025-06-15"),
            ("nua_nam", "2025-09-15"),
            ("hang_nam", "2026-03-15"),
            ("khong_dinh_ky", None),
        ],
    )
    def test_next_update_due_follows_the_frequency(
        self, sysadmin_context, organization, frequency, due
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"], update_frequency=frequency, issued="15/03/2025"
            ),
        )

        assert dataset.get("next_update_due") == due

    def test_missing_frequency_is_reported_on_its_own_field_only(
        self, sysadmin_context, organization
    ):
        fields = vn_dataset(organization["id"])
        del fields["update_frequency"]

        errors = _errors(sysadmin_context(), **fields)

        assert "update_frequency" in errors
        assert "next_update_due" not in errors

    def test_next_update_due_counts_from_the_last_update(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                update_frequency="hang_thang",
                issued="2025-01-10",
                modified="2025-05-20",
                next_update_due="2000-01-01",
            ),
        )

        assert dataset["next_update_due"] == "2025-06-20"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOpennessStars:
    @pytest.mark.parametrize(
        ("resources", "stars"),
        [
            ([{"url": "http://x/a.pdf", "format": "PDF"}], 1),
            ([{"url": "http://x/a.xlsx", "format": "XLSX"}], 2),
            ([{"url": "http://x/a.csv", "format": "csv"}], 3),
            ([{"url": "http://x/api", "format": "", "access_type": "api"}], 3),
            ([{"url": "http://x/a.ttl", "format": "TTL"}], 4),
            ([{"url": "http://x/sparql", "format": "SPARQL", "access_type": "api"}], 5),
            (
                [
                    {"url": "http://x/a.pdf", "format": "PDF"},
                    {"url": "http://x/a.json", "format": "JSON"},
                ],
                3,
            ),
            ([{"url": "http://x/a.csv", "format": "CSV", "auth_required": True}], 0),
            ([], 0),
        ],
    )
    def test_dataset_is_as_open_as_its_best_resource(
        self, sysadmin_context, organization, resources, stars
    ):
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], resources=resources)
        )

        assert dataset["openness_stars"] == stars

    def test_closed_licence_has_no_star(self, sysadmin_context, organization):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(organization["id"], license_id="other-closed"),
        )

        assert dataset["openness_stars"] == 0
        assert dataset["resources"][0]["openness_stars"] == 3

    def test_stars_cannot_be_set_by_hand(self, sysadmin_context, organization):
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], openness_stars=5)
        )

        assert dataset["openness_stars"] == 3

    def test_stars_follow_a_new_resource(self, sysadmin_context, organization):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                resources=[{"url": "http://x/a.pdf", "format": "PDF"}],
            ),
        )

        helpers.call_action(
            "resource_create",
            context=sysadmin_context(),
            package_id=dataset["id"],
            url="http://x/a.rdf",
            format="RDF",
        )

        assert (
            helpers.call_action("package_show", id=dataset["id"])["openness_stars"] == 4
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestLicences:
    def test_vietnamese_terms_and_open_licences_are_registered(self):
        ids = {licence["id"] for licence in helpers.call_action("license_list")}

        assert {"vn-open-data-terms", "CC-BY-4.0", "CC0-1.0", "ODC-BY-1.0"} <= ids

    def test_default_licence_is_the_vietnamese_open_data_terms(
        self, sysadmin_context, organization
    ):
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))

        assert dataset["license_id"] == "vn-open-data-terms"
        assert dataset["isopen"] is True
