"""Solr commits during a harvest's import stage: batched while the job's other records
wait, made for good after its last record."""

from __future__ import annotations

import contextlib
import time

import pysolr

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckanext.harvest.model import HarvestObject

# Each dataset write commits Solr twice (CKAN indexes a new dataset as new, then as
# changed through its resources), and each hard commit flushes and syncs the index:
# that, not the harvest itself, is most of an import's time. During an import the
# commits are left out; a soft commit (visible to searches, kept safe by Solr's update
# log) is made at most once per interval, and a hard one after the job's last record.
# Soft commits open a new searcher, which is not free either: 600 harvested datasets
# took 49.4 s with one a second, 45.0 s with one every five seconds.
# (Should two consumers finish the last two records at once, neither sees itself last:
# ckanext-harvest's scheduler then commits when it reindexes the finished job's source.)
_last_search_commit = [0.0]
UNFINISHED = ("WAITING", "FETCH", "IMPORT")


@contextlib.contextmanager
def search_commits_batched(harvest_object: HarvestObject):
    if not tk.config.get("ckan.search.solr_commit"):
        yield  # the operator already leaves commits to Solr
        return
    tk.config["ckan.search.solr_commit"] = False
    try:
        yield
    finally:
        # No return in here: it would swallow the import's exception.
        tk.config["ckan.search.solr_commit"] = True
        if not _others_pending(harvest_object):
            search.commit()
            _last_search_commit[0] = time.monotonic()
        elif time.monotonic() - _last_search_commit[0] >= _search_commit_interval():
            _soft_commit()
            _last_search_commit[0] = time.monotonic()


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
