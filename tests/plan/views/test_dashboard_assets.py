"""The dashboard's charts get Chart.js from the one shared copy (lib/assets,
"vndata_chart"), loaded before the dashboard's own script."""

from __future__ import annotations

import re

import pytest


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_chart_js_is_loaded_once_before_the_dashboard_script(app):
    page = app.get("/ke-hoach/tong-hop").get_data(as_text=True)

    scripts = re.findall(r'<script src="([^"]+)"', page)
    chart = [i for i, src in enumerate(scripts) if "vndata_chart" in src]
    dashboard = [i for i, src in enumerate(scripts) if "dashboard" in src]
    assert len(chart) == 1 and dashboard and chart[0] < dashboard[0], scripts
