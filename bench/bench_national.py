"""A national first harvest: 34 provincial catalogues on the national portal.

The 34 provinces since 1 July 2025 (lib/admin_units.py) each serve on loopback their
own DCAT catalogue (vn_catalogue.py, hydra pages of 250) of 200–800 generated
Vietnamese datasets (about 17,000 at --scale 1). The national portal (the cluster of
`scripts/cluster.sh start` when its cluster.env exists, else the single-machine stack of
scripts/bench.sh) has a harvest source for each; the jobs go through the real Redis
queues to the gather and fetch consumers. Printed, per number of fetch consumers:
datasets/s overall and per province, the peak memory (VmHWM) of each process and the
Solr index size per core or replica; then an unchanged re-harvest of all 34 (goal under
2 minutes) with the writes counted from the job reports (goal 0); then the national
report and dashboard warm on top of it all (bench_plan_report's 60,000 plan items).

Each consumer count harvests sources of its own (datasets numbered apart), so the second
first harvest finds an index already holding the first one's datasets.

    python bench/bench_national.py [--scale 1.0] [--consumers 1,2] [--local]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import time

import _national_target
import bench_plan_report
from _site import load_site
from bench_harvest import serve
from vn_catalogue import pages

PER_PAGE = 250
RUN_APART = 100_000  # dataset numbers of one run's catalogues are this far apart
POLL = 2.0
# As `ckan vndata_harvester scheduler` does by default. Calling harvest_jobs_run more
# often queues more objects twice: its resubmit_objects sends again every WAITING
# object missing from the Redis list, and a job's objects are WAITING from the first
# page of its gather but published only when the whole gather has returned.
SCHEDULER_EVERY = 20.0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--consumers", default="1,2")
    parser.add_argument("--local", action="store_true", help="not on the cluster")
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    return parser.parse_args()


def sizes(scale: float) -> dict[str, int]:
    """{province code: datasets}: 200–800 each at scale 1 (a fixed draw)."""
    from ckanext.vndata.lib import admin_units

    rng = random.Random(34)
    return {
        code: max(1, round(rng.randint(200, 800) * scale))
        for code in sorted(admin_units.provinces())
    }


class Catalogues:
    """One loopback server per province; each run adds its own copy of the catalogue."""

    def __init__(self, names: dict[str, str], counts: dict[str, int]):
        self.names, self.counts = names, counts
        self.served = {code: {} for code in counts}
        self.ports = {code: serve(self.served[code]) for code in counts}

    def add(self, run: int) -> dict[str, str]:
        """Serve run ``run``'s catalogues; {code: first page URL}.

        Each catalogue numbers its datasets apart (identifiers, titles): provinces
        never publish the same identifier, which would make names collide."""
        urls = {}
        for k, (code, count) in enumerate(self.counts.items()):
            base = f"http://127.0.0.1:{self.ports[code]}/r{run}"
            page_url = base + "/catalog?page={}"
            self.served[code][f"r{run}"] = pages(
                count, PER_PAGE, base, page_url,
                province=(code, self.names[code]), first=run * RUN_APART + k * 1000,
            )  # fmt: skip
            urls[code] = page_url.format(1)
        return urls


def organizations(tk, context, names: dict[str, str]) -> dict[str, str]:
    """{code: organization id}: each province's department publishing its data."""
    ids = {}
    for code, name in names.items():
        data = {
            "name": f"so-khcn-{code}",
            "title": f"Sở Khoa học và Công nghệ {name}",
            "province_code": code,
            "agency_level": "so_nganh",
        }
        try:
            ids[code] = tk.get_action("organization_show")(
                dict(context), {"id": data["name"]}
            )["id"]
        except tk.ObjectNotFound:
            ids[code] = tk.get_action("organization_create")(dict(context), data)["id"]
    return ids


