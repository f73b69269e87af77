"""Every request ends its database session and keeps CSRF protection (web_guards.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories

from tests.factories import VnDataset
from tests.helpers import browser_login, csrf_token


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
