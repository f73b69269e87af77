"""Harvested datasets' names, from their Vietnamese titles."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from ckanext.vndata.harvester import dataset_names
from tests.factories import VnDataset


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestNewNames:
    def _name(self, title: str) -> str:
        return dataset_names.free_name(title)

    def test_name_is_the_transliterated_title_while_free(self):
        assert self._name("Danh sách trường học Đà Nẵng") == (
            "danh-sach-truong-hoc-da-nang"
        )

    def test_taken_names_get_the_next_free_number(self):
        org = factories.Organization()
        for name in ("truong-hoc", "truong-hoc-2", "truong-hoc-3"):
            VnDataset(name=name, owner_org=org["id"])

        assert self._name("Trường học") == "truong-hoc-4"

    def test_long_titles_keep_the_name_within_the_limit(self):
        title = "Dữ liệu " * 30
        first = self._name(title)
        VnDataset(name=first, owner_org=factories.Organization()["id"])

        second = self._name(title)

        assert len(first) == len(second) == 100
        assert second.endswith("-2") and second != first

    @pytest.mark.parametrize("title", ["New", "EDIT", "search"])
    def test_a_title_naming_one_of_ckans_own_pages_gets_a_name_of_its_own(self, title):
        assert self._name(title) == f"{title.lower()}-du-lieu"

    @pytest.mark.parametrize("title", ["", "???", "---", "数据"])
    def test_a_title_with_nothing_to_transliterate_still_gets_a_name(self, title):
        assert self._name(title) == "tap-du-lieu"

    def test_a_reserved_name_taken_already_gets_the_next_free_number(self):
        VnDataset(name="new-du-lieu", owner_org=factories.Organization()["id"])

        assert self._name("new") == "new-du-lieu-2"
