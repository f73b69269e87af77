"""Kinds of obliged body and their labels (plan/body_kinds.py)."""

from __future__ import annotations

from ckanext.vndata.plan.body_kinds import CENTRAL, KIND_LABELS, BodyKind


def test_every_kind_has_a_label_and_only_provinces_are_not_central():
    assert set(KIND_LABELS) == set(BodyKind)
    assert set(BodyKind) - CENTRAL == {BodyKind.PROVINCE}
