"""Backups of the national portal (scripts/backup.sh, scripts/restore.sh) on the real
cluster: datasets harvested through its queues, backed up, the database emptied and the
collection deleted, restored once; the datasets, their search and their pages are back.
The refusals that protect an operator's data need no cluster."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import pathlib
import subprocess
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from tests.harvester.servers import recording_server
from tests.harvester.sources import SOURCE_CONFIG, turtle_catalogue, turtle_record

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDS = 6
TITLE = "Dữ liệu sao lưu số"
SUPERVISORCTL = "/usr/bin/supervisorctl"


def _site_backup():
    spec = importlib.util.spec_from_file_location(
        "site_backup", ROOT / "scripts" / "site_backup.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_backup = _site_backup()
# What site_backup.py imports from its neighbour: the stores' operations.
site_stores = importlib.import_module("site_stores")


def _outside_env() -> dict[str, str]:
    """The environment of a command run on the cluster: without the CKAN_* variables
    that point this test process at the test database (CKAN reads them over any ini)."""
    return {
        key: value for key, value in os.environ.items() if not key.startswith("CKAN_")
    }


def _run(*command: str, timeout: float = 300) -> str:
    done = subprocess.run(
        command,
        env=_outside_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


def _ini(cluster: dict) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(
        defaults={"here": str(pathlib.Path(cluster["CLUSTER_INI"]).parent)},
        strict=False,
    )
    parser.read(cluster["CLUSTER_INI"], encoding="utf-8")
    return parser["app:main"]


def _search(cluster: dict, **params) -> dict:
    """package_search as the public sees it (anonymous, through nginx)."""
    answer = requests.post(
        f"{cluster['CLUSTER_WEB_URL']}/api/3/action/package_search",
        json=params,
        timeout=60,
    )
    assert answer.status_code == 200, f"{answer.status_code} {answer.text[:500]}"
    return answer.json()["result"]


def _wait(what: str, check, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except (requests.RequestException, AssertionError, KeyError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {seconds:.0f}s")
        time.sleep(1)


def _replicas(cluster: dict) -> list[str]:
    base, collection = site_stores.solr_parts(cluster["CLUSTER_SOLR_URL"])
    status = site_stores.collections_api(
        base, action="CLUSTERSTATUS", collection=collection
    )
    shards = status["cluster"]["collections"][collection]["shards"]
    return sorted(
        f"{name}:{replica['node_name']}:{replica['state'] == 'active'}"
        for name, shard in shards.items()
        for replica in shard["replicas"].values()
    )


@pytest.fixture(scope="module")
def harvested(cluster_clean, cluster_api):
    """A source of RECORDS datasets harvested by the cluster's consumers, its job
    finished by the cluster's scheduler: {"names", "titles"}."""
    cluster = cluster_clean
    with recording_server("127.0.0.1") as portal:
        records = {n: turtle_record(n, f"{TITLE} {n}") for n in range(RECORDS)}
        portal.page("/catalog.ttl", turtle_catalogue(records))
        org = cluster_api("organization_create", name="so-sao-luu", title="Sở Sao lưu")
        source = cluster_api(
            "harvest_source_create",
            name="nguon-sao-luu",
            url=portal.url("/catalog.ttl"),
            source_type="vndata_dcat",
            owner_org=org["id"],
            config=json.dumps(SOURCE_CONFIG),
        )
        cluster_api("harvest_job_create", source_id=source["id"], run=True)

        def finished():
            shown = cluster_api("harvest_source_show", id=source["id"])
            return (shown["status"]["last_job"] or {}).get("status") == "Finished"

        _wait("the harvest job finished by the scheduler", finished, 300)
    found = _search(cluster, fq=f"harvest_source_id:{source['id']}", rows=100)
    assert found["count"] == RECORDS
    return {
        "names": sorted(d["name"] for d in found["results"]),
        "titles": {d["name"]: d["title"] for d in found["results"]},
    }


