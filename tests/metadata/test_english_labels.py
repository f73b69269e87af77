"""Sector and frequency labels follow the page's language (lib/vocabularies.py is
their one home): search facets, the dataset form's options, the dataset page."""

from __future__ import annotations

import re

import pytest

from ckan.tests import factories

from tests.factories import VnDataset
from tests.helpers import token_headers
from tests.plan.conftest import make_agency
from tests.plan.helpers import plan_with_parts


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _options(html: str, name: str) -> list[str]:
    """The labels of a form field's options (select options or checkboxes)."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    if select:
        return [
            _text(label)
            for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0))
        ]
    return [
        _text(label)
        for label in re.findall(
            rf'<input[^>]*name="{name}"[^>]*>(.*?)</label>', html, re.S
        )
    ]


@pytest.fixture
def dataset():
    org = factories.Organization(title="Sở Nội vụ Đà Nẵng")
    return VnDataset(
        owner_org=org["id"],
        sectors=["y-te", "giao-duc-dao-tao"],
        update_frequency="hang_quy",
    )


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestEnglishLabels:
    def test_search_facets_in_english(self, app, dataset):
        text = _text(app.get("/en/dataset/").body)

        for label in ("Health", "Education and training", "Quarterly"):
            assert label in text, label
        for label in ("Y tế", "Giáo dục đào tạo", "Hằng quý"):
            assert label not in text, label

    def test_search_facets_in_vietnamese(self, app, dataset):
        text = _text(app.get("/dataset/").body)

        for label in ("Y tế", "Giáo dục đào tạo", "Hằng quý"):
            assert label in text, label

    def test_dataset_page_in_english(self, app, dataset):
        text = _text(app.get(f"/en/dataset/{dataset['name']}").body)

        for label in ("Health", "Education and training", "Quarterly"):
            assert label in text, label
        for label in ("Y tế", "Giáo dục đào tạo", "Hằng quý"):
            assert label not in text, label

    def test_dataset_form_options_in_english(self, app):
        headers = token_headers(factories.Sysadmin())

        english = app.get("/en/dataset/new", headers=headers).body
        vietnamese = app.get("/dataset/new", headers=headers).body

        assert "Education and training" in _options(english, "sectors")
        assert "Giáo dục đào tạo" not in _options(english, "sectors")
        assert "Quarterly" in _options(english, "update_frequency")
        assert "Hằng quý" not in _options(english, "update_frequency")
        assert "Giáo dục đào tạo" in _options(vietnamese, "sectors")
        assert "Hằng quý" in _options(vietnamese, "update_frequency")

    def test_dataset_form_examples_in_english(self, app):
        headers = token_headers(factories.Sysadmin())

        english = app.get("/en/dataset/new", headers=headers).body
        vietnamese = app.get("/dataset/new", headers=headers).body

        assert 'placeholder="Decision 804/QĐ-UBND of 05/03/2026"' in english
        assert "ngày 05/03/2026" not in english
        assert 'placeholder="804/QĐ-UBND ngày 05/03/2026"' in vietnamese

    def test_plan_item_form_options_follow_the_language(self, app):
        agency = make_agency("Sở Khoa học và Công nghệ Đà Nẵng")
        plan = plan_with_parts(agency)
        headers = token_headers(agency.editor)
        path = f"/ke-hoach/{plan['id']}/item/them"

        english = app.get(f"/en{path}", headers=headers).body
        vietnamese = app.get(path, headers=headers).body

        assert "Education and training" in _options(english, "sector")
        assert "Giáo dục đào tạo" not in _options(english, "sector")
        assert "Quarterly" in _options(english, "update_frequency")
        assert "Giáo dục đào tạo" in _options(vietnamese, "sector")
        assert "Hằng quý" in _options(vietnamese, "update_frequency")
