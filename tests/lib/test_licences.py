"""Which licence of this portal's register a licence named elsewhere is
(lib/licences.py)."""

from __future__ import annotations

import pytest

from ckanext.vndata.lib import licences


@pytest.mark.usefixtures("with_plugins")
class TestResolve:
    @pytest.mark.parametrize(
        "name",
        [
            "CC-BY-4.0",
            "cc-by",
            "https://creativecommons.org/licenses/by/4.0/",
            "http://www.creativecommons.org/licenses/by/4.0/legalcode",
            "CC BY 4.0",
            "Creative Commons Attribution 4.0 International",
        ],
    )
    def test_the_spellings_of_cc_by_4_are_one_licence(self, name):
        assert licences.resolve(name) == "CC-BY-4.0"

    def test_the_first_name_known_wins(self):
        assert licences.resolve(None, "", "khong-ro", "cc0", "cc-by") == "CC0-1.0"

    @pytest.mark.parametrize("name", [None, "", "   ", "giấy phép riêng", 42])
    def test_an_unknown_name_is_none(self, name):
        assert licences.resolve(name) is None


def test_normalise_drops_what_varies_between_spellings_of_an_address():
    assert licences.normalise(
        " HTTPS://www.opendatacommons.org/licenses/odbl/ "
    ) == licences.normalise("opendatacommons.org/licenses/odbl")
