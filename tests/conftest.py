"""Fixtures shared by the whole suite (CKAN's pytest plugin provides the rest)."""

from __future__ import annotations

import http.server
import threading

import pytest

import ckan.plugins as p

# Plugins that own tables (alembic migrations); clean_db re-creates them after a reset.
PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "vndata_plan")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db resets the core schema only; plugin tables must come back too.

    List ``with_plugins`` before ``clean_db`` so the plugins are loaded at this point.
    """
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        if p.plugin_loaded(plugin):
            migrate_db_for(plugin)


@pytest.fixture
def catalogue_server():
    """Serve one Turtle document on 127.0.0.1 (set ``.body`` before harvesting)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        body = b""

        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle; charset=utf-8")
            self.send_header("Content-Length", str(len(Handler.body)))
            self.end_headers()
            self.wfile.write(Handler.body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_port}/catalog.ttl"
    server.shutdown()
    server.server_close()