def test_backup_wipe_and_restore_bring_datasets_search_and_pages_back(
    cluster, cluster_api, harvested
):
    web, solr_url = cluster["CLUSTER_WEB_URL"], cluster["CLUSTER_SOLR_URL"]
    settings = _ini(cluster)
    storage = pathlib.Path(settings["ckan.storage_path"])
    (storage / "resources").mkdir(parents=True, exist_ok=True)
    marker = storage / "resources" / f"sao-luu-{uuid.uuid4().hex}.txt"
    marker.write_text("tệp đã tải lên\n", encoding="utf-8")
    # Each shard's replicas and their nodes (whether each is active yet: after the
    # restore, all are).
    layout = [replica.rsplit(":", 1)[0] + ":True" for replica in _replicas(cluster)]
    total = _search(cluster, rows=0)["count"]
    # Inside the Solr nodes' solr.allowPaths (scripts/cluster.sh): Solr writes it.
    folder = pathlib.Path(cluster["CLUSTER_INI"]).parent / "backups" / uuid.uuid4().hex

    _run(
        str(ROOT / "scripts" / "backup.sh"),
        "--ini",
        cluster["CLUSTER_INI"],
        str(folder),
    )
    manifest = json.loads((folder / "manifest.json").read_text())
    # Every document, the harvest source's too (package_search leaves it out).
    documents = site_stores.document_count(solr_url)
    assert manifest["documents"] == documents > total
    assert manifest["collection"] == "ckan"
    assert (folder / "postgres" / "site.dump").stat().st_size > 0
    assert any((folder / "solr").iterdir())

    # The wipe: every CKAN process stopped (as an operator would before a restore), the
    # site's tables dropped, the collection deleted, the uploaded file gone.
    supervisorctl = [SUPERVISORCTL, "-c", cluster["CLUSTER_SUPERVISOR_CONF"]]
    _run(*supervisorctl, "stop", "all")
    try:
        # No pool: restore.sh refuses while any connection to the database is open.
        url = settings["sqlalchemy.url"]
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            connection.execute(
                sa.text("drop schema public cascade; create schema public")
            )
            assert not connection.execute(
                sa.text("select count(*) from pg_tables where schemaname = 'public'")
            ).scalar()
        base, collection = site_stores.solr_parts(solr_url)
        site_stores.collections_api(base, action="DELETE", name=collection)
        assert not site_stores.collection_exists(base, collection)
        marker.unlink()

        _run(
            str(ROOT / "scripts" / "restore.sh"),
            "--ini",
            cluster["CLUSTER_INI"],
            str(folder),
            "--yes",
        )
        with engine.connect() as connection:
            packages = connection.execute(
                sa.text("select count(*) from package where state = 'active'")
            ).scalar()
    finally:
        _run(*supervisorctl, "start", "all")

    assert packages >= RECORDS
    assert marker.read_text(encoding="utf-8") == "tệp đã tải lên\n"
    # The collection is Solr's restore, with its layout (no reindex ran).
    assert _replicas(cluster) == layout
    # Its workers load every plugin: over 2 minutes on 2 cores busy with a test suite.
    _wait(
        "the web server",
        lambda: requests.get(f"{web}/api/3/action/status_show", timeout=10).ok,
        300,
    )
    assert _search(cluster, rows=0)["count"] == total
    assert site_stores.document_count(solr_url) == documents
    found = _search(cluster, q="sao lưu", rows=100)
    assert sorted(d["name"] for d in found["results"]) == harvested["names"]
    for name, title in harvested["titles"].items():
        page = requests.get(f"{web}/dataset/{name}", timeout=60)
        assert page.status_code == 200 and title in page.text
    # And the site works on: the sysadmin's token (restored with its user) is accepted.
    assert cluster_api("package_show", id=harvested["names"][0])["state"] == "active"


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    ini = tmp_path / "site.ini"
    ini.write_text(
        "[app:main]\nsqlalchemy.url = postgresql://u:p@127.0.0.1:9/x\n"
        "solr_url = http://127.0.0.1:9/solr/ckan\n"
    )
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    assert site_backup.main(["backup", str(tmp_path / "old"), "--ini", str(ini)]) == 1
    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"
    assert "is not empty" in capsys.readouterr().err  # before anything is dumped


def test_restore_asks_for_confirmation(tmp_path, capsys):
    with pytest.raises(SystemExit) as refused:
        site_backup.main(
            ["restore", str(tmp_path), "--ini", str(tmp_path / "site.ini")]
        )
    assert refused.value.code == 2
    assert "--yes" in capsys.readouterr().err


