"""Search at national scale: SolrCloud against the single core, same documents and run.

COUNT generated Vietnamese datasets (100,000 by default) are indexed in the cluster's
SolrCloud collection (when `scripts/cluster.sh start` has written its cluster.env) and
in the bench's standalone core (scripts/bench.sh). The documents are made by CKAN's own
indexer (index_package, with every plugin's before_dataset_index) from dataset dicts
grown out of 34 real datasets (one per province, made by package_create), and posted in
bulk: 100,000 package_create calls would measure the write path, not search.
Then package_search, as the search page calls it (anonymous, 20 rows, every facet the
page asks for: organization, tags, res_format, license_id, our province, sector,
openness and frequency facets), runs a fixed list of Vietnamese queries against each
target in turn; p50/p95 per query and over all, and the ratio cloud/single.

The documents carry a site id of their own, so they never mix with the national
portal's datasets in the collection, and only they are removed beforehand.

    python bench/bench_search_scale.py [--count 100000] [--indexed 5000] [--local]

With --indexed N, N datasets go through CKAN's indexer and the rest of the documents
are variants of theirs (see ``variant``): the indexer alone would take 40 minutes for
100,000 on 2 cores.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import statistics
import time
import uuid
from unittest import mock

import _national_target
from _site import load_site
from vn_catalogue import TOPICS

SITE_ID = "vndata_search_scale"
BATCH = 2000
RUNS = 15
QUERIES = [
    "",  # the search page as it opens: every dataset, facets only
    "trường học",
    "truong hoc",
    "bệnh viện Hà Nội",
    "giá đất",
    "gia dat Da Nang",
    "quan trắc không khí",
    "xe buýt",
    "dữ liệu mở",
    "ngân sách tỉnh",
]
MORE_TOPICS = ["ngân sách", "dân số", "điểm wifi", "hộ nghèo", "giao thông", "du lịch"]
FORMATS = ["CSV", "XLSX", "JSON", "PDF", "API", "SHP", "XML"]
LICENCES = ["cc-by", "cc-by-sa", "odc-by", "cc-zero", "other-open"]
TAGS = ["dữ liệu mở", "thống kê", "quy hoạch", "ngân sách", "môi trường", "y tế"]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--local", action="store_true", help="the single core only")
    parser.add_argument(
        "--indexed", type=int, default=None,
        help="datasets made by CKAN's indexer, the rest their variants (default: all)",
    )  # fmt: skip
    return parser.parse_args()


def templates(tk, context) -> list[dict]:
    """One real dataset per province, each of its own organization."""
    from ckanext.vndata.lib import admin_units
    from ckanext.vndata.lib.vocabularies import SECTORS

    made = []
    for n, (code, name) in enumerate(sorted(admin_units.provinces().items())):
        org = tk.get_action("organization_create")(
            dict(context),
            {"name": f"so-tttt-{code}", "title": f"Sở Thông tin {name}"},
        )
        dataset = tk.get_action("package_create")(
            dict(context),
            {"name": f"mau-{code}", "title": f"Dữ liệu mẫu {name}",
             "notes": f"Dữ liệu do {name} công bố.", "owner_org": org["id"],
             "province_code": code, "sectors": [SECTORS[n % len(SECTORS)].value],
             "data_sharing_class": "mo", "data_importance_class": "khac",
             "personal_data_assessed": True, "update_frequency": "hang_nam",
             "license_id": LICENCES[n % len(LICENCES)],
             "tags": [{"name": TAGS[n % len(TAGS)]}],
             "resources": [{"url": f"http://127.0.0.1/{code}.csv", "format": "CSV",
                            "name": "Tệp dữ liệu"}]},
        )  # fmt: skip
        made.append(tk.get_action("package_show")(dict(context), {"id": dataset["id"]}))
    return made


def generated(base: list[dict], count: int):
    """``count`` dataset dicts varied from ``base`` (title, place, topic, formats)."""
    from ckanext.vndata.lib import admin_units
    from ckanext.vndata.lib.vocabularies import SECTORS

    names = admin_units.provinces()
    topics = list(TOPICS) + MORE_TOPICS
    for i in range(count):
        data = copy.deepcopy(base[i % len(base)])
        topic, year = topics[i % len(topics)], 2015 + i % 11
        place = names[data["province_code"]]
        data.update(
            id=str(uuid.uuid4()), name=f"du-lieu-{i}",
            title=f"Danh sách {topic} {place} năm {year} ({i})",
            notes=f"Dữ liệu {topic} tại {place}, cập nhật năm {year}.",
            license_id=LICENCES[i % len(LICENCES)],
            sectors=[SECTORS[(i // 7) % len(SECTORS)].value],
            tags=[{"name": TAGS[i % len(TAGS)]}, {"name": topic}],
        )  # fmt: skip
        for k, resource in enumerate(data["resources"]):
            resource.update(id=str(uuid.uuid4()), format=FORMATS[(i + k) % 7])
        yield data


class _Collected:
    """Stands for the Solr connection while CKAN's indexer makes the documents; each
    document it is given is posted with ``copies`` variants of itself."""

    def __init__(self, copies: int = 0):
        self.docs: list[dict] = []
        self.copies = copies
        self.made = 0

    def add(self, docs, commit=False):
        for doc in docs:
            self.docs.append(doc)
            self.docs.extend(variant(doc, self.made, n) for n in range(self.copies))
            self.made += 1


def variant(doc: dict, made: int, n: int) -> dict:
    """Another dataset of the same shape: CKAN's indexer costs about 25 ms a dataset
    (every plugin's before_dataset_index), 40 minutes for 100,000 on 2 cores, so most
    documents are its documents with a new id, name, title and description (what
    the queries and the sort read; Solr's copyField makes ``text`` from them). Their
    stored dicts stay the original's: search returns them, and nothing reads them."""
    from ckanext.vndata.lib import admin_units

    i = made * 1000 + n + 1
    topics = list(TOPICS) + MORE_TOPICS
    topic, year = topics[i % len(topics)], 2015 + i % 11
    place = admin_units.provinces().get(doc.get("province_code"), "")
    title = f"{topic.capitalize()} {place} năm {year} ({i})"
    new_id = str(uuid.uuid4())
    return {
        **doc, "id": new_id, "name": f"ban-sao-{i}",
        "index_id": hashlib.md5(f"{SITE_ID}{new_id}".encode()).hexdigest(),
        "title": title, "title_string": title,
        "notes": f"Dữ liệu {topic} tại {place}, cập nhật năm {year}.",
        "tags": [TAGS[i % len(TAGS)], topic], "res_format": [FORMATS[i % 7]],
        "license_id": LICENCES[i % len(LICENCES)],
    }  # fmt: skip


def load(targets: dict[str, str], dicts, copies: int = 0) -> dict[str, float]:
    """Index ``dicts`` in every target, in batches; {target or "indexer": seconds}.

    The documents are CKAN's, made by its own indexer (index_package), which posts each
    alone: its connection is swapped for a collector here so that they are posted in
    bulk instead. Batches keep the memory bounded at 100,000 documents."""
    import pysolr

    from ckan.lib.search import index

    solrs = {name: pysolr.Solr(url, timeout=600) for name, url in targets.items()}
    for solr in solrs.values():  # only the bench's documents, never the portal's
        solr.delete(q=f'site_id:"{SITE_ID}"', commit=True)
    seconds = dict.fromkeys(["indexer", *targets], 0.0)
    indexer = index.PackageSearchIndex()
    collected = _Collected(copies)

    def flush(commit: bool = False) -> None:
        for doc in collected.docs:
            # These datasets have no row in the database, so index_package found no
            # permission labels; a public dataset's label is "public".
            doc["permission_labels"] = ["public"]
        for name, solr in solrs.items():
            t0 = time.perf_counter()
            if collected.docs:
                solr.add(collected.docs, commit=False)
            if commit:
                solr.commit()
            seconds[name] += time.perf_counter() - t0
        collected.docs.clear()

    with mock.patch.object(index, "make_connection", lambda *a, **k: collected):
        for data in dicts:
            t0 = time.perf_counter()
            indexer.index_package(data, defer_commit=True)
            seconds["indexer"] += time.perf_counter() - t0
            if len(collected.docs) >= BATCH:
                flush()
    flush(commit=True)
    return seconds


def facet_fields() -> list[str]:
    """The facets the search page asks for (every IFacets plugin's dataset facets)."""
    import ckan.plugins as p

    facets: dict = {}
    for plugin in p.PluginImplementations(p.IFacets):
        facets = plugin.dataset_facets(facets, "dataset")
    return list(facets)


def search_times(tk, targets: dict[str, str]) -> dict:
    """{(target, query): [seconds]}, the targets interleaved (same load on each)."""
    import json

    from ckan.lib.search.common import SolrSettings

    params = {"facet.field": json.dumps(facet_fields()), "rows": 20,
              "sort": "score desc, metadata_modified desc"}  # fmt: skip
    times: dict = {}
    hits: dict = {}
    for run in range(RUNS + 1):  # the first round warms the caches
        for name, url in targets.items():
            SolrSettings.init(url)
            for query in QUERIES:
                t0 = time.perf_counter()
                result = tk.get_action("package_search")(
                    {"ignore_auth": True, "user": ""}, {"q": query, **params}
                )
                if run:
                    times.setdefault((name, query), []).append(time.perf_counter() - t0)
                hits[(name, query)] = result["count"]
    return {"times": times, "hits": hits}


def percentiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), cuts[18]


def main() -> None:
    args = arguments()
    target = _national_target.find(local=args.local)
    targets = {"single core": os.environ["CKAN_SOLR_URL"]}
    if target.name == "cluster":
        targets["SolrCloud"] = target.solr_url
    app = load_site(ckan__site_id=SITE_ID)
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": user["name"], "ignore_auth": True}
        indexed = min(args.indexed or args.count, args.count)
        copies = -(-args.count // indexed) - 1  # per indexed dataset, rounded up
        base = templates(tk, context)
        seconds = load(targets, generated(base, indexed), copies)
        made = seconds["indexer"]
        total = indexed * (copies + 1)
        print(f"{indexed} documents made by CKAN's indexer in {made:.0f} s, "
              f"{total} in all ({copies} variants of each)")  # fmt: skip
        for name, url in targets.items():
            rate = total / seconds[name]
            print(f"posted to {name} ({url}): {seconds[name]:.0f} s, {rate:.0f}/s")
        if len(targets) == 1:
            print("no cluster.env: the single core only (start the cluster to compare)")
        measured = search_times(tk, targets)
    overall = {}
    print(f"package_search, {RUNS} runs each, p50/p95 in ms:")
    for query in QUERIES:
        line = f"  {query or '(all)':22}"
        for name in targets:
            p50, p95 = percentiles(measured["times"][(name, query)])
            hits = measured["hits"][(name, query)]
            line += f" | {name}: {hits:6} hits {p50 * 1000:6.1f} / {p95 * 1000:6.1f}"
            overall.setdefault(name, []).extend(measured["times"][(name, query)])
        print(line)
    for name, values in overall.items():
        p50, p95 = percentiles(values)
        print(f"all queries, {name}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    if len(overall) == 2:
        single, cloud = (percentiles(v) for v in overall.values())
        print(
            f"SolrCloud / single core: p50 {cloud[0] / single[0]:.2f}x, "
            f"p95 {cloud[1] / single[1]:.2f}x"
        )


if __name__ == "__main__":
    main()
