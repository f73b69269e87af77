"""Set-ups the plan tests share: a plan with parts, Excel uploads as the browser sends
them, and workbooks read back from the downloads."""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile

import openpyxl
import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.plan import fields, harvested
from ckanext.vndata.quality.indicators import INDICATORS
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally
from tests.factories import Item, Phase, VnDataset, walk
from tests.helpers import browser_login, token_headers
from tests.plan.conftest import Agency, call, danang_source, plan_in

ITEMS = "Danh mục và kế hoạch"
PHASES = "Mức tối thiểu"
GENERAL = "Thông tin chung"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def plan_with_parts(agency: Agency) -> dict:
    """A draft plan with one phase ("Giai đoạn 1") and one item (STT 1)."""
    plan = plan_in(agency)
    phase = Phase(plan_id=plan["id"], min_datasets=2)
    Item(
        plan_id=plan["id"], sector="giao-duc-dao-tao", target_date="2025-03-31",
        phase_id=phase["id"],
    )  # fmt: skip
    return plan


def upload(app, plan_id: str, user: dict, data: bytes, name: str = "ke-hoach.xlsx"):
    return app.post(
        f"/ke-hoach/{plan_id}/tai-len",
        headers=token_headers(user),
        data={"file": (io.BytesIO(data), name)},
    )


def preview_token(page) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', page.body).group(1)


def confirm(app, plan_id: str, user: dict, preview, **kwargs):
    return app.post(
        f"/ke-hoach/{plan_id}/tai-len",
        headers=token_headers(user),
        data={"token": preview_token(preview), "confirm": "1"},
        **kwargs,
    )


def workbook_of(app, plan_id: str, user: dict) -> openpyxl.Workbook:
    body = app.get(f"/ke-hoach/{plan_id}.xlsx", headers=token_headers(user)).data
    return openpyxl.load_workbook(io.BytesIO(body))


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def editor_login(app, agency: Agency):
    """A test client logged in with a session cookie, as a browser is, as a new editor
    of ``agency``; and the editor."""
    editor = factories.User(password="Matkhau-2026")
    helpers.call_action(
        "organization_member_create", id=agency.org["id"],
        username=editor["name"], role="editor",
    )  # fmt: skip
    return browser_login(app, editor), editor


def action_errors(action: str, user: dict | None, **data) -> dict:
    """The error dict of an action call that must be refused."""
    with pytest.raises(tk.ValidationError) as raised:
        call(action, user, **data)
    return raised.value.error_dict


def item_due_in_90_days(agency: Agency) -> dict:
    """An item of a new draft plan of ``agency``, due in 90 days."""
    return Item(
        plan_id=plan_in(agency)["id"],
        title="Danh sách trường học Đà Nẵng",
        target_date=(datetime.date.today() + datetime.timedelta(days=90)).isoformat(),
    )


def published_plan_with_items(agency: Agency) -> dict:
    """A published plan of ``agency`` (contact e-mail set) with a phase of 2025 and
    three items: one delivered on 2025-06-01 (due 2025-06-30), one due 2025-05-31, one
    due 2025-07-10."""
    plan = plan_in(agency, contact_email="dulieumo@danang.gov.vn")
    Phase(plan_id=plan["id"], label="Giai đoạn 2025", min_datasets=2)
    done = Item(plan_id=plan["id"], target_date="2025-06-30")
    Item(plan_id=plan["id"], title="Giá đất", target_date="2025-05-31")
    Item(plan_id=plan["id"], title="Điểm wifi", target_date="2025-07-10")
    VnDataset(owner_org=agency.org["id"], plan_item=done["key"], issued="2025-06-01")
    walk(plan, "published", agency)
    return plan


def rezip(data: bytes, replace: dict, stored: tuple = ()) -> bytes:
    """``data`` with parts replaced or added (``stored``: not compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as zip_:
        for info in source.infolist():
            if info.filename not in replace:
                zip_.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        for name, body in replace.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zip_.writestr(name, body, method)
    return out.getvalue()


def sheet_xml(rows: str, head: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{head}<worksheet xmlns="{MAIN}"><sheetData>'
            f"{rows}</sheetData></worksheet>").encode()  # fmt: skip


def plan_record(series_id: str = "kh-dn", version: int = 1, **overrides) -> dict:
    """A published plan record as a provincial portal sends it (the exchange dict of
    plan/exchange.py): one phase, two items (keys ``<series>-1``, ``<series>-2``), the
    first delivered by the source's dataset ``ds-truong-hoc``."""
    phase = {
        "id": f"{series_id}-p1", "position": 0, "label": "Giai đoạn 2025",
        "start_date": "2025-01-01", "end_date": "2025-12-31",
        **dict.fromkeys(fields.LEVEL_KEYS), "min_datasets": 1,
    }  # fmt: skip

    def item(number: int, title: str, datasets: list) -> dict:
        return {
            **{f.key: None for f in fields.ITEM},
            "key": f"{series_id}-{number}", "number": number, "title": title,
            "phase_id": phase["id"], "target_date": "2025-06-30",
            "formats": ["CSV"], "cooperating_agencies": [],
            "importance_class": "khac", "datasets": datasets,
        }  # fmt: skip

    record = {
        **{f.key: None for f in fields.PLAN},
        "id": f"{series_id}-v{version}", "series_id": series_id, "version": version,
        "status": "published", "modified": "2026-11-30T08:00:00",
        "url": f"https://dulieu.danang.gov.vn/ke-hoach/{series_id}-v{version}",
        "organization": {
            "id": "org-dn", "name": "ubnd-da-nang", "title": "UBND TP Đà Nẵng",
            "agency_code": "H17", "province_code": "48",
        },
        "title": "Kế hoạch dữ liệu mở Đà Nẵng 2025", "period_start": 2025,
        "period_end": 2026, "review_interval_months": 6,
        "phases": [phase],
        "items": [
            item(1, "Danh sách trường học", [TRUONG_HOC]),
            item(2, "Giá đất", []),
        ],
    }  # fmt: skip
    record.update(overrides)
    return record