def test_settings_are_read_as_ckan_reads_them(tmp_path):
    ini = tmp_path / "site.ini"
    ini.write_text(
        "[app:main]\nsqlalchemy.url = postgresql://u:p@db/ckan\n"
        "solr_url = http://lb:8983/solr/ckan\nckan.storage_path = %(here)s/storage\n"
    )
    settings = site_backup.site_settings(ini)
    assert settings["ckan.storage_path"] == f"{tmp_path}/storage"
    assert settings["ckan.datastore.write_url"] == ""
    assert site_stores.solr_parts(settings["solr_url"]) == (
        "http://lb:8983/solr",
        "ckan",
    )
    ini.write_text("[app:main]\nsqlalchemy.url = postgresql://u:p@db/ckan\n")
    with pytest.raises(site_backup.BackupError, match="solr_url"):
        site_backup.site_settings(ini)


def test_restore_refuses_while_the_database_is_in_use():
    url = tk.config["sqlalchemy.url"]
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect():  # as a CKAN process left running would be
        with pytest.raises(site_backup.BackupError, match="other connection"):
            site_stores.refuse_if_in_use(url)


# --- secrets: who may read a backup, what a command line shows ------------------------
PASSWORD = "mật:khẩu\\bí-mật"  # a ':' and a '\' to escape in the PGPASSFILE


def _site_ini(folder: pathlib.Path, **settings: str) -> pathlib.Path:
    """An ini as a site's: a password, mode 0644 (as `ckan generate config` leaves
    it)."""
    settings = {
        "sqlalchemy.url": f"postgresql://ckan_default:{PASSWORD}@127.0.0.1:9/site",
        "solr_url": "http://127.0.0.1:9/solr/ckan",
        "ckan.storage_path": str(folder / "storage"),
        "SECRET_KEY": "khoa-bi-mat",
        **settings,
    }
    ini = folder / "site.ini"
    ini.write_text(
        "[app:main]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items())
    )
    ini.chmod(0o644)
    return ini


@pytest.fixture
def umask_kept():
    """site_backup.main sets the process's umask: the test process gets its own back."""
    kept = os.umask(0o022)
    yield
    os.umask(kept)


@pytest.fixture
def commands(monkeypatch):
    """Every command site_backup runs, faked (pg_dump writes its --file) and recorded
    with its environment and the PGPASSFILE it was given, as it was then."""
    seen = []

    def run(command, env=None):
        passfile = (env or {}).get("PGPASSFILE")
        seen.append(
            {
                "argv": command,
                "env": env or {},
                "passfile": passfile and pathlib.Path(passfile).read_text(),
                "mode": passfile and pathlib.Path(passfile).stat().st_mode & 0o777,
                "passfile_path": passfile,
            }
        )
        for arg in command:
            if arg.startswith("--file="):
                pathlib.Path(arg[len("--file=") :]).write_bytes(b"PGDMP")
        return "0\n"

    monkeypatch.setattr(site_backup, "run", run)
    monkeypatch.setattr(site_stores, "run", run)  # pg_run's, there
    return seen


def _fake_solr(monkeypatch, documents: int = 3) -> list:
    """Solr faked: BACKUP writes a file where Solr would; every call is recorded."""
    calls = []

    def run_async(base, seconds, **params):
        calls.append(params["action"])
        if params["action"] == "BACKUP":
            (pathlib.Path(params["location"]) / "vndata").mkdir()
            (pathlib.Path(params["location"]) / "vndata" / "segments").write_text("x")

    def collections_api(base, timeout=60, **params):
        calls.append(params["action"])
        return (
            {"backups": [{"backupId": 0}]} if params["action"] == "LISTBACKUP" else {}
        )

    monkeypatch.setattr(site_backup, "run_async", run_async)
    monkeypatch.setattr(site_backup, "collections_api", collections_api)
    monkeypatch.setattr(site_backup, "collection_exists", lambda base, name: True)
    monkeypatch.setattr(site_backup, "document_count", lambda url: documents)
    monkeypatch.setattr(site_backup, "replicas_per_shard", lambda base, name: 2)
    monkeypatch.setattr(site_backup, "wait_until_active", lambda *args: None)
    return calls


