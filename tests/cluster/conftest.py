"""The national portal's production topology (scripts/cluster.sh) for tests/cluster/.

``cluster`` starts it once for tests/cluster/ (idempotent: a cluster already running is
reused and left running; one it started is stopped after the package's last test) and
returns cluster.env as a dict. ``cluster_clean`` empties its database (users and tokens
kept), its Solr collection and its Redis before a module. ``cluster_api`` calls an
action on it through nginx as its sysadmin.
"""

from __future__ import annotations

import configparser
import json
import os
import pathlib
import shlex
import subprocess
import urllib.request

import pytest
import redis
import sqlalchemy

from tests.helpers import REPO_ROOT

# A first start resolves Solr from Maven (cached in ~/.m2), creates the database and the
# collection: minutes on 2 busy cores.
START_SECONDS = 900
# Tables a reset keeps: the sysadmin and its API token (cluster.env's token stays valid)
# and the migrations' bookkeeping (alembic_version, <plugin>_alembic_version).
KEPT_TABLES = {"user", "api_token", "system_info"}


def cluster_dir() -> pathlib.Path:
    dev_dir = os.environ.get("VNDATA_DEV_DIR", str(REPO_ROOT / ".dev"))
    return pathlib.Path(os.environ.get("VNDATA_CLUSTER_DIR", f"{dev_dir}/cluster"))


def read_env(path: pathlib.Path) -> dict[str, str]:
    pairs = (shlex.split(line)[0] for line in path.read_text().splitlines() if line)
    return dict(pair.split("=", 1) for pair in pairs)


def cluster_sh(*args: str, env: dict | None = None, timeout: float = START_SECONDS):
    return subprocess.run(
        ["scripts/cluster.sh", *args],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    )


# Package-scoped: the cluster (two Solr nodes, ZooKeeper, web and harvest workers)
# stops after the last test of tests/cluster/, not at the end of the whole session,
# which with pytest-xdist goes on in this worker while the other works.
@pytest.fixture(scope="package")
def cluster():
    env_file = cluster_dir() / "cluster.env"
    running = env_file.exists()
    cluster_sh("start")
    yield read_env(env_file)
    if not running:
        cluster_sh("stop", timeout=180)


def _api(env: dict, action: str, data: dict | None = None, token: bool = True) -> dict:
    request = urllib.request.Request(
        f"{env['CLUSTER_WEB_URL']}/api/3/action/{action}",
        data=json.dumps(data or {}).encode(),
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", env["CLUSTER_ADMIN_TOKEN"])
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["result"]


@pytest.fixture(scope="module")
def cluster_api(cluster):
    """cluster_api(action, **data): the action's result, through nginx, as sysadmin."""
    return lambda action, **data: _api(cluster, action, data)


def _truncate(engine) -> None:
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("set local lock_timeout = '60s'"))
        tables = [
            name
            for name in sqlalchemy.inspect(connection).get_table_names()
            if name not in KEPT_TABLES and "alembic_version" not in name
        ]
        quoted = ", ".join(f'"{name}"' for name in tables)
        connection.execute(sqlalchemy.text(f"truncate {quoted} cascade"))


def _lock_holders(engine) -> list[str]:
    """The other sessions of the cluster's database: state, since when, query."""
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text(
                "select pid, state, xact_start, application_name, left(query, 120) "
                "from pg_stat_activity where datname = current_database() "
                "and pid <> pg_backend_pid()"
            )
        )
        return [" | ".join(str(value) for value in row) for row in rows]


@pytest.fixture(scope="module")
def cluster_clean(cluster):
    """The cluster emptied before the module: database, collection and queues."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(cluster["CLUSTER_INI"])
    engine = sqlalchemy.create_engine(parser["app:main"]["sqlalchemy.url"])
    # The cluster's scheduler reads these tables every few seconds: the truncate,
    # locking them one by one, may meet it in a deadlock that PostgreSQL ends by
    # cancelling one of the two, or wait past its lock timeout for a transaction
    # that a machine busy with other tests makes long. Tried again; the last
    # failure names the sessions that held the locks.
    for attempt in range(5):
        try:
            _truncate(engine)
            break
        except sqlalchemy.exc.OperationalError as error:
            waited = "deadlock" in str(error) or "lock timeout" in str(error)
            if not waited:
                raise
            if attempt == 4:
                raise AssertionError(f"{error}\nholders: {_lock_holders(engine)}")
    engine.dispose()
    redis.Redis(host="127.0.0.1", port=int(cluster["CLUSTER_REDIS_PORT"])).flushall()
    request = urllib.request.Request(
        f"{cluster['CLUSTER_SOLR_URL']}/update?commit=true",
        data=json.dumps({"delete": {"query": "*:*"}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=60).close()
    return cluster
