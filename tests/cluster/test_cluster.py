"""The national portal on its production topology (make cluster), end to end through
nginx: a harvest through the real queues (2 gather and 2 fetch consumers under
supervisord) indexed in the SolrCloud collection, a Solr node lost and back, a worker
killed and restarted, static files and the client's address.

About 3 minutes with the cluster running (start-up adds 2 to 5).
"""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.cluster.conftest import cluster_dir, cluster_sh
from tests.harvester.servers import recording_server
from tests.harvester.sources import SOURCE_CONFIG, turtle_catalogue, turtle_record

RECORDS = 24
# Long enough for the scheduler (every 10 s) to start the job, the consumers to run it
# and the scheduler to mark it finished, on 2 busy cores.
HARVEST_SECONDS = 300


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def _node_count(node: str) -> int:
    """The datasets a Solr node finds in the collection (not the source's record)."""
    url = f"{node}/ckan/select?q=dataset_type:dataset&rows=0&wt=json"
    return _get(url)["response"]["numFound"]


def _search_count(cluster: dict, **params) -> int:
    query = urllib.parse.urlencode({"rows": 0, **params})
    url = f"{cluster['CLUSTER_WEB_URL']}/api/3/action/package_search?{query}"
    return _get(url)["result"]["count"]


def _wait(what: str, seconds: float, check):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {seconds}s")
        time.sleep(1)


def _ctl(cluster: dict, *args: str) -> str:
    command = ["supervisorctl", "-c", cluster["CLUSTER_SUPERVISOR_CONF"], *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return result.stdout


def _web_log() -> str:
    return (cluster_dir() / "logs" / "web.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def harvested(cluster_clean, cluster_api):
    """A loopback catalogue of RECORDS datasets harvested by a job the scheduler
    starts and the queues run, as a harvest started from the web is."""
    with recording_server("127.0.0.1") as catalogue:
        records = {n: turtle_record(n) for n in range(1, RECORDS + 1)}
        catalogue.page("/catalog.ttl", turtle_catalogue(records))
        org = cluster_api(
            "organization_create", name="so-tttt-da-nang", title="Sở TT&TT"
        )
        source = cluster_api(
            "harvest_source_create",
            name="cong-du-lieu-da-nang",
            title="Cổng dữ liệu Đà Nẵng",
            url=catalogue.url("/catalog.ttl"),
            source_type="vndata_dcat",
            owner_org=org["id"],
            config=json.dumps(SOURCE_CONFIG),
        )
        job = cluster_api("harvest_job_create", source_id=source["id"])

        def finished():
            shown = cluster_api("harvest_job_show", id=job["id"])
            return shown if shown["status"] == "Finished" else None

        done = _wait("the harvest job", HARVEST_SECONDS, finished)
    return {"job": done, "source": source}


def test_the_collection_has_two_shards_of_two_replicas_on_two_nodes(cluster):
    node = cluster["CLUSTER_SOLR_NODES"].split()[0]
    status = _get(f"{node}/admin/collections?action=CLUSTERSTATUS&wt=json")["cluster"]
    assert len(status["live_nodes"]) == 2
    shards = status["collections"]["ckan"]["shards"]
    assert sorted(shards) == ["shard1", "shard2"]
    for shard in shards.values():
        replicas = list(shard["replicas"].values())
        assert len(replicas) == 2
        # One replica on each node: either node alone holds the whole index.
        assert {r["node_name"] for r in replicas} == set(status["live_nodes"])
        assert {r["state"] for r in replicas} == {"active"}


def test_a_harvest_through_the_queues_is_searchable_through_nginx(
    cluster, cluster_api, harvested
):
    # Each record once (ckanext-harvest may hand an object to both fetch consumers: the
    # second reports an error, see the faults tests; no dataset is created twice).
    expected = sorted(f"tap-du-lieu-so-{n}" for n in range(1, RECORDS + 1))
    names = [n for n in cluster_api("package_list") if n.startswith("tap-du-lieu")]
    assert sorted(names) == expected
    assert _search_count(cluster) == RECORDS
    assert _search_count(cluster, q="Tập dữ liệu số 7") >= 1
    # Each node answers for the whole collection (its shards are spread over both).
    for node in cluster["CLUSTER_SOLR_NODES"].split():
        assert _node_count(node) == RECORDS
    # The consumers under supervisord did the work, not an in-process harvest.
    logs = cluster_dir() / "logs"
    received = "Received harvest object"
    fetched = sum(
        (logs / f"fetch-{n}.log").read_text(errors="replace").count(received)
        for n in (1, 2)
    )
    assert fetched >= RECORDS


def test_search_answers_with_a_node_down_and_the_node_catches_up(cluster, harvested):
    cluster_sh("solr-node", "stop", "2", timeout=120)
    try:
        # Several requests: nginx must skip the dead node whichever it tries first.
        for _ in range(6):
            assert _search_count(cluster) == RECORDS
    finally:
        cluster_sh("solr-node", "start", "2", timeout=300)  # waits for every replica
    assert _node_count(cluster["CLUSTER_SOLR_NODES"].split()[1]) == RECORDS


def test_a_killed_worker_is_restarted_by_supervisord(cluster):
    before = int(_ctl(cluster, "pid", "fetch-1").strip())
    os.kill(before, signal.SIGKILL)

    def back():
        status = _ctl(cluster, "status", "fetch-1")
        pid = _ctl(cluster, "pid", "fetch-1").strip()
        return "RUNNING" in status and pid.isdigit() and int(pid) != before

    _wait("fetch-1 restarted", 60, back)


def test_static_files_are_served_by_nginx_pages_by_gunicorn(cluster):
    static, page = uuid.uuid4().hex, uuid.uuid4().hex
    web = cluster["CLUSTER_WEB_URL"]
    with urllib.request.urlopen(
        f"{web}/vndata/logo.svg?probe={static}", timeout=30
    ) as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    _get(f"{web}/api/3/action/status_show?probe={page}")
    # gunicorn's access log names every request it served: the page, not the file.
    _wait("the page in gunicorn's log", 10, lambda: page in _web_log())
    assert static not in _web_log()


def test_ckan_sees_the_clients_address_not_nginxs(cluster):
    probe = uuid.uuid4().hex
    port = urllib.parse.urlsplit(cluster["CLUSTER_WEB_URL"]).port
    # The client on 127.0.0.2 (loopback too); nginx talks to gunicorn from 127.0.0.1.
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=("127.0.0.2", 0)
    )
    connection.request("GET", f"/api/3/action/status_show?probe={probe}")
    assert connection.getresponse().status == 200
    connection.close()
    line = _wait(
        "the request in gunicorn's log",
        10,
        lambda: next((x for x in _web_log().splitlines() if probe in x), None),
    )
    assert line.startswith("127.0.0.2 ")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, NotADirectoryError):
            continue
        if entry.name.isdigit() and text in cmdline:
            found.append(f"{entry.name}: {cmdline[:160]}")
    return found


def test_stop_leaves_nothing_running_and_start_brings_it_back(cluster):
    """Last in the module: the cluster is started again for the modules after it."""
    base = urllib.parse.urlsplit(cluster["CLUSTER_WEB_URL"]).port
    cluster_sh("stop", timeout=180)
    try:
        # gunicorn and Redis do not name the folder: their ports tell.
        assert [p for p in range(base, base + 7) if _listening(p)] == []
        assert _processes_mentioning(str(cluster_dir())) == []
    finally:
        cluster_sh("start")
    assert _search_count(cluster) == RECORDS
