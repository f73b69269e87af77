"""National plan report at the scale of issue #17 (target: under 0.5 s warm), then the
national dashboard with 68 harvest sources (``--profile``: a warm page under cProfile).

A roster of 34 provinces and 30 central bodies (the shipped roster, grown with
Government agencies of the bench); 300 organizations spread over them (each province's
People's Committee and departments, each central body and one of its units), each with a
published plan of 200 items in two phases, 60% of the items delivered by a dataset:
60,000 items. The report has a row per body (its departments rolled up) and per agency.
Organizations are created through the action; plans, phases, items and links are
inserted in bulk, since creating them one action at a time would only measure the
setup.

The machine is shared, so absolute timings drift from run to run. The figure to compare
is the ratio to a baseline measured in the same run: one plain SELECT of the columns of
all 60,000 items, the least any report over them has to read. "Warm" is a call after
the first with nothing changed in between: the evaluation is reused
(plan/report_cache.py); the bench also gives the evaluation anew, which a write to a
plan, item, link, organization or the roster costs the next call.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
import uuid

from _site import load_site

PROVINCES = 34
CENTRAL = 30
ORGANIZATIONS = 300
ITEMS = 200
RUNS = 7
AS_OF = "2025-09-30"
# The warm national dashboard with 68 sources before the overview was batched (issue
# #20's national bench: 1,000 queries in the harvest overview, 494 KB of HTML).
OLD_DASHBOARD = 4.2


def _central_bodies(context: dict) -> list[dict]:
    """The roster's central bodies, grown to 30 with Government agencies."""
    import ckan.plugins.toolkit as tk

    central = [
        body
        for body in tk.get_action("vndata_roster_list")(dict(context), {})
        if body["kind"] != "province"
    ]
    for n in range(len(central), CENTRAL):
        central.append(
            tk.get_action("vndata_roster_body_create")(
                dict(context),
                {
                    "code": f"G{41 + n:02d}",
                    "kind": "government_agency",
                    "title": f"Cơ quan thuộc Chính phủ {n}",
                    "agency_code": f"G{41 + n:02d}",
                },
            )  # fmt: skip
        )
    return central


def _organizations(province_codes: list[str], central: list[dict]) -> list[dict]:
    """300 organizations: 2 per central body (60), the rest over the provinces."""
    orgs = []
    for body in central:
        for unit in ("", ".01"):
            orgs.append(
                {"agency_level": "trung_uong", "province_code": "01",
                 "agency_code": body["agency_code"] + unit
                 if body["agency_code"] else None,
                 "body": body["code"]}
            )  # fmt: skip
    for n in range(ORGANIZATIONS - len(orgs)):
        orgs.append(
            {"province_code": province_codes[n % len(province_codes)],
             "agency_level": "tinh" if n < len(province_codes) else "so_nganh"}
        )  # fmt: skip
    return orgs


