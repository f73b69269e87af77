"""Back up and restore one CKAN site: its PostgreSQL databases, its Solr collection, its
storage folder and its ini file, into one folder.

    site_backup.py backup  --ini INI DIR          (scripts/backup.sh)
    site_backup.py restore --ini INI DIR --yes    (scripts/restore.sh)

Everything the site's state is made of, and nothing else:

- ``postgres/site.dump``: ``pg_dump -Fc`` of ``sqlalchemy.url`` (datasets, users,
  organizations, plans, harvest sources, jobs and objects, the vndata tables);
- ``postgres/datastore.dump``: the same of ``ckan.datastore.write_url``, when the site
  has a DataStore (the tables behind previews and the Data API);
- ``solr/``: a backup of the SolrCloud collection named by ``solr_url``, taken by Solr
  itself through the Collections API (BACKUP, RESTORE). Solr writes it, so the folder
  must be reachable at the same path by every Solr node (a shared mount in production)
  and be inside each node's ``solr.allowPaths``. Restoring it is much faster than
  ``ckan search-index rebuild`` at national scale;
- ``storage.tar.gz``: ``ckan.storage_path`` (uploaded files);
- ``config/``: the ini file, for the record (restore never overwrites an ini: the ini
  given says where to restore to);
- ``manifest.json``: what was saved, and the number of documents in the collection,
  which restore compares (a difference is a warning: see restore).

The queues in Redis are not saved: they only hold work in flight, which the next run of
each source redoes. The settings are read from the ini file only (not from CKAN_*
environment variables), so pass the ini the site really runs with.

The backup holds every secret of the site (password hashes, e-mails, harvest
credentials, the ini's SECRET_KEY and database passwords): it is written under umask
077, its folder and files readable by their owner only; ``solr/`` alone is also
writable by the folder's group, for Solr nodes running as another user (the folder
itself lets that group pass, not list). Database passwords go to the PostgreSQL tools
in a temporary 0600 ``PGPASSFILE``, never on their command lines (``/proc/*/cmdline``
is readable by every user).

Only the standard library: it runs with any Python 3.11 and the PostgreSQL client
tools (``pg_dump``, ``pg_restore``, ``psql``) on PATH, on a machine that reaches the
database and Solr.
"""

from __future__ import annotations

import argparse
import configparser
import datetime
import json
import os
import pathlib
import shutil
import sys
import tarfile
import zlib

BACKUP_NAME = "vndata"  # Solr's name for the backup inside the solr/ folder
SITE_DUMP = "postgres/site.dump"
DATASTORE_DUMP = "postgres/datastore.dump"
STORAGE_ARCHIVE = "storage.tar.gz"
MANIFEST = "manifest.json"
# The backup folder: its owner only, and its group may pass through to solr/ (group
# writable, setgid so that what Solr writes keeps the group).
FOLDER_MODE = 0o710
SOLR_FOLDER_MODE = 0o2770


# The stores' operations live in site_stores.py, next to this file (also when this file
# is loaded by path, as the tests do).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from site_stores import (  # noqa: E402
    BackupError,
    collection_exists,
    collections_api,
    database_name,
    document_count,
    pg_run,
    refuse_if_in_use,
    replicas_per_shard,
    restore_database,
    run,
    run_async,
    say,
    solr_parts,
    wait_until_active,
)


# --- the site's settings --------------------------------------------------------------
def site_settings(ini: pathlib.Path) -> dict[str, str]:
    """The keys of ``[app:main]`` it needs (``%(here)s`` expanded as CKAN does)."""
    parser = configparser.ConfigParser(defaults={"here": str(ini.parent)}, strict=False)
    if not parser.read(ini, encoding="utf-8"):
        raise BackupError(f"cannot read {ini}")
    if not parser.has_section("app:main"):
        raise BackupError(f"{ini} has no [app:main] section")
    section = parser["app:main"]
    settings = {
        key: section.get(key, "").strip()
        for key in (
            "sqlalchemy.url",
            "ckan.datastore.write_url",
            "solr_url",
            "ckan.storage_path",
        )
    }
    for key in ("sqlalchemy.url", "solr_url"):
        if not settings[key]:
            raise BackupError(f"{ini} sets no {key}")
    return settings


