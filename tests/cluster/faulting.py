"""Plumbing of the fault tests: the cluster's API, database, Solr and supervisor.

Everything here talks to the real processes of `scripts/cluster.sh` through what
`cluster.env` names (the ``cluster`` fixture's dict), never to the test database.
"""

from __future__ import annotations

import configparser
import json
import os
import pathlib
import re
import subprocess
import time
from typing import Any, Callable

import requests
import sqlalchemy as sa

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def wait_until(what: str, check: Callable[[], Any], seconds: float, every=1.0):
    """check()'s first true value, or AssertionError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(every)


def cluster_command(*args: str, timeout: float = 180) -> str:
    """scripts/cluster.sh with the cluster's variables (already in os.environ)."""
    done = subprocess.run(
        [str(REPO_ROOT / "scripts" / "cluster.sh"), *args],
        capture_output=True, text=True, timeout=timeout, check=True,
    )  # fmt: skip
    return done.stdout


class Cluster:
    """The national portal of `make cluster`, as the fault tests drive it."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.web = env["CLUSTER_WEB_URL"].rstrip("/")
        self.solr = env["CLUSTER_SOLR_URL"].rstrip("/")
        self.nodes = env["CLUSTER_SOLR_NODES"].split()
        ini = configparser.ConfigParser(interpolation=None, strict=False)
        ini.read(env["CLUSTER_INI"])
        self.engine = sa.create_engine(ini["app:main"]["sqlalchemy.url"])
        self.token = self._sysadmin_token()

    # -- the portal's API, as a sysadmin --------------------------------------

    def _sysadmin_token(self) -> str:
        """A new token of the sysadmin cluster.sh made (its CLUSTER_ADMIN_TOKEN was
        refused by the portal when these tests were written: see the report)."""
        admin = self.sql(
            "SELECT name FROM \"user\" WHERE sysadmin AND state = 'active'"
            " ORDER BY created LIMIT 1"
        )[0][0]  # fmt: skip
        done = subprocess.run(
            [self.env["CLUSTER_CKAN"], "-c", self.env["CLUSTER_INI"],
             "user", "token", "add", admin, "faults"],
            capture_output=True, text=True, timeout=120, check=True,
            env=_without_ckan_overrides(),
        )  # fmt: skip
        return done.stdout.strip().splitlines()[-1].strip()

    def action(self, action: str, /, **data) -> Any:
        response = requests.post(
            f"{self.web}/api/3/action/{action}",
            json=data, headers={"Authorization": self.token}, timeout=60,
        )  # fmt: skip
        body = response.json()
        assert body.get("success"), (action, body.get("error"))
        return body["result"]

    # -- harvest jobs, read from the database (what the consumers committed) ---

    def sql(self, query: str, **params) -> list[tuple]:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.text(query), params))

    def object_states(self, job_id: str) -> dict[str, int]:
        rows = self.sql(
            "SELECT state, count(*) FROM harvest_object WHERE harvest_job_id = :job"
            " GROUP BY state", job=job_id,
        )  # fmt: skip
        return dict(rows)

    def object_errors(self, job_id: str) -> list[tuple]:
        """(record guid, tries, stage, message) of each record of the job in ERROR,
        with each of its errors (none: ckanext-harvest's fetch_callback gave up after
        five tries, or found the job finished): what a failed assertion shows."""
        return self.sql(
            "SELECT o.guid, o.retry_times, e.stage, e.message FROM harvest_object o"
            " LEFT JOIN harvest_object_error e ON e.harvest_object_id = o.id"
            " WHERE o.harvest_job_id = :job AND o.state = 'ERROR'"
            " ORDER BY e.created", job=job_id,
        )  # fmt: skip

    def job_status(self, job_id: str) -> str:
        rows = self.sql("SELECT status FROM harvest_job WHERE id = :job", job=job_id)
        return rows[0][0]

    def wait_imported(self, job_id: str, at_least: int, seconds: float = 120) -> None:
        """Until ``at_least`` records of the job are done: the fault comes mid-job."""
        wait_until(
            f"{at_least} records of job {job_id} imported",
            lambda: self.object_states(job_id).get("COMPLETE", 0) >= at_least,
            seconds, every=0.3,
        )  # fmt: skip

    def wait_finished(self, job_id: str, seconds: float) -> dict[str, int]:
        """The scheduler marks the job Finished once no record is left half-way."""
        wait_until(
            f"job {job_id} finished (records: {self.object_states(job_id)})",
            lambda: self.job_status(job_id) == "Finished",
            seconds, every=2,
        )  # fmt: skip
        return self.object_states(job_id)

    def age_half_way_records(self, job_id: str, minutes: int = 30) -> None:
        """As ``minutes`` later, for the records left half-way: the limits after
        which they are sent again (3 minutes ckanext-harvest's, 15 ours) are not
        waited in a test. Both the database stamps and the Redis keys are aged."""
        with self.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "UPDATE harvest_object SET"
                    " fetch_started = fetch_started - make_interval(mins => :m),"
                    " import_started = import_started - make_interval(mins => :m)"
                    " WHERE harvest_job_id = :job AND state IN ('FETCH', 'IMPORT')"
                ),
                {"job": job_id, "m": minutes},
            )
        redis = self.redis()
        for key in redis.keys("*:harvest_object_id:*"):  # held by a consumer
            redis.set(key, "2000-01-01 00:00:00.000000")  # resubmit_jobs' format

    def redis(self):
        import redis

        port = int(self.env["CLUSTER_REDIS_PORT"])
        return redis.Redis(host="127.0.0.1", port=port, decode_responses=True)

    def datasets_of(self, owner_org: str) -> list[tuple]:
        """(id, name, resources) of the organization's active datasets."""
        return self.sql(
            "SELECT p.id, p.name, count(r.id) FROM package p LEFT JOIN resource r"
            " ON r.package_id = p.id AND r.state = 'active'"
            " WHERE p.owner_org = :org AND p.state = 'active' AND p.type = 'dataset'"
            " GROUP BY p.id, p.name", org=owner_org,
        )  # fmt: skip

    # -- Solr ---------------------------------------------------------------------

    def solr_ids(self, owner_org: str) -> dict[str, int]:
        """{dataset id: documents} of the organization's datasets in the collection
        (not its harvest source, which CKAN indexes too, as a dataset of type
        harvest)."""
        requests.get(f"{self.solr}/update", params={"commit": "true"}, timeout=60)
        answer = requests.get(f"{self.solr}/select", params={
            "q": "*:*", "rows": 0,
            "fq": [f'owner_org:"{owner_org}"', "dataset_type:dataset"],
            "facet": "true", "facet.field": "id", "facet.limit": -1,
            "facet.mincount": 1, "wt": "json",
        }, timeout=60).json()  # fmt: skip
        pairs = answer["facet_counts"]["facet_fields"]["id"]
        return dict(zip(pairs[::2], pairs[1::2]))

    def replicas(self) -> list[dict]:
        """Every replica of the collection: shard, state, core URL (CLUSTERSTATUS)."""
        for node in self.nodes:  # whichever node answers
            try:
                status = requests.get(
                    f"{node.rstrip('/')}/admin/collections",
                    params={"action": "CLUSTERSTATUS", "wt": "json"}, timeout=30,
                ).json()  # fmt: skip
                break
            except requests.RequestException:
                continue
        else:
            return []  # no node answers now (one restarting, the other busy)
        found = []
        for collection in status["cluster"]["collections"].values():
            for shard_name, shard in collection["shards"].items():
                for replica in shard["replicas"].values():
                    found.append({
                        "shard": shard_name, "state": replica["state"],
                        "core": f"{replica['base_url']}/{replica['core']}",
                        "live": replica["node_name"] in status["cluster"]["live_nodes"],
                    })  # fmt: skip
        return found

    def replica_docs(self, core_url: str) -> int:
        answer = requests.get(f"{core_url}/select", params={
            "q": "*:*", "rows": 0, "distrib": "false", "wt": "json",
        }, timeout=30).json()  # fmt: skip
        return answer["response"]["numFound"]

    # -- supervisor -------------------------------------------------------------

    def supervisorctl(self, *args: str) -> str:
        done = subprocess.run(
            ["supervisorctl", "-c", self.env["CLUSTER_SUPERVISOR_CONF"], *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return done.stdout

    def pid(self, program: str) -> int:
        return int(self.supervisorctl("pid", program).strip() or 0)

    def all_running(self) -> bool:
        lines = self.supervisorctl("status").strip().splitlines()
        return bool(lines) and all(" RUNNING " in line for line in lines)


def postgres_ports(pid: int) -> set[int]:
    """Local TCP ports of the process's (and its children's) connections."""
    pids = {pid} | {int(child) for child in _children(pid)}
    inodes = set()
    for one in pids:
        fds = pathlib.Path(f"/proc/{one}/fd")
        for fd in fds.iterdir() if fds.exists() else ():
            match = re.fullmatch(r"socket:\[(\d+)\]", _readlink(fd))
            if match:
                inodes.add(match.group(1))
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in pathlib.Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _without_ckan_overrides() -> dict[str, str]:
    """The environment less the test run's CKAN_* settings (scripts/ckan-env.sh),
    which CKAN would take over the cluster's ini (the test database...)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}


def _children(pid: int) -> list[str]:
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(stat.parent.name)
    return found


def _readlink(path: pathlib.Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


# A request slower than this is counted as a timeout: gunicorn's own limit (serve.sh).
WRK_TIMEOUT = 180


def wrk(url: str, seconds: int = 15, connections: int = 200) -> dict:
    """wrk's figures for ``url`` (wrk_latency.lua prints them as one JSON line).

    200 closed-loop readers on a few web workers on 2 cores wait long for an answer
    (200 queued requests at a few a second): that is latency (reported), not an
    error; a "timeout" is a request slower than gunicorn would let it be."""
    script = pathlib.Path(__file__).with_name("wrk_latency.lua")
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", f"{WRK_TIMEOUT}s", "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + WRK_TIMEOUT + 60,
    )  # fmt: skip
    line = next(l for l in done.stdout.splitlines() if l.startswith("{"))  # noqa: E741
    return json.loads(line)
