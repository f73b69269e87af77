"""``scripts/portal.sh nginx-conf``: the nginx in front of every portal's gunicorn (the
demo's three portals, the cluster's national one). Static files come from disk, the rest
from gunicorn, which learns the client's address from ``X-Forwarded-For``.

A real nginx on free ports, in front of a tiny WSGI application wrapped as
``ckanext.vndata.wsgi`` wraps CKAN's with ``trusted_proxies = 1``.
"""

from __future__ import annotations

import http.client
import os
import pathlib
import shutil
import signal
import subprocess
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from tests.helpers import REPO_ROOT, free_port

PORTAL_SH = str(REPO_ROOT / "scripts" / "portal.sh")


def _conf(nginx_dir: pathlib.Path, logs: pathlib.Path, *args: str) -> str:
    return subprocess.run(
        [PORTAL_SH, "nginx-conf", str(nginx_dir), str(logs), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _nginx_test(tmp_path: pathlib.Path, conf: str) -> subprocess.CompletedProcess:
    path = tmp_path / "nginx" / "nginx.conf"
    path.write_text(conf)
    return subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path / "nginx"), "-c", str(path)]
        + ["-e", str(tmp_path / "nginx-error.log")],
        capture_output=True,
        text=True,
    )


def _site(tmp_path: pathlib.Path, name: str, port: int, gunicorn: int) -> str:
    public, storage = tmp_path / f"public-{name}", tmp_path / f"storage-{name}"
    (storage / "webassets").mkdir(parents=True)
    public.mkdir()
    return f"{port},{gunicorn},{public},{storage}"


def test_the_demos_configuration_passes_nginx_t(tmp_path):
    ports = [free_port() for _ in range(6)]
    sites = [
        _site(tmp_path, name, ports[n], ports[n + 3])
        for n, name in enumerate(["national", "danang", "hue"])
    ]

    conf = _conf(tmp_path / "nginx", tmp_path, *sites)

    result = _nginx_test(tmp_path, conf)
    assert result.returncode == 0, result.stderr
    assert conf.count("server {") == 3
    assert f"pid {tmp_path}/nginx/nginx.pid;" in conf
    for port in ports[3:]:
        assert f"proxy_pass http://127.0.0.1:{port};" in conf


def test_the_clusters_configuration_with_its_include_passes_nginx_t(tmp_path):
    include = tmp_path / "solr.conf"
    include.write_text(
        "upstream solr_nodes { server 127.0.0.1:%d; }\n"
        "server { listen 127.0.0.1:%d;\n"
        "  location /solr/ { proxy_pass http://solr_nodes; } }\n"
        % (free_port(), free_port())
    )
    site = _site(tmp_path, "national", free_port(), free_port())

    conf = _conf(
        tmp_path / "nginx", tmp_path, "--workers", "2", "--include", str(include), site
    )

    result = _nginx_test(tmp_path, conf)
    assert result.returncode == 0, result.stderr
    assert "worker_processes 2;" in conf and f"include {include};" in conf


