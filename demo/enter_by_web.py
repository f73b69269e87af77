"""Đà Nẵng's plans entered through the portal's web pages, as its officers do.

The editor opens the new-plan form, downloads the Excel template, fills it in, uploads
it, reads the preview and confirms; a dataset is marked as delivering an item through
its "plan item" field; the admin presses "Submit for review" and the province's
reviewer "Approve" and "Publish" on the plan's page. Each step starts from what the
portal already has, so a second run changes nothing.
"""

from __future__ import annotations

from . import officers, plans, workbook
from .portal import Portal, Refused, alerts, hidden_input


def _editor(sysadmin: Portal, organization: str) -> Portal:
    return sysadmin.as_user(officers.by_role("danang", organization, "editor"))


def _new_plan(editor: Portal, spec: dict) -> str:
    """The new-plan form; returns the new plan's id (from the page it leads to)."""
    path = f"/organization/ke-hoach/{spec['organization']}/tao-moi"
    target = editor.post_form(path, spec["form"])
    if "/ke-hoach/" not in target:
        raise Refused(f"{path}: {alerts(target)}")
    return target.rstrip("/").rsplit("/", 1)[-1]


def _upload(editor: Portal, plan_id: str) -> None:
    """The filled template: uploaded, previewed, then confirmed. Its rows carry no
    item key, so they would be added again to a list already filled by an interrupted
    run: the officer fills the template once."""
    if editor.call("vndata_plan_show", id=plan_id)["items"]:
        return
    template = editor.get("/ke-hoach/mau-ke-hoach.xlsx").content
    data = workbook.filled(template)
    path = f"/ke-hoach/{plan_id}/tai-len"
    name = "ke-hoach-du-lieu-mo-da-nang.xlsx"
    files = {"file": (name, data, workbook.XLSX)}
    preview = editor.post_form(path, {}, files)
    token = hidden_input(preview, "token")
    if token is None:  # refused: the page says why
        raise Refused(f"{path}: {alerts(preview)}")
    if 'id="vndata-no-change"' in preview:
        editor.post_form(path, {"token": token, "cancel": "1"})
        return
    target = editor.post_form(path, {"token": token, "confirm": "1"})
    if f"/ke-hoach/{plan_id}" not in target:
        raise Refused(f"{path}: {alerts(target)}")
    print("  tải lên tệp Excel kế hoạch (xem trước, xác nhận)")


def _deliveries(editor: Portal, sysadmin: Portal, plan_id: str) -> None:
    """Each delivered item named in its dataset's "plan item" field."""
    plan = sysadmin.call("vndata_plan_show", id=plan_id)
    items = {item["title"]: item for item in plan["items"]}
    for title, _sector, _due, _phase, dataset in plans.DA_NANG["items"]:
        if dataset is None:
            continue
        key = items[title]["key"]
        if sysadmin.call("package_show", id=dataset).get("plan_item") != key:
            editor.call("package_patch", id=dataset, plan_item=key)
            print(f"  tập dữ liệu {dataset} thực hiện mục «{title}»")


def _workflow(portal: Portal, plan_id: str, spec: dict) -> None:
    """The workflow buttons, pressed by whoever may, until the plan is published."""
    while True:
        status = portal.call("vndata_plan_show", id=plan_id)["status"]
        if status not in plans.TO_PUBLISHED:
            return
        transition, role = plans.TO_PUBLISHED[status]
        user = officers.acting("danang", spec["organization"], role)
        form = {"transition": transition, "comment": spec["comments"][transition]}
        portal.as_user(user).post_form(f"/ke-hoach/{plan_id}/quy-trinh", form)
        print(f"  {user}: {transition}")
        if portal.call("vndata_plan_show", id=plan_id)["status"] == status:
            raise Refused(f"{transition} ({user}): the plan stayed {status}")


def published_plan(sysadmin: Portal) -> None:
    spec = plans.DA_NANG
    plan = plans.current(sysadmin, spec["organization"])
    if plan and plan["status"] == "published":
        return
    editor = _editor(sysadmin, spec["organization"])
    if plan is None:
        plan = {"id": _new_plan(editor, spec), "status": "draft"}
        print(f"  kế hoạch {spec['form']['title']} (biểu mẫu)")
    if plan["status"] in ("draft", "returned"):
        _upload(editor, plan["id"])
    _deliveries(editor, sysadmin, plan["id"])
    _workflow(sysadmin, plan["id"], spec)
    print(f"  kế hoạch {spec['form']['title']} (đã công bố)")


def draft_plan(sysadmin: Portal) -> None:
    """Another department's plan, typed on the forms and left as a draft."""
    spec = plans.DA_NANG_DRAFT
    if plans.current(sysadmin, spec["organization"]):
        return
    editor = _editor(sysadmin, spec["organization"])
    plan_id = _new_plan(editor, spec)
    for item in spec["items"]:
        target = editor.post_form(f"/ke-hoach/{plan_id}/item/them", item)
        if f"/ke-hoach/{plan_id}" not in target:
            raise Refused(f"{item['title']}: {alerts(target)}")
    print(f"  kế hoạch {spec['form']['title']} (dự thảo, không công bố)")