# --- the two commands -----------------------------------------------------------------
def backup(ini: pathlib.Path, folder: pathlib.Path, solr_seconds: float) -> dict:
    settings = site_settings(ini)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)  # an empty folder made beforehand may be looser
    (folder / "postgres").mkdir()
    (folder / "config").mkdir()
    manifest: dict = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "ini": str(ini),
        "database": database_name(settings["sqlalchemy.url"]),
    }

    say(f"database {manifest['database']}")
    pg_run("pg_dump", settings["sqlalchemy.url"], "-Fc", f"--file={folder / SITE_DUMP}")
    if settings["ckan.datastore.write_url"]:
        manifest["datastore"] = database_name(settings["ckan.datastore.write_url"])
        say(f"DataStore database {manifest['datastore']}")
        pg_run(
            "pg_dump",
            settings["ckan.datastore.write_url"],
            "-Fc",
            f"--file={folder / DATASTORE_DUMP}",
        )

    base, collection = solr_parts(settings["solr_url"])
    location = folder.resolve() / "solr"
    location.mkdir()
    location.chmod(SOLR_FOLDER_MODE)  # Solr writes here, maybe as another user
    say(f"Solr collection {collection} (written by Solr into {location})")
    manifest["collection"] = collection
    manifest["documents"] = document_count(settings["solr_url"])
    manifest["replicas_per_shard"] = replicas_per_shard(base, collection)
    run_async(
        base,
        solr_seconds,
        action="BACKUP",
        name=BACKUP_NAME,
        collection=collection,
        location=str(location),
    )

    storage = settings["ckan.storage_path"]
    if storage and pathlib.Path(storage).is_dir():
        say(f"storage folder {storage}")
        with tarfile.open(folder / STORAGE_ARCHIVE, "w:gz") as archive:
            archive.add(storage, arcname=".")
        manifest["storage"] = storage

    # Not copy2: it would copy the ini's own mode (often 0644) along with its secrets.
    shutil.copyfile(ini, folder / "config" / ini.name)
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    say(f"done: {folder}")
    return manifest


def site_databases(settings: dict, manifest: dict) -> list[tuple[str, str]]:
    """(the ini's URL, the dump in the backup) of each database the backup restores."""
    databases = [(settings["sqlalchemy.url"], SITE_DUMP)]
    if "datastore" in manifest:
        databases.append((settings["ckan.datastore.write_url"], DATASTORE_DUMP))
    return databases


def check_solr_backup(base: str, location: pathlib.Path) -> None:
    """Solr itself lists the backup where RESTORE will read it: the folder is there,
    holds a backup of that name and lies inside the nodes' solr.allowPaths."""
    if not (location / BACKUP_NAME).is_dir():
        raise BackupError(f"{location / BACKUP_NAME} is missing")
    listed = collections_api(
        base, action="LISTBACKUP", name=BACKUP_NAME, location=str(location)
    )
    if not listed.get("backups"):
        raise BackupError(f"Solr finds no backup {BACKUP_NAME} in {location}")


