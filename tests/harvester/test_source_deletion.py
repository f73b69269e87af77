"""Deleting a harvest source never leaves its datasets orphaned: they are handed over
(the default) or withdrawn, as the operator chooses, and bad input changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.vndata.harvester import source_deletion
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.helpers import catalogue
from tests.harvester.sources import harvest_source
from tests.helpers import browser_login, csrf_token, run_harvest

NOTE = source_deletion.NOTE


@pytest.fixture
def harvested(catalogue_server):
    """A source that harvested three datasets into its own organization."""
    handler, url = catalogue_server
    handler.body = catalogue([1, 2, 3])
    source = harvest_source(url)
    run_harvest(source["id"], "vndata_dcat")
    datasets = source_deletion.datasets_of(source["id"])
    assert len(datasets) == 3
    return source, datasets


def _delete(user: dict, source: dict, **choice):
    return helpers.call_action(
        "harvest_source_delete",
        context={"user": user["name"], "ignore_auth": False},
        id=source["id"],
        **choice,
    )


def _hand_over(source: dict, organization: str) -> None:
    """The source deleted by a sysadmin, its datasets handed to ``organization``."""
    _delete(
        factories.Sysadmin(),
        source,
        vndata_datasets="hand_over",
        vndata_organization=organization,
    )


def _untouched(source: dict, datasets: list[str]) -> None:
    assert HarvestSource.get(source["id"]).active
    assert source_deletion.datasets_of(source["id"]) == datasets
    for package_id in datasets:
        package = model.Package.get(package_id)
        assert (package.state, package.owner_org) == ("active", source["owner_org"])
        assert NOTE not in package.extras


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHarvestSourceDelete:
    def test_by_default_the_datasets_stay_no_longer_harvested(self, harvested):
        source, datasets = harvested

        done = _delete(factories.Sysadmin(), source)

        assert done == {"vndata_datasets": "hand_over", "datasets": 3}
        assert not HarvestSource.get(source["id"]).active
        for package_id in datasets:
            shown = helpers.call_action("package_show", id=package_id)
            assert shown["state"] == "active"
            assert shown["owner_org"] == source["owner_org"]
            extras = {e["key"]: e["value"] for e in shown.get("extras", [])}
            assert source["url"] in extras[NOTE]
        linked = model.Session.query(HarvestObject).filter(
            HarvestObject.package_id.in_(datasets)
        )
        assert linked.count() == 0  # no source finds them again
        found = helpers.call_action("package_search", q="*:*")
        assert found["count"] == 3
        assert all(not d.get("harvest_source_id") for d in found["results"])

    def test_hand_over_moves_them_to_the_chosen_organization(self, harvested):
        source, datasets = harvested
        receiving = factories.Organization()

        _hand_over(source, receiving["name"])

        for package_id in datasets:
            assert model.Package.get(package_id).owner_org == receiving["id"]
        searched = helpers.call_action(
            "package_search", fq=f"owner_org:{receiving['id']}"
        )
        assert searched["count"] == 3

    def test_withdraw_deletes_them_as_a_harvest_does(self, harvested):
        source, datasets = harvested

        done = _delete(factories.Sysadmin(), source, vndata_datasets="withdraw")

        assert done == {"vndata_datasets": "withdraw", "datasets": 3}
        for package_id in datasets:
            assert model.Package.get(package_id).state == "deleted"  # not purged
        assert helpers.call_action("package_search", q="*:*")["count"] == 0
        current = model.Session.query(HarvestObject).filter_by(current=True)
        assert current.count() == 0

    def test_deleted_as_a_plain_dataset_its_datasets_stay(self, harvested):
        source, datasets = harvested

        helpers.call_action(
            "package_delete",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
        )

        assert not HarvestSource.get(source["id"]).active
        assert all(NOTE in model.Package.get(d).extras for d in datasets)

    def test_delete_and_clear_still_removes_them(self, harvested):
        source, datasets = harvested

        helpers.call_action(
            "harvest_source_delete",
            context={"user": factories.Sysadmin()["name"], "clear_source": True},
            id=source["id"],
        )

        left = model.Session.query(model.Package).filter(model.Package.id.in_(datasets))
        assert left.count() == 0  # ckanext-harvest's clear deleted them

    def test_handing_over_needs_rights_on_the_receiving_organization(self, harvested):
        source, datasets = harvested
        editor = factories.User()
        helpers.call_action(
            "organization_member_create",
            id=source["owner_org"],
            username=editor["name"],
            role="admin",
        )
        foreign = factories.Organization()

        with pytest.raises(tk.NotAuthorized):
            _delete(
                editor,
                source,
                vndata_datasets="hand_over",
                vndata_organization=foreign["id"],
            )

        _untouched(source, datasets)

    def test_hostile_input_is_a_validation_error_and_changes_nothing(self, harvested):
        source, datasets = harvested
        sysadmin = factories.Sysadmin()
        valid = [
            *source_deletion.CHOICES,
            None,
            "",
        ]  # a list: hostile values are unhashable

        @FUZZ
        @given(
            choice=st.one_of(st.sampled_from(sorted(source_deletion.CHOICES)), HOSTILE),
            organization=HOSTILE,
        )
        def delete(choice, organization):
            if any(choice == v and type(choice) is type(v) for v in valid) and (
                organization is None or organization == ""
            ):
                return  # a valid request: it would delete
            with pytest.raises(tk.ValidationError):
                _delete(
                    sysadmin,
                    source,
                    vndata_datasets=choice,
                    vndata_organization=organization,
                )
            model.Session.rollback()
            _untouched(source, datasets)

        delete()


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDeletePage:
    def test_the_page_asks_then_withdraws(self, app, harvested):
        source, datasets = harvested
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        edit = operator.get(f"/harvest/edit/{source['name']}").body
        assert f"/thu-thap/nguon/{source['name']}/xoa" in edit

        page = operator.get(f"/thu-thap/nguon/{source['name']}/xoa").body
        assert (
            "3" in page
            and 'id="vndata-datasets-hand_over" value="hand_over" checked' in page
        )

        operator.post(
            f"/thu-thap/nguon/{source['name']}/xoa",
            data={"_csrf_token": csrf_token(page), "vndata_datasets": "withdraw"},
        )

        assert not HarvestSource.get(source["id"]).active
        assert all(model.Package.get(d).state == "deleted" for d in datasets)

    def test_a_bad_choice_is_shown_and_deletes_nothing(self, app, harvested):
        source, datasets = harvested
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        page = operator.get(f"/thu-thap/nguon/{source['name']}/xoa").body

        answer = operator.post(
            f"/thu-thap/nguon/{source['name']}/xoa",
            data={
                "_csrf_token": csrf_token(page),
                "vndata_datasets": "withdraw",
                "vndata_organization": "khong-co",
            },
        )

        assert answer.status_code == 200
        assert 'id="vndata-delete-errors"' in answer.body
        _untouched(source, datasets)


def _moved_to(package_id: str, organization: dict) -> None:
    """A harvested dataset that a publisher rule put in another organization."""
    helpers.call_action(
        "package_owner_org_update", id=package_id, organization_id=organization["id"]
    )


def _member(user: dict, organization: dict, role: str) -> None:
    helpers.call_action(
        "organization_member_create",
        id=organization["id"],
        username=user["name"],
        role=role,
    )


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.vndata.harvester.editors_manage_sources", "true")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDeletersRights:
    """Review finding: an editor of the source's organization withdrew or moved the
    source's datasets that lie in other organizations (the site user acted)."""

    @pytest.mark.parametrize("choice", ["withdraw", "hand_over"])
    def test_datasets_of_an_organization_the_deleter_may_not_change_refuse_it(
        self, harvested, choice
    ):
        source, datasets = harvested
        other = factories.Organization(title="Sở Y tế Đà Nẵng")
        _moved_to(datasets[0], other)
        editor, receiving = factories.User(), factories.Organization()
        _member(editor, {"id": source["owner_org"]}, "admin")
        _member(editor, receiving, "admin")
        chosen = {"vndata_datasets": choice}
        if choice == "hand_over":
            chosen["vndata_organization"] = receiving["id"]

        with pytest.raises(tk.ValidationError) as refused:
            _delete(editor, source, **chosen)

        assert "Sở Y tế Đà Nẵng" in str(refused.value.error_dict["vndata_datasets"])
        model.Session.rollback()
        assert HarvestSource.get(source["id"]).active
        owners = [model.Package.get(d).owner_org for d in datasets]
        assert owners == [other["id"]] + [source["owner_org"]] * 2  # none moved
        assert all(model.Package.get(d).state == "active" for d in datasets)
        assert not any(NOTE in model.Package.get(d).extras for d in datasets)

    def test_an_editor_of_every_organization_may_withdraw_them(self, harvested):
        source, datasets = harvested
        other = factories.Organization()
        _moved_to(datasets[0], other)
        editor = factories.User()
        _member(editor, {"id": source["owner_org"]}, "admin")
        _member(editor, other, "editor")

        _delete(editor, source, vndata_datasets="withdraw")

        assert all(model.Package.get(d).state == "deleted" for d in datasets)


