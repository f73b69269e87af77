"""Every field name a source may send has a label in Vietnamese and in English."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata.harvested_fields import SOURCE_FIELDS


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_every_source_field_has_a_vietnamese_label():
    untranslated = [k for k, label in SOURCE_FIELDS.items() if tk._(label) == label]

    assert untranslated == []


def test_labels_are_words_not_codes():
    assert [label for label in SOURCE_FIELDS.values() if "_" in label] == []
