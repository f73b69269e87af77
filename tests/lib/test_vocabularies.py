"""The national code lists, each term with its Vietnamese and English label
(lib/vocabularies.py)."""

from __future__ import annotations

import pytest

from ckanext.vndata.lib import vocabularies


def test_a_term_is_found_by_its_value_and_an_unknown_value_is_none():
    found = vocabularies.term("update_frequency", "hang_quy")

    assert (found.vi, found.en) == ("Hằng quý", "Quarterly")
    assert vocabularies.term("update_frequency", "thinh_thoang") is None


def test_choices_are_scheming_choices_with_both_labels():
    choices = vocabularies.choices("data_sharing_class")

    assert {"value", "label"} == set(choices[0])
    assert set(choices[0]["label"]) == {"vi", "en"}
    assert [c["value"] for c in choices] == [
        t.value for t in vocabularies.SHARING_CLASSES
    ]


def test_the_twelve_national_sectors_each_map_to_an_eu_theme():
    assert len(vocabularies.SECTORS) == 12
    assert all(t.uri.startswith(vocabularies.EU_THEME) for t in vocabularies.SECTORS)


@pytest.mark.parametrize("vocabulary", sorted(vocabularies.VOCABULARIES))
def test_values_are_unique_and_every_term_has_both_labels(vocabulary):
    terms = vocabularies.VOCABULARIES[vocabulary]

    assert len({t.value for t in terms}) == len(terms)
    assert all(t.vi.strip() and t.en.strip() for t in terms)


def test_every_regular_frequency_has_an_interval():
    regular = {t.value for t in vocabularies.UPDATE_FREQUENCIES} - {"khong_dinh_ky"}

    assert regular == set(vocabularies.UPDATE_INTERVALS)
