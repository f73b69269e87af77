"""Five-star openness of a resource and a dataset (lib/openness.py)."""

from __future__ import annotations

import pytest

from ckanext.vndata.lib import openness


@pytest.mark.parametrize(
    ("fmt", "access_type", "stars"),
    [
        ("PDF", "tai_ve", 1),
        ("unknown", None, 1),
        (None, None, 1),
        ("xlsx", "tai_ve", 2),
        (".csv", "tai_ve", 3),
        (" json ", "api", 3),
        ("", "api", 3),
        ("API", "api", 3),
        ("Turtle", "tai_ve", 4),
        ("SPARQL", "api", 5),
    ],
)
def test_a_resource_has_the_stars_of_its_format(fmt, access_type, stars):
    assert openness.resource_stars(fmt, access_type, auth_required=False) == stars


def test_a_resource_behind_a_login_has_no_star():
    assert openness.resource_stars("SPARQL", "api", auth_required=True) == 0


@pytest.mark.parametrize(
    ("stars", "licence", "expected"),
    [
        ([1, 3, 2], "CC-BY-4.0", 3),
        ([4], "other-closed", 0),
        ([4], "notspecified", 0),
        ([4], None, 0),
        ([], "CC-BY-4.0", 0),
    ],
)
def test_a_dataset_is_as_open_as_its_best_resource_unless_closed(
    stars, licence, expected
):
    assert openness.dataset_stars(stars, licence) == expected


@pytest.mark.parametrize(
    ("fmt", "readable"),
    [("XLS", True), ("csv", True), ("RDF", True), ("PDF", False), (None, False)],
)
def test_machine_readable_formats(fmt, readable):
    assert openness.is_machine_readable(fmt) is readable


@pytest.mark.parametrize(
    ("fmt", "access_type", "auth", "stars"),
    [("XLSX", None, False, 3), ("PDF", None, False, 3), ("RDF", None, False, 4),
     ("XLSX", None, True, 0)],
)  # fmt: skip
def test_a_datastore_table_is_an_api_of_at_least_three_stars(
    fmt, access_type, auth, stars
):
    assert openness.resource_stars(fmt, access_type, auth, True) == stars
    assert openness.resource_stars("XLSX", None, False, False) == 2


@pytest.mark.parametrize(
    ("resource", "offered"),
    [
        ({"access_type": "api"}, True),
        ({"datastore_active": True}, True),
        ({"datastore_active": "True"}, True),  # as a resource extra may hold it
        ({"datastore_active": False}, False),
        ({"datastore_active": "false"}, False),
        ({"datastore_active": "yes please"}, False),
        ({"format": "CSV"}, False),
    ],
)
def test_an_api_is_an_api_access_type_or_a_datastore_table(resource, offered):
    assert openness.offers_api(resource) is offered
