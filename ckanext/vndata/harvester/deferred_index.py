"""Search indexing deferred during a harvest import, done once per dataset.

CKAN indexes a dataset from its write (the ``synchronous_search`` system plugin, on the
session's commit): a new harvested dataset is indexed as new, then again as changed
through its resources, each time after a full package_show, the show schema's
validation and every plugin's before_dataset_index. Then CKAN's activity shows the
dataset once more, built and validated again, unless Solr was committed at the write
(package_show takes a committed document's validated dict: CKAN's cache). During an
import the package index only notes the dataset. The first validated show of a noted
dataset (the activity's) builds its index document there and then, and is answered
from that document as from Solr's (``index_for_show``): the dataset is built and
validated once for both. The import stage (search_commits.py) builds what is still
noted every batch of records, sends the batch's documents to Solr in one request, and
commits. A consumer lost mid-batch leaves its datasets unsearchable only until the job
ends: the job's datasets that the index lacks are indexed before ckanext-harvest marks
it finished (``vndata_index_finished_jobs``).
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
from ckan.lib.search.query import PackageSearchQuery
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.vndata.harvester import index_documents

log = logging.getLogger(__name__)

# The ids noted during this thread's import, or None outside one.
_noted: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "vndata_deferred_index", default=None
)
# The index documents of the datasets indexed during this thread's import and not
# committed yet, by id: what search.show finds of them once Solr is committed; None
# for a dataset this import took out of search (WITHDRAWN).
_fresh: contextvars.ContextVar[dict[str, dict | None] | None] = contextvars.ContextVar(
    "vndata_fresh_index", default=None
)
# This consumer's index documents built and not sent to Solr yet: sent together, one
# request a batch (index_batch).
_unsent = index_documents.Pending()
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
        # A withdrawal leaves search at once; a noted write of it, or a document of
        # it not sent yet, has nothing to add.
        noted = _noted.get()
        if noted is not None:
            noted.discard(data.get("id"))
        _unsent.discard(data.get("id"))
        _withdrawn(data.get("id"))
        super().remove_dict(data)


class VndataImportPackageQuery(PackageSearchQuery):
    """CKAN's package query, which during an import finds the datasets the import
    has indexed and not committed yet, as Solr will once it commits."""

    def get_index(self, reference):
        fresh = _fresh.get() or {}
        if reference not in fresh:
            return super().get_index(reference)
        if fresh[reference] is None:
            # Its removal is not committed: Solr would still give the dataset as it
            # was (a deletion leaves metadata_modified as it is), so package_show
            # builds it from the database, as after a committed removal.
            raise search.SearchError(f"Dataset {reference} left search in this import")
        return dict(fresh[reference])


def _withdrawn(package_id: str | None) -> None:
    fresh = _fresh.get()
    if fresh is not None and package_id:
        fresh[package_id] = None


def _note(data: dict) -> bool:
    noted = _noted.get()
    if noted is None or not data.get("id"):
        return False
    noted.add(data["id"])
    # Written again: the document built before is not this dataset any more.
    (_fresh.get() or {}).pop(data["id"], None)
    _unsent.discard(data["id"])
    return True


def vndata_install_deferring_index() -> None:
    """Make the package index the deferring one, and the package query the one that
    finds what an import indexed. CKAN looks these classes up by entity type in
    ``ckan.lib.search._INDICES`` and ``_QUERIES`` (``index_for``, ``query_for``) and
    offers no setting for them; ours are subclasses that behave as CKAN's outside an
    import."""
    search._INDICES["package"] = VndataDeferringPackageIndex
    search._QUERIES["package"] = VndataImportPackageQuery
    index_documents.vndata_install_collecting_connection()


def index_for_show(context: dict, data_dict: dict) -> None:
    """Before a validated package_show of a dataset this import has written and not
    indexed yet: index it now, as its batch would. CKAN's package_show then finds the
    document (VndataImportPackageQuery) and takes its validated dict, as it does from
    Solr: the activity CKAN records for each write shows the dataset without building
    and validating it a second time. Nothing happens outside an import, for another
    dataset, or for a show that would not use CKAN's cache (its own schema, no
    validation, no cache); a failure leaves the dataset to its batch."""
    noted, fresh = _noted.get(), _fresh.get()
    package_id = data_dict.get("id")
    if noted is None or fresh is None or package_id not in noted:
        return
    if (
        "schema" in context
        or context.get("validate") is False
        or context.get("use_cache") is False
    ):
        return
    token = _noted.set(None)  # the show and the index below are the real ones
    try:
        shown = _index_one(package_id, _unsent)
    except Exception:  # search down, or the dataset gone: its batch tries again
        log.exception("Dataset %s could not be indexed at its show", package_id)
        return
    finally:
        _noted.reset(token)
    noted.discard(package_id)
    if shown.get("state") != "active":  # CKAN's index took it out of search
        _withdrawn(package_id)
        return
    document = _unsent.get(package_id)
    if document is not None:
        fresh[package_id] = document


def _index_one(package_id: str, into) -> dict:
    """Build one dataset's index document as a write indexes it (package_show
    unvalidated), into ``into`` (by id), not sent; the dict it was built from."""
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    shown = tk.get_action("package_show")(dict(context), {"id": package_id})
    with index_documents.collecting(into):
        search.index_for(model.Package).update_dict(shown, defer_commit=True)
    return shown


def _build(package_ids: Collection[str], into) -> set[str]:
    """Documents of these datasets built into ``into``; the ids that failed. Ids no
    longer in the database (a write rolled back) are skipped."""
    ids = list(dict.fromkeys(package_ids))
    if not ids:
        return set()
    existing = {
        row.id
        for row in model.Session.query(model.Package.id).filter(
            model.Package.id.in_(ids)
        )
    }
    failed = set()
    for package_id in (i for i in ids if i in existing):
        try:
            _index_one(package_id, into)
        except Exception:  # one dataset's failure is not its batch's
            log.exception("Dataset %s could not be indexed", package_id)
            failed.add(package_id)
    return failed


def _send(documents: dict[str, dict]) -> set[str]:
    """Documents sent to Solr in one request, each checked first: one whose dataset
    is gone is dropped, one whose dataset changed since it was built is built again.
    Returns the ids not indexed."""
    gone, changed = index_documents.out_of_date(documents)
    for package_id in gone | changed:
        del documents[package_id]
    failed = _build(changed, documents)
    return failed | index_documents.post(list(documents.values()))


def index_batch(package_ids: Collection[str]) -> set[str]:
    """A consumer's batch: these datasets indexed once each, with the documents built
    at their activity's show, in one request to Solr; the commit is left to the
    caller. Returns the ids not indexed (the next batch tries them again)."""
    failed = _build(package_ids, _unsent)
    return failed | _send(_unsent.take_all())


def unsent_count() -> int:
    return len(_unsent)


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
    token, fresh = _noted.set(noted), _fresh.set({})
    try:
        yield
    finally:
        _fresh.reset(fresh)
        _noted.reset(token)


def index_datasets(package_ids: Collection[str]) -> set[str]:
    """Index these datasets once each, as a write indexes them (package_show
    unvalidated), in one request to Solr; the commit is left to the caller. Ids no
    longer in the database are skipped. Returns the ids that could not be indexed."""
    documents: dict[str, dict] = {}
    failed = _build(package_ids, documents)
    return failed | _send(documents)


def unindexed(package_ids: Collection[str]) -> set[str]:
    """Of these datasets, those the search index lacks or holds as they were before
    their last write (a document a consumer kept for its next batch, and lost or
    still keeps)."""
    ids = list(dict.fromkeys(package_ids))
    indexed: dict[str, object] = {}
    query = search.query_for(model.Package)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        result = query.run(
            {
                "q": "*:*",
                "fq": "+id:({})".format(" OR ".join(f'"{i}"' for i in chunk)),
                "fl": "id,metadata_modified",
                "rows": len(chunk),
            },
            permission_labels=None,
        )
        indexed.update((r["id"], r.get("metadata_modified")) for r in result["results"])
    written = (
        dict(
            model.Session.query(
                model.Package.id, model.Package.metadata_modified
            ).filter(model.Package.id.in_(list(indexed)))
        )
        if indexed
        else {}
    )
    return {
        package_id
        for package_id in ids
        if package_id not in indexed
        or not index_documents.same_time(indexed[package_id], written.get(package_id))
    }


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
            if failed and failed == missing and not index_documents.search_reachable():
                # Search is down: the job stays running, tried again next run. (A
                # document Solr refuses, Solr up, is logged and does not hold every
                # source's jobs back.)
                raise search.SearchIndexError(f"Job {job_id}: datasets not indexed")
            indexed += len(missing - failed)
    if indexed:
        search.commit()
    return indexed
