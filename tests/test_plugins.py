"""The four plugins load in CKAN, declare their config and share one catalogue."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import config_declaration
from ckan.config.declaration import Declaration

from tests.helpers import (
    REPO_ROOT,
    VNDATA_PLUGINS,
    ckan_server,
    free_port,
    wait_for_http,
)


@pytest.mark.usefixtures("with_plugins")
class TestPluginsLoad:
    @pytest.mark.parametrize("plugin", VNDATA_PLUGINS)
    def test_plugin_is_loaded(self, plugin):
        assert p.plugin_loaded(plugin)

    @pytest.mark.parametrize(
        ("key", "default"),
        [
            ("ckanext.vndata.portal_province_code", None),
            ("ckanext.vndata.plan.reminder_days", 30),
            ("ckanext.vndata.plan.reviewers", []),
            ("ckanext.vndata.dcat.namespace", "https://w3id.org/vndata/ns#"),
            ("ckanext.vndata.harvester.allowed_hosts", []),
            ("ckanext.vndata.harvester.timeout", 60),
        ],
    )
    def test_config_option_is_declared_with_its_default(self, key, default):
        assert key in config_declaration
        assert tk.config.get(key) == default

    def test_portal_label_is_vietnamese_by_default(self, app):
        with app.flask_app.test_request_context():
            assert tk.h.vndata_portal_level_label() == "Cổng dữ liệu mở quốc gia"

    def test_portal_label_follows_the_english_locale(self, app):
        # CKAN's i18n middleware sets CKAN_LANG from the /en/ URL prefix.
        with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "en"}):
            assert tk.h.vndata_portal_level_label() == "National open-data portal"


def test_a_portal_without_harvesting_has_allowed_hosts_declared_once():
    """lib/url_safety reads allowed_hosts for the DataStore too: vndata_metadata
    declares it, and the harvester, loaded after it, does not declare it again (CKAN
    refuses a key declared twice)."""
    declaration = Declaration()
    declaration.load_plugin("vndata_metadata")
    assert "ckanext.vndata.harvester.allowed_hosts" in declaration
    declaration.load_plugin("vndata_harvester")
    assert "ckanext.vndata.harvester.timeout" in declaration


def test_vndata_metadata_loads_without_ckanext_xloader():
    """ckanext-xloader is optional (requirements/, not the package's requirements):
    without it the metadata plugin still imports and implements no IXloader."""
    code = (
        "import sys; sys.modules['ckanext.xloader.interfaces'] = None\n"
        "import ckanext.vndata.metadata.plugin as plugin\n"
        "assert plugin.IXloader is None"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestRunningPortal:
    def test_status_show_over_http_lists_the_vndata_plugins(self):
        with ckan_server(REPO_ROOT / "test.ini", free_port()) as (url, process):
            response = wait_for_http(f"{url}/api/3/action/status_show", 90, process)

        assert response.status_code == 200
        status = response.json()["result"]
        assert set(VNDATA_PLUGINS) <= set(status["extensions"])
        assert status["ckan_version"].startswith(("2.11", "2.12"))
