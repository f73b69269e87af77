"""The home page and the main menu (metadata/home.py, templates/home/index.html,
header.html): what the catalogue holds, in both languages, with no placeholder."""

from __future__ import annotations

import re

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.plan import report_cache
from tests.factories import VnDataset
from tests.helpers import token_headers
from tests.plan.conftest import make_agency, plan_in
from tests.plan.helpers import published_plan_with_items

PLACEHOLDERS = (
    "Welcome to CKAN",
    "Chào mừng gia nhập CKAN",
    "placeholder-420x220",
    "This is a featured section",
    "nice introductory paragraph",
)


def _text(html: str) -> str:
    """The page's visible words, tags and scripts left out."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _figure(html: str, id_: str) -> str:
    """The words of the home page's figure ``id_``: value, label, detail."""
    found = re.search(f'<div[^>]*id="{id_}"[^>]*>(.*?)</div>\\s*</div>', html, re.S)
    assert found, id_
    return _text(found.group(1))


def _link(html: str, href_part: str) -> str:
    """The text of the first link whose address contains ``href_part``."""
    found = re.search(
        r'<a[^>]*href="[^"]*' + re.escape(href_part) + r'[^"]*"[^>]*>(.*?)</a>',
        html,
        flags=re.S,
    )
    assert found, href_part
    return _text(found.group(1))


