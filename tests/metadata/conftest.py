"""Fixtures of the metadata tests: a sysadmin context and an agency."""

from __future__ import annotations

import pytest

from ckan.tests import factories


@pytest.fixture
def sysadmin_context():
    def make() -> dict:
        return {"user": factories.Sysadmin()["name"], "ignore_auth": True}

    return make


@pytest.fixture
def organization():
    return factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
