"""What every request of the portal gets, whichever plugin or CKAN view serves it.

- **The database session ends with the request.** CKAN removes it in an after_request
  function, which Flask skips when an earlier one raises; a request that left its
  transaction failed (PendingRollbackError) then broke the next request that the same
  worker served, another user's included. A teardown function always runs. It runs
  too when the request context CKAN's helpers push outside any request is popped
  (``url_for`` in a harvest consumer or a job worker: xloader_submit builds its
  callback URL inside package_create): that is no request's end but the middle of the
  command's transaction, which is left alone (removing the session there rolled back
  the dataset package_create was writing: every harvested record with a CSV resource
  failed with NotFound("package") in the activity stream).
- **CSRF protection stays on.** CKAN 2.12.0 exempts a view from CSRF for the life of
  the process once one request authenticated by an API token has reached it
  (``csrf.exempt`` in ``ckan_before_request``; 2.11 exempts that one request). A
  browser session must always send the token, so a view exempted that way is checked
  here for requests that came without a token; the exemptions made when the site
  started (CKAN's and the plugins' own) are kept.
"""

from __future__ import annotations

from flask import Blueprint, current_app
from flask.globals import request_ctx

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.config import middleware

vndata_web_guards = Blueprint("vndata_web_guards", __name__)

# Views exempted from CSRF when the app was built (IMiddleware, before any request).
_exempt_at_start: set[str] = set()


def remember_exemptions(app) -> None:
    """Called once the app is built: what CKAN and the plugins exempted on purpose.

    flask-wtf keeps them in CSRFProtect._exempt_views; it is read, never changed.
    """
    csrf = app.extensions.get("csrf")
    _exempt_at_start.clear()
    _exempt_at_start.update(getattr(csrf, "_exempt_views", ()))


@vndata_web_guards.before_app_request
def _csrf_on_views_exempted_while_running():
    app, request = current_app, tk.request
    csrf = app.extensions.get("csrf")
    if (
        csrf is None
        or tk.g.get("login_via_auth_header")  # API clients, as CKAN intends
        or not app.config.get("WTF_CSRF_ENABLED", True)
        or request.method not in app.config.get("WTF_CSRF_METHODS", ())
        or not request.endpoint
    ):
        return None
    view = app.view_functions.get(request.endpoint)
    if view is None:
        return None
    dest = f"{view.__module__}.{view.__name__}"
    if dest in getattr(csrf, "_exempt_views", ()) and dest not in _exempt_at_start:
        csrf.protect()  # a CSRFError is CKAN's 400 page, as for any other view
    return None


@vndata_web_guards.teardown_app_request
def _end_the_session(error=None):
    if request_ctx._get_current_object() is _ckan_stand_in():
        return  # not a request: see the module docs
    model.Session.remove()


def _ckan_stand_in():
    """The request context ckan.lib.helpers.url_for pushes when there is none (made
    with the app; a CKAN that no longer has it gets None, and the test fails)."""
    return getattr(middleware, "_internal_test_request_context", None)
