"""Every dataset's score recomputed from the database in bulk, and the day's snapshots
of every organization's and harvest source's score (their history).

The score reads what is stored: the datasets (reading.py), the link checker's verdicts
and the stored DCAT-AP conformance; nothing here validates by SHACL or opens a link.
Scores and snapshots are upserted, so a second run the same day replaces that day's
rows and earlier days are kept.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import time
from collections.abc import Callable, Iterable

from sqlalchemy.dialects.postgresql import insert

from ckan import model
from ckan.lib import search

from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.quality import aggregate, reading
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from ckanext.vndata.quality.tally import Tally, vndata_quality_tally

# progress(stage, items done since the last call, items in the stage)
Progress = Callable[[str, int, int], None]
STAGES = ("reading", "scoring", "snapshots")


@dataclasses.dataclass
class ScoreRun:
    datasets: int
    nation: Tally
    seconds: float
    reindexed: int


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _upsert_scores(rows: list[dict]) -> None:
    if not rows:
        return
    table = DatasetScore.__table__
    # One statement of many VALUES: executemany sends a statement a row.
    statement = insert(table).values(rows)
    # Conformance and its digest belong to the SHACL job: kept as they are.
    model.Session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.package_id],
            set_={
                c: statement.excluded[c]
                for c in ("points", "rating", "tally", "computed")
            },
        )
    )


def _previous_ratings(ids: list[str]) -> dict[str, str]:
    return dict(
        model.Session.query(DatasetScore.package_id, DatasetScore.rating).filter(
            DatasetScore.package_id.in_(ids)
        )
    )


def vndata_quality_score_all(
    org_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    reindex: bool = True,
) -> ScoreRun:
    """Recompute and store the score of every active dataset (of ``org_ids``; None:
    all), then take today's snapshots. Datasets whose rating changed are reindexed
    (the search facet), unless ``reindex`` is false."""
    progress = progress or _quiet
    started = time.monotonic()
    ids = reading.vndata_quality_dataset_ids(org_ids)
    read = []
    for chunk in reading.vndata_quality_read(ids):
        read.append(chunk)
        progress("reading", len(chunk), len(ids))
    now = datetime.datetime.utcnow()
    changed: list[str] = []
    for chunk in read:
        before = _previous_ratings([dataset["id"] for dataset, _facts in chunk])
        rows = []
        for dataset, facts in chunk:
            tally = vndata_quality_tally(dataset, facts)
            points, rating = tally.total(), tally.rating()
            if before.get(dataset["id"]) != rating:
                changed.append(dataset["id"])
            rows.append(
                {
                    "package_id": dataset["id"],
                    "points": points,
                    "rating": rating,
                    "tally": json.dumps(tally.as_dict()),
                    "computed": now,
                }
            )
        _upsert_scores(rows)
        model.Session.commit()
        progress("scoring", len(chunk), len(ids))
    if reindex and changed:
        search.rebuild(package_ids=changed, defer_commit=True, quiet=True)
        search.commit()
    vndata_quality_take_snapshots(progress=progress)
    nation = aggregate.vndata_quality_of_organizations(org_ids)
    return ScoreRun(len(ids), nation, time.monotonic() - started, len(changed))


def _snapshot_rows(scope: str, tallies: dict[str, Tally], day: datetime.date):
    return [
        {
            "id": new_id(),
            "day": day,
            "scope": scope,
            "scope_id": scope_id,
            "points": tally.total(),
            "rating": tally.rating(),
            "tally": json.dumps(tally.as_dict()),
        }
        for scope_id, tally in tallies.items()
    ]


def vndata_quality_take_snapshots(
    day: datetime.date | None = None, progress: Progress | None = None
) -> int:
    """Store ``day``'s (default today's, UTC) snapshot of every organization's and
    harvest source's score from the stored dataset scores, replacing that day's rows;
    returns how many were written."""
    progress = progress or _quiet
    day = day or datetime.datetime.utcnow().date()
    rows = _snapshot_rows(
        "organization", aggregate.vndata_quality_by_organization(), day
    ) + _snapshot_rows("source", aggregate.vndata_quality_by_source(), day)
    # Replaced, not merged: a group with no public dataset left has no row that day.
    model.Session.query(Snapshot).filter(Snapshot.day == day).delete()
    if rows:
        model.Session.execute(Snapshot.__table__.insert(), rows)
    model.Session.commit()
    progress("snapshots", len(rows), len(rows))
    return len(rows)
