"""Every page a person reaches, logged out and as a sysadmin, in vi and en, at 390 px.

The crawler (tests/browser/crawler.py, which documents its heuristics) starts at the
home page, the dataset and organization lists, a plan and its agency's plans, the
national dashboard and the harvest pages, and fails with one line per problem:
English on a vi page, Vietnamese on an en page, raw codes, placeholder text, sideways
scrolling, error answers and tracebacks. Pages with a problem are kept as screenshots
in test-artifacts/browser/crawl/.
"""

from __future__ import annotations

import json
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.vndata.lib import admin_units, vocabularies
from ckanext.vndata.plan import fields, states
from tests.browser.conftest import PASSWORD, SHOTS, shot
from tests.browser.crawler import (
    Checks,
    DataValues,
    block_pictures,
    crawl,
    data_strings,
)
from tests.factories import VnDataset
from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import SOURCE_CONFIG
from tests.helpers import run_harvest
from tests.plan.conftest import make_agency
from tests.plan.helpers import published_plan_with_items

WIDTH = 390
# Harvest frequencies and harvester types, as ckanext-harvest stores them.
HARVEST_CODES = ("MANUAL", "MONTHLY", "WEEKLY", "BIWEEKLY", "DAILY", "ALWAYS",
                 "vndata_dcat", "vndata_ckan", "dcat_rdf")  # fmt: skip

# Findings set aside while another change fixes them: (owner, address, problem),
# regular expressions. Empty on main; never a permanent exception.
KNOWN_ELSEWHERE: list[tuple[str, str, str]] = []


def codes() -> set[str]:
    """The codes of our code lists that must never be shown as text: the vocabularies'
    values, plan, item and body states, plan field keys, harvest codes."""
    found = {
        term.value
        for terms in vocabularies.VOCABULARIES.values()
        for term in terms
        if "_" in term.value or "-" in term.value
    }
    for kind in (states.PlanStatus, states.ItemStatus, states.BodyStatus):
        found |= {status.value for status in kind if "_" in status.value}
    keys = [f.key for f in (*fields.PLAN, *fields.PHASE, *fields.ITEM, *fields.LEVELS)]
    found |= {key for key in keys if "_" in key}
    return found | set(HARVEST_CODES) | {"plan_status", "so_nganh"}


def _seed(catalogue_server) -> tuple[dict, set[str]]:
    """A portal with a province's agency, datasets with resources, a group, a
    published plan with a phase and items, and a harvest source with a finished job;
    returns the start paths' values and the identifiers in addresses."""
    admin = factories.Sysadmin(name="quantri", fullname="Quản trị cổng",
                               password=PASSWORD)  # fmt: skip
    agency = make_agency("Sở Khoa học và Công nghệ Đà Nẵng", "48")
    group = factories.Group(name="giao-duc", title="Giáo dục và đào tạo")
    for title, fmt in (("Trường học", "CSV"), ("Điểm wifi công cộng", "XLSX")):
        VnDataset(
            owner_org=agency.org["id"], title=title, groups=[{"name": group["name"]}],
            tags=[{"name": "giáo dục"}],
            resources=[{"url": f"https://dulieu.danang.gov.vn/{fmt.lower()}",
                        "format": fmt, "name": f"{title} ({fmt})"}],
        )  # fmt: skip
    plan = published_plan_with_items(agency)
    handler, url = catalogue_server
    handler.body = CATALOGUE.encode("utf-8")
    source = helpers.call_action(
        "harvest_source_create", context={"user": admin["name"]},
        name="cong-du-lieu-da-nang", title="Cổng dữ liệu mở Đà Nẵng", url=url,
        source_type="vndata_dcat", owner_org=agency.org["id"],
        config=json.dumps(SOURCE_CONFIG),
    )  # fmt: skip
    run_harvest(source["id"], "vndata_dcat")
    seeded = {"plan": plan["id"], "org": agency.org["name"], "source": source["name"]}
    return seeded, _identifiers()


