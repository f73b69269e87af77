"""Reading the open-data plans a source publishes, through its own published forms.

``vndata_ckan`` reads the source's Action API (vndata_plan_list of the published plans,
then vndata_plan_show and organization_show of each); ``vndata_dcat`` reads the plans
index its catalogue advertises (or the source's ``plans_url``) and each listed plan's
DCAT. Both give plan records (plan/exchange.py). Every request goes through the job's
session (session.py: allowed addresses, size caps, rate, the source's login), and a
failure is PlansUnreadable with a message for the job's report, never a remote body.

Plans are the source's own word: the index and every plan document must be on the
origin (scheme, host, port) of the source's URL, so a source cannot make the portal
fetch another service (or learn its ports from the job report); a plan's address
elsewhere is dropped on import (plan_import.py). Reading has a total time budget
(``ckanext.vndata.harvester.plans_time_budget``) and a cap on the plan records, not
only on the listed entries (one document may hold many plans).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph

import ckan.plugins.toolkit as tk

from ckanext.vndata.harvester import (
    jsonld,
    language,
    rdf_reading,
    session,
)
from ckanext.vndata.harvester.job_state import VndataHarvestJob
from ckanext.vndata.lib import url_safety
from ckanext.vndata.plan import exchange, exchange_rdf

log = logging.getLogger(__name__)

# The key of a record that stands for a listed plan that could not be read.
UNREADABLE = "vndata_unreadable"
# ...that was not even tried: the time budget ran out (then no plan is withdrawn).
OUT_OF_TIME = "vndata_out_of_time"
# A province or ministry publishes tens of plans; more is not a plans list. The cap
# holds for the entries listed and for the plan records read (a document may hold many).
MAX_PLANS = 500
BUDGET_KEY = "ckanext.vndata.harvester.plans_time_budget"
# What a CKAN without vndata_plan answers an unknown action: 400 ("Action name not
# known"), or 404 behind some proxies. Such a portal has no plans to harvest.
NO_SUCH_ACTION = (400, 404)


class PlansUnreadable(Exception):
    """The source's plans could not be read whole; the message is for the report."""


def from_action_api(job: VndataHarvestJob, base_url: str) -> list[dict] | None:
    """The records of the plans a CKAN portal publishes; None when it runs no
    vndata_plan (it has no plans, which is no error)."""
    listed = _action(job, base_url, "vndata_plan_list", {"status": "published"})
    if listed is None:
        return None
    if not isinstance(listed, list):
        raise PlansUnreadable(_not_a_list(base_url))
    organizations: dict[str, Any] = {}
    records: list[dict] = []
    deadline = _deadline()
    for entry in _capped(listed, base_url):
        # Only published plans travel, whatever the source's login lets through.
        if not isinstance(entry, dict) or entry.get("status") != "published":
            continue
        if _late(deadline):
            records.append(_out_of_time(entry.get("series_id"), entry.get("id")))
            continue
        try:
            params = {"id": str(entry.get("id"))}
            shown = _action(job, base_url, "vndata_plan_show", params)
        except PlansUnreadable as error:  # this plan alone: the others go on
            records.append(unreadable(entry.get("series_id"), entry.get("id"), error))
            continue
        if not isinstance(shown, dict):
            error = PlansUnreadable(tk._("The plan is not an object."))
            records.append(unreadable(entry.get("series_id"), entry.get("id"), error))
            continue
        if shown.get("status") != "published":  # superseded since it was listed
            continue
        if shown.get("harvest_source"):  # harvested there: not that portal's own
            continue
        org_id = str(shown.get("organization_id") or "")
        if org_id not in organizations:
            organizations[org_id] = _organization(job, base_url, org_id)
        try:
            records.append(
                exchange.from_action_api(shown, organizations[org_id], base_url)
            )
        except tk.ValidationError as error:
            records.append(unreadable(entry.get("series_id"), entry.get("id"), error))
    return records


def from_index(
    job: VndataHarvestJob, index_url: str | None, source_url: str
) -> list[dict] | None:
    """The records of the plans a DCAT plans index lists; None without an index.

    The index and each plan document must be on the origin of ``source_url``."""
    if not index_url:
        return None
    _same_origin(index_url, source_url)
    entries = exchange_rdf.plans_index(_graph(job, index_url))
    records: list[dict] = []
    deadline = _deadline()
    for entry in _capped(entries, index_url):
        if _late(deadline):
            records.append(_out_of_time(entry.get("series_id"), entry["url"]))
            continue
        try:
            _same_origin(entry["url"], source_url)
            records += exchange_rdf.read_plans(_graph(job, entry["url"]))
        except PlansUnreadable as error:  # this plan alone: the others go on
            records.append(unreadable(entry.get("series_id"), entry["url"], error))
        _capped(records, index_url)
    return records


