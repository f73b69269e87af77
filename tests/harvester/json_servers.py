"""Loopback JSON APIs of the kinds vndata_json harvests (issue 21): a Đà Nẵng-style
open-data portal (HTTP Basic, page-number paging, a list and a detail endpoint,
Vietnamese keys and labels) and a provincial data-sharing gateway (OAuth 2 client
credentials with tokens that expire, cursor paging)."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator

USER, PASSWORD = "cong-quoc-gia", "Mat-khau-2026"
API_KEY = "khoa-api-bi-mat"
CLIENT_ID, CLIENT_SECRET = "cong-du-lieu-quoc-gia", "bi-mat-ung-dung"


def danang_record(n: int, **changes) -> dict:
    """A record as the portal's list gives it."""
    return {
        "maDuLieu": f"DN-{n:04d}",
        "tenDuLieu": f"Danh sách trường học số {n}",
        "ngayCapNhat": "2026-03-01T08:00:00",
        "donVi": {"ten": "Sở Giáo dục và Đào tạo"},
        "linhVuc": "Giáo dục",
        **changes,
    }


def danang_detail(record: dict) -> dict:
    """What the detail endpoint adds to a listed record: its description and files."""
    return {
        **record,
        "moTa": f"Dữ liệu {record['tenDuLieu'].lower()} của thành phố Đà Nẵng.",
        "tanSuat": "Hằng năm",
        "tepDuLieu": [
            {
                "duongDan": f"https://opendata.danang.gov.vn/tep/{record['maDuLieu']}.csv",
                "ten": "Bảng dữ liệu",
                "dinhDang": "CSV",
            }
        ],
    }


DANANG_CONFIG = {
    "paging": {"type": "page", "param": "trang", "start": 1, "size_param": "soBanGhi",
               "size": 2},
    "detail_url": "{origin}/api/dulieu/{id}",
    "detail_record": "data",
    "basic_user": USER,
    "basic_password": PASSWORD,
    "mapping": {
        "records": "data.items",
        "identity": "maDuLieu",
        "modified": "ngayCapNhat",
        "publisher": "donVi.ten",
        "fields": {"title": "tenDuLieu", "notes": "moTa", "sectors": "linhVuc",
                   "update_frequency": "tanSuat"},
        "value_maps": {"sectors": {"Giáo dục": "giao-duc-dao-tao"},
                       "update_frequency": {"Hằng năm": "hang_nam"}},
        "resources": {"each": "tepDuLieu",
                      "fields": {"url": "duongDan", "name": "ten",
                                 "format": "dinhDang"}},
    },
}  # fmt: skip


class Api:
    """What the server holds and what it was asked."""

    def __init__(self):
        self.records: list[dict] = []
        self.hits: list[str] = []  # the paths asked, in order
        self.origin = ""
        # The gateway: tokens given out, each valid for this many API requests.
        self.tokens: dict[str, int] = {}
        self.token_uses = 100
        self.token_requests = 0
        self.secret = CLIENT_SECRET
        self.password = PASSWORD
        self.headers_seen: list[dict] = []  # of every request, in order
        self.next_link: str | None = None  # the keyed list's link after its page

    def config(self, template: dict) -> dict:
        text = json.dumps(template).replace("{origin}", self.origin)
        return json.loads(text)

    def detail_hits(self) -> list[str]:
        return [p for p in self.hits if p.startswith("/api/dulieu/")]


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


def _danang(api: Api, path: str, query: dict, authorization) -> tuple[int, object]:
    """The Đà Nẵng-style portal: HTTP Basic, pages by number, a detail per record."""
    if _basic(authorization) != (USER, api.password):
        return 401, {"loi": "Chưa đăng nhập"}
    if path == "/api/dulieu":
        page, size = int(query.get("trang", 1)), int(query.get("soBanGhi", 2))
        items = api.records[(page - 1) * size : page * size]
        return 200, {"data": {"items": items, "tong": len(api.records)}}
    record_id = urllib.parse.unquote(path.rsplit("/", 1)[1])
    for record in api.records:
        if record["maDuLieu"] == record_id:
            return 200, {"data": danang_detail(record)}
    return 404, {"loi": "Không tìm thấy"}


