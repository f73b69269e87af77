"""Whoever may read a dataset may read its score; no one else.

The quality of a group is public: only public datasets count.
"""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.metadata.helpers import vn_dataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_score_is_read_as_the_dataset_is():
    org = factories.Organization()
    member = factories.User()
    helpers.call_action(
        "organization_member_create", id=org["id"], username=member["name"],
        role="member",
    )  # fmt: skip
    private = helpers.call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        **vn_dataset(org["id"], private=True),
    )

    def allowed(user):
        context = {"user": user}
        return helpers.call_auth("vndata_quality_show", context, id=private["id"])

    assert allowed(member["name"])
    assert helpers.call_auth("package_show", {"user": member["name"]}, id=private["id"])
    with pytest.raises(tk.NotAuthorized):
        allowed(factories.User()["name"])
    with pytest.raises(tk.NotAuthorized):
        allowed("")


@pytest.mark.usefixtures("with_plugins")
def test_anonymous_may_read_a_groups_quality():
    assert helpers.call_auth("vndata_quality_summary", {"user": ""}, scope="nation")
