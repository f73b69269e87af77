"""Every real catalogue of the corpus, harvested through the real stages.

As a national operator would, with the demo's portal configuration (subcatalogues
exposed) and a minimal source config (province and default organization only): no
page is lost and nothing crashes, every record is imported or quarantined with a
Vietnamese reason, an immediate re-harvest writes nothing, a changed source config is
written once to every record, and an empty catalogue withdraws nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.vndata.harvester.quarantine import QUARANTINE
from tests.harvester.corpus import CorpusServer, cases
from tests.harvester.sources import newest_job_report
from tests.helpers import run_harvest

VIETNAMESE = re.compile(
    "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE
)
CASES = cases()


@pytest.fixture(scope="module")
def corpus_server():
    server = CorpusServer()
    yield server
    server.close()


def _source(server: CorpusServer, case, organization: dict) -> dict:
    return helpers.call_action(
        "harvest_source_create",
        context={"user": factories.Sysadmin()["name"]},
        name=f"that-{case.slug}"[:100],
        url=server.serve(case),
        source_type=case.harvester,
        owner_org=organization["id"],
        config=json.dumps(
            {"province_code": "48", "default_organization": organization["name"]}
        ),
    )


def _harvest(source: dict, case) -> dict:
    run_harvest(source["id"], case.harvester)
    return newest_job_report(source["id"])


def _written(report: dict) -> int:
    counts = report["counts"]
    return counts["added"] + counts["updated"] + counts["withdrawn"]


def _quarantine_reasons(job_id: str) -> list[str]:
    return [
        value
        for (value,) in model.Session.query(HarvestObjectExtra.value)
        .join(HarvestObject, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job_id)
        .filter(HarvestObjectExtra.key == QUARANTINE)
    ]


def _datasets(source_id: str) -> list[dict]:
    rows = (
        model.Session.query(model.Package)
        .join(HarvestObject, HarvestObject.package_id == model.Package.id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current.is_(True))
        .filter(model.Package.state == "active")
    )
    return [helpers.call_action("package_show", id=package.id) for package in set(rows)]


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.dcat.expose_subcatalogs", "true")
@pytest.mark.ckan_config("ckan.locale_default", "vi")
@pytest.mark.usefixtures("with_plugins", "corpus_db")
@pytest.mark.parametrize("case", CASES, ids=[c.slug for c in CASES])
def test_real_catalogue_is_harvested_whole_and_only_once(case, corpus_server):
    organization = factories.Organization(name=f"kho-{case.slug}"[:100])
    source = _source(corpus_server, case, organization)

    first = _harvest(source, case)

    # No page lost, no gather crash; a page the corpus lacks is said to be missing.
    assert len(first["gather_errors"]) == int(case.more_on_server), first
    assert all(VIETNAMESE.search(error) for error in first["gather_errors"])
    counts = first["counts"]
    assert counts["errors"] == 0, first["records"]  # no import crash
    assert counts["added"] + counts["quarantined"] == case.records
    reasons = _quarantine_reasons(first["job_id"])
    assert len(reasons) == counts["quarantined"]
    assert all(VIETNAMESE.search(reason) for reason in reasons), reasons
    imported = _datasets(source["id"])
    assert len(imported) == counts["added"]

    again = _harvest(source, case)

    assert _written(again) == 0, again["counts"]

    config = json.loads(source["config"])
    helpers.call_action(
        "harvest_source_patch",
        context={"user": factories.Sysadmin()["name"]},
        id=source["id"],
        config=json.dumps({**config, "province_code": "01"}),
    )
    changed = _harvest(source, case)

    assert changed["counts"]["updated"] == counts["added"], changed["counts"]
    assert changed["counts"]["added"] == 0
    assert all(d["province_code"] == "01" for d in _datasets(source["id"]))
    assert _written(_harvest(source, case)) == 0

    corpus_server.empty = True
    try:
        emptied = _harvest(source, case)
    finally:
        corpus_server.empty = False

    assert emptied["counts"]["withdrawn"] == 0
    assert len(_datasets(source["id"])) == counts["added"]
