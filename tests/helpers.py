"""Small helpers for tests that start real processes (servers, make targets)."""

from __future__ import annotations

import contextlib
import datetime
import email
import email.policy
import http.server
import os
import pathlib
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa
from aiosmtpd.controller import Controller

import ckan.plugins.toolkit as tk
import ckanext.harvest.model as harvest_model
from ckan.model import meta
from ckan.tests import factories, helpers
from ckanext.harvest import queue

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV_BIN = pathlib.Path(sys.executable).parent
# The plugins of this distribution, as ckan.plugins names them.
VNDATA_PLUGINS = (
    "vndata_metadata",
    "vndata_plan",
    "vndata_dcat",
    "vndata_harvester",
    "vndata_ckan_harvester",
    "vndata_json_harvester",
)


LOGGING = """
[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s] %(message)s
"""


def token_headers(user: dict) -> dict:
    """Request headers that authenticate as ``user`` with a new API token."""
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def csrf_token(page: str) -> str:
    """The CSRF token of a rendered form."""
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


def browser_login(app, user: dict, password: str = "Matkhau-2026"):
    """A test client logged in with a session cookie, as a browser is (no API token:
    CKAN's CSRF check applies). ``user`` must have been made with ``password``."""
    client = app.test_client()
    page = client.get("/user/login").body
    client.post("/user/login", data={
        "login": user["name"], "password": password, "_csrf_token": csrf_token(page),
    })  # fmt: skip
    return client