@pytest.mark.usefixtures("umask_kept")
def test_a_backup_is_its_owners_only_and_no_password_is_on_a_command_line(
    tmp_path, monkeypatch, commands
):
    _fake_solr(monkeypatch)
    ini = _site_ini(tmp_path)
    (tmp_path / "storage" / "resources").mkdir(parents=True)
    (tmp_path / "storage" / "resources" / "tep.csv").write_text("a,b\n")
    folder = tmp_path / "backups" / "2026-11-30"

    assert site_backup.main(["backup", str(folder), "--ini", str(ini)]) == 0

    modes = {
        str(path.relative_to(folder)): path.stat().st_mode & 0o7777
        for path in folder.rglob("*")
    }
    assert folder.stat().st_mode & 0o7777 == 0o710  # the group passes, never lists
    assert modes.pop("solr") == 0o2770  # Solr's user (in the group) writes here
    assert modes.pop("solr/vndata") & 0o077 == 0  # what Solr wrote, as its umask says
    modes.pop("solr/vndata/segments")
    assert modes == {
        "postgres": 0o700,
        "postgres/site.dump": 0o600,
        "config": 0o700,
        "config/site.ini": 0o600,
        "storage.tar.gz": 0o600,
        "manifest.json": 0o600,
    }
    assert "khoa-bi-mat" in (folder / "config" / "site.ini").read_text()
    (dump,) = commands
    assert dump["argv"][:2] == [
        "pg_dump",
        "--dbname=postgresql://ckan_default@127.0.0.1:9/site",
    ]
    assert not any("khẩu" in arg for arg in dump["argv"])
    assert dump["mode"] == 0o600
    assert dump["passfile"] == "*:*:*:*:mật\\:khẩu\\\\bí-mật\n"
    assert "PGPASSWORD" not in dump["env"]
    assert not pathlib.Path(dump["passfile_path"]).exists()  # removed after


