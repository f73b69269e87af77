"""The corpus of real catalogues (tests/data/real/manifest.json) on a loopback server.

Each case is a file of the manifest, or the pages of a series (hydra paging), served
as its publisher served it:

- ``vndata_dcat``: the file is the catalogue, with the manifest's format as its
  Content-Type. A page series is served under ``/published/<case>/`` of the
  loopback server, and in its pages every published page address (the manifest's
  ``url``, which their next-page links name) is rewritten to that address: the
  harvester connects to the port a link names, so a link to
  ``http://data.test.org/...`` could only be followed on port 80, and its host-name
  and address checks are not bypassed here. Only the page addresses change;
  dataset and distribution IRIs stay as published.
- ``vndata_ckan``: the server plays a CKAN Action API. A recorded package_search
  answers the first page (later pages are empty); a recorded package_show is listed
  by package_search as its one result (DKAN's list of packages as they are) and
  answers package_show; organization_show is "Not found".

``empty`` makes every case answer an empty catalogue of its own format.
"""

from __future__ import annotations

import http.server
import json
import pathlib
import re
import threading
from urllib.parse import parse_qs, urlsplit

REAL = pathlib.Path(__file__).resolve().parents[1] / "data" / "real"

# An empty catalogue of each format the corpus uses.
EMPTY = {
    "text/turtle": b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n",
    "application/rdf+xml": b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
    b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
    "application/ld+json": b"[]",
    "application/json": b'{"conformsTo": '
    b'"https://project-open-data.cio.gov/v1.1/schema", "dataset": []}',
}


class Case:
    """One catalogue: a file, or the pages of a series."""

    def __init__(self, entries: list[dict]):
        self.entries = entries
        first = entries[0]
        self.name = first.get("series") or first["file"]
        self.harvester = first["harvester"]
        self.format = first.get("format", "application/json")
        self.records = sum(e["records"] for e in entries)
        # Pages of the catalogue that the corpus does not have (a CSW's nextRecord):
        # the harvest must say so, in one gather error.
        self.more_on_server = any(e.get("more_on_server") for e in entries)
        self.slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:60]

    def __repr__(self) -> str:
        return self.name


def cases(filters: list[str] | None = None) -> list[Case]:
    manifest = json.loads((REAL / "manifest.json").read_text())
    grouped: dict[str, list[dict]] = {}
    for entry in manifest:
        if filters and not any(f in entry["file"] for f in filters):
            continue
        grouped.setdefault(entry.get("series") or entry["file"], []).append(entry)
    return [
        Case(sorted(entries, key=lambda e: e.get("page", 0)))
        for entries in grouped.values()
    ]


class CorpusServer:
    """Files by path (and query); a CKAN Action API per case."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.apis: dict[str, dict] = {}
        self.empty = False
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                answer = outer.answer(self.path)
                if answer is None:
                    answer = (b'{"success": false}', "application/json", 404)
                body, kind, *status = answer
                self.send_response(status[0] if status else 200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str):
        if path in self.files:
            body, kind = self.files[path]
            return (EMPTY.get(kind, b"") if self.empty else body), kind
        return self._api(path)

    def serve(self, case: Case) -> str:
        """Put the case's files up; return its harvest source's URL."""
        if case.harvester == "vndata_ckan":
            return self._serve_api(case)
        moved = {  # published page address -> where it is served here
            e["url"]: f"{self.base}/published/{case.slug}/{e['url'].split('/', 3)[-1]}"
            for e in case.entries
            if e.get("url")
        }
        urls = []
        for entry in case.entries:
            body = (REAL / entry["file"]).read_bytes()
            for published in sorted(moved, key=len, reverse=True):
                body = body.replace(published.encode(), moved[published].encode())
            url = moved.get(entry.get("url"), f"{self.base}/real/{entry['file']}")
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            self.files[path] = (body, entry["format"])
            urls.append(url)
        return urls[0]

    def _serve_api(self, case: Case) -> str:
        search, shown, packages = None, {}, []
        for entry in case.entries:
            raw = (REAL / entry["file"]).read_bytes()
            result = json.loads(raw).get("result")
            if entry.get("api") == "package_search":
                search = raw
                packages = result["results"]
            else:  # package_show: a package, or DKAN's list of them
                packages = result if isinstance(result, list) else [result]
                for package in packages:
                    shown[package["id"]] = shown[package["name"]] = raw
        listing = {"count": len(packages), "results": packages}
        search = search or json.dumps({"success": True, "result": listing}).encode()
        for package in packages:
            body = json.dumps({"success": True, "result": package}).encode()
            shown.setdefault(package["id"], body)
            shown.setdefault(package["name"], body)
        nothing = {"count": 0, "results": []}
        self.apis[case.slug] = {
            "search": search,
            "count": len(packages),
            "show": shown,
            "nothing": json.dumps({"success": True, "result": nothing}).encode(),
        }
        return f"{self.base}/ckan/{case.slug}"

    def _api(self, path: str):
        parts = urlsplit(path)
        match = re.fullmatch(r"/ckan/([^/]+)/api/(?:3/)?action/(\w+)", parts.path)
        if not match or match.group(1) not in self.apis:
            return None
        api, action = self.apis[match.group(1)], match.group(2)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        kind = "application/json"
        if action == "package_search":
            if self.empty:
                return api["nothing"], kind
            start = int(query.get("start", "0") or 0)
            if start == 0:
                return api["search"], kind
            later = {"count": api["count"], "results": []}
            return json.dumps({"success": True, "result": later}).encode(), kind
        if action == "package_show" and query.get("id") in api["show"]:
            return api["show"][query["id"]], kind
        missing = {"__type": "Not Found Error", "message": "Not found"}
        return json.dumps({"success": False, "error": missing}).encode(), kind, 404
