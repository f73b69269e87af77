"""Who a user is to an agency's plans (plan/roles.py)."""

from __future__ import annotations

import pytest

from ckan.tests import factories

from ckanext.vndata.plan import roles

pytestmark = [
    pytest.mark.ckan_config("ckanext.vndata.plan.reviewers", "reviewer_bkhcn"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


def test_each_capacity_brings_the_roles_below_it(agency):
    org = agency.org["id"]

    assert roles.user_roles(agency.admin["name"], org) == {"admin", "editor", "member"}
    assert roles.user_roles(agency.editor["name"], org) == {"editor", "member"}
    assert roles.user_roles(agency.member["name"], org) == {"member"}


def test_reviewers_are_sysadmins_and_the_configured_users(agency, other_agency):
    sysadmin = factories.Sysadmin()
    named = factories.User(name="reviewer_bkhcn")

    assert roles.user_roles(sysadmin["name"], agency.org["id"]) == {
        "sysadmin",
        "reviewer",
    }
    assert roles.user_roles(named["name"], agency.org["id"]) == {"reviewer"}
    assert roles.is_reviewer(named["name"]) and roles.is_reviewer(sysadmin["name"])
    assert not roles.is_reviewer(agency.admin["name"])


@pytest.mark.parametrize("user", [None, "", "khong-co", "reviewer"])
def test_a_visitor_or_an_unknown_user_has_no_role(agency, user):
    assert roles.user_roles(user, agency.org["id"]) == set()


def test_a_member_of_another_agency_has_no_role_here(agency, other_agency):
    assert roles.user_roles(other_agency.admin["name"], agency.org["id"]) == set()
    assert not roles.is_reviewer(None)
