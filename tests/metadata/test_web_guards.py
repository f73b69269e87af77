"""Every request ends its database session (and only a request does) and keeps CSRF
protection (web_guards.py)."""

from __future__ import annotations

import flask
import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.metadata import datastore
from tests.factories import VnDataset
from tests.helpers import browser_login, csrf_token
from tests.metadata.helpers import vn_dataset


@pytest.mark.usefixtures("with_plugins")
def test_a_failed_transaction_does_not_outlive_its_request(app):
    flask_app = app.flask_app
    with flask_app.test_request_context("/"):
        with pytest.raises(sa.exc.DBAPIError):
            model.Session.execute(sa.text("select 1/0"))
        with pytest.raises(sa.exc.DBAPIError):  # the transaction is aborted
            model.Session.execute(sa.text("select 1"))
        flask_app.do_teardown_request()  # what Flask runs after any request

        assert model.Session.execute(sa.text("select 1")).scalar() == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestCsrfAfterATokenRequest:
    def _exempt_as_ckan_2_12_does(self, app, endpoint: str):
        """CKAN 2.12.0 calls csrf.exempt(view) once an API-token request reaches it."""
        flask_app = app.flask_app
        flask_app.extensions["csrf"].exempt(flask_app.view_functions[endpoint])

    def test_a_browser_form_still_needs_its_token(self, app):
        user = factories.User(password="Matkhau-2026")
        dataset = VnDataset(user=user)
        browser = browser_login(app, user)
        url = f"/dataset/edit/{dataset['name']}"
        page = browser.get(url).body
        self._exempt_as_ckan_2_12_does(app, "dataset.edit")

        forged = browser.post(url, data={"name": dataset["name"], "notes": "giả mạo"})
        sent = browser.post(
            url,
            data={
                "name": dataset["name"],
                "notes": "thật",
                "_csrf_token": csrf_token(page),
            },
            follow_redirects=False,
        )

        assert forged.status_code == 400
        assert model.Package.get(dataset["id"]).notes != "giả mạo"
        assert sent.status_code != 400


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestOutsideARequest:
    """A harvest consumer or a job worker has no request: CKAN's url_for pushes and pops
    a request context of its own (xloader_submit builds its callback URL that way,
    inside package_create). Its end is not a request's: the transaction goes on."""

    def test_a_url_built_mid_transaction_leaves_the_transaction_alone(self):
        assert not flask.has_request_context()  # as in a consumer
        model.Session.add(model.Package(name="chua-ghi"))
        model.Session.flush()

        url = tk.url_for(
            "api.action", ver=3, logic_function="xloader_hook", qualified=True
        )

        assert url.endswith("/api/3/action/xloader_hook")
        assert model.Package.by_name("chua-ghi") is not None
        model.Session.rollback()

    @pytest.mark.ckan_config("ckanext.xloader.api_token", "khong-dung-toi")
    def test_a_dataset_whose_resource_goes_to_xloader_is_made(self, monkeypatch):
        # Every record of the national bench's harvest on the cluster (xloader set up,
        # CSV resources) failed this way: NotFound("package") in the activity stream.
        monkeypatch.setattr(datastore, "refusal", lambda resource: None)
        org = factories.Organization()
        context = {"user": factories.Sysadmin()["name"], "return_id_only": True}
        resource = {"url": "http://93.184.216.34/du-lieu.csv", "format": "CSV"}

        dataset = vn_dataset(org["id"], resources=[resource])

        package_id = helpers.call_action("package_create", context=context, **dataset)

        model.Session.remove()
        package = model.Package.get(package_id)
        assert package is not None
        assert [r.format for r in package.resources] == ["CSV"]
