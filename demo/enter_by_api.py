"""Huế's plan entered through the action API, as a provincial system would send it.

The editor creates the plan, its phase and items and links the delivering dataset
(vndata_plan_item_link); the admin submits it; the province's reviewer approves and
publishes it. Each step starts from what the portal already has.
"""

from __future__ import annotations

from . import officers, plans
from .portal import Portal, Refused


def _enter(editor: Portal) -> str:
    spec = plans.HUE
    plan = editor.call("vndata_plan_create", **spec["plan"])
    phase = editor.call(
        "vndata_plan_phase_create",
        plan_id=plan["id"],
        **{
            **spec["phase"],
            "start_date": plans.days(spec["phase"]["start_date"]),
            "end_date": plans.days(spec["phase"]["end_date"]),
        },
    )
    for title, sector, due, dataset in spec["items"]:
        item = editor.call(
            "vndata_plan_item_create",
            plan_id=plan["id"],
            title=title,
            sector=sector,
            lead_agency="Văn phòng UBND thành phố Huế",
            formats=["XLSX", "CSV"],
            update_frequency="hang_nam",
            target_date=plans.days(due),
            phase_id=phase["id"] if due <= spec["phase"]["end_date"] else None,
        )
        if dataset:
            editor.call("vndata_plan_item_link", id=item["id"], package_id=dataset)
    print(f"  kế hoạch {plan['title']} (API)")
    return plan["id"]


def published_plan(sysadmin: Portal) -> None:
    organization = plans.HUE["plan"]["organization_id"]
    plan = plans.current(sysadmin, organization)
    if plan and plan["status"] == "published":
        return
    if plan is None:
        editor = sysadmin.as_user(officers.by_role("hue", organization, "editor"))
        plan_id = _enter(editor)
    else:
        plan_id = plan["id"]
    status = sysadmin.call("vndata_plan_show", id=plan_id)["status"]
    while status in plans.TO_PUBLISHED:
        transition, role = plans.TO_PUBLISHED[status]
        user = officers.acting("hue", organization, role)
        comment = plans.HUE["comments"][transition]
        result = sysadmin.as_user(user).call(
            f"vndata_plan_{transition}", id=plan_id, comment=comment
        )
        print(f"  {user}: {transition}")
        if result["status"] == status:
            raise Refused(f"{transition} ({user}): the plan stayed {status}")
        status = result["status"]
    print(f"  kế hoạch {plans.HUE['plan']['title']} (đã công bố)")
