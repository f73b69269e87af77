"""Scoring every dataset from the database: `ckan vndata_quality score` on 20,000
datasets (issue #19: goal under 60 s on this machine).

The datasets are written straight into PostgreSQL (package, package_extra, resource
with its extras JSON, tags), as the Vietnamese schema stores them: creating 20,000
through package_create would take the better part of an hour and is not what is
measured. They are spread over 60 organizations, with varied fields so every
indicator meets passes and failures, two or three resources each, some of them with a
link verdict. The command runs as an operator runs it (a fresh `ckan` process, its
start-up included), three times:

1. first run, no conformance stored (every score is new);
2. with DCAT-AP conformance stored for every dataset (as the SHACL job leaves it): the
   score reads the stored column and never validates;
3. again with nothing changed and reindexing on (no rating changed: nothing reindexed).

Runs 1 and 2 skip reindexing: these datasets were never indexed (no package_create),
and a changed rating's reindex is a package_show and a Solr write per dataset, the
cost of the write path, not of the score.

    python bench/bench_quality_score.py [COUNT]
"""

from __future__ import annotations

import datetime
import json
import os
import random
import subprocess
import sys
import time
import uuid

import sqlalchemy as sa
from _site import ROOT, load_site

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
ORGANIZATIONS = 60
SECTORS = ["xa-hoi", "giao-duc-dao-tao", "y-te", "giao-thong-van-tai"]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("PDF", None),
           ("XLSX", None), ("", None)]  # fmt: skip
LICENCES = ["vn-open-data-terms", "CC-BY-4.0", "other-closed", ""]


def _datasets(org_ids: list[str], tag_ids: list[str]):
    rng = random.Random(19)
    now = datetime.datetime.utcnow()
    packages, extras, resources, tags, links = [], [], [], [], []
    for number in range(COUNT):
        package_id = str(uuid.uuid4())
        packages.append({
            "id": package_id, "name": f"bench-quality-{number}",
            "title": f"Tập dữ liệu {number}", "type": "dataset", "state": "active",
            "private": number % 25 == 0, "owner_org": org_ids[number % len(org_ids)],
            "license_id": rng.choice(LICENCES) or None,
            "metadata_created": now, "metadata_modified": now,
        })  # fmt: skip
        fields = {
            "sectors": json.dumps(rng.sample(SECTORS, rng.randint(0, 2))),
            "data_sharing_class": rng.choice(["mo", "", "mo"]),
            "province_code": rng.choice(["48", "01", ""]),
            "temporal_start": rng.choice(["2024-01-01", ""]),
            "contact_email": rng.choice(["lienhe@example.vn", ""]),
            "publisher_code": rng.choice(["G12.34", ""]),
            "issued": rng.choice(["2024-02-01", ""]),
        }
        extras += [
            {"id": str(uuid.uuid4()), "package_id": package_id, "key": key,
             "value": value, "state": "active"}
            for key, value in fields.items() if value
        ]  # fmt: skip
        for position in range(rng.randint(2, 3)):
            resource_id = str(uuid.uuid4())
            fmt, mimetype = rng.choice(FORMATS)
            resources.append({
                "id": resource_id, "package_id": package_id, "position": position,
                "url": f"https://example.vn/{number}/{position}", "format": fmt,
                "mimetype": mimetype, "size": rng.choice([None, 1200]),
                "url_type": None, "state": "active", "created": now,
                "extras": {"access_type": rng.choice(["tai_ve", "api"]),
                           "modified": rng.choice(["2024-03-01", ""])},
            })  # fmt: skip
            if rng.random() < 0.5:
                links.append({"resource_id": resource_id, "package_id": package_id,
                              "url": "https://example.vn", "ok": rng.random() < 0.6,
                              "failures": 0})  # fmt: skip
        for tag_id in rng.sample(tag_ids, rng.randint(0, 3)):
            tags.append({"id": str(uuid.uuid4()), "package_id": package_id,
                         "tag_id": tag_id, "state": "active"})  # fmt: skip
    return packages, extras, resources, tags, links


def _insert(table, rows: list[dict]) -> None:
    from ckan import model

    for start in range(0, len(rows), 5000):
        model.Session.execute(table.insert(), rows[start : start + 5000])


def _make_site() -> float:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.vndata.quality.model import LinkCheck

    started = time.monotonic()
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site["name"], "ignore_auth": True}
    org_ids = [
        tk.get_action("organization_create")(
            dict(context), {"name": f"bench-org-{n}", "title": f"Sở {n}"}
        )["id"]
        for n in range(ORGANIZATIONS)
    ]
    tag_ids = [str(uuid.uuid4()) for _ in range(50)]
    _insert(model.tag_table, [{"id": t, "name": f"thẻ {n}"} for n, t in
                              enumerate(tag_ids)])  # fmt: skip
    packages, extras, resources, tags, links = _datasets(org_ids, tag_ids)
    _insert(model.package_table, packages)
    _insert(model.package_extra_table, extras)
    _insert(model.resource_table, resources)
    _insert(model.package_tag_table, tags)
    _insert(LinkCheck.__table__, links)
    model.Session.commit()
    print(f"site: {COUNT} datasets, {len(resources)} resources, {len(extras)} "
          f"extras, {len(links)} link verdicts written in "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip
    return time.monotonic() - started


def _score(*options: str) -> tuple[float, str]:
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    started = time.monotonic()
    result = subprocess.run(
        [ckan, "-c", str(ROOT / "test.ini"), "vndata_quality", "score", *options],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.monotonic() - started, result.stdout.strip().splitlines()[-1]


def _store_conformance() -> None:
    from ckan import model

    model.Session.execute(
        sa.text(
            "update vndata_quality_score set conformant = (random() < 0.7), "
            "conformance_digest = 'bench'"
        )
    )
    model.Session.commit()


def main() -> None:
    app = load_site()
    with app._wsgi_app.test_request_context():
        _make_site()
    seconds, summary = _score("--no-reindex")
    print(f"score, no conformance stored: {seconds:.1f} s  ({summary})")
    with app._wsgi_app.test_request_context():
        _store_conformance()
    seconds, summary = _score("--no-reindex")
    print(f"score, conformance stored:    {seconds:.1f} s  ({summary})")
    seconds, summary = _score()
    print(f"score again, reindex on:      {seconds:.1f} s  ({summary})")


if __name__ == "__main__":
    main()
