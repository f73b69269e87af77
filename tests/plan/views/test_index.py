"""The plans index /ke-hoach (plan/views/index.py): the plans a reader may read, by
agency, narrowed by a word of a title; hostile words answer, never a 500."""

from __future__ import annotations

import re

import pytest

from tests.fuzz import HOSTILE_WORDS
from tests.helpers import token_headers
from tests.plan.conftest import make_agency, plan_in


def _rows(page: str) -> list[str]:
    table = re.search(r'id="vndata-plans-index".*?</table>', page, re.S)
    if not table:
        return []
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)[1:]
    ]


@pytest.fixture
def plans():
    danang = make_agency("Sở Khoa học và Công nghệ Đà Nẵng")
    hue = make_agency("Sở Tài chính Huế", "46")
    published = plan_in(danang, "published", title="Kế hoạch mở dữ liệu 2026")
    other = plan_in(hue, "published", title="Kế hoạch dữ liệu tài chính")
    draft = plan_in(hue, title="Kế hoạch đang soạn")
    return danang, hue, published, other, draft


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPlansIndex:
    def test_lists_published_plans_by_agency(self, app, plans):
        _, _, published, other, draft = plans

        page = app.get("/ke-hoach").body
        rows = _rows(page)

        assert [row.split(" Kế hoạch")[0] for row in rows] == [
            "Sở Khoa học và Công nghệ Đà Nẵng",
            "Sở Tài chính Huế",
        ]
        assert f'href="/ke-hoach/{published["id"]}"' in page
        assert f'href="/ke-hoach/{other["id"]}"' in page
        assert draft["title"] not in page  # a visitor sees no draft
        assert "2 kế hoạch" in page

    def test_agency_members_also_see_their_drafts(self, app, plans):
        _, hue, _, _, draft = plans

        page = app.get("/ke-hoach", headers=token_headers(hue.member)).body

        assert draft["title"] in page

    def test_a_word_without_accents_finds_the_agency(self, app, plans):
        rows = _rows(app.get("/ke-hoach", params={"q": "da nang"}).body)

        assert len(rows) == 1
        assert rows[0].startswith("Sở Khoa học và Công nghệ Đà Nẵng")

    def test_no_match_says_so(self, app, plans):
        page = app.get("/ke-hoach", params={"q": "Cà Mau"}).body

        assert _rows(page) == []
        assert "Không có kế hoạch nào khớp với" in page

    def test_english_page(self, app, plans):
        page = app.get("/en/ke-hoach").body

        assert "Open-data plans" in page
        assert "2 plans" in page

    def test_hostile_query_is_answered(self, app, plans):
        # A lone surrogate cannot travel in a URL as text: sent as its bytes.
        words = [w for w in HOSTILE_WORDS if not re.search("[\ud800-\udfff]", w)]
        for word in words + ["x" * 5000]:
            response = app.get("/ke-hoach", params={"q": word})
            assert response.status_code == 200, word
        for raw in ("%ED%A0%80", "%FF%FE", "%00", "%C0%AF"):
            assert app.get(f"/ke-hoach?q={raw}").status_code == 200, raw


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPlansIndexPages:
    def test_fifty_agencies_a_page_an_agency_never_split(self, app, monkeypatch):
        from ckanext.vndata.plan.views import index

        monkeypatch.setattr(index, "AGENCIES_PER_PAGE", 2)
        for n, title in enumerate(["An Giang", "Bắc Ninh", "Cà Mau"]):
            agency = make_agency(f"Sở Tài chính {title}", f"{n + 10}")
            plan_in(agency, "published", title=f"Kế hoạch {title}")
        plan_in(make_agency("Sở Tài chính An Giang 2", "20"), "published")

        first = app.get("/ke-hoach").body
        second = app.get("/ke-hoach", params={"page": "2"}).body

        assert [row.split(" Kế")[0] for row in _rows(first)] == [
            "Sở Tài chính An Giang",
            "Sở Tài chính An Giang 2",
        ]
        assert "Trang 1/2" in first and "4 kế hoạch" in first
        assert [row.split(" Kế")[0] for row in _rows(second)] == [
            "Sở Tài chính Bắc Ninh",
            "Sở Tài chính Cà Mau",
        ]
        # Past the end: the last page.
        assert _rows(app.get("/ke-hoach", params={"page": "9"}).body) == _rows(second)

    @pytest.mark.parametrize(
        "page", ["0", "-1", "1.5", "abc", "²", "9" * 50, "1e3", " 1", "\x00"]
    )
    def test_a_hostile_page_is_a_400_never_a_500(self, app, page):
        response = app.get("/ke-hoach", params={"page": page})

        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert "Số trang phải là số nguyên" in response.body
