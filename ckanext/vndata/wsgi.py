"""The WSGI application of a CKAN site, for a production server.

``ckan run`` is Werkzeug's development server: it turns the interactive debugger on
unless told otherwise, so any 500 would hand a visitor a traceback with SQL and a
console. Every portal the suite starts (the demo, the tests' provincial portals) is
served by gunicorn through this module instead, as a deployment would be::

    CKAN_INI=/etc/ckan/ckan.ini gunicorn ckanext.vndata.wsgi:application
"""

from __future__ import annotations

import logging
import logging.config
import os

from ckan.cli import load_config
from ckan.common import asint, config
from ckan.config.middleware import make_app

from ckanext.vndata.web_worker import vndata_prepare_web_worker

_ini = os.environ["CKAN_INI"]
logging.config.fileConfig(_ini, disable_existing_loggers=False)
application = make_app(load_config(_ini))
# load_config reads the ini's logging anew, disabling every logger it does not name: the
# server's access log (which client asked for what) would go silent.
for _name in ("gunicorn.access", "gunicorn.error"):
    logging.getLogger(_name).disabled = False
# CKAN 2.11 has no setting for a reverse proxy: behind nginx every request would come
# from 127.0.0.1. Werkzeug's ProxyFix, trusting as many hops as are configured, gives
# CKAN (and the server's access log) the client's address and scheme.
_proxies = asint(config.get("ckanext.vndata.web.trusted_proxies") or 0)
if _proxies:
    from werkzeug.middleware.proxy_fix import ProxyFix

    application = ProxyFix(application, x_for=_proxies, x_proto=_proxies)
# The catalogues of the browser's scripts (/api/i18n/<lang>: "Upload", "Remove",
# "Save order"…), which `ckan run` writes before serving and a deployment with
# `ckan translation js` (without them every script's text stays English), and the
# web assets: once at a time across the workers (web_worker.py).
vndata_prepare_web_worker()
