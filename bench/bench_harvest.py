"""Harvest throughput and memory: vndata_dcat against ckanext-dcat's stock dcat_rdf.

A generated Vietnamese catalogue (vn_catalogue.py), in hydra pages of 250, is served
on loopback. Each harvester harvests its own copy (different dataset URIs, so no record
is a cross-source duplicate) through ckanext-harvest's stages in this process, twice:
the first harvest creates every dataset, the second finds the catalogue unchanged.
vndata_dcat runs twice: as it harvests (each dataset indexed once, in batches:
harvester/deferred_index.py) and "unbatched", indexed at each write as CKAN does.
Then the gather stage of a 20,000-dataset and a 2,000-dataset catalogue runs in fresh
processes, and their peak memory is compared.

    python bench/bench_harvest.py [COUNT] [--throughput-only] [--profile] [--statements]
                                  [--arm=NAME]

COUNT defaults to 2000; --throughput-only leaves out the memory part; --profile prints
where vndata_dcat's first harvest spends its time; --statements prints how many SQL
statements each arm's first harvest sends per dataset, by the function that sends them;
--arm=vndata_dcat (or dcat_rdf, or unbatched) runs that arm alone, to look into it: no
ratio is printed then.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime
import http.server
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _site import load_site
from vn_catalogue import pages

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 2000
PER_PAGE = 250
PROFILE = "--profile" in sys.argv
STATEMENTS = "--statements" in sys.argv
PROFILE_FILE = Path(tempfile.gettempdir()) / "bench_harvest.prof"
UNBATCHED = "vndata_dcat (unbatched)"
ARM = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--arm=")), None)
PLUGINS = (
    "activity vndata_metadata scheming_datasets scheming_organizations vndata_plan "
    "dcat vndata_dcat vndata_quality harvest vndata_harvester vndata_ckan_harvester "
    "dcat_rdf_harvester"
)
SOURCE_CONFIG = {
    "province_code": "48",
    "defaults": {"update_frequency": "hang_nam"},
}


def serve(catalogues: dict[str, dict[int, str]]) -> int:
    """Serve {prefix: {page: turtle}} at /<prefix>/catalog?page=N; return the port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            prefix, _, query = self.path.strip("/").partition("/catalog?page=")
            body = catalogues.get(prefix, {}).get(int(query or 0))
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_port


def catalogues(
    port: int, count: int, prefixes=("stock", "vn0", "vn")
) -> dict[str, dict[int, str]]:
    return {
        prefix: pages(
            count,
            PER_PAGE,
            base=f"http://127.0.0.1:{port}/{prefix}",
            page_url=f"http://127.0.0.1:{port}/{prefix}/catalog?page={{}}",
        )
        for prefix in prefixes
    }


def make_source(tk, context, port: int, prefix: str, kind: str, config: dict) -> dict:
    return tk.get_action("harvest_source_create")(
        dict(context),
        {
            "name": f"nguon-{prefix}",
            "title": f"Nguồn {prefix}",
            "url": f"http://127.0.0.1:{port}/{prefix}/catalog?page=1",
            "source_type": kind,
            "owner_org": "co-quan-do-hieu-nang",
            "config": json.dumps(config) if config else "",
        },
    )


def start_job(tk, context, source_id: str):
    from ckanext.harvest.model import HarvestJob

    job = tk.get_action("harvest_job_create")(
        dict(context), {"source_id": source_id, "run": False}
    )
    row = HarvestJob.get(job["id"])
    row.status = "Running"
    row.save()
    return row


