"""With locale vi, the pages an officer or a visitor reaches show no English.

Each page's visible text is split into lines; a line that is an English message of
CKAN core, ckanext-harvest, ckanext-dcat or this suite (their .pot files, as pinned)
is an untranslated string. Proper nouns and format names are allowed.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from babel.messages.pofile import read_po

import ckan
import ckanext.dcat
import ckanext.harvest
from ckan.tests import factories, helpers

from tests.browser.conftest import PASSWORD, login, shot
from tests.factories import VnDataset
from tests.harvester.helpers import CATALOGUE
from tests.harvester.sources import SOURCE_CONFIG
from tests.helpers import REPO_ROOT, run_harvest

POT_FILES = (
    pathlib.Path(ckan.__file__).parent / "i18n" / "ckan.pot",
    pathlib.Path(ckanext.harvest.__file__).parent / "i18n" / "ckanext-harvest.pot",
    pathlib.Path(ckanext.dcat.__file__).parent / "i18n" / "ckanext-dcat.pot",
    REPO_ROOT / "i18n" / "ckanext-vndata.pot",
    # Its entries include messages the others only build at run time, e.g. _(action).
    REPO_ROOT / "i18n" / "upstream" / "vi.po",
)
# Names and formats that are the same in Vietnamese.
ALLOWED = {
    "CKAN", "CSV", "JSON", "XML", "RDF", "API", "DCAT", "Excel", "JSON-LD", "Turtle",
    "GeoJSON", "XLSX", "Facebook", "X", "Twitter", "LinkedIn", "URL", "URI", "ID",
    "GUID", "Markdown", "DCAT (Turtle)", "DCAT (RDF/XML)", "RSS", "Atom",
}  # fmt: skip


# Each visible element's own text (text nodes joined), so inline badges count apart.
VISIBLE_TEXTS = """() => {
  const texts = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.offsetParent && element !== document.body) continue;
    const own = Array.from(element.childNodes)
      .filter(node => node.nodeType === Node.TEXT_NODE)
      .map(node => node.textContent).join(' ').trim();
    if (own) texts.push(own);
  }
  return texts;
}"""
COUNT = re.compile(r"^[\d\s.,:/%()-]+")


def _english_messages() -> set[str]:
    messages = set()
    for path in POT_FILES:
        with path.open("rb") as pot:
            for message in read_po(pot):
                if not message.id:
                    continue
                for text in (
                    (message.id,) if isinstance(message.id, str) else message.id
                ):
                    text = text.strip()
                    if any(c.isalpha() for c in text) and "%" not in text:
                        messages.add(text)
    return messages - ALLOWED


def _untranslated(page, english: set[str]) -> list[str]:
    found = set()
    for line in page.evaluate(VISIBLE_TEXTS):
        line = " ".join(line.split())
        # Counts and dates come before many labels ("3 added"): look past them too.
        for text in (line, COUNT.sub("", line)):
            if text in english:
                found.add(line)
    return sorted(found)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_pages_people_reach_are_all_in_vietnamese(
    portal, browser, catalogue_server
):
    admin = factories.Sysadmin(name="quantri", password=PASSWORD)
    org = factories.Organization(
        name="so-khcn-da-nang", title="Sở Khoa học và Công nghệ Đà Nẵng",
        province_code="48",
    )  # fmt: skip
    dataset = VnDataset(owner_org=org["id"], resources=[
        {"url": "https://data.danang.gov.vn/truong-hoc.csv", "format": "CSV",
         "name": "Danh sách trường học"},
    ])  # fmt: skip
    handler, url = catalogue_server
    handler.body = CATALOGUE.encode("utf-8")
    source = helpers.call_action(
        "harvest_source_create", context={"user": admin["name"]},
        name="cong-du-lieu-da-nang", title="Cổng dữ liệu mở Đà Nẵng", url=url,
        source_type="vndata_dcat", owner_org=org["id"],
        config=json.dumps(SOURCE_CONFIG),
    )  # fmt: skip
    (harvested,) = run_harvest(source["id"], "vndata_dcat")
    job = helpers.call_action(
        "harvest_job_list", context={"user": admin["name"]}, source_id=source["id"]
    )[0]
    plan = helpers.call_action(
        "vndata_plan_create", context={"user": admin["name"]},
        organization_id=org["id"], title="Kế hoạch dữ liệu mở 2026",
    )  # fmt: skip
    english = _english_messages()

    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.goto(f"{portal}/user/login")
    pages = {"login": (visitor, "/user/login")}
    officer = login(browser, portal, admin["name"])
    for name, path in (
        ("home", "/"),
        ("dataset-search", "/dataset/"),
        ("dataset", f"/dataset/{dataset['name']}"),
        ("harvested-dataset", f"/dataset/{harvested.package_id}"),
        ("organization", f"/organization/{org['name']}"),
        ("harvest-sources", "/harvest/"),
        ("harvest-job", f"/harvest/{source['name']}/job/{job['id']}"),
        ("harvest-overview", "/thu-thap/tong-quan"),
        ("plans-of-agency", f"/organization/ke-hoach/{org['name']}"),
        ("plan", f"/ke-hoach/{plan['id']}"),
        ("plan-dashboard", "/ke-hoach/tong-hop"),
    ):
        pages[name] = (officer, path)

    found = {}
    for name, (page, path) in pages.items():
        page.goto(portal + path)
        shot(page, f"vi-{name}")
        english_lines = _untranslated(page, english)
        if english_lines:
            found[name] = english_lines
    assert found == {}
