"""CLI group vndata_quality (also reachable as vndata-quality, the issue's spelling):
the link check and the scores (cron-able)."""

from __future__ import annotations

import contextlib

import click

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestSource

from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.lib.text import can_store
from ckanext.vndata.quality import (
    conformance_job,
    link_check,
    link_schedule,
    reading,
    scoring,
)
from ckanext.vndata.quality.indicators import MAXIMUM
from ckanext.vndata.quality.search import vndata_quality_rating_label
from ckanext.vndata.translation import vndata_in_portal_locale


@click.group(name="vndata_quality", short_help="Metadata quality (vndata_quality)")
def vndata_quality():
    pass


# The same commands under the name; one dict, so a command added to one group
# is in both.
vndata_quality_alias = click.Group(
    name="vndata-quality",
    commands=vndata_quality.commands,
    short_help="Metadata quality (vndata_quality)",
)


def get_commands() -> list:
    return [vndata_quality, vndata_quality_alias]


def _organization_id(name: str) -> str:
    # NUL or an endless name would reach PostgreSQL as an error, not a miss.
    group = model.Group.get(name) if can_store(name) and len(name) < 200 else None
    if group is None or not group.is_organization or group.state != "active":
        raise click.BadParameter(
            tk._("No organization named {name}").format(name=name), param_hint="--org"
        )
    return group.id


def _source_id(name: str) -> str:
    source = HarvestSource.get(name) if can_store(name) and len(name) < 200 else None
    if source is None or not source.active:
        raise click.BadParameter(
            tk._("No harvest source {name}").format(name=name), param_hint="--source"
        )
    return source.id


@vndata_quality.command("check-links")
@click.option("--org", "org", help="Only the datasets of this organization (name/id)")
@click.option("--source", "source", help="Only the datasets of this harvest source")
@click.option("--now", "now", is_flag=True, help="Check here instead of enqueuing")
@click.option("--all", "everything", is_flag=True, help="Every link, due or not")
@vndata_in_portal_locale
def check_links(org: str | None, source: str | None, now: bool, everything: bool):
    """Check the links of resources that are due (new, changed, or checked long ago):
    background jobs by default, here with a progress bar with --now."""
    org_id = _organization_id(org) if org is not None else None
    if source is not None:
        source = _source_id(source)
    if not now:
        count = link_schedule.vndata_links_enqueue(org_id, source, everything)
        click.echo(tk._("{count} links queued for checking").format(count=count))
        return
    due = link_schedule.vndata_links_due(org_id, source, everything)
    ids = link_schedule.vndata_links_lease(due)
    summary: dict[str, int] = {}
    size = max(1, tk.asint(tk.config.get("ckanext.vndata.quality.link_check_batch")))
    with click.progressbar(length=len(ids), label=tk._("Checking links")) as bar:
        for start in range(0, len(ids), size):
            done = link_schedule.vndata_links_check(
                ids[start : start + size], progress=lambda _code: bar.update(1)
            )
            for code, count in done.items():
                summary[code] = summary.get(code, 0) + count
    click.echo(vndata_links_summary(summary))


def vndata_links_summary(summary: dict[str, int]) -> str:
    """``summary`` of link_schedule.vndata_links_check in the portal's language: how
    many were checked, work, are broken (by error) or were put off."""
    later = summary.get("later", 0)
    broken = {code: n for code, n in summary.items() if code not in ("ok", "later")}
    lines = [
        tk._("Checked {checked} links: {ok} work, {broken} broken.").format(
            checked=sum(summary.values()) - later,
            ok=summary.get("ok", 0),
            broken=sum(broken.values()),
        )
    ]
    for code, count in sorted(broken.items(), key=lambda item: -item[1]):
        error, _colon, status = code.partition(":")
        message = link_check.vndata_link_error(error, status or None) or code
        lines.append(f"  {count}: {message}")
    if later:
        lines.append(
            tk._("{count} put off: their server asked to be checked later.").format(
                count=later
            )
        )
    return "\n".join(lines)


_STAGE_LABELS = {
    "reading": N_("Reading datasets"),
    "scoring": N_("Scoring"),
    "snapshots": N_("Daily snapshots"),
}


@vndata_quality.command(name="score", short_help="Recompute every dataset's score")
@click.option("--org", "orgs", multiple=True, help="Only this organization (repeat)")
@click.option("--no-reindex", is_flag=True, help="Do not reindex changed ratings")
@vndata_in_portal_locale
def score(orgs: tuple[str, ...], no_reindex: bool):
    """Recompute every dataset's MQA score from the database and take today's
    snapshots of every organization and harvest source (run it daily from cron)."""
    org_ids = [_organization_id(name) for name in orgs] or None
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


@vndata_quality.command(
    name="check-conformance", short_help="Judge datasets against DCAT-AP (SHACL)"
)
@click.option("--org", "orgs", multiple=True, help="Only this organization (repeat)")
@click.option("--force", is_flag=True, help="Judge again even the unchanged ones")
@vndata_in_portal_locale
def check_conformance(orgs: tuple[str, ...], force: bool):
    """Judge every active dataset's DCAT-AP conformance here, in batches, with a
    progress bar. A write queues its own check; this judges the datasets written
    before the plugin was enabled (once after installing), or all again after the
    profiles or the shapes change (--force)."""
    org_ids = [_organization_id(name) for name in orgs] or None
    ids = reading.vndata_quality_dataset_ids(org_ids)
    label = tk._("Checking DCAT-AP conformance")
    with click.progressbar(length=len(ids), label=label) as bar:
        counts = conformance_job.vndata_quality_judge_all(
            ids, force=force, progress=bar.update
        )
    click.echo(
        tk._(
            "{judged} datasets judged ({conformant} conform to DCAT-AP), "
            "{skipped} unchanged since their last check."
        ).format(**counts)
    )
