"""vndata_plan reads vndata_quality's ratings: listed without it, the portal stops at
start with a message naming the plugin and the steps, not a 500 on every plan page."""

from __future__ import annotations

import pytest

import ckan.plugins as p

from ckanext.vndata.plan.plugin import VndataPluginMissing


def test_the_plans_refuse_to_load_without_the_quality_plugin():
    try:
        with pytest.raises(VndataPluginMissing) as refused:
            p.load("vndata_plan")
    finally:
        if p.plugin_loaded("vndata_plan"):
            p.unload("vndata_plan")

    assert "vndata_quality" in str(refused.value)
    assert "ckan db upgrade -p vndata_quality" in str(refused.value)
    assert "ckan vndata_quality score" in str(refused.value)


@pytest.mark.usefixtures("with_plugins")
def test_the_plans_load_beside_the_quality_plugin():
    assert p.plugin_loaded("vndata_plan")
    assert p.plugin_loaded("vndata_quality")