def _identifiers() -> set[str]:
    """Names and ids that appear in addresses (route patterns put ``*`` for them)."""
    site = {"user": helpers.call_action("get_site_user")["name"]}
    found = set()
    for dataset in helpers.call_action(
        "package_search", context=site, include_private=True, rows=1000
    )["results"]:
        found |= {dataset["id"], dataset["name"]}
        found |= {r["id"] for r in dataset["resources"]}
        found |= {t["name"] for t in dataset.get("tags", [])}
    for action in ("organization_list", "group_list", "user_list"):
        for thing in helpers.call_action(action, context=site, all_fields=True):
            found |= {thing["id"], thing["name"]}
    for source in helpers.call_action("harvest_source_list", context=site):
        found |= {source["id"], source.get("name") or source["id"]}
    return found


def _data_values(identifiers: set[str]) -> DataValues:
    """The strings of what was seeded, read back through the actions, and the names
    of the roster's bodies and of the provinces (shown as they are in every
    language)."""
    site = {"user": helpers.call_action("get_site_user")["name"]}
    results = [
        helpers.call_action("package_search", context=site, include_private=True,
                            rows=1000)["results"],
        helpers.call_action("organization_list", context=site, all_fields=True),
        helpers.call_action("group_list", context=site, all_fields=True),
        helpers.call_action("user_list", context=site),
        helpers.call_action("harvest_source_list", context=site),
        helpers.call_action("vndata_roster_list", context=site),
        [helpers.call_action("vndata_plan_show", context=site, id=plan["id"])
         for plan in helpers.call_action("vndata_plan_list", context=site)],
        list(admin_units.provinces().values()),
        tk.config.get("ckan.site_title"),
        # The licences' names are those of legal instruments, as the register has them.
        [licence["title"] for licence in helpers.call_action("license_list")],
    ]  # fmt: skip
    return DataValues(data_strings(results), identifiers)


def _login(browser, portal: str, language: str):
    context = browser.new_context(
        locale=language, viewport={"width": WIDTH, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{portal}/user/login")
    page.fill("#field-login", "quantri")
    page.fill("#field-password", PASSWORD)
    page.click("form#login-form button[type=submit], .form-actions button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _known(finding) -> bool:
    return any(
        re.search(address, finding.url) and re.search(problem, finding.problem)
        for _owner, address, problem in KNOWN_ELSEWHERE
    )


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_every_page_a_person_reaches_reads_right_at_phone_width(
    portal, browser, catalogue_server
):
    seeded, identifiers = _seed(catalogue_server)
    checks = Checks(_data_values(identifiers), codes())
    starts = (
        "/", "/dataset/", "/organization/", "/group/", "/about",
        f"/organization/ke-hoach/{seeded['org']}", f"/ke-hoach/{seeded['plan']}",
        "/ke-hoach/tong-hop", "/harvest/", f"/harvest/{seeded['source']}",
        "/thu-thap/tong-quan", "/user/login", "/user/register",
    )  # fmt: skip

    findings, visited = [], []
    for who in ("visitor", "sysadmin"):
        for language in ("vi", "en"):
            if who == "visitor":
                context = browser.new_context(
                    locale=language, viewport={"width": WIDTH, "height": 900}
                )
                page = context.new_page()
            else:
                context, page = _login(browser, portal, language)
            block_pictures(context)
            found, routes = crawl(page, portal, language, starts, checks, identifiers)
            visited += [f"[{who}] {path} ({language})" for path in routes.values()]
            findings += [(who, finding) for finding in found]
            _screenshots(page, portal, f"{who}-{language}", found, most=6)
            context.close()

    problems = sorted({f"[{who}] {f}" for who, f in findings if not _known(f)})
    known = sorted({f"[{who}] {f}" for who, f in findings if _known(f)})
    report = SHOTS / "crawl" / "findings.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(
        problems + ["", "Known, fixed in other parts:"] + known + ["", "Visited:"]
        + visited
    ) + "\n", "utf-8")  # fmt: skip
    assert len(visited) > 50
    assert not problems, f"{len(problems)} problems on {len(visited)} pages:\n" + (
        "\n".join(problems)
    )


def _screenshots(page, portal: str, name: str, found: list, most: int = 8) -> None:
    """The pages with a problem as the crawler saw them (one per address)."""
    for address in sorted({f.url.split(" ")[0] for f in found})[:most]:
        page.goto(portal + address)
        shot(page, f"crawl/{name}-" + (re.sub(r"[^\w-]+", "_", address) or "home"))