def harvest(tk, context, source_id: str, kind: str) -> tuple[float, dict[str, int]]:
    """One whole job through the real stages; seconds and report_status counts."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestObject

    started = time.perf_counter()
    job = start_job(tk, context, source_id)
    harvester = queue.get_harvester(kind)
    object_ids = queue.gather_stage(harvester, job) or []
    job.gather_finished = datetime.datetime.utcnow()
    job.save()
    for object_id in object_ids:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    elapsed = time.perf_counter() - started
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {})
    counts: dict[str, int] = {}
    for obj in HarvestObject.filter(harvest_job_id=job.id):
        counts[obj.report_status or obj.state] = (
            counts.get(obj.report_status or obj.state, 0) + 1
        )
    return elapsed, counts


def site(tk):
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": user["name"], "ignore_auth": True}
    try:
        tk.get_action("organization_show")(
            dict(context), {"id": "co-quan-do-hieu-nang"}
        )
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(
            dict(context),
            {"name": "co-quan-do-hieu-nang", "title": "Cơ quan đo hiệu năng"},
        )
    return context


@contextlib.contextmanager
def _profiled(on: bool):
    """With --profile: where vndata_dcat's first harvest spends its time (cProfile,
    the 25 functions of most cumulative time)."""
    if not on:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        stats = pstats.Stats(profile).sort_stats("cumulative")
        stats.print_stats(25)
        stats.print_callers("package_show|index_package")
        stats.dump_stats(PROFILE_FILE)
        print(f"profile: {PROFILE_FILE}")


@contextlib.contextmanager
def _statements(on: bool):
    """With --statements: the SQL statements of the block per dataset, and the
    database's time for them, by the innermost function outside SQLAlchemy and
    CKAN's model that sent them."""
    if not on:
        yield
        return
    import collections
    import traceback

    import sqlalchemy as sa

    from ckan import model

    senders: collections.Counter = collections.Counter()
    spent: collections.Counter = collections.Counter()
    started: list = []

    def sender() -> str:
        for frame in reversed(traceback.extract_stack(limit=40)[:-2]):
            path = frame.filename
            if path == "<string>" or "/sqlalchemy/" in path or "/ckan/model/" in path:
                continue
            where = path.split("site-packages/")[-1].split("/work/main/")[-1]
            return f"{where}:{frame.name}"
        return "?"

    def before(_conn, _cursor, statement, *_args):
        # The statement's kind: its verb and table, with the function that sent it.
        words = statement.replace("(", " ").split()
        upper = [w.upper() for w in words]
        table = next(
            (
                words[i + 1]
                for i, w in enumerate(upper)
                if w in ("FROM", "INTO", "UPDATE")
            ),
            "",
        )
        kind = f"{upper[0] if upper else ''} {table}"
        started.append((f"{sender()} [{kind}]", time.perf_counter()))

    def after(*_args):
        if started:
            name, at = started.pop()
            senders[name] += 1
            spent[name] += time.perf_counter() - at

    def committed(*_args):
        # A transaction's end: a round trip of its own, and its BEGIN another.
        senders[f"{sender()} [COMMIT]"] += 1

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    sa.event.listen(engine, "commit", committed)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
        sa.event.remove(engine, "commit", committed)
        total = sum(n for name, n in senders.items() if not name.endswith("[COMMIT]"))
        print(
            f"SQL statements: {total / COUNT:.1f} per dataset, "
            f"{sum(spent.values()) * 1000 / COUNT:.1f} ms per dataset in them"
        )
        for name, seconds in spent.most_common(60):
            per_dataset = seconds * 1000 / COUNT
            print(f"  {senders[name] / COUNT:6.2f} {per_dataset:6.2f} ms  {name}")
        commits = {name: n for name, n in senders.items() if name.endswith("[COMMIT]")}
        print(f"commits: {sum(commits.values()) / COUNT:.1f} per dataset")
        for name, n in sorted(commits.items(), key=lambda item: -item[1]):
            print(f"  {n / COUNT:6.2f}  {name}")