def _gateway(api: Api, query: dict, authorization) -> tuple[int, object]:
    """The gateway's list: bearer tokens, each good for ``token_uses`` requests;
    pages of two by cursor."""
    token = (authorization or "")[len("Bearer ") :]
    if api.tokens.get(token, 0) <= 0:
        return 401, {"error": "invalid_token"}
    api.tokens[token] -= 1
    start = int(query.get("cursor", 0))
    following = start + 2 if start + 2 < len(api.records) else None
    return 200, {"results": api.records[start : start + 2], "next_cursor": following}


def _token(api: Api, form: dict, authorization) -> tuple[int, object]:
    """The gateway's token endpoint (client credentials, client authenticated by
    HTTP Basic)."""
    client = _basic(authorization)
    if form.get("grant_type") != "client_credentials" or client != (
        CLIENT_ID,
        api.secret,
    ):
        return 401, {"error": "invalid_client"}
    api.token_requests += 1
    token = f"token-{api.token_requests}"
    api.tokens[token] = api.token_uses
    return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}


def _keyed(api: Api, query: dict, key: str | None) -> tuple[int, object]:
    """A list behind an API key in a header or the query, one page, with a link to
    ``next_link`` (another origin's, in the tests)."""
    if API_KEY not in (key, query.get("api_key")):
        return 401, {"error": "missing api key"}
    return 200, {"items": api.records, "next": api.next_link}


def _offset(api: Api, query: dict) -> tuple[int, object]:
    """A list paged by offset and limit, with no login."""
    start, limit = int(query.get("offset", 0)), int(query.get("limit", 2))
    return 200, {"items": api.records[start : start + limit]}


def _handler(api: Api):
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status: int, body) -> None:
            # A lone surrogate goes out as JSON writes one: the escape \udXXX.
            data = json.dumps(body, ensure_ascii=False).encode(
                "utf-8", "backslashreplace"
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's name)
            api.hits.append(self.path)
            api.headers_seen.append(dict(self.headers))
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            authorization = self.headers.get("Authorization")
            if parts.path.startswith("/api/"):
                return self._answer(*_danang(api, parts.path, query, authorization))
            if parts.path == "/gateway/datasets":
                return self._answer(*_gateway(api, query, authorization))
            if parts.path == "/offset/datasets":
                return self._answer(*_offset(api, query))
            if parts.path == "/keyed/datasets":
                key = self.headers.get("X-API-Key")
                return self._answer(*_keyed(api, query, key))
            return self._answer(404, {})

        def do_POST(self):  # noqa: N802
            api.hits.append(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path != "/oauth2/token":
                return self._answer(404, {})
            return self._answer(*_token(api, form, self.headers.get("Authorization")))

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def json_api() -> Iterator[Api]:
    api = Api()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


GATEWAY_CONFIG = {
    "paging": {"type": "cursor", "param": "cursor", "next": "next_cursor"},
    "oauth2": {"token_url": "{origin}/oauth2/token", "client_id": CLIENT_ID,
               "scope": "dulieu.doc"},
    "client_secret": CLIENT_SECRET,
    "mapping": {
        "records": "results",
        "identity": "maDuLieu",
        "modified": "ngayCapNhat",
        "publisher": "donVi.ten",
        "fields": {"title": "tenDuLieu", "sectors": "linhVuc"},
        "value_maps": {"sectors": {"Giáo dục": "giao-duc-dao-tao"}},
    },
}  # fmt: skip

KEYED_CONFIG = {
    "paging": {"type": "next", "next": "next"},
    "api_key_header": "X-API-Key",
    "api_key": API_KEY,
    "mapping": {
        "records": "items",
        "identity": "maDuLieu",
        "fields": {"title": "tenDuLieu", "sectors": "linhVuc"},
        "value_maps": {"sectors": {"Giáo dục": "giao-duc-dao-tao"}},
    },
}  # fmt: skip
