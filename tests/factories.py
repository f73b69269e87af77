"""Factories for the Vietnamese schemas and the plans (CKAN factory subclasses).

Like CKAN's ``ckan.tests.factories``, each creates through the real action and returns
the action's result; ``tests/conftest.py`` registers the plan ones as fixtures
(``plan_factory``, ``phase_factory``, ``item_factory``).
"""

from __future__ import annotations

import factory

from ckan.tests import factories, helpers

from ckanext.vndata.plan import model as plan_model

# Workflow steps from a draft to each status, and who takes each (see ``Plan``).
_STEPS_TO = {
    "draft": (),
    "submitted": ("submit",),
    "returned": ("submit", "return"),
    "approved": ("submit", "approve"),
    "published": ("submit", "approve", "publish"),
}
_REVIEWER_STEPS = ("approve", "return")


class VnDataset(factories.Dataset):
    """A dataset that passes the Vietnamese schema and the publication gate."""

    title = factory.Sequence(lambda n: f"Tập dữ liệu thử nghiệm {n}")
    notes = "Dữ liệu phục vụ kiểm thử."
    sectors = factory.LazyFunction(lambda: ["xa-hoi"])
    data_sharing_class = "mo"
    data_importance_class = "khac"
    personal_data_assessed = True
    update_frequency = "hang_nam"


def _as(user: dict | str | None) -> dict:
    """The context of a call as ``user`` (default: the site user), auth checked."""
    if user is None:
        user = helpers.call_action("get_site_user")
    name = user if isinstance(user, str) else user["name"]
    return {"user": name, "ignore_auth": False}


class _PlanFactory(factories.CKANFactory):
    """Creates through a plan action as ``user`` (a user dict or name; default: the
    site user), auth checked as the API would, so a set-up cannot make what its user
    could not. CKAN's factories leave ``user`` in the data, which our actions refuse
    (their schemas reject unknown keys)."""

    @classmethod
    def _api_prepare_args(cls, data_dict):
        data_dict["context"] = _as(data_dict.pop("user", None))
        return data_dict


class Plan(_PlanFactory):
    """A plan, walked through the workflow up to ``status`` (default: a draft).

    With ``agency`` (tests/plan/conftest.py's ``Agency``), its editor creates the plan
    for its organization, its admin submits and publishes, a new sysadmin approves or
    returns. Without, the site user takes every step for a new organization.
    """

    class Meta:
        model = plan_model.Plan
        action = "vndata_plan_create"

    agency = None
    status = "draft"
    organization_id = factory.LazyAttribute(
        lambda o: (o.agency.org if o.agency else factories.Organization())["id"]
    )
    title = "Kế hoạch cung cấp dữ liệu mở giai đoạn 2025-2026"
    period_start = 2025
    period_end = 2026

    @classmethod
    def _create(cls, model_class, *args, agency=None, status="draft", **kwargs):
        if agency is not None:
            kwargs.setdefault("user", agency.editor)
        plan = super()._create(model_class, *args, **kwargs)
        return walk(plan, status, agency)


def walk(plan: dict, status: str, agency=None) -> dict:
    """Take a draft ``plan`` through the workflow up to ``status``; return it there.

    The agency's admin (without ``agency``: the site user) submits and publishes, a
    new sysadmin approves or returns.
    """
    steps = _STEPS_TO[status]
    reviewer = factories.Sysadmin() if set(steps) & set(_REVIEWER_STEPS) else None
    for step in steps:
        if step in _REVIEWER_STEPS:
            user = reviewer
        else:
            user = agency.admin if agency is not None else None
        extra = {"comment": "Bổ sung lộ trình"} if step == "return" else {}
        action = f"vndata_plan_{step}"
        plan = helpers.call_action(action, context=_as(user), id=plan["id"], **extra)
    return plan


class Phase(_PlanFactory):
    """A phase of a plan (default: of a new draft plan), for the year 2025."""

    class Meta:
        model = plan_model.Phase
        action = "vndata_plan_phase_create"

    plan_id = factory.LazyFunction(lambda: Plan()["id"])
    label = "Giai đoạn 1"
    start_date = "2025-01-01"
    end_date = "2025-12-31"


class Item(_PlanFactory):
    """An item (a row of the open-data list) of a plan (default: of a new draft
    plan)."""

    class Meta:
        model = plan_model.Item
        action = "vndata_plan_item_create"

    plan_id = factory.LazyFunction(lambda: Plan()["id"])
    title = "Danh sách trường học"