def throughput() -> None:
    app = load_site(
        ckan__plugins=PLUGINS, ckanext__vndata__harvester__allowed_hosts="127.0.0.1"
    )
    import ckan.plugins.toolkit as tk

    served: dict = {}
    port = serve(served)  # pages name their own address, so they come after
    served.update(catalogues(port, COUNT))
    with app._wsgi_app.test_request_context():
        context = site(tk)
        stock = make_source(tk, context, port, "stock", "dcat_rdf", {})
        ours = make_source(tk, context, port, "vn", "vndata_dcat", SOURCE_CONFIG)
        unbatched = make_source(tk, context, port, "vn0", "vndata_dcat", SOURCE_CONFIG)
        print(f"catalogue: {COUNT} datasets in pages of {PER_PAGE}, on loopback")
        arms = (
            ("dcat_rdf", stock, "dcat_rdf"),
            (UNBATCHED, unbatched, "vndata_dcat"),
            ("vndata_dcat", ours, "vndata_dcat"),
        )
        if ARM:
            arms = tuple(
                arm for arm in arms if ARM in (arm[0], arm[0].split()[-1].strip("()"))
            )
        figures = {}
        for run in ("first", "unchanged"):
            for name, source, kind in arms:
                profiled = PROFILE and run == "first" and name == "vndata_dcat"
                counted = STATEMENTS and run == "first"
                with _profiled(profiled), _statements(counted), _indexing(name):
                    seconds, counts = harvest(tk, context, source["id"], kind)
                figures[(run, name)] = seconds
                print(
                    f"{run:9} {name:21}: {seconds:7.1f} s "
                    f"({COUNT / seconds:6.1f} datasets/s) {counts}"
                )
        for run in ("first", "unchanged") if not ARM else ():
            for name in (UNBATCHED, "vndata_dcat"):
                ratio = figures[(run, "dcat_rdf")] / figures[(run, name)]
                print(f"{run} harvest: {name} is {ratio:.2f}x the stock throughput")


@contextlib.contextmanager
def _indexing(arm: str):
    """The unbatched arm indexes at each write, as CKAN does (and vndata_dcat did
    before harvester/deferred_index.py): CKAN's own package index for its time."""
    if arm != UNBATCHED:
        yield
        return
    from ckan.lib import search
    from ckan.lib.search.index import PackageSearchIndex

    deferring = search._INDICES["package"]
    search._INDICES["package"] = PackageSearchIndex
    try:
        yield
    finally:
        search._INDICES["package"] = deferring


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def gather_memory(count: int) -> None:
    """In a fresh process: the gather stage of a paged catalogue, peak memory."""
    app = load_site(
        ckan__plugins=PLUGINS, ckanext__vndata__harvester__allowed_hosts="127.0.0.1"
    )
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue

    served: dict = {}
    port = serve(served)
    prefix = f"m{count}"
    served.update(catalogues(port, count, (prefix,)))
    with app._wsgi_app.test_request_context():
        context = site(tk)
        source = make_source(tk, context, port, prefix, "vndata_dcat", SOURCE_CONFIG)
        job = start_job(tk, context, source["id"])
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak
        before = _rss_kib("VmRSS")
        started = time.perf_counter()
        objects = queue.gather_stage(queue.get_harvester("vndata_dcat"), job) or []
        seconds = time.perf_counter() - started
        peak = _rss_kib("VmHWM")
    print(json.dumps({"count": count, "objects": len(objects), "seconds": seconds,
                      "before_kib": before, "peak_kib": peak}))  # fmt: skip


def memory() -> None:
    results = {}
    for count in (2000, 20000):
        out = (
            subprocess.run(
                [sys.executable, __file__, "--gather-memory", str(count)],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        results[count] = json.loads(out)
        r = results[count]
        r["growth_kib"] = r["peak_kib"] - r["before_kib"]
        print(
            f"gather {count:6} datasets: {r['seconds']:6.1f} s, peak RSS "
            f"{r['peak_kib'] / 1024:6.0f} MiB, {r['growth_kib'] / 1024:.0f} MiB over "
            "the loaded site"
        )
    small, large = results[2000], results[20000]
    print(
        f"peak memory 20,000 vs 2,000: {large['peak_kib'] / small['peak_kib']:.2f}x; "
        f"growth over the loaded site "
        f"{large['growth_kib'] / max(small['growth_kib'], 1):.2f}x"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--gather-memory":
        gather_memory(int(sys.argv[2]))
    else:
        throughput()
        if "--throughput-only" not in sys.argv:
            memory()
