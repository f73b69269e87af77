"""A failed upload or confirmation is a message naming the cell, never a 500, never a
partial write, and the next request on the same worker works."""

from __future__ import annotations

import os
import time

import pytest

from ckan.tests import factories

from tests.helpers import token_headers
from tests.plan.conftest import call
from tests.plan.helpers import (
    ITEMS,
    PHASES,
    confirm,
    plan_with_parts,
    preview_token,
    upload,
    workbook_of,
    xlsx_bytes,
)


def _next_request_works(app, other_agency) -> None:
    shown = app.get(
        f"/api/action/organization_show?id={other_agency.org['id']}",
        headers=token_headers(other_agency.admin),
    )
    assert shown.status_code == 200
    assert shown.json["result"]["id"] == other_agency.org["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUploadErrors:
    @pytest.mark.parametrize(
        ("sheet", "row", "header"),
        [
            (ITEMS, [10**12, "Dữ liệu số lớn"], "STT"),
            (PHASES, ["Giai đoạn 2", "01/01/2026", "31/12/2026", 1e20],
             "Số tập dữ liệu tối thiểu"),
        ],
    )  # fmt: skip
    def test_a_number_too_large_to_store_is_a_row_error_and_the_next_request_works(
        self, app, agency, other_agency, sheet, row, header
    ):
        plan = plan_with_parts(agency)
        before = call("vndata_plan_show", agency.editor, id=plan["id"])
        book = workbook_of(app, plan["id"], agency.editor)
        book[sheet].append(row)

        page = upload(app, plan["id"], agency.editor, xlsx_bytes(book))
        if 'name="token"' in page.body:  # accepted at preview: the confirmation
            page = confirm(app, plan["id"], agency.editor, page, follow_redirects=True)

        assert page.status_code in (200, 400, 409)
        assert f"“{sheet}”, dòng 3" in page.body and header in page.body
        after = call("vndata_plan_show", agency.editor, id=plan["id"])
        assert (after["items"], after["phases"]) == (before["items"], before["phases"])
        _next_request_works(app, other_agency)

    def test_confirming_after_the_plan_was_submitted_is_a_message_and_saves_nothing(
        self, app, agency, other_agency
    ):
        plan = plan_with_parts(agency)
        sysadmin = factories.Sysadmin()  # may still reach the page of a submitted plan
        book = workbook_of(app, plan["id"], sysadmin)
        book[ITEMS].append([2, "Điểm wifi công cộng"])
        preview = upload(app, plan["id"], sysadmin, xlsx_bytes(book))
        call("vndata_plan_submit", agency.admin, id=plan["id"])

        page = confirm(app, plan["id"], sysadmin, preview, status=409)

        assert 'id="vndata-problems"' in page.body
        assert "Trang “Danh mục và kế hoạch”, dòng 3" in page.body
        assert len(call("vndata_plan_show", agency.editor, id=plan["id"])["items"]) == 1
        _next_request_works(app, other_agency)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPendingUploads:
    def test_cancel_and_confirm_remove_the_file_and_old_ones_expire(
        self, app, agency, tmp_path, monkeypatch
    ):
        monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
        plan = plan_with_parts(agency)
        data = xlsx_bytes(workbook_of(app, plan["id"], agency.editor))
        folder = tmp_path / "vndata-plan-uploads"
        folder.mkdir()
        stale = folder / ("0" * 32 + ".xlsx")
        stale.write_bytes(b"left two hours ago")
        os.utime(stale, (time.time() - 7200, time.time() - 7200))

        cancelled = upload(app, plan["id"], agency.editor, data)
        assert not stale.exists()
        assert len(list(folder.iterdir())) == 1
        app.post(
            f"/ke-hoach/{plan['id']}/tai-len",
            headers=token_headers(agency.editor),
            data={"token": preview_token(cancelled), "cancel": "1"},
        )
        assert list(folder.iterdir()) == []

        confirm(app, plan["id"], agency.editor, upload(
            app, plan["id"], agency.editor, data
        ))  # fmt: skip
        assert list(folder.iterdir()) == []
