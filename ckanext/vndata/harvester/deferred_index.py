"""Search indexing deferred during a harvest import, done once per dataset in batches.

CKAN indexes a dataset from its write (the ``synchronous_search`` system plugin, on the
session's commit): a new harvested dataset is indexed as new, then again as changed
through its resources, each time after a full package_show, the show schema's
validation and every plugin's before_dataset_index. During an import the package
index only notes the dataset; the import stage (search_commits.py) indexes the noted
datasets once each, every batch of records and after the job's last one. A consumer
lost mid-batch leaves its datasets unindexed only until the job ends: the job's
datasets that the index lacks are indexed before ckanext-harvest marks it finished
(``vndata_index_finished_jobs``).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Collection, Iterator

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.search.index import PackageSearchIndex
from ckanext.harvest.model import HarvestJob, HarvestObject

log = logging.getLogger(__name__)

# The ids noted during this thread's import, or None outside one.
_noted: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "vndata_deferred_index", default=None
)
# Ids per Solr query when looking for what the index lacks (a URL's length).
LOOKUP_CHUNK = 200


class VndataDeferringPackageIndex(PackageSearchIndex):
    """CKAN's package index, which only notes a dataset during an import."""

    def insert_dict(self, data):
        if not _note(data):
            super().insert_dict(data)

    def update_dict(self, data, defer_commit=False):
        if not _note(data):
            super().update_dict(data, defer_commit)

    def remove_dict(self, data):
        # A withdrawal leaves search at once; a noted write of it has nothing to add.
        noted = _noted.get()
        if noted is not None:
            noted.discard(data.get("id"))
        super().remove_dict(data)


def _note(data: dict) -> bool:
    noted = _noted.get()
    if noted is None or not data.get("id"):
        return False
    noted.add(data["id"])
    return True


def vndata_install_deferring_index() -> None:
    """Make the package index the deferring one. CKAN looks its index classes up by
    entity type in ``ckan.lib.search._INDICES`` (``index_for``) and offers no setting
    for it; ours is a subclass that behaves as CKAN's outside an import."""
    search._INDICES["package"] = VndataDeferringPackageIndex


def vndata_indexer_show(context: dict, data_dict: dict) -> dict | None:
    """During an import, what CKAN's search plugin shows of a written dataset: only its
    id. The plugin shows each dataset it is told of (unvalidated, uncached: no other
    caller asks so during an import) only to hand it to the package index, which
    then notes the id and nothing else. None for any other package_show."""
    if _noted.get() is None or set(data_dict) != {"id"}:
        return None
    if context.get("validate") is not False or context.get("use_cache") is not False:
        return None
    return {"id": data_dict["id"]}


@contextlib.contextmanager
def deferring(noted: set[str]) -> Iterator[None]:
    """Dataset writes in this block note their ids in ``noted`` instead of indexing
    (where the deferring index is installed: else CKAN indexes them at once)."""
    if search._INDICES.get("package") is not VndataDeferringPackageIndex:
        yield
        return
    token = _noted.set(noted)
    try:
        yield
    finally:
        _noted.reset(token)


def index_datasets(package_ids: Collection[str]) -> set[str]:
    """Index these datasets once each, as a write indexes them (package_show
    unvalidated), the commit left to the caller. Ids no longer in the database (a
    write rolled back) are skipped. Returns the ids that could not be indexed."""
    ids = list(dict.fromkeys(package_ids))
    if not ids:
        return set()
    existing = {
        row.id
        for row in model.Session.query(model.Package.id).filter(
            model.Package.id.in_(ids)
        )
    }
    index = search.index_for(model.Package)
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    failed = set()
    for package_id in (i for i in ids if i in existing):
        try:
            shown = tk.get_action("package_show")(dict(context), {"id": package_id})
            index.update_dict(shown, defer_commit=True)
        except Exception:  # one dataset's failure is not its batch's
            log.exception("Dataset %s could not be indexed", package_id)
            failed.add(package_id)
    return failed


def unindexed(package_ids: Collection[str]) -> set[str]:
    """Of these datasets, those the search index lacks."""
    ids = list(dict.fromkeys(package_ids))
    found: set[str] = set()
    query = search.query_for(model.Package)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        result = query.run(
            {
                "q": "*:*",
                "fq": "+id:({})".format(" OR ".join(f'"{i}"' for i in chunk)),
                "fl": "id",
                "rows": len(chunk),
            },
            permission_labels=None,
        )
        found.update(result["results"])  # ids alone, as fl=id gives them
    return set(ids) - found


def vndata_index_finished_jobs() -> int:
    """Index what the index lacks of each running job whose records are all done,
    before ckanext-harvest marks it finished: search is complete when a job ends,
    even if a consumer was lost with datasets noted and not yet indexed."""
    done = (
        ~model.Session.query(HarvestObject.id)
        .filter(
            HarvestObject.harvest_job_id == HarvestJob.id,
            HarvestObject.state.in_(("WAITING", "FETCH", "IMPORT")),
        )
        .exists()
    )
    jobs = [
        job_id
        for (job_id,) in model.Session.query(HarvestJob.id).filter(
            HarvestJob.status == "Running", HarvestJob.gather_finished.isnot(None), done
        )
    ]
    indexed = 0
    for job_id in jobs:
        package_ids = [
            package_id
            for (package_id,) in model.Session.query(HarvestObject.package_id)
            .join(model.Package, model.Package.id == HarvestObject.package_id)
            .filter(
                HarvestObject.harvest_job_id == job_id,
                HarvestObject.state == "COMPLETE",
                HarvestObject.current.is_(True),
                model.Package.state == "active",
            )
        ]
        missing = unindexed(package_ids)
        if missing:
            log.warning("Job %s: %d datasets were not indexed", job_id, len(missing))
            failed = index_datasets(missing)
            if failed and failed == missing:
                # Search is down: the job stays running, tried again next run.
                raise search.SearchIndexError(f"Job {job_id}: datasets not indexed")
            indexed += len(missing - failed)
    if indexed:
        search.commit()
    return indexed
