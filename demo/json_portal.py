"""The demo's third province: Cần Thơ, whose open-data portal is custom software with
a JSON API of its own (as Đà Nẵng's real one is), harvested by the national portal
with ``vndata_json`` (issue 21).

    python demo/json_portal.py DIR PORT

writes the portal into DIR: its API as static JSON files, a password file, and the
nginx server block that serves them on 127.0.0.1:PORT (the demo's nginx includes it).
The API is what the harvester meets on such portals: HTTP Basic login, a list paged by
page number (``?trang=N``, five records a page whatever size is asked, an empty list
after the last page), a detail endpoint per record (``/api/dulieu/<maDuLieu>``), and
Vietnamese labels for sectors and frequencies, which the source's value maps turn into
this portal's codes. The login is the demo's password (officers.password).

``SOURCE`` is the harvest source the national portal gets for it (demo/seed.py): the
mapping sits here, beside the records it reads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import secrets
import sys

# Run as a script: the demo package sits beside ckanext/ in the checkout.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from demo import officers  # noqa: E402

USER = "cong-quoc-gia"
PAGE_SIZE = 5
ORGANIZATION = {
    "name": "ubnd-thanh-pho-can-tho",
    "title": "Ủy ban nhân dân thành phố Cần Thơ",
    "description": "Cổng dữ liệu mở thành phố Cần Thơ (phần mềm riêng, API JSON).",
    "agency_level": "tinh",
    "province_code": "92",
    "website": "https://cantho.gov.vn",
}
_AGENCIES = {
    "tnmt": "Sở Nông nghiệp và Môi trường thành phố Cần Thơ",
    "gddt": "Sở Giáo dục và Đào tạo thành phố Cần Thơ",
    "yte": "Sở Y tế thành phố Cần Thơ",
    "xd": "Sở Xây dựng thành phố Cần Thơ",
}
# (id, title, description, sector label, frequency label, agency, files)
_RECORDS = [
    ("CT-001", "Chất lượng nước sông Hậu tại các trạm quan trắc",
     "Kết quả quan trắc nước mặt hằng tháng tại 12 trạm trên sông Hậu.",
     "Tài nguyên môi trường", "Hàng tháng", "tnmt", ["CSV", "XLSX"]),
    ("CT-002", "Danh sách điểm thu gom rác thải sinh hoạt",
     "Vị trí, giờ thu gom và đơn vị phụ trách của các điểm thu gom.",
     "Tài nguyên môi trường", "Hàng quý", "tnmt", ["GeoJSON"]),
    ("CT-003", "Mực nước triều cường tại bến Ninh Kiều",
     "Số đo mực nước theo giờ trong mùa triều cường.",
     "Tài nguyên môi trường", "Hàng ngày", "tnmt", ["CSV"]),
    ("CT-004", "Danh sách trường mầm non, tiểu học và trung học",
     "Tên, địa chỉ, loại hình và số học sinh của từng trường.",
     "Giáo dục", "Hàng năm", "gddt", ["CSV", "JSON"]),
    ("CT-005", "Kết quả kỳ thi tốt nghiệp trung học phổ thông theo trường",
     "Tỷ lệ tốt nghiệp và điểm trung bình các môn theo trường.",
     "Giáo dục", "Hàng năm", "gddt", ["XLSX"]),
    ("CT-006", "Danh sách cơ sở khám bệnh, chữa bệnh",
     "Bệnh viện, trạm y tế và phòng khám được cấp phép hoạt động.",
     "Y tế", "Hàng quý", "yte", ["CSV"]),
    ("CT-007", "Số ca sốt xuất huyết theo phường, xã",
     "Số ca mắc được ghi nhận mỗi tuần trên địa bàn thành phố.",
     "Y tế", "Hàng tuần", "yte", ["CSV"]),
    ("CT-008", "Danh mục công trình xây dựng được cấp phép",
     "Giấy phép xây dựng đã cấp: địa điểm, quy mô, chủ đầu tư.",
     "Xây dựng", "Hàng tháng", "xd", ["CSV", "PDF"]),
    ("CT-009", "Quy hoạch chung thành phố Cần Thơ đến năm 2030",
     "Bản đồ và thuyết minh quy hoạch chung đã được phê duyệt.",
     "Xây dựng", "Không định kỳ", "xd", ["PDF", "SHP"]),
    ("CT-010", "Giá đất ở theo tuyến đường",
     "Bảng giá đất ở tại các quận, huyện theo quyết định của UBND thành phố.",
     "Tài nguyên môi trường", "Hàng năm", "tnmt", ["XLSX"]),
    ("CT-011", "Lịch tiêm chủng mở rộng tại trạm y tế phường",
     "Lịch tiêm và loại vắc xin theo từng trạm y tế.",
     "Y tế", "Hàng tháng", "yte", ["CSV"]),
    ("CT-012", "Danh sách chợ nổi và điểm du lịch đường sông",
     "Tên, vị trí và giờ hoạt động của các chợ nổi và bến du lịch.",
     "Du lịch", "Không định kỳ", "xd", ["GeoJSON"]),
]  # fmt: skip

SOURCE = {
    "name": "cong-du-lieu-can-tho",
    "title": "Cổng dữ liệu mở Cần Thơ (API JSON)",
    "url": "{cantho}/api/dulieu",
    "source_type": "vndata_json",
    "owner_org": ORGANIZATION["name"],
    "config": {
        "province_code": "92",
        "defaults": {"data_sharing_class": "mo", "data_importance_class": "khac"},
        "personal_data_assessed": True,
        "paging": {"type": "page", "param": "trang", "start": 1},
        "detail_url": "{cantho}/api/dulieu/{id}",
        "detail_record": "duLieu",
        "basic_user": USER,
        "basic_password": "{password}",
        "mapping": {
            "records": "duLieu.danhSach",
            "identity": "maDuLieu",
            "modified": "ngayCapNhat",
            "publisher": "coQuan.ten",
            "fields": {"title": "tenDuLieu", "notes": "moTa", "sectors": "linhVuc",
                       "update_frequency": "tanSuat", "tag_string": "tuKhoa"},
            # The portal's own labels; "Du lịch" has no national sector: the
            # record is imported without it, and the job's report says so.
            "value_maps": {
                "sectors": {"Tài nguyên môi trường": "moi-truong",
                            "Giáo dục": "giao-duc-dao-tao", "Y tế": "y-te",
                            "Xây dựng": "co-so-ha-tang"},
                "update_frequency": {"Hàng ngày": "hang_ngay",
                                     "Hàng tuần": "hang_tuan",
                                     "Hàng tháng": "hang_thang",
                                     "Hàng quý": "hang_quy", "Hàng năm": "hang_nam",
                                     "Không định kỳ": "khong_dinh_ky"},
            },
            "resources": {"each": "tepDuLieu",
                          "fields": {"url": "duongDan", "name": "ten",
                                     "format": "dinhDang"}},
        },
    },
}  # fmt: skip


def source(cantho: str, password: str) -> dict:
    """SOURCE for the portal at ``cantho``, with its login."""
    text = json.dumps(SOURCE, ensure_ascii=False)
    text = text.replace("{cantho}", cantho).replace("{password}", password)
    return json.loads(text)


def _listed(record: tuple) -> dict:
    code, title, _notes, sector, _frequency, agency, _files = record
    return {
        "maDuLieu": code,
        "tenDuLieu": title,
        "linhVuc": sector,
        "coQuan": {"ten": _AGENCIES[agency]},
        "ngayCapNhat": "2026-11-20T08:00:00+07:00",
    }


def _detail(record: tuple) -> dict:
    code, title, notes, _sector, frequency, _agency, files = record
    return {
        **_listed(record),
        "moTa": notes,
        "tanSuat": frequency,
        "tuKhoa": "Cần Thơ",
        "tepDuLieu": [
            {
                "duongDan": f"https://opendata.cantho.gov.vn/tep/{code}.{kind.lower()}",
                "ten": f"{title} ({kind})",
                "dinhDang": kind,
            }
            for kind in files
        ],
    }


def _ssha(password: str) -> str:
    """An nginx auth_basic_user_file entry's password, salted SHA-1 (RFC 2307)."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def write(directory: pathlib.Path, port: int, password: str) -> pathlib.Path:
    """The portal's files under ``directory``; returns its nginx server block."""
    api = directory / "api"
    (api / "trang").mkdir(parents=True, exist_ok=True)
    (api / "chi-tiet").mkdir(exist_ok=True)
    pages = [_RECORDS[i : i + PAGE_SIZE] for i in range(0, len(_RECORDS), PAGE_SIZE)]
    for number, page in enumerate(pages + [[]], start=1):
        body = {"duLieu": {"danhSach": [_listed(r) for r in page],
                           "tongSo": len(_RECORDS)}}  # fmt: skip
        name = "rong" if not page else str(number)
        (api / "trang" / f"{name}.json").write_text(
            json.dumps(body, ensure_ascii=False)
        )
    for record in _RECORDS:
        body = {"duLieu": _detail(record)}
        (api / "chi-tiet" / f"{record[0]}.json").write_text(
            json.dumps(body, ensure_ascii=False)
        )
    users = directory / "htpasswd"
    users.write_text(f"{USER}:{_ssha(password)}\n")
    conf = directory / "nginx-server.conf"
    conf.write_text(f"""# Written by demo/json_portal.py: the Cần Thơ portal's JSON API.
  server {{
    listen 127.0.0.1:{port};
    root {api};
    default_type application/json;
    charset utf-8;
    charset_types application/json;
    auth_basic "Cong du lieu mo Can Tho";
    auth_basic_user_file {users};
    # ?trang=N: that page, or an empty list past the last one.
    location = /api/dulieu {{
      if ($arg_trang !~ "^[0-9]{{1,6}}$") {{ return 400; }}
      try_files /trang/$arg_trang.json /trang/rong.json;
    }}
    location ~ "^/api/dulieu/(?<ma>CT-[0-9]{{3}})$" {{
      try_files /chi-tiet/$ma.json =404;
    }}
    location /trang/ {{ internal; }}
    location / {{ return 404; }}
  }}
""")
    return conf


if __name__ == "__main__":
    folder, port = sys.argv[1:]
    print(write(pathlib.Path(folder), int(port), officers.password()))
