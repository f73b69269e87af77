"""Search indexing and Solr commits during a harvest's import stage: each dataset
indexed once, in batches while the job's other records wait, and committed for good
after its last record."""

from __future__ import annotations

import contextlib
import logging
import time

import pysolr

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.harvester import deferred_index

log = logging.getLogger(__name__)

# Each dataset write indexed the dataset twice (as new, then as changed through its
# resources) and committed Solr twice, and each hard commit flushes and syncs the
# index: that, not the harvest itself, was most of an import's time. During an import
# the writes only note their datasets (deferred_index.py); this consumer indexes the
# noted ones once each when its batch is full or the interval has passed, with a soft
# commit (visible to searches, kept safe by Solr's update log), and after the job's
# last record with a hard one. Soft commits open a new searcher, which is not free
# either: 600 harvested datasets took 49.4 s with one a second, 45.0 s with one every
# five seconds. (Should two consumers finish the last two records at once, neither
# sees itself last, and a consumer may be lost with a batch noted: the job's
# datasets the index lacks are indexed before the job is marked finished.)
UNFINISHED = ("WAITING", "FETCH", "IMPORT")


class _Batch:
    """This consumer's noted datasets, not yet indexed, and when it last indexed."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.since = 0.0


_batch = _Batch()


@contextlib.contextmanager
def search_commits_batched(harvest_object: HarvestObject):
    noted: set[str] = set()
    committing = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    failed = False
    try:
        with deferred_index.deferring(noted):
            yield
    except BaseException:
        failed = True
        raise
    finally:
        # No return in here: it would swallow the import's exception.
        tk.config["ckan.search.solr_commit"] = committing
        _batch.ids |= noted
        # After a failure the session awaits the import's rollback: the batch waits
        # for the next record (or the job's end).
        if not failed:
            _index_batch(harvest_object, committing)


def _index_batch(harvest_object: HarvestObject, committing: bool) -> None:
    last = not _others_pending(harvest_object)
    waiting = len(_batch.ids) + deferred_index.unsent_count()
    full = waiting >= tk.config.get("ckanext.vndata.harvester.search_batch_size")
    due = time.monotonic() - _batch.since >= _search_commit_interval()
    if not (last or full or due):
        return
    ids, _batch.ids = _batch.ids, set()
    # A dataset not indexed now waits for the next batch or, at the latest, the
    # job's end (deferred_index.vndata_index_finished_jobs).
    _batch.ids |= deferred_index.index_batch(ids)
    try:
        if not committing:
            pass  # the operator leaves commits to Solr
        elif last:
            search.commit()
        else:
            _soft_commit()
    except (search.SearchIndexError, pysolr.SolrError, OSError):
        log.exception("Search commit failed; the next one makes these searchable")
    _batch.since = time.monotonic()


def _search_commit_interval() -> int:
    return tk.config.get("ckanext.vndata.harvester.search_commit_interval")


def _soft_commit() -> None:
    try:
        make_connection().commit(softCommit=True, waitSearcher=False)
    except pysolr.SolrError as error:
        raise search.SearchIndexError(error) from error


def _others_pending(harvest_object: HarvestObject) -> bool:
    return (
        model.Session.query(HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == harvest_object.harvest_job_id)
        .filter(HarvestObject.id != harvest_object.id)
        .filter(HarvestObject.state.in_(UNFINISHED))
        .first()
        is not None
    )
