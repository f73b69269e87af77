"""The suite's shared fixtures (tests/conftest.py) do what CKAN's do, cheaper.

Each test passes alone; in file order, the earlier ones leave behind what a cheaper
fixture could wrongly take over (plugins still loaded, a plugin migrated down).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.tests import factories, helpers

from tests.factories import VnDataset


def _has_table(name: str) -> bool:
    meta.Session.remove()
    return sa.inspect(meta.engine).has_table(name)


def test_app_without_with_plugins_leaves_the_plugins_loaded(app):
    # CKAN's make_app loads every plugin of test.ini and nothing unloads them.
    assert app.get("/dataset/").status_code == 200
    assert p.plugin_loaded("vndata_plan")


@pytest.mark.ckan_config("ckan.plugins", "activity")
@pytest.mark.usefixtures("with_plugins")
def test_with_plugins_loads_only_the_plugins_asked_for():
    assert p.plugin_loaded("activity")
    assert not p.plugin_loaded("vndata_plan")
    with pytest.raises(KeyError):
        tk.get_action("vndata_plan_create")


@pytest.mark.usefixtures("with_plugins")
def test_with_plugins_loads_the_plugins_of_test_ini_again():
    assert p.plugin_loaded("vndata_plan")
    assert tk.get_action("vndata_plan_create")


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_plugin_migrated_down_is_migrated_up_again(reset_site, migrate_db_for):
    migrate_db_for("vndata_plan", version="base", forward=False)
    assert not _has_table("vndata_plan")

    reset_site()  # what clean_db does before the next test

    assert _has_table("vndata_plan")
    org = factories.Organization()
    plan = helpers.call_action(
        "vndata_plan_create",
        context={"user": factories.Sysadmin()["name"]},
        organization_id=org["id"],
        title="Kế hoạch dữ liệu mở",
    )
    assert plan["organization_id"] == org["id"]


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_clean_db_leaves_no_row_of_an_earlier_test():
    meta.Session.remove()
    with meta.engine.connect() as connection:
        for table in ("vndata_plan", "harvest_source", "package", "group"):
            count = connection.execute(sa.text(f'SELECT count(*) FROM "{table}"'))
            assert count.scalar() == 0, table


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_dataset_written_here_is_searchable_at_once_until_the_index_is_reset(
    reset_index,
):
    # Dataset writes commit Solr softly in the test process: still seen at once.
    dataset = VnDataset(owner_org=factories.Organization()["id"])
    found = helpers.call_action("package_search", q=f"name:{dataset['name']}")
    assert found["count"] == 1

    reset_index()  # what clean_index does before the next test

    assert helpers.call_action("package_search", q="*:*")["count"] == 0


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_factory_users_password_is_checked_with_its_fewer_rounds():
    user = factories.User(password="Matkhau-2026")
    stored = model.User.get(user["name"])

    assert stored.password.startswith("$pbkdf2-sha512$1000$")
    assert stored.validate_password("Matkhau-2026")
    assert not stored.validate_password("Matkhau-2025")