def test_a_site_without_its_folders_is_refused(tmp_path):
    result = subprocess.run(
        [PORTAL_SH, "nginx-conf", str(tmp_path), str(tmp_path), "5000,5100"],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 2
    assert "PORT,GUNICORN_PORT,PUBLIC_DIR,STORAGE_DIR" in result.stderr


def test_one_home_for_the_web_tiers_nginx_configuration():
    # The demo and the cluster both call portal.sh nginx-conf: no second copy.
    holders = [
        p.name
        for p in (REPO_ROOT / "scripts").iterdir()
        if "proxy_add_x_forwarded_for" in p.read_text(errors="replace")
    ]
    assert holders == ["portal.sh"]
    for script in ("demo.sh", "cluster.sh"):
        text = (REPO_ROOT / "scripts" / script).read_text().replace('"', "")
        assert "scripts/portal.sh nginx-start" in text, script


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def app_behind_nginx(tmp_path):
    """A WSGI app on a loopback port and nginx in front of it, as the demo runs them."""
    seen: list[str] = []

    def app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        body = f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']}".encode()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]

    server = make_server(
        "127.0.0.1",
        free_port(),
        ProxyFix(app, x_for=1, x_proto=1),
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    site = _site(tmp_path, "national", port, server.server_port)
    (tmp_path / "public-national" / "vndata").mkdir()
    (tmp_path / "public-national" / "vndata" / "logo.svg").write_text("<svg/>")
    (tmp_path / "storage-national" / "webassets" / "site.css").write_text("b{}")
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(_conf(tmp_path / "nginx", tmp_path, site))
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path / "nginx"), "-c", str(conf)]
        + ["-e", str(tmp_path / "nginx-error.log")],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and nginx.poll() is None:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.1)
        yield port, seen
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        server.shutdown()
        server.server_close()
        shutil.rmtree(tmp_path / "nginx", ignore_errors=True)


def _get(port: int, path: str) -> tuple[int, str, str]:
    # The client on 127.0.0.2 (loopback too); nginx talks to the app from 127.0.0.1.
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=("127.0.0.2", 0)
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
        return response.status, response.getheader("Content-Type"), body
    finally:
        connection.close()


def test_static_files_come_from_nginx_the_rest_from_the_app(app_behind_nginx):
    port, seen = app_behind_nginx

    logo = _get(port, "/vndata/logo.svg")
    css = _get(port, "/webassets/site.css")
    page = _get(port, "/dataset/")
    missing = _get(port, "/webassets/not-built-yet.css")

    assert logo == (200, "image/svg+xml", "<svg/>")
    assert css == (200, "text/css", "b{}")
    assert page[0] == 200 and missing[0] == 200
    assert seen == ["/dataset/", "/webassets/not-built-yet.css"]


def test_the_app_sees_the_clients_address_not_nginxs(app_behind_nginx):
    port, _seen = app_behind_nginx
    answer = _get(port, "/api/3/action/status_show")

    assert answer == (200, "text/plain", "127.0.0.2 http")


def _workers(pid: int) -> set[str]:
    children = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return set(children.split())


def _nginx_start(tmp_path: pathlib.Path, *sites: str) -> None:
    subprocess.run(
        [PORTAL_SH, "nginx-start", str(tmp_path / "nginx"), str(tmp_path)]
        + [str(tmp_path / "run" / "nginx-demo.pid"), *sites],
        check=True,
        timeout=60,
    )


def _until(what: str, check) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_nginx_start_is_idempotent_and_recorded_for_demo_stop(tmp_path):
    port, gunicorn = free_port(), free_port()
    site = _site(tmp_path, "national", port, gunicorn)
    pidfile = tmp_path / "run" / "nginx-demo.pid"
    try:
        _nginx_start(tmp_path, site)
        pid = int(pidfile.read_text())
        _until("nginx's worker", lambda: _workers(pid))
        workers = _workers(pid)

        _nginx_start(tmp_path, site)  # unchanged: not even reloaded
        time.sleep(0.5)
        assert int(pidfile.read_text()) == pid and _workers(pid) == workers

        moved = site.replace(f",{gunicorn},", f",{free_port()},")
        _nginx_start(tmp_path, moved)  # changed: reloaded, new workers, same master
        assert int(pidfile.read_text()) == pid
        _until("nginx's new workers", lambda: _workers(pid).isdisjoint(workers))
        assert moved.split(",")[1] in (tmp_path / "nginx" / "nginx.conf").read_text()

        subprocess.run(
            ["make", "demo-stop"],
            cwd=REPO_ROOT,
            env=dict(os.environ, VNDATA_DEV_DIR=str(tmp_path)),
            check=True,
            timeout=60,
        )
        _until("nginx stopped", lambda: not pathlib.Path(f"/proc/{pid}").exists())
        assert not pidfile.exists()
    finally:
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), signal.SIGTERM)
