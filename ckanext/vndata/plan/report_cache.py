"""The national report's evaluation, kept while nothing it reads has changed.

The report reads every item of every plan in force (60,000 at national scale) and
every body's organizations; it is read far more often than plans change. One query
gives a stamp of everything the evaluation reads: the small tables (plans, phases,
roster, organizations and their extras) whole, the large ones (items, dataset links)
by their count and latest change, which every write moves (their ``modified`` and
``synced_at`` columns are set on each insert and update, by the ORM and by Core
updates alike). The metadata quality it shows (the plans' "% complete metadata"
level, each body's score, the trend) comes from vndata_quality's tables: the scores
by their count and latest ``computed`` (every rescore sets it), the daily snapshots by
their count, latest day and summed points. Which datasets count (active, public,
whose organization) comes from the package table: its count and latest
``metadata_modified``, and the active public ones' count and summed id hashes (order
free). CKAN's bulk "make private" and bulk delete (``_bulk_update_dataset``) set
``private``/``state`` alone, with no hook, no new ``metadata_modified`` and no rescore:
only that last part sees them. An evaluation is reused only while the
stamp is the same; each process keeps a few (one per date and kind of reader in
practice).
"""

from __future__ import annotations

import collections
import copy
import threading
import time
from typing import Any, Callable

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

# How many evaluations one process keeps (per date, reader kind, options).
SIZE = 8

_STAMP = sa.text(
    """
    SELECT md5(concat_ws('|',
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), ''))
         FROM vndata_plan t),
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), ''))
         FROM vndata_plan_phase t),
      (SELECT count(*) || '/' || coalesce(max(modified)::text, '')
         FROM vndata_plan_item),
      (SELECT count(*) || '/' || coalesce(max(synced_at)::text, '') || '/'
              || coalesce(max(linked_at)::text, '')
         FROM vndata_plan_item_dataset),
      (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.code), ''))
         FROM vndata_plan_body t),
      (SELECT md5(coalesce(string_agg(
                concat_ws(',', g.id, g.name, g.title, g.state, g.type,
                          g.is_organization::text), ';' ORDER BY g.id), ''))
         FROM "group" g),
      (SELECT md5(coalesce(string_agg(
                concat_ws(',', e.group_id, e.key, e.value, e.state), ';'
                ORDER BY e.id), ''))
         FROM group_extra e),
      (SELECT count(*) || '/' || coalesce(max(computed)::text, '')
         FROM vndata_quality_score),
      (SELECT count(*) || '/' || coalesce(max(day)::text, '') || '/'
              || coalesce(sum(points), 0)
         FROM vndata_quality_snapshot),
      (SELECT count(*) || '/' || coalesce(max(metadata_modified)::text, '') || '/'
              || count(*) FILTER (WHERE state = 'active' AND NOT private) || '/'
              || coalesce(sum(hashtext(id || '/' || coalesce(owner_org, '')))
                   FILTER (WHERE state = 'active' AND NOT private), 0)
         FROM package)
    ))
    """
)

_lock = threading.Lock()
# key -> (stamp, evaluation, when it was last known current: time.monotonic()).
_kept: collections.OrderedDict[tuple, tuple[str, Any, float]] = (
    collections.OrderedDict()
)


def reuse_seconds() -> int:
    """How old an evaluation a visitor who is not signed in may be shown."""
    return tk.config.get("ckanext.vndata.plan.report_reuse_seconds")


def stamp() -> str:
    """What the national report reads, as one digest (see the module's docstring)."""
    return meta.Session.execute(_STAMP).scalar_one()


def evaluated(key: tuple, evaluate: Callable[[], Any], reuse_seconds: int = 0) -> Any:
    """``evaluate()``, or a copy of its last result for ``key`` if nothing it reads
    has changed since, or if it is younger than ``reuse_seconds`` whatever changed.
    The caller gets its own copy to change as it likes.

    While a harvest runs the package table changes every second, so the stamp alone
    never matches: every reader of the dashboard paid the whole evaluation (seconds,
    at national scale), in each web worker, and a crowd of readers stalled the web
    tier. ``reuse_seconds`` bounds how old an answer may be instead."""
    with _lock:
        kept = _kept.get(key)
        if kept is not None and time.monotonic() - kept[2] < reuse_seconds:
            _kept.move_to_end(key)
            return copy.deepcopy(kept[1])
    current = stamp()
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] == current:
            _kept[key] = (current, kept[1], time.monotonic())
            _kept.move_to_end(key)
            return copy.deepcopy(kept[1])
    result = evaluate()
    with _lock:
        _kept[key] = (current, result, time.monotonic())
        _kept.move_to_end(key)
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return copy.deepcopy(result)


def clear() -> None:
    with _lock:
        _kept.clear()
