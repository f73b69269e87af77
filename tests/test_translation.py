"""Every vndata plugin hands CKAN the one shared catalogue, so our pages are in
Vietnamese by default and in English under /en/."""

from __future__ import annotations

import gettext
import json

import pytest

import ckan.plugins as p

from ckanext.vndata.translation import DOMAIN, VndataTranslation
from tests.helpers import VNDATA_PLUGINS

MESSAGE, VIETNAMESE = "Plan not found", "Không tìm thấy kế hoạch"


@pytest.mark.usefixtures("with_plugins")
class TestEachPluginGivesTheCatalogue:
    @pytest.mark.parametrize("name", VNDATA_PLUGINS)
    def test_its_catalogue_translates_our_messages_into_vietnamese(self, name):
        plugin = p.get_plugin(name)

        catalogue = gettext.translation(
            plugin.i18n_domain(), plugin.i18n_directory(), languages=["vi"]
        )

        assert catalogue.gettext(MESSAGE) == VIETNAMESE

    @pytest.mark.parametrize("name", VNDATA_PLUGINS)
    def test_it_offers_each_locale_that_has_a_compiled_catalogue(self, name):
        plugin = p.get_plugin(name)

        locales = plugin.i18n_locales()

        assert locales == ["en", "vi"]
        for locale in locales:
            gettext.translation(DOMAIN, plugin.i18n_directory(), languages=[locale])


def test_only_folders_holding_a_catalogue_are_locales(tmp_path, monkeypatch):
    for folder in ("vi", "fr", "upstream", "__pycache__"):
        (tmp_path / folder / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "vi" / "LC_MESSAGES" / f"{DOMAIN}.po").write_text("", "utf-8")
    (tmp_path / "fr" / "LC_MESSAGES" / "ckan.po").write_text("", "utf-8")
    (tmp_path / f"{DOMAIN}.pot").write_text("", "utf-8")
    monkeypatch.setattr(
        "ckanext.vndata.translation.vndata_i18n_directory", lambda: tmp_path
    )

    assert VndataTranslation().i18n_locales() == ["vi"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPages:
    @pytest.mark.parametrize(
        ("url", "status", "english", "vietnamese"),
        [
            ("/ke-hoach/khong-co", 404, MESSAGE, VIETNAMESE),
            (
                "/thu-thap/tong-quan",
                403,
                "Only sysadmins may see the harvest overview.",
                "Chỉ quản trị viên hệ thống được xem tổng quan thu thập.",
            ),
        ],
        ids=["plan", "harvester"],
    )
    def test_a_page_is_in_vietnamese_by_default_and_in_english_under_en(
        self, app, url, status, english, vietnamese
    ):
        page = app.get(url, status=status).body
        english_page = app.get(f"/en{url}", status=status).body

        assert vietnamese in page and english not in page
        assert english in english_page and vietnamese not in english_page


def test_a_message_in_a_named_language_needs_no_request():
    from ckanext.vndata.translation import vndata_in_language

    assert vndata_in_language("due date", "vi") == "hạn"
    assert vndata_in_language("due date", "en") == "due date"
    # A language with no catalogue: the message as written.
    assert vndata_in_language("due date", "xx") == "due date"


def test_the_scripts_catalogue_gets_the_strings_core_lacks(tmp_path):
    from ckanext.vndata.translation import vndata_complete_script_catalogues

    (tmp_path / "vi.js").write_text('{"Upload": [null, "Tải lên"]}', "utf-8")

    vndata_complete_script_catalogues(str(tmp_path))
    vndata_complete_script_catalogues(str(tmp_path))  # a restart changes nothing

    catalogue = json.loads((tmp_path / "vi.js").read_text("utf-8"))
    assert catalogue["Upload"] == [None, "Tải lên"]
    assert catalogue["Reorder resources"] == [None, "Sắp xếp lại tài nguyên"]
    assert "Create Dataset" not in catalogue  # not a script's string
