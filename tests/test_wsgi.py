"""What ckanext.vndata.wsgi builds: the site's WSGI application for a production server
(gunicorn), with the ini's logging, no debugger and no traceback to a client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import requests

from tests.helpers import (
    LOGGING,
    REPO_ROOT,
    ckan_server,
    free_port,
    wait_for_http,
)

# Run in a process of its own: building the application loads the config and the
# plugins globally, which would change the config of this test process.
BUILD = textwrap.dedent(
    """
    import json, logging
    from werkzeug.debug import DebuggedApplication
    from werkzeug.test import Client
    import ckanext.vndata.wsgi as wsgi

    app = wsgi.application
    flask_app = app._wsgi_app

    @flask_app.route("/_vndata_wsgi_fails")
    def fails():
        raise RuntimeError("SELECT password FROM secret_table")

    answer = Client(app).get("/_vndata_wsgi_fails")
    scripts = Client(app).get("/api/i18n/vi").get_json()
    print(json.dumps({
        "scripts_vi": {key: scripts.get(key)
                       for key in ("Upload", "Remove", "Reorder resources")},
        "debug": flask_app.debug,
        "debugger": isinstance(flask_app.wsgi_app, DebuggedApplication),
        "status": answer.status_code,
        "body": answer.get_data(as_text=True),
        "root_level": logging.getLevelName(logging.getLogger().level),
    }))
    """
)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """What the module builds from a deployment's ini (not a test site: ``testing``
    off, so CKAN answers an error with its own page, as in production)."""
    ini = tmp_path_factory.mktemp("wsgi") / "ckan.ini"
    # The ini's own logging, told apart from Python's default (WARNING).
    ini.write_text(
        f"[app:main]\nuse = config:{REPO_ROOT / 'test.ini'}\ntesting = false\n"
        + LOGGING.replace("level = WARNING", "level = ERROR", 1),
        "utf-8",
    )
    done = _python(BUILD, {**os.environ, "CKAN_INI": str(ini)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


class TestApplication:
    def test_no_debugger_is_built_in(self, built):
        assert built["debug"] is False
        assert built["debugger"] is False

    def test_a_failing_page_is_a_500_without_a_traceback(self, built):
        assert built["status"] == 500
        assert "Traceback" not in built["body"]
        assert "SELECT password" not in built["body"]

    def test_the_browser_scripts_speak_vietnamese(self, built):
        # Core's image upload and reordering scripts read /api/i18n/<lang>.
        # "Reorder resources": core has no Vietnamese, i18n/upstream/vi.po has.
        assert built["scripts_vi"] == {
            "Upload": [None, "Tải lên"], "Remove": [None, "Xóa"],
            "Reorder resources": [None, "Sắp xếp lại tài nguyên"],
        }  # fmt: skip

    def test_logging_follows_the_ini(self, built):
        assert built["root_level"] == "ERROR"

    def test_without_an_ini_it_refuses_to_build(self):
        env = {k: v for k, v in os.environ.items() if k != "CKAN_INI"}

        done = _python("import ckanext.vndata.wsgi", env)

        assert done.returncode != 0
        assert "KeyError: 'CKAN_INI'" in done.stderr


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestServedByGunicorn:
    def test_portals_are_served_as_production_without_a_debugger(self):
        # A page that would 500 under `ckan run` handed out Werkzeug's debugger: its
        # console and tracebacks. The suite's server is gunicorn, as a deployment is.
        with ckan_server(REPO_ROOT / "test.ini", free_port()) as (url, process):
            wait_for_http(f"{url}/api/3/action/status_show", 90, process)
            home = requests.get(f"{url}/", timeout=30)
            debugger = requests.get(
                f"{url}/", params={"__debugger__": "yes", "cmd": "resource",
                                   "f": "debugger.js"}, timeout=30)  # fmt: skip
            missing = requests.get(f"{url}/api/3/action/package_show?id=x", timeout=30)

        assert home.headers["Server"].startswith("gunicorn")
        assert "javascript" not in debugger.headers["Content-Type"]
        assert "Werkzeug" not in debugger.text
        assert missing.status_code == 404
        assert "Traceback" not in missing.text
