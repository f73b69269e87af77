from __future__ import annotations

import unicodedata

import pytest

from ckanext.vndata.lib import text


@pytest.mark.parametrize(
    ("given", "slug"),
    [
        ("Danh sách trường học Đà Nẵng", "danh-sach-truong-hoc-da-nang"),
        ("Giá đất năm 2025 (đơn vị: đồng/m²)", "gia-dat-nam-2025-don-vi-dong-m2"),
        ("ĐIỂM WIFI CÔNG CỘNG", "diem-wifi-cong-cong"),
        ("  Quan trắc -- không khí  ", "quan-trac-khong-khi"),
        ("danh-s%C3%A1ch-tr%C6%B0%E1%BB%9Dng-h%E1%BB%8Dc", "danh-sach-truong-hoc"),
    ],
)
def test_slugify_transliterates_vietnamese(given, slug):
    assert text.slugify(given) == slug


def test_slugify_gives_the_same_name_for_nfd_input():
    nfd = unicodedata.normalize("NFD", "Danh sách trường học Đà Nẵng")

    assert text.slugify(nfd) == "danh-sach-truong-hoc-da-nang"


def test_slugify_keeps_within_ckan_name_length():
    slug = text.slugify("Dữ liệu " * 40)

    assert len(slug) <= 100
    assert not slug.endswith("-")


def test_fold_ignores_accents_case_and_spacing():
    assert text.fold("  Thành  phố ĐÀ NẴNG ") == text.fold("thanh pho da nang")


def test_storable_replaces_what_postgresql_cannot_hold():
    assert text.storable("a\x00b\x07c\td\ne\ud800") == "a\ufffdb\ufffdc\td\ne\ufffd"


@pytest.mark.parametrize("value", ["Hà Nội", "", "a\x07b", "tab\tand\nnewline"])
def test_can_store_any_string_postgresql_takes(value):
    assert text.can_store(value)


@pytest.mark.parametrize(
    "value", ["a\x00b", "lone \ud800 surrogate", None, 5, b"bytes"]
)
def test_cannot_store_nul_lone_surrogates_or_non_text(value):
    assert not text.can_store(value)


class TestUrlName:
    def test_a_name_left_empty_is_the_titles_transliterated(self):
        name = text.url_name("", "Sở Tài nguyên và Môi trường Đà Nẵng", lambda n: False)

        assert name == "so-tai-nguyen-va-moi-truong-da-nang"

    def test_a_name_typed_with_accents_is_transliterated_not_renumbered(self):
        assert text.url_name("Sở TN&MT", "", lambda n: True) == "so-tn-mt"

    def test_a_taken_name_made_from_the_title_is_numbered(self):
        taken = {"so-y-te", "so-y-te-2"}

        assert text.url_name("", "Sở Y tế", taken.__contains__) == "so-y-te-3"

    def test_a_numbered_name_stays_within_ckan_name_length(self):
        name = text.url_name("", "Đ" * 300, lambda n: n == "d" * 100)

        assert name == "d" * 98 + "-2"

    @pytest.mark.parametrize("title", ["", "!!!", "\x00", "漢字"])
    def test_a_title_with_no_letter_to_keep_gives_no_name(self, title):
        assert text.url_name("", title, lambda n: False) == ""


class TestSearchWords:
    def test_solr_syntax_and_operators_are_no_query(self):
        assert text.search_words('Đất (đai): "A" OR b\\ AND') == "đất đai a or b and"

    def test_only_the_first_characters_count(self):
        assert text.search_words("từ " * 500) == " ".join(["từ"] * 67)

    @pytest.mark.parametrize("value", [None, 5, ["a"], "\x00a", "\ud800", "", "()"])
    def test_what_cannot_be_stored_or_has_no_word_is_empty(self, value):
        assert text.search_words(value) == ""
