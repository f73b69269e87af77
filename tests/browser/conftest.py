"""A real CKAN server (gunicorn, as the demo serves it, on the test database) and
Debian's Chromium."""

from __future__ import annotations

import pathlib

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import (
    REPO_ROOT,
    ckan_server,
    free_port,
    ini_over_test_ini,
    wait_for_http,
)

CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO_ROOT / "test-artifacts" / "browser"
PASSWORD = "Matkhau-Demo-2026"


@pytest.fixture(scope="package")
def _served_portal(tmp_path_factory):
    """One server for every browser test (it was started for each: 5 to 8 s each).

    Sharing it changes nothing a test sees: the server keeps no state of its own
    between requests (users, datasets, plans and the national report's evaluation are
    read from the test database and Solr core, which each test empties with
    ``clean_db`` and ``clean_index``; the report's evaluation is reused only while its
    database stamp is the same), and every test gets its own browser contexts. It
    stops after the last browser test, not at the end of the session.
    """
    port = free_port()
    ini = ini_over_test_ini(
        tmp_path_factory.mktemp("portal") / "browser.ini",
        **{
            "ckan.site_url": f"http://127.0.0.1:{port}",
            # The other portals the tests play are on loopback: the server reads
            # them itself when an operator tries a source's mapping on its form.
            "ckanext.vndata.harvester.allowed_hosts": "127.0.0.1",
        },
    )
    with ckan_server(ini, port) as (url, process):
        wait_for_http(f"{url}/api/3/action/status_show", 120, process)
        yield url, process


@pytest.fixture
def portal(request):
    """The shared server's address (see ``_served_portal``), started the first time
    a test asks for it, once that test's database is ready (a fixture of a wider
    scope would be set up before the test's ``clean_db``)."""
    for name in ("with_plugins", "clean_db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    url, process = request.getfixturevalue("_served_portal")
    if process.poll() is not None:  # a test that stops it would break the next ones
        raise RuntimeError(f"the shared portal exited with {process.returncode}")
    return url


@pytest.fixture
def browser():
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


def login(browser, url: str, user: str, width: int = 1280, locale: str = "vi-VN"):
    context = browser.new_context(
        locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{url}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", PASSWORD)
    page.click("form#login-form button[type=submit], .form-actions button[type=submit]")
    page.wait_for_load_state()
    return page


# CKAN starts its JavaScript modules (confirm-action, api-info, slug-preview...) only
# when the page's translations have come back from /api/i18n/<locale> (main.js): a
# click before then is the bare link's (a confirm-action link is followed, with no
# dialog). All of a page's modules start in one go.
MODULES_STARTED = """() => !document.querySelector('[data-module]')
    || (window.ckan && ckan.module && Object.keys(ckan.module.instances).length > 0)"""


def modules_ready(page, timeout: float = 30_000):
    """``page`` once CKAN has started its JavaScript modules; returns it."""
    page.wait_for_function(MODULES_STARTED, timeout=timeout)
    return page


def shot(page, name: str) -> pathlib.Path:
    """A full-page screenshot at test-artifacts/browser/<name>.png; ``name`` may hold
    folders, e.g. "journeys/officer/03-preview-vi-390" (the journeys' key pages)."""
    path = SHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


LANGUAGES = ("vi", "en")
WIDTHS = (1366, 390)


def views(browser, url: str, path: str, languages=LANGUAGES, widths=WIDTHS):
    """``path`` opened by a visitor in each language at each width: (language, width,
    page), each page in a context of its own, closed when the next one opens."""
    for language in languages:
        for width in widths:
            context = browser.new_context(
                locale=language, viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            page.goto(f"{url}{'' if language == 'vi' else '/en'}{path}")
            try:
                yield language, width, page
            finally:
                context.close()


def overflow(page) -> int:
    """How far the page runs past the window's width (0 or less: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def clipped(page) -> int:
    """How far the widest table runs past its box (> 0: a column is hidden in the
    table's own scrolling box even though the page fits)."""
    return page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll('table')]
        .map(t => t.scrollWidth - t.parentElement.clientWidth))"""
    )


def widest(page) -> list[str]:
    """The elements wider than the window, to say what overflows when it does."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(-5).map(e => e.tagName + '.' + e.className + ' ' +
                       Math.round(e.getBoundingClientRect().right))"""
    )


def upload_workbook(page, data: bytes, name: str = "ke-hoach.xlsx") -> None:
    """On a plan's upload page: choose ``data`` as the file and have it checked."""
    page.set_input_files(
        "#vndata-file",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.click("#vndata-upload-form button[type=submit]")
    page.wait_for_load_state()
