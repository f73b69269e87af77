from __future__ import annotations

import pytest

from ckanext.vndata.lib import agency_codes


@pytest.mark.parametrize(
    ("given", "code", "legacy"),
    [
        ("H46.14", "H46.14", None),
        (" h46.14 ", "H46.14", None),
        ("G06", "G06", None),
        ("H01.151.01", "H01.151.01", None),
        ("000.00.00.H57", "H57", "000.00.00.H57"),
        ("000.00.14.H57", "H57.14", "000.00.14.H57"),
        ("001.02.14.h57", "H57.14.02.001", "001.02.14.H57"),
        ("Z01ABC123", "Z01ABC123", None),
        ("0101234567", "0101234567", None),
        ("0101234567-001", "0101234567-001", None),
    ],
)
def test_valid_codes_are_normalised(given, code, legacy):
    parsed = agency_codes.parse(given)

    assert (parsed.code, parsed.legacy) == (code, legacy)


def test_code_of_exactly_35_characters_is_accepted():
    code = "H46." + "1" * 31

    assert agency_codes.parse(code).code == code


@pytest.mark.parametrize(
    "given",
    ["H46." + "1" * 32, "ABC", "46.H14", "Z99", "H4.14", "000.0.14.H57", ""],
)
def test_invalid_codes_are_refused(given):
    with pytest.raises(agency_codes.InvalidAgencyCode):
        agency_codes.parse(given)