@pytest.fixture
def catalogue():
    """Three public datasets (two of Đà Nẵng's agency, in education and health; one
    of Huế's, in education), a private one and a deleted one, which no figure
    counts."""
    danang = factories.Organization(title="Sở Y tế Đà Nẵng")
    hue = factories.Organization(title="Sở Giáo dục Huế")
    VnDataset(
        owner_org=danang["id"],
        title="Danh sách bệnh viện",
        province_code="48",
        sectors=["y-te", "giao-duc-dao-tao"],
    )
    VnDataset(owner_org=danang["id"], title="Trạm y tế", province_code="48")
    VnDataset(
        owner_org=hue["id"],
        title="Trường học Huế",
        province_code="46",
        sectors=["giao-duc-dao-tao"],
    )
    VnDataset(owner_org=hue["id"], private=True, province_code="46")
    gone = VnDataset(owner_org=hue["id"], province_code="46")
    sysadmin = factories.Sysadmin()
    helpers.call_action(
        "package_delete", context={"user": sysadmin["name"]}, id=gone["id"]
    )
    return danang, hue


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHomePage:
    def test_no_placeholder_in_either_language(self, app, catalogue):
        for path in ("/", "/en/"):
            page = app.get(path).body
            for placeholder in PLACEHOLDERS:
                assert placeholder not in page, (path, placeholder)

    def test_figures_count_the_public_catalogue(self, app, catalogue):
        page = app.get("/").body

        assert _figure(page, "vndata-home-datasets") == "3 Tập dữ liệu"
        assert _figure(page, "vndata-home-agencies") == "2 Cơ quan có dữ liệu công bố"

    def test_every_sector_links_to_its_search_with_its_count(self, app, catalogue):
        page = app.get("/").body

        assert _link(page, "vocab_vndata_sector=giao-duc-dao-tao") == (
            "Giáo dục đào tạo 2 tập dữ liệu"
        )
        assert _link(page, "vocab_vndata_sector=y-te") == "Y tế 1 tập dữ liệu"
        assert _link(page, "vocab_vndata_sector=xa-hoi") == "Xã hội 1 tập dữ liệu"
        assert _link(page, "vocab_vndata_sector=nang-luong") == (
            "Năng lượng 0 tập dữ liệu"
        )
        assert page.count("vocab_vndata_sector=") == 12

    def test_every_province_links_to_its_search_with_its_count(self, app, catalogue):
        page = app.get("/").body

        assert _link(page, "province_code=48") == "Thành phố Đà Nẵng 2 tập dữ liệu"
        assert _link(page, "province_code=46") == "Thành phố Huế 1 tập dữ liệu"
        assert _link(page, "province_code=01") == "Thành phố Hà Nội 0 tập dữ liệu"
        assert page.count("province_code=") == 34

    def test_a_sector_link_finds_what_it_counts(self, app, catalogue):
        search = app.get("/dataset/?vocab_vndata_sector=giao-duc-dao-tao").body

        assert "Danh sách bệnh viện" in search
        assert "Trường học Huế" in search
        assert "Trạm y tế" not in search

    def test_newest_and_recently_updated_lists_name_what_they_are(self, app, catalogue):
        page = _text(app.get("/").body)

        assert "Tập dữ liệu mới nhất Trường học Huế" in page
        # Tracking is off in test.ini: nothing counts use, and the list says so.
        assert "Cập nhật gần đây" in page
        assert "Xem nhiều nhất" not in page

    def test_english_home_page_is_in_english(self, app, catalogue):
        page = app.get("/en/").body

        assert _link(page, "vocab_vndata_sector=giao-duc-dao-tao") == (
            "Education and training 2 datasets"
        )
        text = _text(page)
        for words in ("Sectors", "Provinces and cities", "Newest datasets"):
            assert words in text
        for words in ("Lĩnh vực", "Tập dữ liệu mới nhất", "Cập nhật gần đây"):
            assert words not in text

    def test_an_empty_portal_says_so(self, app):
        text = _text(app.get("/").body)

        assert "Chưa có tập dữ liệu nào được công bố." in text

    @pytest.mark.ckan_config("ckan.site_intro_text", "Cổng **thử nghiệm**")
    def test_site_intro_text_still_replaces_the_opening(self, app):
        page = app.get("/").body

        assert "Cổng <strong>thử nghiệm</strong>" in page


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHomePlanFigures:
    def test_plan_figures_are_the_reports_headline(self, app):
        agency = make_agency("Sở Khoa học và Công nghệ Đà Nẵng")
        published_plan_with_items(agency)  # 3 items due, 1 delivered on time
        plan_in(make_agency("Sở Tài chính Huế", "46"))  # a draft: issues nothing
        headline = helpers.call_action("vndata_compliance_report")["headline"]

        for user in (None, factories.Sysadmin()):  # the same public figures
            page = app.get("/", headers=token_headers(user) if user else {}).body

            assert _figure(page, "vndata-home-issued") == (
                f"{headline['issued_percent']}% Cơ quan đã ban hành kế hoạch "
                f"1/{headline['bodies']}"
            )
            assert _figure(page, "vndata-home-on-time") == (
                f"{headline['due_on_time_percent']}% "
                "Dữ liệu đến hạn đã công bố đúng hạn 1/3"
            )

    def test_repeated_visits_reuse_the_reports_evaluation(self, app, evaluations):
        agency = make_agency("Sở Khoa học và Công nghệ Đà Nẵng")
        published_plan_with_items(agency)
        report_cache.clear()

        for _ in range(3):
            app.get("/")

        assert len(evaluations) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestMainMenu:
    MENU = re.compile(r'<ul class="navbar-nav[^"]*">(.*?)</ul>', re.S)

    def _menu(self, app, path: str) -> str:
        return _text(self.MENU.search(app.get(path).body).group(1))

    def test_menu_leads_to_datasets_organizations_plans_and_overview(self, app):
        assert self._menu(app, "/") == "Tập dữ liệu Tổ chức Kế hoạch Tổng hợp"
        assert self._menu(app, "/en/") == (
            "Datasets Organizations Plans National overview"
        )

    def test_menu_entries_reach_their_pages(self, app):
        page = app.get("/").body
        menu = self.MENU.search(page).group(1)
        addresses = re.findall(r'href="([^"]+)"', menu)

        assert addresses == [
            "/dataset/",
            "/organization/",
            "/ke-hoach",
            "/ke-hoach/tong-hop",
        ]
        for address in addresses:
            assert app.get(address).status_code == 200
