"""A data officer fills the dataset form in a real browser: a date typed as
dd/mm/yyyy is saved whatever the browser's locale, a resource can be a file uploaded
from the computer, and URL names made from Vietnamese titles are transliterated in the
slug preview of the organization and harvest-source forms."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.browser.conftest import PASSWORD, login, modules_ready, overflow, shot

TITLE = "Danh sách trường học Đà Nẵng"
AGENCY = "Sở Tài nguyên và Môi trường thành phố Đà Nẵng"
AGENCY_SLUG = "so-tai-nguyen-va-moi-truong-thanh-pho-da-nang"
# Bytes no text conversion would keep: a BOM, Vietnamese in UTF-8, CRLF, a NUL.
CSV = "\ufefftên,số\r\nĐà Nẵng,1\r\n".encode() + b"\x00\xff"
BROWSER_LOCALE = {"vi": "vi-VN", "en": "en-US"}  # en-US: a native picker is mm/dd


def _officer_page(browser, url: str, user: str, language: str):
    return login(browser, url, user, 1366, locale=BROWSER_LOCALE[language])


def _shots(page, name: str, language: str) -> None:
    """The page at each width (no sideways scroll), then back at 1366 px."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"dataset-form/{name}-{language}-{width}")
        assert overflow(page) <= 0, (name, language, width)
    page.set_viewport_size({"width": 1366, "height": 900})


def _prefix(language: str) -> str:
    return "" if language == "vi" else "/en"


def _fill_dataset(page, language: str, name: str, org: dict) -> None:
    page.fill("#field-title", f"{TITLE} {language}")
    page.fill("#field-name", name)
    page.fill("#field-notes", "Các trường mầm non, tiểu học và trung học.")
    page.select_option("#field-organizations", org["id"], force=True)  # select2
    page.check("#field-sectors-giao-duc-dao-tao")
    page.select_option("#field-personal_data_assessed", "true")
    page.select_option("#field-data_sharing_class", "mo")
    page.select_option("#field-data_importance_class", "khac")
    page.select_option("#field-update_frequency", "hang_nam")
    page.fill("#field-issued", "05/03/2026")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typed_date_and_an_uploaded_file_are_saved(portal, browser, language):
    officer = factories.User(password=PASSWORD)
    org = factories.Organization(
        users=[{"name": officer["name"], "capacity": "editor"}]
    )
    name = f"truong-hoc-{language}"
    page = _officer_page(browser, portal, officer["name"], language)

    page.goto(f"{portal}{_prefix(language)}/dataset/new")
    assert page.get_attribute("#field-issued", "type") == "text"
    assert page.get_attribute("#field-issued", "placeholder") == "dd/mm/yyyy"
    _fill_dataset(page, language, name, org)
    _shots(page, "01-dataset", language)
    page.click("button[name=save]")
    page.wait_for_load_state()

    # The resource: a file from the computer, not a link.
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    chooser.value.set_files(
        files=[{"name": "Trường học.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.fill("#field-modified", "31/12/2026")
    _shots(page, "02-resource", language)
    page.click("button[name=save][value=go-metadata]")
    page.wait_for_load_state()

    dataset = helpers.call_action("package_show", id=name)
    assert dataset["issued"] == "2026-03-05"
    (resource,) = dataset["resources"]
    assert resource["modified"] == "2026-12-31"
    assert resource["url_type"] == "upload"
    assert resource["url"].endswith("/truong-hoc.csv")
    download = f"{portal}/dataset/{name}/resource/{resource['id']}/download/"
    # The officer's session: the dataset waits private until it may be published.
    assert page.request.get(download + "truong-hoc.csv").body() == CSV

    page.goto(f"{portal}{_prefix(language)}/dataset/{name}")
    shown = "05/03/2026" if language == "vi" else "2026-03-05"  # en: ISO (helpers)
    assert shown in page.inner_text(".additional-info")
    page.goto(f"{portal}{_prefix(language)}/dataset/edit/{name}")
    assert page.input_value("#field-issued") == "05/03/2026"


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_typing_error_in_a_date_is_refused_in_the_users_language(portal, browser):
    officer = factories.User(password=PASSWORD)
    org = factories.Organization(
        users=[{"name": officer["name"], "capacity": "editor"}]
    )
    page = _officer_page(browser, portal, officer["name"], "vi")

    page.goto(f"{portal}/dataset/new")
    _fill_dataset(page, "vi", "ngay-sai", org)
    page.fill("#field-issued", "31/02/2026")
    page.click("button[name=save]")
    page.wait_for_load_state()

    assert "Ngày 31/02/2026 không hợp lệ" in page.inner_text("#dataset-edit")
    assert page.input_value("#field-issued") == "31/02/2026"  # as typed, to correct


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("form", ["/organization/new", "/harvest/new"])
def test_the_url_preview_transliterates_a_vietnamese_title(portal, browser, form):
    admin = factories.Sysadmin(password=PASSWORD)
    page = _officer_page(browser, portal, admin["name"], "vi")

    page.goto(f"{portal}{form}")
    # Typed once the slug-preview module listens (it fills the name as one types).
    modules_ready(page).type("#field-title", AGENCY, delay=5)

    assert page.input_value("#field-name") == AGENCY_SLUG
    assert AGENCY_SLUG in page.inner_text(".slug-preview")
    shot(page, f"dataset-form/03-slug{form.replace('/', '-')}-vi-1366")
