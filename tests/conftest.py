"""Fixtures shared by the whole suite (CKAN's pytest plugin provides the rest)."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

import ckan.plugins as p

# Plugins that own tables (alembic migrations); clean_db re-creates them after a reset.
PLUGINS_WITH_MIGRATIONS = (
    "activity",
    "harvest",
    "vndata_plan",
    "vndata_dcat_harvester",
)


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
    """A real HTTP server on 127.0.0.1 playing a provincial portal.

    Set ``.body`` (served for every path), ``.pages`` ({path: body}, 404 elsewhere)
    or ``.respond`` (path -> body or None, for JSON APIs).
    """

    class Handler(http.server.BaseHTTPRequestHandler):
        body = b""
        pages: dict[str, bytes] = {}
        headers_seen: list[dict] = []
        fail_first: int = 0  # answer 503 to that many requests first
        delay: float = 0.0
        content_type = "text/turtle"
        respond = None  # a function of the path that returns the body (JSON APIs)

        def do_GET(self):  # noqa: N802 (http.server's name)
            Handler.headers_seen.append(dict(self.headers))
            if Handler.delay:
                time.sleep(Handler.delay)
            if Handler.fail_first > 0:
                Handler.fail_first -= 1
                self.send_response(503)
                self.end_headers()
                return
            content_type = Handler.content_type
            if Handler.respond is not None:
                body = Handler.respond(self.path)
                content_type = "application/json"
            else:
                body = Handler.pages.get(
                    self.path, None if Handler.pages else Handler.body
                )
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{server.server_port}/catalog.ttl"
    server.shutdown()
    server.server_close()
