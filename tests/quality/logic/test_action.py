"""vndata_quality_summary: public figures of a group; hostile input is a validation
error or not found, never a database error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.quality import scoring
from tests.factories import VnDataset
from tests.fuzz import FUZZ, HOSTILE


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_anyone_reads_an_organizations_public_figures():
    org = factories.Organization()
    VnDataset(owner_org=org["id"])
    VnDataset(owner_org=org["id"], private=True)
    scoring.vndata_quality_score_all()

    result = helpers.call_action(
        "vndata_quality_summary", {"user": ""}, scope="organization", id=org["name"]
    )

    assert result["datasets"] == 1 and result["id"] == org["id"]
    assert result["maximum"] == 405 and len(result["history"]) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_deleted_organization_or_a_dataset_is_not_a_group():
    org = factories.Organization()
    dataset = VnDataset(owner_org=org["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("vndata_quality_summary", scope="source", id=dataset["id"])
    admin = {"user": factories.Sysadmin()["name"]}
    helpers.call_action("organization_delete", admin, id=org["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action(
            "vndata_quality_summary", scope="organization", id=org["id"]
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
@FUZZ
@given(
    scope=st.one_of(HOSTILE, st.sampled_from(["organization", "source"])), id=HOSTILE
)
def test_hostile_input_is_an_error_not_a_crash(scope, id):
    try:
        helpers.call_action("vndata_quality_summary", scope=scope, id=id)
    except (tk.ValidationError, tk.ObjectNotFound):
        pass
