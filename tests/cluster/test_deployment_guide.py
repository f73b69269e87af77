"""The deployment guide's nginx in front of CKAN (docs/deployment.md, section 4), run as
written: the visitor's scheme and address reach the WSGI application through one proxy
or two, as ckanext.vndata.web.trusted_proxies says (ckanext.vndata.wsgi wraps CKAN in
Werkzeug's ProxyFix with that many hops). Needs nginx, not a cluster."""

from __future__ import annotations

import os
import pathlib
import pwd
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

GUIDE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def _guide_web_server() -> tuple[str, list[str]]:
    """The guide's ``map`` block and ``proxy_set_header X-Forwarded-*`` lines."""
    block = next(
        b
        for b in re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(), re.S)
        if "upstream ckan_web" in b
    )
    mapping = re.search(r"^map .*?^}", block, re.M | re.S)
    headers = re.findall(r"^\s*(proxy_set_header X-Forwarded-\S+ .*;)", block, re.M)
    assert mapping and len(headers) == 2
    return mapping.group(0), headers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def seen_by_ckan(tmp_path_factory):
    """seen_by_ckan(trusted_proxies, headers): "scheme address" as the application
    behind the guide's nginx sees them."""
    # nginx is a dependency of the suite (scripts/install-system.sh): missing, the
    # test fails and says so, rather than proving nothing.
    assert shutil.which("nginx"), "nginx is not installed (make system)"

    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"{environ['wsgi.url_scheme']} {environ['REMOTE_ADDR']}".encode()]

    hops = {n: ProxyFix(application, x_for=n, x_proto=n) for n in (1, 2)}

    def by_hops(environ, start_response):  # /1/ or /2/: trusted_proxies
        return hops[int(environ["PATH_INFO"].split("/")[1])](environ, start_response)

    server = make_server("127.0.0.1", 0, by_hops, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mapping, headers = _guide_web_server()
    folder = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
pid {folder}/nginx.pid;
daemon off;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  {mapping}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{server.server_port};
      {" ".join(headers)}
    }}
  }}
}}
"""
    )
    nginx = subprocess.Popen(
        [
            "nginx",
            "-p",
            str(folder),
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def seen(trusted_proxies: int, headers: dict[str, str]) -> str:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/{trusted_proxies}/", headers=headers
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()

    deadline = time.monotonic() + 20
    while True:
        try:
            seen(1, {})
            break
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield seen
    nginx.terminate()
    nginx.wait(timeout=20)
    server.shutdown()


def test_behind_a_load_balancer_and_nginx_ckan_sees_https_and_the_visitor(
    seen_by_ckan,
):
    # The load balancer ends TLS and says so, as the guide requires of it.
    balancer = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert seen_by_ckan(2, balancer) == "https 203.0.113.9"


def test_behind_nginx_alone_a_visitors_forged_headers_are_not_believed(seen_by_ckan):
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert seen_by_ckan(1, forged) == "http 127.0.0.1"
    assert seen_by_ckan(1, {}) == "http 127.0.0.1"
