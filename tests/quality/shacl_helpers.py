"""What the conformance and DQV tests share: a few varied Vietnamese datasets, made
through the action API as a publisher would (tests/dcat/conftest.py's set)."""

from __future__ import annotations

from ckan.tests import factories, helpers

from tests.dcat.conftest import varied_datasets


def made_datasets(count: int = 6) -> list[dict]:
    """``count`` datasets of two agencies, as package_show gives them."""
    sysadmin = factories.Sysadmin()
    orgs = [
        factories.Organization(title="Sở Y tế Đà Nẵng", agency_code="H17.14"),
        factories.Organization(title="Bộ Khoa học và Công nghệ", agency_code="G06"),
    ]
    return [
        helpers.call_action("package_create", context={"user": sysadmin["name"]}, **d)
        for d in varied_datasets([o["id"] for o in orgs], count)
    ]
