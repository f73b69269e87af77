"""The crawler's heuristics on known texts (no browser): each problem is found, and
what only looks like one (a seeded title, an address, a legal number) is not."""

from __future__ import annotations

from tests.browser import conftest
from tests.browser.crawler import (
    READ_PAGE,
    Checks,
    DataValues,
    data_strings,
    route_pattern,
)

SEEDED = {
    "title": "Danh sách trường học",
    "notes": "Các trường của thành phố.",
    "state": "published",
    "sectors": ["xa-hoi"],
}
DATA = DataValues(data_strings([SEEDED]), names={"so-khcn-da-nang"})
CHECKS = Checks(DATA, {"xa-hoi", "so_nganh", "MANUAL", "vndata_dcat"})


def _seen(*texts: str, overflow: int = 0, images=()) -> dict:
    return {"texts": list(texts), "images": list(images), "overflow": overflow}


def _problems(language: str, *texts: str, **seen) -> list[str]:
    found = CHECKS.page("/x", language, _seen(*texts, **seen))
    return [finding.problem for finding in found]


def test_english_on_a_vietnamese_page_is_found():
    assert _problems("vi", "Save") == ["english"]
    assert _problems("vi", "1 harvest found") == ["english"]
    assert _problems("vi", "Change Katherine80's password") == ["english"]


def test_vietnamese_text_names_and_addresses_are_not_english():
    assert _problems(
        "vi", "Tìm kiếm tập dữ liệu", "Danh sách trường học", "CSV", "API",
        "https://data.danang.gov.vn/search", "so-khcn-da-nang", "catalog.data.gov",
    ) == []  # fmt: skip


def test_an_id_whose_hex_spells_a_word_is_not_english():
    # A job id the crawl found: "96add42ff17d" holds "add".
    job = "c2f260ca-7d0a-4937-b4cb-96add42ff17d"
    assert _problems("vi", job, f"Phiên: {job}") == []
    assert _problems("vi", f"Add {job}") == ["english"]


def test_a_seeded_code_value_does_not_hide_english():
    # "published" is a state in the seeded data, not a title: it stays English.
    assert _problems("vi", "published") == ["english"]


def test_vietnamese_on_an_english_page_is_found_but_not_in_data():
    assert _problems("en", "Tìm kiếm") == ["vietnamese"]
    assert _problems("en", "Danh sách trường học (3)", "Tiếng Việt") == []
    assert _problems("en", "Các trường của thành phố…") == []
    assert _problems("en", "Decision 19/2025/QĐ-TTg") == []


def test_raw_codes_placeholders_and_overflow_are_found():
    assert _problems("vi", "xa-hoi") == ["raw code xa-hoi"]
    assert _problems("en", "Level: so_nganh") == ["raw code so_nganh"]
    assert _problems("en", "https://example.org/xa-hoi") == []
    assert _problems("en", "Welcome to CKAN") == ["placeholder"]
    assert _problems("vi", "Chào mừng gia nhập CKAN") == ["placeholder"]
    assert _problems("vi", images=["/base/images/placeholder-420x220.png"]) == [
        "placeholder"
    ]
    assert _problems("vi", overflow=12) == ["sideways scroll"]
    assert _problems("vi", overflow=1) == []


def test_routes_put_a_star_for_identifiers_and_a_mark_for_a_query():
    names = {"so-khcn-da-nang"}
    assert route_pattern("/organization/so-khcn-da-nang", "", names) == (
        "/organization/*"
    )
    assert route_pattern("/dataset/", "sectors=xa-hoi&page=2", names) == "/dataset?"
    assert route_pattern(
        "/ke-hoach/3f2a9c1e-0000-4000-8000-000000000000", "", names
    ) == ("/ke-hoach/*")


def test_shot_writes_nested_names(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "SHOTS", tmp_path)

    class Page:
        def screenshot(self, path, full_page):
            open(path, "wb").write(b"png")

    path = conftest.shot(Page(), "journeys/officer/01-plan-vi-390")

    assert path == tmp_path / "journeys" / "officer" / "01-plan-vi-390.png"
    assert path.read_bytes() == b"png"


def test_names_typed_as_they_are_in_code_are_not_read(browser):
    # The harvest source form's help names config keys in its Vietnamese sentences,
    # each in <code>: the operator types them as they are, they are not UI words.
    page = browser.new_page()
    page.set_content(
        "<p>Giá trị cho các bản ghi còn thiếu: <code>update_frequency</code>, "
        "<code>language</code>.</p><p>Save</p>"
    )

    texts = page.evaluate(READ_PAGE)["texts"]

    assert texts == ["Giá trị cho các bản ghi còn thiếu: , .", "Save"]
    assert _problems("vi", *texts) == ["english"]  # the Save, not the code