def check_restorable(ini: pathlib.Path, settings: dict, folder: pathlib.Path) -> dict:
    """The backup's manifest, once everything the restore will read has been read and
    the site is known to be stopped: nothing is touched before all of it holds."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no backup ({MANIFEST}: {error})") from None
    lacking = {"database", "collection", "documents", "replicas_per_shard"} - set(
        manifest
    )
    if lacking:
        raise BackupError(f"{folder / MANIFEST} lacks {', '.join(sorted(lacking))}")
    if "datastore" in manifest and not settings["ckan.datastore.write_url"]:
        raise BackupError(f"the backup has a DataStore database and {ini} sets none")
    if "storage" in manifest and not settings["ckan.storage_path"]:
        raise BackupError(
            f"the backup has a storage folder and {ini} sets no ckan.storage_path"
        )
    for _url, dump in site_databases(settings, manifest):
        if not (folder / dump).is_file():
            raise BackupError(f"{folder / dump} is missing")
        run(["pg_restore", "--list", str(folder / dump)])  # its table of contents
    if "storage" in manifest:
        try:
            with tarfile.open(folder / STORAGE_ARCHIVE, "r:gz") as archive:
                archive.getmembers()  # reads it to the end: a truncated one fails
        except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
            raise BackupError(f"{folder / STORAGE_ARCHIVE}: {error}") from None
    check_solr_backup(solr_parts(settings["solr_url"])[0], folder.resolve() / "solr")
    for url, _dump in site_databases(settings, manifest):
        refuse_if_in_use(url)
    return manifest


def restore(ini: pathlib.Path, folder: pathlib.Path, solr_seconds: float) -> dict:
    settings = site_settings(ini)
    manifest = check_restorable(ini, settings, folder)

    for url, dump in site_databases(settings, manifest):
        say(f"database {database_name(url)}")
        restore_database(url, folder / dump)

    # The files go with the databases, before the index: a search index can always be
    # rebuilt from the database, uploaded files cannot.
    storage = settings["ckan.storage_path"]
    if "storage" in manifest:
        say(f"storage folder {storage}")
        target = pathlib.Path(storage)
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tarfile.open(folder / STORAGE_ARCHIVE, "r:gz") as archive:
            archive.extractall(target, filter="data")  # no path outside the folder

    base, collection = solr_parts(settings["solr_url"])
    say(f"Solr collection {collection}")
    rebuild = f"ckan -c {ini} search-index rebuild"
    try:
        # RESTORE makes the collection itself (shards, configset from the backup) and
        # refuses an existing one: the one there now goes first.
        if collection_exists(base, collection):
            collections_api(base, solr_seconds, action="DELETE", name=collection)
        # The replicas are named: Solr would otherwise take the collection's
        # replicationFactor, which counts only the replicas it was created with, not
        # those added later (make cluster adds each shard's second replica).
        run_async(
            base,
            solr_seconds,
            action="RESTORE",
            name=BACKUP_NAME,
            collection=collection,
            location=str(folder.resolve() / "solr"),
            replicationFactor=str(manifest["replicas_per_shard"]),
        )
        wait_until_active(base, collection, solr_seconds)
    except BackupError as error:
        raise BackupError(
            f"{error} (the databases and files are restored: make the collection"
            f" and run `{rebuild}`)"
        ) from None
    found = document_count(settings["solr_url"])
    if found != manifest["documents"]:
        # Not an error: the count was read before BACKUP, which saves each shard's last
        # hard commit, and soft commits make documents visible before that.
        say(
            f"WARNING: Solr has {found} documents after the restore, the backup counted"
            f" {manifest['documents']}: once the site runs, `{rebuild} -o` indexes any"
            " dataset the index lacks"
        )
    say("done: start the web server and the workers again")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["backup", "restore"])
    parser.add_argument("folder", type=pathlib.Path, help="the backup's folder")
    parser.add_argument(
        "--ini",
        type=pathlib.Path,
        default=os.environ.get("CKAN_INI"),
        help="the site's ini file (default: $CKAN_INI)",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="restore: replace the site's databases, collection and files",
    )
    parser.add_argument(
        "--solr-timeout",
        type=float,
        default=3600,
        help="seconds Solr may take to back up or restore (default 3600)",
    )
    args = parser.parse_args(argv)
    if not args.ini:
        parser.error("--ini (or CKAN_INI) is required")
    ini = args.ini.resolve()
    # First: every file and folder written from here on (dumps, the ini's copy, the
    # archive, pg_dump's output) is its owner's only.
    os.umask(0o077)
    try:
        if args.command == "backup":
            backup(ini, args.folder, args.solr_timeout)
        elif not args.yes:
            parser.error("restore replaces the site's data: confirm with --yes")
        else:
            restore(ini, args.folder, args.solr_timeout)
    except BackupError as error:
        say(f"ERROR: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
