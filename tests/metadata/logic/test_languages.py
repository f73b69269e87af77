"""The language tag and translations validators (metadata/logic/languages.py)."""

from __future__ import annotations

import json

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata.logic import languages


class TestLanguageTag:
    @pytest.mark.parametrize(
        ("value", "stored"),
        [("de", "de"), (" PT-BR ", "pt-br"), ("", ""), (None, None)],
    )
    def test_a_tag_is_stored_lower_case(self, value, stored):
        assert languages.vndata_language_tag(value, {}) == stored

    @pytest.mark.parametrize("value", ["d e", "toolonglanguage", "de_DE", "fr-"])
    def test_anything_else_is_refused(self, value):
        with pytest.raises(tk.Invalid):
            languages.vndata_language_tag(value, {})


class TestTranslations:
    def test_stored_as_canonical_json_without_empty_fields(self):
        value = {"title": {"fr": "Écoles"}, "notes": {}}

        stored = languages.vndata_translations(json.dumps(value), {})

        assert json.loads(stored) == {"title": {"fr": "Écoles"}}
        assert languages.vndata_translations(value, {}) == stored

    def test_nothing_left_is_no_value(self):
        assert languages.vndata_translations('{"title": {}}', {}) is None

    @pytest.mark.parametrize(
        "value",
        [
            "[",
            '["title"]',
            '{"license_id": {"fr": "x"}}',
            '{"title": {"f r": "x"}}',
            '{"title": {"fr": ""}}',
            '{"title": {"fr": []}}',
            '{"title": {"fr": 5}}',
        ],
    )
    def test_anything_else_is_refused(self, value):
        with pytest.raises(tk.Invalid):
            languages.vndata_translations(value, {})

    def test_too_long_is_refused(self):
        text = "x" * languages.TRANSLATIONS_MAX

        with pytest.raises(tk.Invalid):
            languages.vndata_translations({"title": {"fr": text}}, {})