# The source's dataset that delivers the first item of plan_record().
TRUONG_HOC = {
    "id": "ds-truong-hoc",
    "name": "truong-hoc",
    "uri": "https://dulieu.danang.gov.vn/dataset/truong-hoc",
}


def import_as(record: dict, source: dict, agency: Agency, known=None) -> str:
    """harvested.import_record of ``record`` from ``source`` for ``agency``, with a
    resolve() as the harvester gives it: ``known`` maps a remote URI to a national
    package id."""
    known = known or {}
    return harvested.import_record(
        record,
        source_id=source["id"],
        organization_id=agency.org["id"],
        resolve=lambda ref: known.get(ref.get("uri")),
    )


def harvested_plan(agency: Agency, **overrides) -> dict:
    """A plan harvested for ``agency`` from danang_source() (a record of
    plan_record(**overrides)), as vndata_plan_show returns it to the site user."""
    source = danang_source()
    record = plan_record(**overrides)
    import_as(record, source, agency)
    plan_id = harvested.series_of_source(source["id"])[record["series_id"]]
    return helpers.call_action("vndata_plan_show", id=plan_id)


# Long names and every minimum level set: the widest rows the plan pages and the
# dashboard show (an ended phase, judged, and the running one, not yet due).
LONG_ITEM = "Danh mục cơ sở giáo dục mầm non, phổ thông và giáo dục thường xuyên"


def wide_plan(agency: Agency, status: str = "published", items: int = 6) -> dict:
    """A plan of ``agency`` with two phases carrying every minimum level and
    ``items`` items with long titles and every field, walked up to ``status``."""
    today = datetime.date.today()
    plan = plan_in(
        agency, title="Kế hoạch mở dữ liệu của thành phố giai đoạn 2025–2030",
        contact_email="dulieumo@danang.gov.vn",
    )  # fmt: skip
    levels = {level.key: 50 for level in fields.LEVELS}
    levels["min_stars"] = 3
    ended = Phase(
        plan_id=plan["id"], label="Giai đoạn 1: dữ liệu nền tảng", **levels,
        start_date=(today - datetime.timedelta(days=400)).isoformat(),
        end_date=(today - datetime.timedelta(days=40)).isoformat(),
    )  # fmt: skip
    Phase(
        plan_id=plan["id"], label="Giai đoạn 2: dữ liệu chuyên ngành", **levels,
        start_date=(today - datetime.timedelta(days=39)).isoformat(),
        end_date=(today + datetime.timedelta(days=400)).isoformat(),
    )  # fmt: skip
    for number in range(1, items + 1):
        Item(
            plan_id=plan["id"], number=number, title=f"{LONG_ITEM} ({number})",
            sector="giao-duc-dao-tao", update_frequency="hang_quy",
            lead_agency="Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
            phase_id=ended["id"],
            target_date=(today + datetime.timedelta(days=90 * number - 200))
            .isoformat(),
        )  # fmt: skip
    return walk(plan, status, agency)


def tally_rated(rating: str) -> Tally:
    """A one-dataset tally with ``rating``: every indicator passes, then the lightest
    fail one by one until the points fall into the rating's band."""
    counts = {indicator.key: (1, 1) for indicator in INDICATORS}
    for indicator in sorted(INDICATORS, key=lambda i: i.weight):
        if Tally(counts, 1).rating() == rating:
            break
        counts[indicator.key] = (0, 1)
    tally = Tally(counts, 1)
    assert tally.rating() == rating
    return tally


def store_score(dataset: dict, rating: str) -> Tally:
    """Store ``dataset``'s score as a rescore does (a row of the score table, its
    ``computed`` now), without writing the dataset."""
    tally = tally_rated(rating)
    model.Session.merge(
        DatasetScore(
            package_id=dataset["id"],
            points=tally.total(),
            rating=rating,
            tally=json.dumps(tally.as_dict()),
            computed=datetime.datetime.utcnow(),
        )
    )
    model.Session.commit()
    return tally


def clear_score(dataset: dict) -> None:
    """Remove ``dataset``'s stored score (each write stores one): a dataset the
    scoring has not reached yet, as before ``ckan vndata_quality score`` runs."""
    model.Session.query(DatasetScore).filter_by(package_id=dataset["id"]).delete()
    model.Session.commit()


def store_snapshot(organization_id: str, day: datetime.date, rating: str) -> Tally:
    """One day's snapshot of an organization's score, as the daily command writes."""
    tally = tally_rated(rating)
    model.Session.add(
        Snapshot(day=day, scope="organization", scope_id=organization_id,
                 points=tally.total(), rating=rating, tally=json.dumps(tally.as_dict()))
    )  # fmt: skip
    model.Session.commit()
    return tally
