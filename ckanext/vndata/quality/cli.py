"""CLI group vndata_quality: the scores recomputed from the database (cron-able)."""

from __future__ import annotations

import contextlib

import click

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.quality import scoring
from ckanext.vndata.quality.indicators import MAXIMUM
from ckanext.vndata.quality.summary import vndata_quality_rating_label


@click.group(name="vndata_quality", short_help="Metadata quality (vndata_quality)")
def vndata_quality():
    pass


# score

_STAGE_LABELS = {
    "reading": N_("Reading datasets"),
    "scoring": N_("Scoring"),
    "snapshots": N_("Daily snapshots"),
}


def _organization_ids(names: tuple[str, ...]) -> list[str] | None:
    if not names:
        return None
    ids = []
    for name in names:
        # NUL or an endless name would reach PostgreSQL as an error, not a miss.
        group = model.Group.get(name) if can_store(name) and len(name) < 200 else None
        if group is None or not group.is_organization or group.state != "active":
            tk.error_shout(tk._("No organization named {name}").format(name=name))
            raise click.exceptions.Exit(1)
        ids.append(group.id)
    return ids


@vndata_quality.command(name="score", short_help="Recompute every dataset's score")
@click.option("--org", "orgs", multiple=True, help="Only this organization (repeat)")
@click.option("--no-reindex", is_flag=True, help="Do not reindex changed ratings")
def score(orgs: tuple[str, ...], no_reindex: bool):
    """Recompute every dataset's MQA score from the database and take today's
    snapshots of every organization and harvest source (run it daily from cron)."""
    # A command has no request, and outside one tk._ answers in English: messages are
    # in the portal's default language, as its pages are.
    with click.get_current_context().meta["flask_app"].test_request_context():
        org_ids = _organization_ids(orgs)
        with contextlib.ExitStack() as stack:
            bars: dict[str, click.progressbar] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in bars:
                    label = tk._(_STAGE_LABELS[stage])
                    bars[stage] = stack.enter_context(
                        click.progressbar(length=total, label=label, file=None)
                    )
                bars[stage].update(done)

            run = scoring.vndata_quality_score_all(
                org_ids, progress=progress, reindex=not no_reindex
            )
        click.secho(
            tk._(
                "{datasets} datasets scored in {seconds:.1f} s. Nation: {points}/"
                "{maximum} points, {rating}."
            ).format(
                datasets=run.datasets,
                seconds=run.seconds,
                points=run.nation.total(),
                maximum=MAXIMUM,
                rating=vndata_quality_rating_label(run.nation.rating()),
            ),
            fg="green",
        )


def get_commands() -> list:
    return [vndata_quality]