def sources(tk, context, run: int, urls: dict, orgs: dict) -> dict[str, str]:
    """{code: source id}: run ``run``'s 34 sources, one per province."""
    return {
        code: tk.get_action("harvest_source_create")(
            dict(context),
            {
                "name": f"nguon-{run}-{code}",
                "title": f"Nguồn {code} (đợt {run})",
                "url": url,
                "source_type": "vndata_dcat",
                "owner_org": orgs[code],
                "config": json.dumps(
                    {
                        "province_code": code,
                        "defaults": {"update_frequency": "hang_nam"},
                    }
                ),
            },
        )["id"]  # fmt: skip
        for code, url in urls.items()
    }


def harvest(tk, context, source_ids: dict[str, str], timeout: float, target) -> dict:
    """A job per source through the queues, until all are finished.

    On the cluster its `scheduler` program finishes the jobs; on this machine the
    bench calls harvest_jobs_run itself, as often as that program does."""
    from ckan.model import meta
    from ckanext.harvest.model import HarvestJob, HarvestObject

    started = time.perf_counter()
    jobs = {
        code: tk.get_action("harvest_job_create")(
            dict(context), {"source_id": source_id, "run": True}
        )["id"]
        for code, source_id in source_ids.items()
    }
    scheduled = started
    while True:
        time.sleep(POLL)
        due = time.perf_counter() - scheduled > SCHEDULER_EVERY
        if due and not target.supervisor_conf:
            # What the scheduler does: a job is finished once its objects all are.
            tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})
            scheduled = time.perf_counter()
        meta.Session.remove()  # see what the consumers committed
        if all(HarvestJob.get(j).status == "Finished" for j in jobs.values()):
            break
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the jobs were not finished within {timeout:.0f} s")
    wall = time.perf_counter() - started
    shown = {
        code: tk.get_action("harvest_job_show")(dict(context), {"id": job_id})
        for code, job_id in jobs.items()
    }
    for job in shown.values():
        # The consumers' time on this province's records (fetch to import), the jobs
        # interleaving in the queues: the wall time of one job counts the others'.
        job["busy"] = sum(
            (o.import_finished - o.fetch_started).total_seconds()
            for o in HarvestObject.filter(harvest_job_id=job["id"])
            if o.import_finished and o.fetch_started
        )
    return {"wall": wall, "jobs": shown}


def report_first(result: dict, names: dict[str, str], fetchers: int) -> float:
    jobs = result["jobs"]
    added = {code: job["stats"].get("added", 0) for code, job in jobs.items()}
    errored = sum(job["stats"].get("errored", 0) for job in jobs.values())
    first = min(datetime.datetime.fromisoformat(j["created"]) for j in jobs.values())
    last = max(datetime.datetime.fromisoformat(j["finished"]) for j in jobs.values())
    seconds = (last - first).total_seconds()
    rate = sum(added.values()) / seconds
    print(
        f"first harvest, {fetchers} fetch consumer(s): {sum(added.values())} datasets "
        f"added ({errored} errored) in {seconds:.0f} s: {rate:.1f} datasets/s overall"
    )
    per = {code: added[code] / max(job["busy"], 1e-3) for code, job in jobs.items()}
    for code in sorted(per, key=per.get):
        print(
            f"  {code} {names[code]:28} {added[code]:4} datasets, "
            f"{jobs[code]['busy']:6.1f} s of consumer time: {per[code]:5.1f}/s"
        )
    print(
        f"  per province: median {statistics.median(per.values()):.1f}/s, slowest "
        f"{min(per.values()):.1f}/s, fastest {max(per.values()):.1f}/s"
    )
    return rate


def report_unchanged(result: dict) -> None:
    stats = [job["stats"] for job in result["jobs"].values()]
    writes = sum(s.get(k, 0) for s in stats for k in ("added", "updated", "deleted"))
    unchanged = sum(s.get("not modified", 0) for s in stats)
    errored = sum(s.get("errored", 0) for s in stats)
    print(
        f"unchanged re-harvest of all {len(stats)}: {result['wall']:.0f} s "
        f"(goal < 120 s), writes {writes} (goal 0), not modified {unchanged}, "
        f"errored {errored}"
    )