def _insert_plans(session, org_ids: list[str], rng: random.Random) -> None:
    from ckanext.vndata.plan.model import DatasetLink, Item, Phase, Plan

    plans, phases, items, links = [], [], [], []
    for n, org_id in enumerate(org_ids):
        plan_id = str(uuid.uuid4())
        plans.append(
            {"id": plan_id, "series_id": plan_id, "organization_id": org_id,
             "title": f"Kế hoạch dữ liệu mở {n}", "status": "published",
             "version": 1, "review_interval_months": 6}
        )  # fmt: skip
        phase_ids = [str(uuid.uuid4()) for _ in range(2)]
        for i, phase_id in enumerate(phase_ids):
            phases.append(
                {"id": phase_id, "plan_id": plan_id, "position": i,
                 "label": f"Giai đoạn {i + 1}",
                 "start_date": datetime.date(2025 + i, 1, 1),
                 "end_date": datetime.date(2025 + i, 12, 31),
                 "min_datasets": 50 * (i + 1),
                 "min_percent_published": 40.0 * (i + 1), "min_stars": 3,
                 "min_percent_machine_readable": 80.0, "min_percent_api": 20.0}
            )  # fmt: skip
        for number in range(1, ITEMS + 1):
            key = str(uuid.uuid4())
            target = datetime.date(2025, 1, 1) + datetime.timedelta(
                days=rng.randint(0, 700)
            )
            items.append(
                {"id": str(uuid.uuid4()), "key": key, "plan_id": plan_id,
                 "number": number, "title": f"Dữ liệu {number}",
                 "phase_id": phase_ids[number % 2], "target_date": target,
                 "importance_class": "khac",
                 "removed_reason": "Trùng lặp" if rng.random() < 0.02 else None}
            )  # fmt: skip
            if rng.random() < 0.6:
                links.append(
                    {"item_key": key, "package_id": str(uuid.uuid4()),
                     "source": "action", "is_public": True,
                     "published_date": target
                     + datetime.timedelta(days=rng.randint(-60, 60)),
                     "openness_stars": rng.randint(1, 5),
                     "machine_readable": rng.random() < 0.8,
                     "has_api": rng.random() < 0.3,
                     "metadata_complete": rng.random() < 0.7}
                )  # fmt: skip
    now = datetime.datetime(2025, 1, 1)
    for model, rows in (
        (Plan, plans), (Phase, phases), (Item, items), (DatasetLink, links)
    ):  # fmt: skip
        stamps = {
            c: now for c in ("created", "modified", "linked_at", "synced_at")
            if c in model.__table__.c
        }  # fmt: skip
        session.execute(model.__table__.insert(), [{**stamps, **r} for r in rows])


def _time(call, cpu: list | None = None) -> list[float]:
    """Wall-clock times of RUNS calls (and this process's CPU time of each in ``cpu``:
    on a shared machine the wall clock also counts the time others had the cores)."""
    from ckan.model import meta

    timings = []
    for _ in range(RUNS):
        meta.Session.expire_all()
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        timings.append(time.perf_counter() - t0)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
    return timings


def populate(context: dict) -> list[str]:
    """The roster, 300 organizations and their plans (bench_national runs it too, on
    top of its harvested datasets); the provinces' codes."""
    import ckan.plugins.toolkit as tk
    from ckan.model import meta

    from ckanext.vndata.lib import admin_units

    rng = random.Random(2025)
    started = time.perf_counter()
    codes = sorted(admin_units.provinces())[:PROVINCES]
    central = _central_bodies(context)
    org_ids, named = [], {}
    for n, extras in enumerate(_organizations(codes, central)):
        body = extras.pop("body", None)
        org = tk.get_action("organization_create")(
            dict(context),
            {"name": f"co-quan-{n}", "title": f"Cơ quan {n}",
             **{k: v for k, v in extras.items() if v}},
        )  # fmt: skip
        org_ids.append(org["id"])
        if body and not extras["agency_code"]:  # a body known by no agency code
            named.setdefault(body, []).append(org["name"])
    for code, names in named.items():
        tk.get_action("vndata_roster_body_update")(
            dict(context), {"code": code, "organizations": names}
        )
    _insert_plans(meta.Session, org_ids, rng)
    meta.Session.commit()
    print(
        f"setup: {PROVINCES} provinces + {CENTRAL} central bodies, "
        f"{len(org_ids)} organizations x {ITEMS} items in "
        f"{time.perf_counter() - started:.1f}s"
    )
    return codes


