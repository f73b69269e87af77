"""The two stores of a CKAN site that site_backup.py copies, driven as it needs them:
a SolrCloud collection through Solr's Collections API (asynchronous requests waited
for), and PostgreSQL databases through its client tools, the password in a temporary
PGPASSFILE. Only the standard library, as site_backup.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


class BackupError(Exception):
    """A step failed; the message says which and why."""


def say(message: str) -> None:
    print(f"[site_backup] {message}", file=sys.stderr, flush=True)


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def solr_parts(solr_url: str) -> tuple[str, str]:
    """(Solr's base URL, collection) of CKAN's ``solr_url`` (``…/solr/<name>``)."""
    base, _, collection = solr_url.rstrip("/").rpartition("/")
    if not collection:
        raise BackupError(f"solr_url names no collection: {solr_url}")
    return base, collection


# --- Solr -----------------------------------------------------------------------------
def solr_get(url: str, timeout: float = 60) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        try:
            message = json.loads(body).get("error", {}).get("msg") or body
        except ValueError:
            message = body
        raise BackupError(
            f"Solr answered {error.code} to {url}: {message[:500]}"
        ) from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise BackupError(f"Solr did not answer {url}: {error}") from None


def collections_api(base: str, timeout: float = 60, **params: str) -> dict:
    query = urllib.parse.urlencode({**params, "wt": "json"})
    return solr_get(f"{base}/admin/collections?{query}", timeout)


def run_async(base: str, seconds: float, **params: str) -> None:
    """Run a Collections API call asynchronously and wait for it: a synchronous BACKUP
    or RESTORE of a large collection outlives HTTP timeouts (and nginx's)."""
    request_id = f"vndata-{params['action'].lower()}-{uuid.uuid4().hex[:12]}"
    collections_api(base, **params, **{"async": request_id})
    deadline = time.monotonic() + seconds
    try:
        while True:
            status = collections_api(base, action="REQUESTSTATUS", requestid=request_id)
            state = status.get("status", {}).get("state")
            if state == "completed":
                return
            if state == "failed":
                message = (
                    status.get("status", {}).get("msg") or json.dumps(status)[:500]
                )
                raise BackupError(f"Solr {params['action']} failed: {message}")
            if time.monotonic() > deadline:
                raise BackupError(
                    f"Solr {params['action']} not done after {seconds:.0f}s"
                )
            time.sleep(1)
    finally:
        try:
            collections_api(base, action="DELETESTATUS", requestid=request_id)
        except BackupError:
            pass  # only Solr's bookkeeping of finished requests


def collection_exists(base: str, collection: str) -> bool:
    return collection in collections_api(base, action="LIST").get("collections", [])


def replicas_per_shard(base: str, collection: str) -> int:
    """How many replicas each shard of the collection has (the fewest, if unequal)."""
    status = collections_api(base, action="CLUSTERSTATUS", collection=collection)
    shards = status["cluster"]["collections"][collection]["shards"]
    return min(len(shard["replicas"]) for shard in shards.values())


def wait_until_active(base: str, collection: str, seconds: float) -> None:
    """Wait until every replica is active on a live node: a restored collection answers
    from one replica per shard while the others still copy the index."""
    deadline = time.monotonic() + seconds
    while True:
        status = collections_api(base, action="CLUSTERSTATUS", collection=collection)
        live = set(status["cluster"].get("live_nodes", []))
        shards = status["cluster"]["collections"][collection]["shards"]
        states = [
            replica["state"] if replica["node_name"] in live else "down"
            for shard in shards.values()
            for replica in shard["replicas"].values()
        ]
        if all(state == "active" for state in states):
            return
        if time.monotonic() > deadline:
            raise BackupError(f"{collection}: replicas not active after {seconds:.0f}s")
        time.sleep(1)


def document_count(solr_url: str) -> int:
    return solr_get(f"{solr_url}/select?q=*:*&rows=0&wt=json")["response"]["numFound"]


# --- PostgreSQL -----------------------------------------------------------------------
def run(command: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise BackupError(
            f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )
    return done.stdout


def pg_connection(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password) of a database URL of CKAN's ini: the
    first goes on the PostgreSQL tools' command line, the second never does."""
    parts = urllib.parse.urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}@{hostport}" if at else hostport
    password = None if parts.password is None else urllib.parse.unquote(parts.password)
    scheme = parts.scheme.split("+", 1)[0]  # SQLAlchemy's postgresql+psycopg2
    return urllib.parse.urlunsplit(
        (scheme, netloc, parts.path, parts.query, parts.fragment)
    ), password


@contextlib.contextmanager
def pg_password(url: str):
    """(``--dbname`` value, environment) for a PostgreSQL tool: the password in a
    temporary PGPASSFILE only its owner may read (libpq ignores a looser one), removed
    afterwards. Not PGPASSWORD: the file leaves nothing behind in any process."""
    dsn, password = pg_connection(url)
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    if password is None:
        yield dsn, env
        return
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    with tempfile.TemporaryDirectory(prefix="vndata-pgpass-") as folder:  # 0700
        passfile = os.path.join(folder, "pgpass")
        with os.fdopen(os.open(passfile, os.O_WRONLY | os.O_CREAT, 0o600), "w") as out:
            out.write(f"*:*:*:*:{escaped}\n")
        yield dsn, {**env, "PGPASSFILE": passfile}


def pg_run(program: str, url: str, *args: str) -> str:
    with pg_password(url) as (dsn, env):
        return run([program, f"--dbname={dsn}", *args], env)


def refuse_if_in_use(url: str) -> None:
    """A CKAN process still connected would hold locks that make the restore's DROP
    TABLE wait as long as it lives (pg_restore turns lock_timeout off), and would go on
    writing into what is being replaced: refuse, before anything is touched."""
    others = pg_run(
        "psql",
        url,
        "-tAc",
        "select count(*) from pg_stat_activity"
        " where datname = current_database() and pid <> pg_backend_pid()",
    ).strip()
    if others != "0":
        raise BackupError(
            f"{others} other connection(s) to {database_name(url)}: stop the site's web"
            " server and workers before restoring (supervisorctl stop all)"
        )


def restore_database(url: str, dump: pathlib.Path) -> None:
    # One transaction: a restore that fails leaves the database as it was, never half
    # written.
    pg_run(
        "pg_restore",
        url,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        str(dump),
    )
