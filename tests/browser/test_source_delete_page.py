"""An operator deletes a harvest source: the page asks what becomes of its datasets,
in vi and en, on a laptop and a phone, and then does it. An operator who clears a
source with a job not finished is told why not."""

from __future__ import annotations

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestSource

from tests.browser.conftest import (
    LANGUAGES,
    PASSWORD,
    WIDTHS,
    login,
    modules_ready,
    overflow,
    shot,
)
from tests.harvester.helpers import catalogue
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest

SHOWN = {
    "vi": ("Xóa nguồn thu thập", "Cổng có 3 tập dữ liệu được thu thập từ nguồn này",
           "Giữ lại, giao cho một tổ chức", "Rút xuống",
           "Mỗi tập dữ liệu giữ tổ chức hiện tại"),
    "en": ("Delete the harvest source", "3 datasets on the portal were harvested",
           "Keep them, handed over to an organization", "Withdraw them",
           "Each keeps the organization it has"),
}  # fmt: skip


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_delete_page_asks_what_becomes_of_the_datasets(
    portal, browser, catalogue_server
):
    handler, url = catalogue_server
    handler.body = catalogue([1, 2, 3])
    source = harvest_source(url, title="Cổng dữ liệu Đà Nẵng")
    run_harvest(source["id"], "vndata_dcat")
    operator = factories.Sysadmin(password=PASSWORD)
    path = f"/thu-thap/nguon/{source['name']}/xoa"

    for language in LANGUAGES:
        for width in WIDTHS:
            page = login(browser, portal, operator["name"], width, f"{language}-VN")
            page.goto(f"{portal}{'' if language == 'vi' else '/en'}{path}")
            shot(page, f"source-delete-{language}-{width}")
            text = page.inner_text("main") if page.query_selector("main") else ""
            text = text or page.inner_text("body")
            assert all(shown in text for shown in SHOWN[language]), (language, text)
            assert overflow(page) <= 0, (language, width)
            page.context.close()

    page = login(browser, portal, operator["name"])
    page.goto(f"{portal}{path}")
    page.check("#vndata-datasets-withdraw")
    page.click("#vndata-delete-submit")
    page.wait_for_load_state()
    shot(page, "source-delete-done-vi")

    assert "3 tập dữ liệu của nguồn đã được rút xuống" in page.inner_text("body")
    model.Session.expire_all()  # the server wrote it
    assert not HarvestSource.get(source["id"]).active


REFUSED = {
    "vi": "Nguồn đang có phiên thu thập chưa xong",
    "en": "The source has a harvest job not yet finished",
}


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_clearing_a_source_with_a_job_not_finished_says_why_not(
    portal, browser, catalogue_server
):
    handler, url = catalogue_server
    handler.body = catalogue([1, 2])
    source = harvest_source(url, title="Cổng dữ liệu Đà Nẵng")
    objects = run_harvest(source["id"], "vndata_dcat")
    operator = factories.Sysadmin(password=PASSWORD)
    helpers.call_action(
        "harvest_job_create",
        context={"user": operator["name"]},
        source_id=source["id"],
        run=False,  # New, as queued
    )

    for language in LANGUAGES:
        for width in WIDTHS:
            page = login(browser, portal, operator["name"], width, f"{language}-VN")
            prefix = "" if language == "vi" else "/en"
            page.goto(f"{portal}{prefix}/harvest/admin/{source['name']}")
            modules_ready(page).click(f"a[href$='/harvest/clear/{source['id']}']")
            page.click(".modal.show .btn-primary")  # the confirmation's "Confirm"
            page.wait_for_load_state()
            shot(page, f"source-clear-refused-{language}-{width}")
            text = page.inner_text("body")
            assert REFUSED[language] in text, (language, text[:2000])
            assert "An error occurred" not in text and "harvest_job" not in text
            assert overflow(page) <= 0, (language, width)
            page.context.close()

    model.Session.expire_all()  # the server would have written it
    assert all(
        model.Package.get(o.package_id).state == "active" for o in objects
    ), "a dataset was cleared"