def measure(context: dict) -> None:
    """The report's cold, warm and uncached times against the baseline."""
    import sqlalchemy as sa

    import ckan.plugins.toolkit as tk
    from ckan.model import meta

    from ckanext.vndata.plan import report_cache
    from ckanext.vndata.plan.model import Item

    columns = [c for c in Item.__table__.c if c.key in (
        "plan_id", "id", "key", "number", "title", "phase_id", "target_date",
        "removed_reason")]  # fmt: skip
    baseline = _time(lambda: meta.Session.execute(sa.select(*columns)).fetchall())
    report: dict = {}

    def run_report():
        report.update(
            tk.get_action("vndata_compliance_report")(dict(context), {"as_of": AS_OF})
        )

    def run_uncached():
        report_cache.clear()  # what a write to a plan, item or link costs the next
        run_report()

    cpu: list[float] = []
    timings = _time(run_report, cpu)  # cold: the first evaluation
    uncached = _time(run_uncached)
    rows, bodies = report["rows"], report["bodies"]
    warm = statistics.median(timings[1:])
    base = statistics.median(baseline[1:])
    print(f"baseline (SELECT of the items' columns): warm median {base:.3f}s")
    print(
        f"vndata_compliance_report: {len(bodies)} bodies "
        f"({sum(1 for b in bodies if b['plans'])} with plans), "
        f"{len(rows)} agencies, "
        f"{sum(r['planned'] for r in rows)} items; cold {timings[0]:.3f}s, "
        f"warm median {warm:.3f}s ({warm / base:.1f}x the baseline), "
        f"warm best {min(timings[1:]):.3f}s; CPU of this process: warm median "
        f"{statistics.median(cpu[1:]):.3f}s"
    )
    print(
        "  evaluated anew each time (after any write to what it reads): median "
        f"{statistics.median(uncached[1:]):.3f}s, best {min(uncached[1:]):.3f}s"
    )


def main() -> None:
    app = load_site()
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": site["name"], "ignore_auth": True}
        codes = populate(context)
        measure(context)

    _dashboard(app, context, codes)


def _dashboard(app, context: dict, codes: list[str]) -> None:
    """The national dashboard and the harvest overview with 68 sources with jobs
    (_harvest_sources.py), warm, as a sysadmin and as a citizen sees them."""
    import sqlalchemy as sa
    from _harvest_sources import RECORDS, SOURCES, insert_sources
    from werkzeug.test import Client

    import ckan.plugins.toolkit as tk
    from ckan.model import meta

    with app._wsgi_app.test_request_context():
        started = time.perf_counter()
        insert_sources(meta.Session, codes)
        print(
            f"setup: {SOURCES} harvest sources x 2 jobs, {SOURCES * RECORDS} live "
            f"datasets in {time.perf_counter() - started:.1f}s"
        )
        seen: list[str] = []
        count = lambda *a: seen.append(1)  # noqa: E731
        sa.event.listen(meta.engine, "before_cursor_execute", count)
        overview = _time(
            lambda: tk.get_action("vndata_harvest_overview")(dict(context), {})
        )
        sa.event.remove(meta.engine, "before_cursor_execute", count)
        print(
            f"vndata_harvest_overview: {len(seen) // RUNS} queries, warm median "
            f"{statistics.median(overview[1:]):.3f}s, best {min(overview[1:]):.3f}s"
        )
        token = tk.get_action("api_token_create")(
            dict(context), {"user": context["user"], "name": "bench"}
        )["token"]
    # the whole WSGI stack (CKAN's middleware sets the request's language)
    client = Client(app)
    pages = (
        ("/ke-hoach/tong-hop", "sysadmin", {"Authorization": token}),
        ("/ke-hoach/tong-hop", "anonymous", {}),
        ("/thu-thap/tong-quan", "sysadmin", {"Authorization": token}),
    )
    for path, who, headers in pages:
        sizes = []

        def get(path=path, headers=headers, sizes=sizes):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            sizes.append(len(response.data))

        timings = _time(get)
        if "--profile" in sys.argv and who == "sysadmin":
            _profile(get)
        warm = statistics.median(timings[1:])
        ratio = f" ({OLD_DASHBOARD / warm:.1f}x faster than {OLD_DASHBOARD}s)"
        print(
            f"{path} as {who}: {sizes[-1] // 1024} KB, cold {timings[0]:.3f}s, warm "
            f"median {warm:.3f}s, best {min(timings[1:]):.3f}s"
            + (ratio if path.endswith("tong-hop") else "")
        )


def _profile(call) -> None:
    """One more warm call under cProfile: the 15 functions of most cumulative time."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(call)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
