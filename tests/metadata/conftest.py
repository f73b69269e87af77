"""A valid Vietnamese dataset, to be changed one field at a time by each test."""

from __future__ import annotations

import pytest

from ckan.tests import factories


def vn_dataset(owner_org: str, **overrides) -> dict:
    dataset = {
        "title": "Danh sách trường học Đà Nẵng",
        "notes": "Các trường mầm non, tiểu học và trung học trên địa bàn thành phố.",
        "owner_org": owner_org,
        "sectors": ["giao-duc-dao-tao"],
        "data_sharing_class": "mo",
        "data_importance_class": "khac",
        "personal_data_assessed": True,
        "update_frequency": "hang_nam",
        "resources": [{"url": "https://opendata.danang.gov.vn/a.csv", "format": "CSV"}],
    }
    dataset.update(overrides)
    return dataset


@pytest.fixture
def sysadmin_context():
    def make() -> dict:
        return {"user": factories.Sysadmin()["name"], "ignore_auth": True}

    return make


@pytest.fixture
def organization():
    return factories.Organization(title="Sở Giáo dục và Đào tạo Đà Nẵng")
