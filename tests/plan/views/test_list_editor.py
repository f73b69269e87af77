"""The list editor's own form fields: the row count is checked, and items are taken off
the list only when their row says so and the removal is confirmed."""

from __future__ import annotations

import pytest

from tests.helpers import token_headers
from tests.plan.conftest import call
from tests.plan.helpers import plan_with_parts


def _post(app, agency, plan, data, status=None):
    return app.post(
        f"/ke-hoach/{plan['id']}/danh-muc",
        headers=token_headers(agency.editor),
        data=data,
        status=status,
    )


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestListEditorRows:
    @pytest.mark.parametrize("rows", [None, "", "abc", "-5", "1000000", "1e3"])
    def test_a_wrong_row_count_is_a_400_and_removes_nothing(self, app, agency, rows):
        plan = plan_with_parts(agency)
        data = {} if rows is None else {"rows": rows}

        page = _post(app, agency, plan, data, status=400)

        assert "số dòng phải từ 0 đến 2005" in page.body
        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert [i["title"] for i in items] == ["Danh sách trường học"]

    def test_rows_not_sent_back_are_kept(self, app, agency):
        plan = plan_with_parts(agency)

        _post(app, agency, plan, {"rows": "0"})

        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1

    def test_a_cleared_row_is_removed_after_a_confirmation(self, app, agency):
        plan = plan_with_parts(agency)
        data = {"rows": "1", "items-0-existing": "1", "items-0-number": "1",
                "items-0-title": ""}  # fmt: skip

        preview = _post(app, agency, plan, data)
        assert "1. Danh sách trường học" in preview.body
        assert 'name="confirm_remove"' in preview.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1

        _post(app, agency, plan, {**data, "confirm_remove": "1"})
        assert call("vndata_plan_show", agency.editor, id=plan["id"])["items"] == []


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestListEditorDates:
    """The deadline is a text box in the reader's order (dd/mm/yyyy in Vietnamese),
    not the browser's date picker, whose order is the browser's (mm/dd/yyyy)."""

    ROW = {"rows": "1", "items-0-existing": "1", "items-0-number": "1",
           "items-0-title": "Danh sách trường học",
           "items-0-sector": "giao-duc-dao-tao",
           "items-0-phase": "Giai đoạn 1"}  # fmt: skip

    def test_the_deadline_is_shown_dd_mm_yyyy_and_saved_unchanged(self, app, agency):
        plan = plan_with_parts(agency)

        form = app.get(
            f"/ke-hoach/{plan['id']}/danh-muc", headers=token_headers(agency.editor)
        ).body
        shown = {**self.ROW, "items-0-target_date": "31/03/2025"}
        saved = _post(app, agency, plan, shown)

        assert 'name="items-0-target_date" value="31/03/2025"' in form
        assert 'type="date"' not in form
        assert 'placeholder="dd/mm/yyyy"' in form
        assert "Đã lưu 0 thay đổi." in saved.body
        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert items[0]["target_date"] == "2025-03-31"

    @pytest.mark.parametrize("typed", ["15/04/2025", "2025-04-15"])
    def test_a_typed_deadline_is_saved(self, app, agency, typed):
        plan = plan_with_parts(agency)

        _post(app, agency, plan, {**self.ROW, "items-0-target_date": typed})

        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert items[0]["target_date"] == "2025-04-15"

    @pytest.mark.parametrize("typed", ["31/02/2025", "04/15/2025", "\x00", "x" * 500])
    def test_a_wrong_deadline_is_a_vietnamese_error_and_saves_nothing(
        self, app, agency, typed
    ):
        plan = plan_with_parts(agency)

        page = _post(
            app, agency, plan, {**self.ROW, "items-0-target_date": typed}, status=400
        )

        assert 'class="vndata-field-error"' in page.body
        items = call("vndata_plan_show", agency.editor, id=plan["id"])["items"]
        assert items[0]["target_date"] == "2025-03-31"
