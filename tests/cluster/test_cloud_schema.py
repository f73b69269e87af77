"""The configset make cluster uploads: CKAN's schema.xml with the _version_ field that
SolrCloud's update log reads back (scripts/cluster_solr.py cloud-schema). No cluster."""

from __future__ import annotations

import importlib.util
import pathlib
import re

import pytest

import ckan

ROOT = pathlib.Path(__file__).resolve().parents[2]
CKAN_SCHEMA = pathlib.Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"


def _cluster_solr():
    spec = importlib.util.spec_from_file_location(
        "cluster_solr", ROOT / "scripts" / "cluster_solr.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_version_field_is_a_long_with_doc_values_and_nothing_else_changes():
    schema = CKAN_SCHEMA.read_text("utf-8")
    # A node restarted with updates in its log replayed none of them while this was
    # a string (UnsupportedOperationException): its replicas stayed down.
    assert re.search(r'<field name="_version_" type="string"', schema)

    cloud = _cluster_solr().vndata_cloud_schema(schema)

    (field,) = re.findall(r'<field\s+name="_version_"[^>]*/>', cloud)
    assert 'type="plong"' in field and 'docValues="true"' in field
    others = [line for line in schema.splitlines() if "_version_" not in line]
    assert [line for line in cloud.splitlines() if "_version_" not in line] == others


def test_a_schema_without_a_single_version_field_is_refused():
    with pytest.raises(ValueError):
        _cluster_solr().vndata_cloud_schema("<schema></schema>")
