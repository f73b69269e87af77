"""The plan pages, the list editor and the harvest overview fit a laptop and a phone:
no horizontal scrolling of the page and no column hidden in a table's own scrolling
box, in vi and en (on a phone a wide table's rows are blocks of labelled lines)."""

from __future__ import annotations

import datetime

import pytest

from ckan.tests import factories
from ckanext.harvest.model import HarvestGatherError, HarvestJob

from tests.browser.conftest import (
    LANGUAGES,
    PASSWORD,
    WIDTHS,
    clipped,
    overflow,
    shot,
    widest,
)
from tests.factories import VnDataset
from tests.harvester.sources import harvest_source
from tests.plan.conftest import make_agency, plan_in
from tests.plan.helpers import harvested_plan, wide_plan

SUBMIT = "form#login-form button[type=submit], .form-actions button[type=submit]"


def _open(browser, portal, path, language, width, user=None):
    context = browser.new_context(
        locale=language, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    if user:
        page.goto(f"{portal}/user/login")
        page.fill("#field-login", user)
        page.fill("#field-password", PASSWORD)
        page.click(
            "form#login-form button[type=submit], .form-actions button[type=submit]"
        )
        page.wait_for_load_state()
    page.goto(f"{portal}{'' if language == 'vi' else '/en'}{path}")
    return context, page


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_agency_plans_tab_fits_a_phone(portal, browser):
    agency = make_agency("Sở Khoa học và Công nghệ thành phố Đà Nẵng", "48")
    plan_in(agency, "published", title="Kế hoạch mở dữ liệu giai đoạn 2026–2030")
    harvested_plan(agency)

    for language in ("vi", "en"):
        context, page = _open(
            browser, portal, f"/organization/ke-hoach/{agency.org['name']}",
            language, 390,
        )  # fmt: skip
        shot(page, f"plans-tab-{language}-390")
        assert page.locator("table.vndata-plans").count() == 1
        assert overflow(page) <= 0, (language, widest(page))
        context.close()


def _fits(page, where) -> None:
    assert overflow(page) <= 0, (where, widest(page))
    assert clipped(page) <= 0, where


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_plan_page_fits_a_laptop_and_a_phone(portal, browser):
    agency = make_agency("Sở Thông tin và Truyền thông thành phố Đà Nẵng", "48")
    plan = wide_plan(agency)

    for language in LANGUAGES:
        for width in WIDTHS:
            context, page = _open(
                browser, portal, f"/ke-hoach/{plan['id']}", language, width
            )
            shot(page, f"widths/plan-page-{language}-{width}")
            _fits(page, (language, width))
            # The schedule names its quarters as a reader does.
            quarters = page.inner_text(".vndata-timeline")
            assert ("Quý " if language == "vi" else "Q") in quarters
            assert "/Q" not in quarters and "Q1/" not in quarters
            if width == 390:  # each row a block of labelled lines
                cell = page.locator("#danh-muc tbody td").nth(1)
                label = cell.get_attribute("data-label")
                assert label in ("Dữ liệu", "Data"), label
            context.close()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_list_editor_uses_the_whole_width_and_fits_a_phone(portal, browser):
    agency = make_agency("Sở Thông tin và Truyền thông thành phố Đà Nẵng", "48")
    plan = wide_plan(agency, status="draft")
    admin = factories.Sysadmin(name="quantri_danhmuc", password=PASSWORD)

    for language in LANGUAGES:
        for width in WIDTHS:
            context, page = _open(
                browser, portal, f"/ke-hoach/{plan['id']}/danh-muc", language, width,
                admin["name"],
            )  # fmt: skip
            shot(page, f"widths/list-editor-{language}-{width}")
            _fits(page, (language, width))
            # No empty sidebar: the titles get the room ("Danh mụ" before).
            assert page.locator("aside.secondary").count() == 0
            # Each title shown whole, over two lines if it must.
            title = page.locator("textarea[name='items-0-title']")
            assert title.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
            assert title.bounding_box()["width"] >= (300 if width == 1366 else 280)
            context.close()


def _admin_and_agency(name: str) -> tuple[dict, dict]:
    admin = factories.Sysadmin(name=name, password=PASSWORD)
    org = factories.Organization(title="Sở Khoa học và Công nghệ Đà Nẵng",
                                 province_code="48")  # fmt: skip
    return admin, org


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_harvest_overview_fits_a_laptop_and_a_phone(portal, browser):
    admin, org = _admin_and_agency("quantri_tongquan")
    source = harvest_source(
        "https://dulieu.danang.gov.vn/du-lieu-mo/danh-muc/catalog-dcat-ap-2026.ttl",
        owner_org=org["id"], title="Cổng dữ liệu mở thành phố Đà Nẵng",
    )  # fmt: skip
    job = HarvestJob(
        source_id=source["id"], status="Finished",
        gather_started=datetime.datetime(2026, 11, 30, 7, 40),
        gather_finished=datetime.datetime(2026, 11, 30, 7, 44),
        finished=datetime.datetime(2026, 11, 30, 7, 45),
    )  # fmt: skip
    job.save()
    HarvestGatherError(
        harvest_job_id=job.id,
        message="Không đọc được kế hoạch "
        "https://dulieu.danang.gov.vn/ke-hoach/kh-dn-v3/ke-hoach-mo-du-lieu.ttl: "
        "máy chủ trả lời 503",
    ).save()

    for language in LANGUAGES:
        for width in WIDTHS:
            context, page = _open(
                browser, portal, "/thu-thap/tong-quan", language, width, admin["name"]
            )
            shot(page, f"widths/harvest-overview-{language}-{width}")
            assert page.locator(".vndata-harvester-province table").count() == 1
            _fits(page, (language, width))
            context.close()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_core_forms_and_lists_fit_a_phone(portal, browser):
    # Core's pages that ran 4-5 px past a phone's window (the crawler found them): the
    # arrow of a side list's active item (a resource, an applied facet), the address
    # preview of a new organization.
    admin, org = _admin_and_agency("quantri_hep")
    dataset = VnDataset(
        owner_org=org["id"], title="Danh sách trường học",
        resources=[{"url": "https://dulieu.danang.gov.vn/csv", "format": "CSV",
                    "name": "Trường học (CSV)"}],
    )  # fmt: skip
    harvest_source(
        "https://dulieu.danang.gov.vn/catalog.ttl", owner_org=org["id"],
        title="Cổng dữ liệu mở thành phố Đà Nẵng",
    )  # fmt: skip
    resource = dataset["resources"][0]["id"]
    paths = (
        f"/dataset/{dataset['name']}/resource/{resource}/edit",
        f"/dataset/{dataset['name']}/resource/{resource}/views",
        f"/dataset/{dataset['name']}/resource_data/{resource}",
        "/harvest/?source_type=vndata_dcat",
        f"/organization/bulk_process/{org['name']}?organization={org['name']}",
        "/organization/new",
    )
    for language in LANGUAGES:
        for path in paths:
            context, page = _open(browser, portal, path, language, 390, admin["name"])
            assert overflow(page) <= 0, (language, path, widest(page))
            context.close()
