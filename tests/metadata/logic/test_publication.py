"""The publication gate's own rules: which datasets the law lets a portal make public.

Through package_create and package_patch, and through each public function of the gate
with what a form, an API client or a remote portal may send. Every path that makes a
dataset public is in test_publication_paths.py, harvest imports in
test_publication_harvest.py.
"""

from __future__ import annotations

import collections
import math

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import helpers

from ckanext.vndata.metadata.logic import publication
from tests.metadata.helpers import create_dataset as _create
from tests.metadata.helpers import creation_errors as _errors
from tests.metadata.helpers import vn_dataset

OPEN = {
    "data_sharing_class": "mo",
    "data_importance_class": "khac",
    "personal_data_assessed": True,
}
# The article each rule names, in the order the reasons are given.
SHARING, IMPORTANCE, PERSONAL = "Art. 13(1)(a)", "Art. 13(1)(b)", "Art. 43"
# What is not an exact code or a clear yes: a client's garbage, a list, a number.
NOT_A_YES = ["maybe", ["true"], 2, math.nan, {"a": 1}, "yes please", None, tk.missing]


def _id(value) -> str:
    """A test id that is the same in every process (pytest-xdist compares them):
    the repr of tk.missing holds its address."""
    return "missing" if value is tk.missing else repr(value)


def _laws(refusals: list[str]) -> list[str]:
    """The article each reason names (one per reason, in order)."""
    return [
        next(law for law in (SHARING, IMPORTANCE, PERSONAL) if law in reason)
        for reason in refusals
    ]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPublicationGate:
    @pytest.mark.parametrize(
        ("field", "value", "law"),
        [
            ("data_sharing_class", "dung_chung", "Art. 13(1)(a)"),
            ("data_sharing_class", "dung_rieng", "Art. 13(1)(a)"),
            ("data_importance_class", "quan_trong", "Art. 13(1)(b)"),
            ("data_importance_class", "cot_loi", "Decision 20/2025"),
            ("personal_data_assessed", False, "Art. 43"),
        ],
    )
    def test_public_dataset_breaking_a_rule_is_refused_with_the_law(
        self, sysadmin_context, organization, field, value, law
    ):
        errors = _errors(
            sysadmin_context(), **vn_dataset(organization["id"], **{field: value})
        )

        assert len(errors["private"]) == 1
        assert law in errors["private"][0]

    def test_missing_private_flag_counts_as_public(
        self, sysadmin_context, organization
    ):
        fields = vn_dataset(organization["id"], data_sharing_class="dung_chung")
        fields.pop("private", None)

        assert "private" in _errors(sysadmin_context(), **fields)

    def test_restricted_dataset_may_exist_as_private(
        self, sysadmin_context, organization
    ):
        dataset = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"],
                private=True,
                data_sharing_class="dung_chung",
                data_importance_class="quan_trong",
                personal_data_assessed=False,
            ),
        )

        assert dataset["private"] is True

    def test_refused_publication_loses_nothing_already_stored(
        self, sysadmin_context, organization
    ):
        stored = _create(
            sysadmin_context(),
            **vn_dataset(
                organization["id"], private=True, data_sharing_class="dung_chung"
            ),
        )

        with pytest.raises(tk.ValidationError):
            helpers.call_action(
                "package_patch",
                context=sysadmin_context(),
                id=stored["id"],
                private=False,
                title="Tiêu đề mới",
            )

        after = helpers.call_action("package_show", id=stored["id"])
        assert after["private"] is True
        assert after["title"] == stored["title"]
        assert after["data_sharing_class"] == "dung_chung"
        assert (
            helpers.call_action("package_search", q="*:*", include_private=True)[
                "results"
            ][0]["title"]
            == stored["title"]
        )

    def test_open_dataset_can_be_made_public_later(
        self, sysadmin_context, organization
    ):
        stored = _create(
            sysadmin_context(), **vn_dataset(organization["id"], private=True)
        )

        public = helpers.call_action(
            "package_patch", context=sysadmin_context(), id=stored["id"], private=False
        )

        assert public["private"] is False


class TestRefusals:
    def test_open_data_of_no_importance_assessed_for_personal_data_may_be_public(self):
        assert publication.publication_refusals("mo", "khac", True) == []

    @pytest.mark.parametrize("assessed", [True, "true", " TRUE ", "on", "yes", "1", 1])
    def test_assessed_in_every_usual_spelling_of_yes(self, assessed):
        assert publication.publication_refusals("mo", "khac", assessed) == []

    def test_each_rule_broken_gives_its_own_reason_in_order(self):
        refusals = publication.publication_refusals("dung_chung", "cot_loi", False)

        assert _laws(refusals) == [SHARING, IMPORTANCE, PERSONAL]
        assert "Decision 20/2025" in refusals[1]

    @pytest.mark.parametrize("assessed", NOT_A_YES, ids=_id)
    def test_anything_but_a_clear_yes_is_not_assessed(self, assessed):
        refusals = publication.publication_refusals("mo", "khac", assessed)

        assert _laws(refusals) == [PERSONAL]

    @pytest.mark.parametrize("code", ["MO", " mo", ["mo"], {"mo": 1}, None, ""])
    def test_only_the_exact_open_code_is_open(self, code):
        assert _laws(publication.publication_refusals(code, "khac", True)) == [SHARING]

    @pytest.mark.parametrize("code", ["KHAC", ["khac"], None, ""])
    def test_only_the_exact_other_code_is_of_no_importance(self, code):
        refusals = publication.publication_refusals("mo", code, True)

        assert _laws(refusals) == [IMPORTANCE]