def ini_over_test_ini(path: pathlib.Path, **settings: str) -> str:
    """An ini for another `ckan` process: test.ini with ``settings`` over it."""
    lines = [f"use = config:{REPO_ROOT / 'test.ini'}"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    path.write_text("[app:main]\n" + "\n".join(lines) + "\n" + LOGGING, "utf-8")
    return str(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(
    url: str, seconds: float, process: subprocess.Popen
) -> requests.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url}")
        # A loaded machine may accept the connection and answer late: wait again.
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            return requests.get(url, timeout=5)
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


@contextlib.contextmanager
def ckan_process(
    ini: pathlib.Path | str, *args: str, env: dict[str, str] | None = None, log=None
) -> Iterator[subprocess.Popen]:
    """Run ``ckan -c ini ARGS`` and stop it (with its children) afterwards."""
    with _process([str(VENV_BIN / "ckan"), "-c", str(ini), *args], env, log) as process:
        yield process


@contextlib.contextmanager
def _process(command: list[str], env, log) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextlib.contextmanager
def ckan_server(
    ini: pathlib.Path, port: int, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Serve the site on 127.0.0.1:port as the demo does (serve.sh: gunicorn)."""
    serve = [str(REPO_ROOT / "scripts" / "serve.sh"), str(VENV_BIN.parent), str(ini)]
    with _process([*serve, str(port), "1"], env, None) as process:
        yield f"http://127.0.0.1:{port}", process


def run_harvest(source_id: str, harvester_name: str) -> list:
    """Run a harvest job through ckanext-harvest's real stages, in this process."""
    job = helpers.call_action(
        "harvest_job_create",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
        run=False,  # run here, not through the queues
    )
    job_row = harvest_model.HarvestJob.get(job["id"])
    job_row.status = "Running"
    job_row.save()
    harvester = queue.get_harvester(harvester_name)
    object_ids = queue.gather_stage(harvester, job_row) or []
    job_row.gather_finished = datetime.datetime.utcnow()
    if not object_ids:
        job_row.status = "Finished"  # as ckanext-harvest's gather consumer does
    job_row.save()
    objects = []
    for object_id in object_ids:
        harvest_object = harvest_model.HarvestObject.get(object_id)
        queue.fetch_and_import_stages(harvester, harvest_object)
        objects.append(harvest_object)
    # As the scheduler would: mark the job finished once its objects are done.
    helpers.call_action("harvest_jobs_run", context={"ignore_auth": True})
    return objects


@contextlib.contextmanager
def datastore_site(
    tmp_path: pathlib.Path, sysadmin: dict, allowed_hosts: str = "", seconds=120
) -> Iterator[str]:
    """A real CKAN server and a real ``ckan jobs worker`` on the test database, as a
    site with the DataStore runs: xloader submits with ``sysadmin``'s token, its worker
    loads the data and calls the server back (xloader_hook). Both are stopped at the
    end; the worker's log is ``tmp_path / "worker.log"``."""
    port = free_port()
    settings = {
        "ckan.site_url": f"http://127.0.0.1:{port}",
        "ckanext.xloader.api_token": factories.APIToken(user=sysadmin["name"])["token"],
        "ckanext.vndata.harvester.allowed_hosts": allowed_hosts,
    }
    ini = ini_over_test_ini(tmp_path / "datastore.ini", **settings)
    with (
        open(tmp_path / "worker.log", "wb") as log,
        ckan_server(ini, port) as (url, server),
        ckan_process(ini, "jobs", "worker", log=log),
    ):
        wait_for_http(f"{url}/api/3/action/status_show", seconds, server)
        yield url


def call_on(url: str, user: dict, action: str, **data) -> dict:
    """The result of ``action`` called as ``user`` on the server at ``url``."""
    answer = requests.post(
        f"{url}/api/3/action/{action}",
        json=data,
        headers=token_headers(user),
        timeout=60,
    )
    return answer.json()["result"]


def wait_for_datastore(
    url: str, resource_id: str, user: dict, seconds: float = 120
) -> dict:
    """datastore_search of ``resource_id`` on the server at ``url`` once xloader's job
    for it is complete, asked as ``user`` (TimeoutError if it is not within
    ``seconds``, AssertionError with the job's error if it failed).

    Not ``datastore_active``: xloader's ``datastore_create`` sets it on the empty
    table, before the rows are copied, so a search then can find the rows counted
    but not listed (seen in CI: ``total`` 2, ``records`` empty)."""
    headers = token_headers(user)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = requests.post(
            f"{url}/api/3/action/xloader_status",
            json={"resource_id": resource_id},
            headers=headers,
            timeout=30,
        ).json()
        job = status.get("result") or {}
        assert job.get("status") != "error", job.get("error")
        if job.get("status") == "complete":
            return requests.get(
                f"{url}/api/3/action/datastore_search",
                params={"resource_id": resource_id},
                timeout=30,
            ).json()["result"]
        time.sleep(1)
    raise TimeoutError(f"resource {resource_id} not in the DataStore after {seconds}s")


def serve_tls(httpd: http.server.HTTPServer, tls: tuple[str, str]) -> None:
    """``httpd`` answers HTTPS with ``tls`` (certificate and key files, the
    ``tls_files`` fixture's)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)


@contextlib.contextmanager
def allowing(
    origin: str, key: str = "ckanext.vndata.harvester.allowed_hosts"
) -> Iterator[None]:
    """The allow-list ``key`` (the harvesters' by default) naming ``origin``'s
    host:port (a loopback test server's), for the time of the block."""
    with pytest.MonkeyPatch.context() as patch:
        host_port = origin.split("//")[1]
        patch.setitem(tk.config, key, host_port)
        yield


@contextlib.contextmanager
def redirect_server(
    redirects: dict[str, str], refuse_head: bool = False
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback HTTP server: a path of ``redirects`` answers 302 to its target
    (``{origin}`` in it is the server's own), any other path a small CSV file.
    ``refuse_head``: HEAD is answered 405, as some servers do. Yields the server's
    origin and the (method, path) of each request it received."""
    seen: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, body: bool) -> None:
            seen.append((self.command, self.path))
            if refuse_head and self.command == "HEAD":
                self.send_response(405)
                self.send_header("Content-Length", "0")
            elif self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path].format(origin=origin))
                self.send_header("Content-Length", "0")
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", "4")
            self.end_headers()
            if body and self.path not in redirects:
                self.wfile.write(b"a,b\n")

        def do_GET(self):  # noqa: N802 (http.server's name)
            self._answer(body=True)

        def do_HEAD(self):  # noqa: N802
            self._answer(body=False)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    origin = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin, seen
    finally:
        server.shutdown()
        server.server_close()


class SmtpInbox:
    """What a loopback SMTP server received: to, subject and body of each mail."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        self.messages.append(
            {
                "to": envelope.rcpt_tos,
                "subject": str(message["subject"]),
                "body": message.get_content(),
            }
        )
        return "250 OK"


@contextlib.contextmanager
def loopback_smtp() -> Iterator[SmtpInbox]:
    """A real SMTP server where test.ini sends mail (a `ckan` process reads it too)."""
    host, port = tk.config.get("smtp.server").split(":")
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname=host, port=int(port))
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextlib.contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements sent to the database meanwhile."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(meta.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(meta.engine, "before_cursor_execute", record)
