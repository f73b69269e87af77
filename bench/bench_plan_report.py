"""National plan report for 64 agencies x 200 items (target: under 0.3 s warm).

Agencies and plans are created through the actions; the 12,800 items and their dataset
links are inserted in bulk, since creating them one action at a time would only measure
the setup. The report is then timed cold and warm.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
import uuid

from _site import load_site

AGENCIES = 64
ITEMS = 200
RUNS = 7


def main() -> None:
    app = load_site()
    import ckan.plugins.toolkit as tk
    from ckan.model import meta

    from ckanext.vndata.plan.model import DatasetLink, Item, Phase, Plan

    rng = random.Random(2025)
    with app._wsgi_app.test_request_context():
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": site["name"], "ignore_auth": True}
        started = time.perf_counter()
        for n in range(AGENCIES):
            org = tk.get_action("organization_create")(
                dict(context),
                {
                    "name": f"co-quan-{n}",
                    "title": f"Cơ quan {n}",
                    "province_code": ["48", "46", "01", "79"][n % 4],
                },
            )
            plan = Plan(
                id=str(uuid.uuid4()),
                organization_id=org["id"],
                title=f"Kế hoạch dữ liệu mở {n}",
                status="published",
                version=1,
            )
            plan.series_id = plan.id
            meta.Session.add(plan)
            meta.Session.flush()
            phases = [
                Phase(
                    plan_id=plan.id,
                    position=i,
                    label=f"Giai đoạn {i + 1}",
                    start_date=datetime.date(2025 + i, 1, 1),
                    end_date=datetime.date(2025 + i, 12, 31),
                    min_datasets=50 * (i + 1),
                    min_percent_published=40.0 * (i + 1),
                    min_stars=3,
                    min_percent_machine_readable=80.0,
                    min_percent_api=20.0,
                )
                for i in range(2)
            ]
            meta.Session.add_all(phases)
            meta.Session.flush()
            for number in range(1, ITEMS + 1):
                item = Item(
                    plan_id=plan.id,
                    key=str(uuid.uuid4()),
                    number=number,
                    title=f"Dữ liệu {number}",
                    phase_id=phases[number % 2].id,
                    target_date=datetime.date(2025, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 700)),
                )
                meta.Session.add(item)
                if rng.random() < 0.6:
                    meta.Session.add(
                        DatasetLink(
                            item_key=item.key,
                            package_id=str(uuid.uuid4()),
                            is_public=True,
                            published_date=item.target_date
                            + datetime.timedelta(days=rng.randint(-60, 60)),
                            openness_stars=rng.randint(1, 5),
                            machine_readable=rng.random() < 0.8,
                            has_api=rng.random() < 0.3,
                            metadata_complete=rng.random() < 0.7,
                        )
                    )
        meta.Session.commit()
        print(
            f"setup: {AGENCIES} agencies x {ITEMS} items in "
            f"{time.perf_counter() - started:.1f}s"
        )

        timings = []
        for _ in range(RUNS):
            meta.Session.expire_all()
            t0 = time.perf_counter()
            report = tk.get_action("vndata_compliance_report")(
                dict(context), {"as_of": "2025-09-30"}
            )
            timings.append(time.perf_counter() - t0)
        rows = report["rows"]
        print(
            f"vndata_compliance_report: {len(rows)} agencies, "
            f"{sum(r['planned'] for r in rows)} items; cold {timings[0]:.3f}s, "
            f"warm median {statistics.median(timings[1:]):.3f}s, "
            f"warm best {min(timings[1:]):.3f}s"
        )


if __name__ == "__main__":
    main()