class TestGateValidator:
    KEY = ("private",)

    def _gate(self, private, **classes) -> list[str]:
        data = {self.KEY: private}
        data.update({(field,): value for field, value in {**OPEN, **classes}.items()})
        errors = collections.defaultdict(list)
        publication.vndata_publication_gate(self.KEY, data, errors, {})
        return errors[self.KEY]

    @pytest.mark.parametrize(
        "private", [False, "false", "off", 0, "", None, tk.missing], ids=_id
    )
    def test_a_public_dataset_must_meet_the_gate(self, private):
        assert _laws(self._gate(private, data_sharing_class="dung_rieng")) == [SHARING]

    @pytest.mark.parametrize("private", [True, "true", "on", 1])
    def test_a_private_dataset_may_be_anything(self, private):
        refused = self._gate(
            private, data_sharing_class="dung_rieng", personal_data_assessed="maybe"
        )

        assert refused == []

    @pytest.mark.parametrize("private", ["abc", ["true"], 2, {"a": 1}])
    def test_a_private_flag_that_is_not_yes_or_no_is_left_to_its_own_validator(
        self, private
    ):
        assert self._gate(private, data_sharing_class="dung_rieng") == []

    def test_a_public_dataset_that_meets_the_gate_passes(self):
        assert self._gate(False) == []


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestStoredDatasets:
    @pytest.fixture
    def restricted(self, sysadmin_context, organization):
        """A dataset that fails the gate, made public behind the schema's back."""
        restricted = {"private": True, "data_sharing_class": "dung_rieng"}
        dataset = _create(
            sysadmin_context(), **vn_dataset(organization["id"], **restricted)
        )
        model.Session.query(model.Package).filter_by(id=dataset["id"]).update(
            {"private": False}
        )
        model.Session.commit()
        return model.Package.get(dataset["id"])

    def test_a_stored_dataset_is_judged_by_its_stored_classes(self, restricted):
        assert _laws(publication.refusals_of_stored(restricted)) == [SHARING]

    @pytest.mark.parametrize("kind", ["dataset", "bang"])
    def test_every_type_but_a_harvest_source_must_meet_the_gate(self, restricted, kind):
        restricted.type = kind

        assert publication.refusals_of_stored(restricted) != []

    def test_a_harvest_source_is_not_data_and_passes(self, restricted):
        restricted.type = "harvest"

        assert publication.refusals_of_stored(restricted) == []

    def test_the_refusal_names_the_dataset_and_the_reasons(self, restricted):
        refusals = publication.refusals_of_stored(restricted)

        described = publication.describe_refusal(restricted, refusals)

        assert described.startswith(f"{restricted.title} ({restricted.name})")
        assert refusals[0] in described

    def test_a_public_dataset_failing_the_gate_is_labelled_as_its_agencys_only(
        self, restricted
    ):
        labels = publication.VndataPermissionLabels().get_dataset_labels(restricted)

        assert labels == [f"member-{restricted.owner_org}"]

    @pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", True)
    def test_its_collaborators_keep_their_access(self, restricted):
        labels = publication.VndataPermissionLabels().get_dataset_labels(restricted)

        assert labels == [
            f"collaborator-{restricted.id}",
            f"member-{restricted.owner_org}",
        ]

    def test_without_an_agency_only_its_creator_may_read_it(self, restricted):
        restricted.owner_org = None

        labels = publication.VndataPermissionLabels().get_dataset_labels(restricted)

        assert labels == [f"creator-{restricted.creator_user_id}"]

    def test_a_dataset_that_meets_the_gate_keeps_its_labels(
        self, sysadmin_context, organization
    ):
        dataset = _create(sysadmin_context(), **vn_dataset(organization["id"]))
        stored = model.Package.get(dataset["id"])

        labels = publication.VndataPermissionLabels().get_dataset_labels(stored)

        assert labels == ["public"]


class TestHarvestedRecords:
    @pytest.mark.parametrize("private", [False, "false", None, "abc", ["true"]])
    def test_a_record_failing_the_gate_is_made_private_with_the_reasons(self, private):
        record = {**OPEN, "private": private, "personal_data_assessed": "maybe"}

        refusals = publication.keep_private_unless_publishable(record)

        assert _laws(refusals) == [PERSONAL]
        assert record["private"] is True
        assert publication.describe_kept_private(refusals) == (
            f"Imported as private: {refusals[0]}"
        )

    def test_a_record_without_a_private_flag_counts_as_public(self):
        record = {"data_sharing_class": "dung_rieng"}

        refusals = publication.keep_private_unless_publishable(record)

        assert _laws(refusals) == [SHARING, IMPORTANCE, PERSONAL]
        assert record["private"] is True

    @pytest.mark.parametrize("private", [True, "true", "on"])
    def test_a_private_record_is_left_as_it_is(self, private):
        record = {"private": private, "data_sharing_class": "dung_rieng"}

        assert publication.keep_private_unless_publishable(record) == []
        assert record == {"private": private, "data_sharing_class": "dung_rieng"}

    def test_a_record_that_may_be_public_stays_public(self):
        record = {**OPEN, "private": False}

        assert publication.keep_private_unless_publishable(record) == []
        assert record["private"] is False