def unreadable(series_id: Any, name: Any, error: Exception) -> dict[str, Any]:
    """What stands for a listed plan that could not be read: its series (it is still
    published, so not withdrawn) and why (plan_gather.py reports it)."""
    if isinstance(error, tk.ValidationError):
        reason = "; ".join(language.messages(error.error_dict))
    else:
        reason = str(error)
    message = tk._("The plan {name} of the source could not be read: {reason}")
    return {
        "series_id": series_id,
        "status": "published",
        UNREADABLE: message.format(name=str(name)[:200], reason=reason),
    }


def _same_origin(url: str, source_url: str) -> None:
    """A plans document elsewhere than the source's origin is not read at all."""
    if url_safety.origin(url) is None or url_safety.origin(url) != url_safety.origin(
        source_url
    ):
        raise PlansUnreadable(
            tk._(
                "The plans document {url} is not on the source's own address "
                "(scheme, host and port of {source}); it was not read."
            ).format(url=url_safety.shown(url), source=url_safety.shown(source_url))
        )


def _deadline() -> float:
    return time.monotonic() + tk.config.get(BUDGET_KEY)


def _late(deadline: float) -> bool:
    return time.monotonic() >= deadline


def _out_of_time(series_id: Any, name: Any) -> dict[str, Any]:
    """A plan left unread when the budget ran out: listed (so not withdrawn)."""
    error = PlansUnreadable(
        tk._(
            "the time allowed for reading the source's plans ({seconds} s) ran out"
        ).format(seconds=tk.config.get(BUDGET_KEY))
    )
    return {**unreadable(series_id, name, error), OUT_OF_TIME: True}


def _capped(listed: list, url: str) -> list:
    if len(listed) > MAX_PLANS:
        raise PlansUnreadable(
            tk._(
                "The source {url} lists more than {max} plans; its plans were not read."
            ).format(url=url_safety.shown(url), max=MAX_PLANS)
        )
    return listed


def _not_a_list(url: str) -> str:
    return tk._("The plans list of {url} is not a list of plans.").format(
        url=url_safety.shown(url)
    )


def _action(
    job: VndataHarvestJob, base_url: str, name: str, params: dict[str, str]
) -> Any:
    """The result of a remote action; None when the portal has no such action."""
    url = f"{base_url}/api/3/action/{name}?{urlencode(params)}"
    try:
        content = session.fetch_text(job.session, url, same_origin=True)[0]
    except session.FetchFailed as error:
        if error.status in NO_SUCH_ACTION and name == "vndata_plan_list":
            return None
        raise PlansUnreadable(str(error)) from None
    try:
        answer = json.loads(content)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or answer.get("success") is not True:
        raise PlansUnreadable(
            tk._("The answer of {url} is not a CKAN action answer.").format(
                url=url_safety.shown(url)
            )
        )
    return answer.get("result")


def _organization(job: VndataHarvestJob, base_url: str, org_id: str) -> dict | None:
    """The plan's organization as the source shows it (None when it cannot say):
    its title and agency code choose the national organization (rules.py)."""
    if not org_id:
        return None
    params = {"id": org_id, "include_users": "false", "include_datasets": "false"}
    try:
        shown = _action(job, base_url, "organization_show", params)
    except PlansUnreadable as error:
        log.warning("Organization %s of %s not read: %s", org_id, base_url, error)
        return None
    return shown if isinstance(shown, dict) else None


def _graph(job: VndataHarvestJob, url: str) -> Graph:
    """The RDF document at ``url``, read within the limits of catalogue pages."""
    try:
        content, kind = session.fetch_text(job.session, url, same_origin=True)
        kind = rdf_reading.reading_kind(content, kind)
        name = rdf_reading.rdflib_format(kind)
        if jsonld.needs_inlining(content, name):
            rdf_reading.check_json_depth(content)
            content = jsonld.inline_contexts(content, url, job.session, name)
        rdf_reading.check_limits(content, name)
        graph = Graph()
        graph.parse(data=content, format=name)
    except (session.FetchFailed, jsonld.ContextRefused) as error:
        raise PlansUnreadable(str(error)) from None
    except rdf_reading.UnreadablePage as error:
        raise PlansUnreadable(_unread(url, error)) from None
    except Exception as error:  # rdflib's parsers raise many kinds; all mean the same
        raise PlansUnreadable(_unread(url, rdf_reading.describe(error))) from None
    return graph


def _unread(url: str, error: Any) -> str:
    return tk._("The plans document {url} was not read: {error}").format(
        url=url_safety.shown(url), error=error
    )
