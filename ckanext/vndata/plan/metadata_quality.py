"""Metadata quality (vndata_quality's MQA scores) where plans and the national
dashboard read it.

A dataset has complete metadata, for the plans' "% complete metadata" minimum level,
when its stored MQA rating is ``ckanext.vndata.quality.complete_rating`` or better. The
rating is read when a plan is evaluated, not copied when the dataset is written: a link
check or a DCAT-AP (SHACL) job rescoring the dataset later changes no plan row, and the
plan follows all the same. A dataset never scored counts as not complete.

The dashboard's figures per obliged body are the sums of its organizations' tallies
(quality.aggregate), read in one pass for every body.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.quality.aggregate import (
    vndata_quality_by_organization,
    vndata_quality_history,
)
from ckanext.vndata.quality.indicators import MAXIMUM, RATING_KEYS, RATINGS
from ckanext.vndata.quality.model import DatasetScore
from ckanext.vndata.quality.search import vndata_quality_rating_label
from ckanext.vndata.quality.tally import Tally

log = logging.getLogger(__name__)

# How far back the dashboard's trend goes.
TREND_DAYS = 365
COMPLETE_RATING = "ckanext.vndata.quality.complete_rating"
# When the setting is not a rating: its declared default (quality's
# config_declaration.yaml). An ini typo must not take every plan page down with it.
COMPLETE_RATING_FALLBACK = "good"


def complete_ratings() -> tuple[str, ...]:
    """The ratings at which a dataset's metadata counts as complete, best first."""
    return _ratings_from(tk.config.get(COMPLETE_RATING))


@functools.lru_cache(maxsize=8)
def _ratings_from(setting: Any) -> tuple[str, ...]:
    # Cached per value: a bad setting is logged once, not on every plan evaluated.
    lowest = str(setting or "").strip().lower()
    if lowest not in RATING_KEYS:
        log.warning(
            "%s = %r is none of %s: %r is used",
            COMPLETE_RATING,
            setting,
            ", ".join(RATING_KEYS),
            COMPLETE_RATING_FALLBACK,
        )
        lowest = COMPLETE_RATING_FALLBACK
    return RATING_KEYS[: RATING_KEYS.index(lowest) + 1]


def complete_label() -> str:
    """What the "% complete metadata" level measures, naming the configured rating."""
    lowest = complete_ratings()[-1]
    return tk._("% of datasets whose metadata is rated {rating} or better").format(
        rating=vndata_quality_rating_label(lowest)
    )


def complete_help() -> str:
    """How the "% complete metadata" level is measured, for the plan page."""
    return tk._(
        "Each dataset's metadata is scored on the European Metadata Quality "
        "Assessment (MQA), {maximum} points; an item counts when a dataset "
        "delivering it is rated {rating} or better ({points} points or more)."
    ).format(
        maximum=MAXIMUM,
        rating=vndata_quality_rating_label(complete_ratings()[-1]),
        points=next(low for key, low, _l in RATINGS if key == complete_ratings()[-1]),
    )


def complete_column(package_id: Any) -> Any:
    """An SQL truth value: the dataset ``package_id`` (a column) is rated complete."""
    score = DatasetScore.__table__
    return sa.exists().where(
        score.c.package_id == package_id, score.c.rating.in_(complete_ratings())
    )


def is_complete(package_id: str | None) -> bool:
    """Whether the dataset's stored rating makes its metadata complete."""
    if not package_id:
        return False
    return bool(meta.Session.query(complete_column(sa.literal(package_id))).scalar())


def ratings_of(package_ids: Iterable[str]) -> dict[str, str]:
    """{package id: its stored rating}, for the datasets that have one."""
    ids = list(set(package_ids))
    if not ids:
        return {}
    return dict(
        meta.Session.query(DatasetScore.package_id, DatasetScore.rating).filter(
            DatasetScore.package_id.in_(ids)
        )
    )


def summary(tally: Tally) -> dict[str, Any]:
    """A group's score as the dashboard and its files show it; None points when the
    group has no scored dataset (nothing to rate, not "bad")."""
    if not tally.datasets:
        return {
            "points": None,
            "rating": None,
            "datasets": 0,
            "maximum": MAXIMUM,
            "dimensions": {},
        }
    return {
        "points": tally.total(),
        "maximum": MAXIMUM,
        "rating": tally.rating(),
        "datasets": tally.datasets,
        "dimensions": {k: round(v) for k, v in tally.dimension_points().items()},
    }


def labelled(quality: dict[str, Any]) -> dict[str, Any]:
    """A summary with its rating's name and its short form ("Tốt · 250") in the
    reader's language, for pages and CSV files."""
    points, rating = quality.get("points"), quality.get("rating")
    return {
        **quality,
        "rating_label": vndata_quality_rating_label(rating or "") or None,
        "text": f"{vndata_quality_rating_label(rating)} · {points}" if rating else "—",
    }


def summed(tallies: Iterable[Tally]) -> Tally:
    return sum(tallies, Tally())


def by_body(
    bodies: Iterable[Any],
) -> tuple[dict[str, Tally], Tally, dict[str, Tally]]:
    """{body code: the summed tally of its organizations}, the nation's (every
    organization's) and {organization id: its tally}, from one read of the stored
    scores."""
    per_org = vndata_quality_by_organization()
    tallies = {
        body.code: summed(per_org[o] for o in body.organization_ids if o in per_org)
        for body in bodies
    }
    return tallies, summed(per_org.values()), per_org


def trend(
    organization_ids: Iterable[str] | None, today: datetime.date
) -> dict[str, list]:
    """The daily points of ``organization_ids`` (None: the nation) over the last
    TREND_DAYS days, from the daily snapshots: {"days": [iso], "points": [int]}."""
    since = today - datetime.timedelta(days=TREND_DAYS)
    history = vndata_quality_history("organization", organization_ids, since)
    return {
        "days": [day.isoformat() for day, _tally in history],
        "points": [tally.total() for _day, tally in history],
    }
