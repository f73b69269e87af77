"""A message declared with N_ is extracted for the catalogue and translated where it is
shown, in the language of that request (not once, when the module is imported)."""

from __future__ import annotations

import io

from babel.messages.extract import DEFAULT_KEYWORDS, extract

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_

# Declared at import time, as plan/fields.py and plan/states.py declare their labels.
DECLARED = N_("Plan not found")


def test_marking_a_message_leaves_it_as_it_is():
    assert N_("Plan not found") == "Plan not found"
    assert N_("{n} datasets") == "{n} datasets"  # format fields are left for later


def test_babel_extracts_a_marked_message_with_its_default_keywords():
    source = b'from ckanext.vndata.lib.i18n import N_\nLABEL = N_("Kept for later")\n'

    found = [message for _, message, _, _ in extract("python", io.BytesIO(source))]

    assert "N_" in DEFAULT_KEYWORDS
    assert found == ["Kept for later"]


def test_a_declared_message_is_shown_in_the_language_of_each_request(app):
    with app.flask_app.test_request_context():
        vietnamese = tk._(DECLARED)
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
        english = tk._(DECLARED)

    assert (vietnamese, english) == ("Không tìm thấy kế hoạch", "Plan not found")