def test_a_database_password_reaches_postgresql_through_the_passfile_only(
    monkeypatch,
):
    """The test database asks for a password (its pg_hba): psql gets in with the one
    of the URL, given only in the PGPASSFILE."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = tk.config["sqlalchemy.url"]
    assert site_stores.pg_connection(url)[1]  # the URL has a password
    assert site_stores.pg_run("psql", url, "-tAc", "select 41 + 1").strip() == "42"
    dsn, _password = site_stores.pg_connection(url)
    with pytest.raises(site_backup.BackupError, match="password"):
        site_stores.run(["psql", f"--dbname={dsn}", "-w", "-tAc", "select 1"], {})


# --- restore: everything checked before anything is touched ---------------------------
@pytest.fixture
def good_backup(tmp_path, monkeypatch):
    """A backup restore accepts (a real pg_dump: the schema of the test database, which
    may hold no table yet when this runs first in its worker), and a site with files
    of its own: (ini, folder, the site's storage)."""
    monkeypatch.setattr(site_backup, "refuse_if_in_use", lambda url: None)
    folder = tmp_path / "backup"
    (folder / "postgres").mkdir(parents=True)
    (folder / "solr" / "vndata").mkdir(parents=True)
    site_stores.pg_run(
        "pg_dump",
        tk.config["sqlalchemy.url"],
        "-Fc",
        "--schema-only",
        f"--file={folder / 'postgres' / 'site.dump'}",
    )
    saved = tmp_path / "saved"
    (saved / "resources").mkdir(parents=True)
    (saved / "resources" / "tep.csv").write_text("đã lưu\n")
    with site_backup.tarfile.open(folder / "storage.tar.gz", "w:gz") as archive:
        archive.add(saved, arcname=".")
    manifest = {
        "database": "site",
        "collection": "ckan",
        "documents": 3,
        "replicas_per_shard": 2,
        "storage": str(saved),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    ini = _site_ini(tmp_path)
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "live.txt").write_text("hiện tại\n")
    return ini, folder, tmp_path / "storage"


def _break_manifest(folder):
    (folder / "manifest.json").write_text('{"database": "site"')


def _lose_keys(folder):
    (folder / "manifest.json").write_text('{"database": "site", "storage": "/x"}')


def _lose_dump(folder):
    (folder / "postgres" / "site.dump").unlink()


def _corrupt_dump(folder):
    (folder / "postgres" / "site.dump").write_bytes(b"PGDMP not a dump")


def _truncate_archive(folder):
    archive = folder / "storage.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-30])


def _lose_solr_backup(folder):
    (folder / "solr" / "vndata").rmdir()


@pytest.mark.parametrize(
    "damage, message",
    [
        (_break_manifest, "holds no backup"),
        (_lose_keys, "lacks collection, documents, replicas_per_shard"),
        (_lose_dump, "site.dump is missing"),
        (_corrupt_dump, "pg_restore failed"),
        (_truncate_archive, "storage.tar.gz"),
        (_lose_solr_backup, "solr/vndata is missing"),
    ],
)
@pytest.mark.usefixtures("umask_kept")
def test_restore_of_a_damaged_backup_touches_nothing(
    good_backup, monkeypatch, capsys, damage, message
):
    ini, folder, storage = good_backup
    solr = _fake_solr(monkeypatch)
    restored = []
    monkeypatch.setattr(
        site_backup, "restore_database", lambda url, dump: restored.append(url)
    )
    damage(folder)

    assert site_backup.main(["restore", str(folder), "--ini", str(ini), "--yes"]) == 1

    assert message in capsys.readouterr().err
    assert restored == [] and set(solr) <= {"LISTBACKUP"}
    assert [p.name for p in storage.iterdir()] == ["live.txt"]


@pytest.mark.usefixtures("umask_kept")
def test_restore_refuses_a_solr_backup_the_nodes_may_not_read(
    good_backup, monkeypatch, capsys
):
    ini, folder, storage = good_backup
    solr = _fake_solr(monkeypatch)

    def outside_allow_paths(base, timeout=60, **params):
        solr.append(params["action"])
        raise site_backup.BackupError(
            "Solr answered 400: Path … must be relative to SOLR_HOME, SOLR_DATA_HOME"
            " coreRootDirectory. Set system property 'solr.allowPaths'"
        )

    monkeypatch.setattr(site_backup, "collections_api", outside_allow_paths)
    restored = []
    monkeypatch.setattr(
        site_backup, "restore_database", lambda url, dump: restored.append(url)
    )

    assert site_backup.main(["restore", str(folder), "--ini", str(ini), "--yes"]) == 1

    assert "solr.allowPaths" in capsys.readouterr().err
    assert solr == ["LISTBACKUP"] and restored == []
    assert [p.name for p in storage.iterdir()] == ["live.txt"]


@pytest.mark.usefixtures("umask_kept")
def test_restore_with_another_document_count_warns_and_restores_the_files(
    good_backup, monkeypatch, capsys
):
    """The count is read before BACKUP, which saves each shard's last hard commit: with
    soft commits they may differ, and a rebuild -o mends what the index lacks."""
    ini, folder, storage = good_backup
    solr = _fake_solr(monkeypatch, documents=2)
    restored = []
    monkeypatch.setattr(
        site_backup, "restore_database", lambda url, dump: restored.append(url)
    )

    assert site_backup.main(["restore", str(folder), "--ini", str(ini), "--yes"]) == 0

    err = capsys.readouterr().err
    assert "WARNING: Solr has 2 documents" in err
    assert "search-index rebuild -o" in err
    assert solr == ["LISTBACKUP", "DELETE", "RESTORE"]
    assert restored == [f"postgresql://ckan_default:{PASSWORD}@127.0.0.1:9/site"]
    assert (storage / "resources" / "tep.csv").read_text() == "đã lưu\n"
    assert not (storage / "live.txt").exists()


# --- scripts/cluster.sh ---------------------------------------------------------------
def test_cluster_refuses_a_folder_its_configurations_cannot_carry(tmp_path):
    folder = tmp_path / "dữ liệu cụm"
    done = subprocess.run(
        [str(ROOT / "scripts" / "cluster.sh"), "status"],
        env={**_outside_env(), "VNDATA_CLUSTER_DIR": str(folder)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert f"'{folder}' holds a blank" in done.stderr
    assert not folder.exists()  # refused before anything is made
