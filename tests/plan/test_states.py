"""The plan state machine: every transition from every state, and the labels."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.vndata.plan.states import (
    EDITABLE,
    PUBLIC,
    RETIRED,
    ItemStatus,
    PlanStatus,
    Transition,
    event_label,
    next_status,
    status_label,
    transition_label,
)

S, T = PlanStatus, Transition
ALLOWED = {
    (T.SUBMIT, S.DRAFT): S.SUBMITTED,
    (T.SUBMIT, S.RETURNED): S.SUBMITTED,
    (T.RETURN, S.SUBMITTED): S.RETURNED,
    (T.APPROVE, S.SUBMITTED): S.APPROVED,
    (T.PUBLISH, S.APPROVED): S.PUBLISHED,
    (T.SUPERSEDE, S.PUBLISHED): S.SUPERSEDED,
    (T.WITHDRAW, S.PUBLISHED): S.WITHDRAWN,
}
EVERY_MOVE = [(t, s) for t in Transition for s in PlanStatus]


@pytest.mark.parametrize(("transition", "status"), sorted(ALLOWED))
def test_an_allowed_transition_leads_to_its_state(transition, status):
    assert next_status(status, transition) == ALLOWED[(transition, status)]


@pytest.mark.parametrize(
    ("transition", "status"), [m for m in EVERY_MOVE if m not in ALLOWED]
)
def test_any_other_transition_is_refused(transition, status):
    assert next_status(status, transition) is None


def test_a_state_given_as_plain_text_is_judged_the_same():
    assert next_status("draft", Transition.SUBMIT) == PlanStatus.SUBMITTED
    assert next_status("published", Transition.SUBMIT) is None


def test_only_draft_and_returned_plans_are_editable_and_published_ones_public():
    assert EDITABLE == {S.DRAFT, S.RETURNED}
    assert PUBLIC == {S.PUBLISHED, S.SUPERSEDED, S.WITHDRAWN}


def test_superseded_and_withdrawn_plans_are_no_longer_in_force():
    assert RETIRED == {S.SUPERSEDED, S.WITHDRAWN}


VIETNAMESE = {
    S.DRAFT: "dự thảo",
    S.SUBMITTED: "đã trình",
    S.RETURNED: "bị trả lại",
    S.APPROVED: "đã phê duyệt",
    S.PUBLISHED: "đã công bố",
    S.SUPERSEDED: "đã được thay thế",
    S.WITHDRAWN: "đã rút",
    ItemStatus.NOT_DUE: "chưa đến hạn",
    ItemStatus.DUE_SOON: "sắp đến hạn",
    ItemStatus.PUBLISHED_ON_TIME: "công bố đúng hạn",
    ItemStatus.PUBLISHED_LATE: "công bố trễ hạn",
    ItemStatus.OVERDUE: "quá hạn",
    ItemStatus.UPDATE_OVERDUE: "quá hạn cập nhật",
    ItemStatus.REMOVED: "đã loại khỏi danh mục",
}
ENGLISH = {
    S.DRAFT: "draft",
    S.SUBMITTED: "submitted",
    S.RETURNED: "returned",
    S.APPROVED: "approved",
    S.PUBLISHED: "published",
    S.SUPERSEDED: "superseded",
    S.WITHDRAWN: "withdrawn at source",
    ItemStatus.NOT_DUE: "not due",
    ItemStatus.DUE_SOON: "due soon",
    ItemStatus.PUBLISHED_ON_TIME: "published on time",
    ItemStatus.PUBLISHED_LATE: "published late",
    ItemStatus.OVERDUE: "overdue",
    ItemStatus.UPDATE_OVERDUE: "update overdue",
    ItemStatus.REMOVED: "removed",
}


def test_every_state_has_a_label():
    assert set(VIETNAMESE) == set(PlanStatus) | set(ItemStatus)


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins")
def test_labels_in_vietnamese(app):
    with app.flask_app.test_request_context():
        assert {s: status_label(s) for s in VIETNAMESE} == VIETNAMESE


@pytest.mark.ckan_config("ckan.locale_default", "en")
@pytest.mark.usefixtures("with_plugins")
def test_labels_in_english(app):
    with app.flask_app.test_request_context():
        assert {s: status_label(s) for s in ENGLISH} == ENGLISH


def test_an_unknown_state_is_shown_as_it_is():
    assert status_label("archived") == "archived"


@pytest.mark.usefixtures("with_plugins")
def test_the_template_helper_gives_these_labels(app):
    with app.flask_app.test_request_context():
        for status in VIETNAMESE:
            assert tk.h.vndata_plan_status_label(status) == status_label(status)


@pytest.mark.usefixtures("with_request_context")
def test_every_transition_has_a_button_and_a_history_name():
    # Superseding follows the next version's publication, withdrawing the source's
    # harvest: neither has a button.
    assert all(transition_label(t) != t for t in set(T) - {T.SUPERSEDE, T.WITHDRAW})
    assert all(event_label(t) != t for t in T)


@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins")
def test_buttons_and_history_in_vietnamese(app):
    with app.flask_app.test_request_context():
        assert transition_label("submit") == "Gửi thẩm định"
        assert transition_label("revise") == "Bắt đầu điều chỉnh"
        assert event_label("reopen") == "mở lại để chỉnh sửa"
        assert event_label("create") == "tạo mới"
        assert tk.h.vndata_plan_transition_label("return") == "Trả lại để chỉnh sửa"
        assert tk.h.vndata_plan_event_label("supersede") == "đã được thay thế"
        assert event_label("harvest") == "thu thập từ cổng nguồn"
        assert event_label("withdraw") == "bị rút tại cổng nguồn"


def test_an_unknown_transition_or_event_is_shown_as_it_is():
    assert transition_label("archive") == "archive"
    assert event_label("archive") == "archive"