def report_memory(target, label: str) -> None:
    peaks = target.peaks_mib()
    print(f"peak memory (VmHWM) {label}:")
    for name, mib in peaks.items():
        print(f"  {name:14} {mib:7.0f} MiB")


def report_index(target) -> None:
    print("Solr index:")
    for core, (docs, mib) in target.index_sizes().items():
        print(f"  {core}: {docs} documents, {mib:.1f} MiB")


def dashboard(app, target) -> None:
    """The national dashboard's page (outside any request: it is one of its own)."""
    import requests
    from bench_plan_report import RUNS

    if target.web_url:
        url = target.web_url + "/ke-hoach/tong-hop"
        get = lambda: requests.get(url, timeout=60)  # noqa: E731
    else:
        from ckan.tests.helpers import CKANTestApp

        # The whole WSGI stack (CKAN's middleware sets the request's language).
        client = CKANTestApp(app)
        get = lambda: client.get("/ke-hoach/tong-hop")  # noqa: E731

    def timed() -> tuple[float, int]:
        t0 = time.perf_counter()
        status = get().status_code
        return time.perf_counter() - t0, status

    cold, status = timed()
    # Each web worker keeps its own report (plan/report_cache.py), and gunicorn's
    # workers take requests as they come: before the warm ones are timed, enough
    # requests that each worker (2 x cores + 1 on the cluster) has answered once.
    for _ in range(4 * (2 * (os.cpu_count() or 1) + 1) if target.web_url else 1):
        get()
    warm = [timed()[0] for _ in range(RUNS)]
    print(
        f"dashboard /ke-hoach/tong-hop (HTTP {status}): cold {cold:.3f} s, warm "
        f"median {statistics.median(warm):.3f} s, worst {max(warm):.3f} s "
        "(goal < 0.5 s)"
    )


def main() -> None:
    args = arguments()
    target = _national_target.find(local=args.local)
    if target.supervisor_conf:
        # scripts/bench.sh's CKAN_* variables name the bench's database and core, and
        # CKAN lets them override any ini: the cluster's portal is its ini alone.
        for name in [n for n in os.environ if n.startswith("CKAN_")]:
            del os.environ[name]
    app = load_site(target.ini)
    import ckan.plugins.toolkit as tk

    from ckanext.vndata.lib import admin_units

    names = admin_units.provinces()
    counts = sizes(args.scale)
    catalogues = Catalogues(names, counts)
    print(
        f"on the {target.name}: {len(counts)} provincial catalogues, "
        f"{sum(counts.values())} datasets (scale {args.scale}), "
        f"{min(counts.values())}–{max(counts.values())} each, pages of {PER_PAGE}"
    )
    try:
        with app._wsgi_app.test_request_context():
            user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
            context = {"user": user["name"], "ignore_auth": True}
            orgs = organizations(tk, context, names)
            if not target.supervisor_conf:
                from ckanext.harvest import queue

                queue.purge_queues()  # what an interrupted run left for the consumers
            rates, last = {}, None
            for run, fetchers in enumerate(map(int, args.consumers.split(",")), 1):
                target.set_fetch_consumers(fetchers)
                last = sources(tk, context, run, catalogues.add(run), orgs)
                target.reset_peaks()
                result = harvest(tk, context, last, args.timeout, target)
                rates[fetchers] = report_first(result, names, fetchers)
                report_memory(target, f"during the harvest with {fetchers}")
            if len(rates) > 1:
                base = min(rates)
                for fetchers, rate in rates.items():
                    ratio = rate / rates[base]
                    print(f"{fetchers} fetch consumers: {ratio:.2f}x {base}")
            report_index(target)
            report_unchanged(harvest(tk, context, last, args.timeout, target))
            # The national report on top of it all: bench_plan_report's plans.
            bench_plan_report.populate(context)
            bench_plan_report.measure(context)
        dashboard(app, target)
    finally:
        target.stop()


if __name__ == "__main__":
    main()
