"""The plugin's one name: an ini that still lists the former one stops at start,
naming the new name."""

from __future__ import annotations

import pytest

import ckan.plugins as p

from ckanext.vndata.harvester.plugin import VndataPluginRenamed


def test_the_former_name_refuses_to_load_and_names_the_new_one():
    with pytest.raises(VndataPluginRenamed) as refused:
        p.load("vndata_dcat_harvester")

    assert "vndata_harvester" in str(refused.value)
    assert "ckan db upgrade -p vndata_harvester" in str(refused.value)
    assert not p.plugin_loaded("vndata_dcat_harvester")


@pytest.mark.usefixtures("with_plugins")
def test_the_plugin_loads_under_its_name():
    assert p.plugin_loaded("vndata_harvester")
    assert p.plugin_loaded("vndata_ckan_harvester")
    assert p.plugin_loaded("vndata_json_harvester")