def _clear(context: dict, source: dict, delete: bool) -> None:
    """ckanext-harvest's clear of a source, or its "delete and clear"."""
    if delete:
        helpers.call_action(
            "harvest_source_delete",
            context={**context, "clear_source": True},
            id=source["id"],
        )
    else:
        helpers.call_action("harvest_source_clear", dict(context), id=source["id"])


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestUnfinishedJob:
    """Review finding: records still queued imported after the datasets were handed
    over or withdrawn, bringing back orphans and duplicates."""

    def _new_job(self, source: dict) -> None:
        helpers.call_action(
            "harvest_job_create",
            context={"user": factories.Sysadmin()["name"]},
            source_id=source["id"],
            run=False,  # New, as queued
        )

    def test_the_api_refuses_while_a_job_is_new(self, harvested):
        source, datasets = harvested
        self._new_job(source)

        with pytest.raises(tk.ValidationError) as refused:
            _delete(factories.Sysadmin(), source, vndata_datasets="withdraw")

        assert "stop that job first" in str(refused.value.error_dict["harvest_job"])
        model.Session.rollback()
        _untouched(source, datasets)

    @pytest.mark.parametrize("delete", [True, False])
    def test_clearing_is_refused_too(self, harvested, delete):
        source, datasets = harvested
        self._new_job(source)
        sysadmin = {"user": factories.Sysadmin()["name"]}

        with pytest.raises(tk.ValidationError) as refused:
            _clear(sysadmin, source, delete)

        assert "stop that job first" in str(refused.value.error_dict["harvest_job"])
        model.Session.rollback()
        _untouched(source, datasets)

    def test_a_nul_in_the_clear_address_is_not_found(self, app, harvested):
        source, datasets = harvested
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        page = operator.get(f"/harvest/admin/{source['name']}").body

        answer = operator.post(
            "/harvest/clear/%00", data={"_csrf_token": csrf_token(page)}
        )

        assert answer.status_code == 404
        _untouched(source, datasets)

    # The Clear button went through ckanext-harvest's view, which flashed "An error
    # occurred: [None - {...}]".
    @pytest.mark.parametrize("form", ["delete", "clear"])
    def test_the_page_shows_it_in_vietnamese(self, app, harvested, form):
        source, datasets = harvested
        self._new_job(source)
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        deleting = f"/thu-thap/nguon/{source['name']}/xoa"
        page, target, data = {
            "delete": (deleting, deleting, {"vndata_datasets": "hand_over"}),
            # the button's address has the id
            "clear": (f"/harvest/admin/{source['name']}",
                      f"/harvest/clear/{source['id']}", {}),
        }[form]  # fmt: skip

        answer = operator.post(
            target,
            data={"_csrf_token": csrf_token(operator.get(page).body), **data},
            follow_redirects=True,
        )

        assert answer.status_code == 200
        assert "Nguồn đang có phiên thu thập chưa xong" in answer.body
        assert "An error occurred" not in answer.body
        assert "harvest_job" not in answer.body
        _untouched(source, datasets)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestHandOverIsOneTransaction:
    """Review finding: package_owner_org_update committed each moved dataset, and
    Solr kept the deleted source's harvest_source_id."""

    def test_a_failure_midway_changes_nothing(self, harvested, monkeypatch):
        source, datasets = harvested
        receiving = factories.Organization()
        get = model.Package.get

        def failing_on_the_third(reference, for_update=False):
            if reference == datasets[2]:
                raise RuntimeError("the third dataset cannot be read")
            return get(reference, for_update)

        monkeypatch.setattr(model.Package, "get", failing_on_the_third)
        with pytest.raises(RuntimeError):
            _delete(
                factories.Sysadmin(),
                source,
                vndata_datasets="hand_over",
                vndata_organization=receiving["id"],
            )
        monkeypatch.undo()

        model.Session.rollback()
        _untouched(source, datasets)
        members = model.Session.query(model.Member).filter_by(
            group_id=receiving["id"], table_name="package", state="active"
        )
        assert members.count() == 0

    def test_search_shows_each_in_its_new_organization_unharvested(self, harvested):
        source, datasets = harvested
        receiving = factories.Organization()

        _hand_over(source, receiving["id"])

        for package_id in datasets:
            (found,) = helpers.call_action("package_search", fq=f"id:{package_id}")[
                "results"
            ]
            assert found["owner_org"] == receiving["id"]
            assert found["organization"]["id"] == receiving["id"]
            assert not found.get("harvest_source_id"), package_id
            assert (
                source["url"] in {e["key"]: e["value"] for e in found["extras"]}[NOTE]
            )
        members = model.Session.query(model.Member).filter_by(
            group_id=receiving["id"], table_name="package", state="active"
        )
        assert sorted(m.table_id for m in members) == datasets


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckan.csrf_protection.ignore_extensions", "true")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCsrfWhateverTheSetting:
    """Review finding: CKAN 2.11 exempts extensions' pages from its CSRF check by
    default (ignore_extensions), so a forged form deleted a source."""

    @pytest.mark.parametrize(
        "path", ["/thu-thap/nguon/{name}/xoa", "/harvest/delete/{name}"]
    )
    def test_a_post_without_the_token_is_refused(self, app, harvested, path):
        source, datasets = harvested
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))

        answer = operator.post(
            path.format(name=source["name"]), data={"vndata_datasets": "withdraw"}
        )

        assert answer.status_code in (400, 403)
        model.Session.expire_all()
        _untouched(source, datasets)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.vndata.harvester.editors_manage_sources", "true")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestClearingNeedsTheSameRights:
    """harvest_source_clear (also "delete and clear") removes every dataset of the
    source by raw SQL, whatever organization owns it."""

    @pytest.mark.parametrize("delete", [True, False])
    def test_an_editor_of_the_source_only_is_refused(self, harvested, delete):
        source, datasets = harvested
        _moved_to(datasets[0], factories.Organization(title="Sở Y tế Đà Nẵng"))
        editor = factories.User()
        _member(editor, {"id": source["owner_org"]}, "admin")
        context = {"user": editor["name"], "ignore_auth": False}

        with pytest.raises(tk.ValidationError) as refused:
            _clear(context, source, delete)

        assert "Sở Y tế Đà Nẵng" in str(refused.value.error_dict)
        model.Session.rollback()
        assert HarvestSource.get(source["id"]).active
        assert model.Package.get(source["id"]).state == "active"
        assert all(model.Package.get(d).state == "active" for d in datasets)
