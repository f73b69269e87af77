"""Create the demo's Vietnamese sample content through each portal's action API.

    python demo/seed.py URL API_TOKEN ROLE

ROLE is the portal being seeded:
- danang and hue: a provincial portal with its agency and realistic open datasets (Huế's
  includes one still private, because it is shared, not open, data);
- national: the national agencies and the harvest sources for the provincial portals;
- plans: after the harvest, the plans of the demo agencies.
Idempotent: what already exists is left as it is.
"""

from __future__ import annotations

import json
import pathlib
import sys

import requests

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import plans  # noqa: E402

ORGANIZATIONS = [
    {
        "name": "so-khcn-da-nang",
        "title": "Sở Khoa học và Công nghệ thành phố Đà Nẵng",
        "description": "Cơ quan chủ trì công bố dữ liệu mở của thành phố Đà Nẵng.",
        "agency_code": "H17.14",
        "agency_level": "so_nganh",
        "parent_agency_code": "H17",
        "province_code": "48",
        "website": "https://dost.danang.gov.vn",
        "contact_name": "Phòng Quản lý công nghệ thông tin",
        "contact_email": "opendata@danang.gov.vn",
    },
    {
        "name": "ubnd-thanh-pho-hue",
        "title": "Ủy ban nhân dân thành phố Huế",
        "description": "Cổng dữ liệu mở thành phố Huế.",
        "agency_code": "000.00.00.H57",
        "agency_level": "tinh",
        "province_code": "46",
        "website": "https://hue.gov.vn",
    },
]

_COMMON = {
    "data_sharing_class": "mo",
    "data_importance_class": "khac",
    "personal_data_assessed": True,
    "language": "vi",
}

DATASETS = [
    {
        **_COMMON,
        "name": "danh-sach-truong-hoc-da-nang",
        "title": "Danh sách trường học Đà Nẵng",
        "title_en": "Schools of Da Nang",
        "notes": "Các trường mầm non, tiểu học, trung học trên địa bàn thành phố.",
        "owner_org": "so-khcn-da-nang",
        "publisher_code": "H17.14",
        "sectors": ["giao-duc-dao-tao", "dia-phuong"],
        "tag_string": "giáo dục,trường học",
        "update_frequency": "hang_nam",
        "issued": "15/09/2025",
        "province_code": "48",
        "source_database": "Cơ sở dữ liệu ngành giáo dục thành phố Đà Nẵng",
        "source_database_type": "dia_phuong",
        "legal_basis": "804/QĐ-UBND ngày 05/03/2026",
        "contact_email": "opendata@danang.gov.vn",
        "resources": [
            {
                "name": "Danh sách trường học (CSV)",
                "url": "https://opendata.danang.gov.vn/truong-hoc.csv",
                "format": "CSV",
            }
        ],
    },
    {
        **_COMMON,
        "name": "diem-wifi-cong-cong-da-nang",
        "title": "Điểm wifi công cộng Đà Nẵng",
        "title_en": "Public wifi hotspots of Da Nang",
        "notes": "Vị trí các điểm truy cập wifi miễn phí do thành phố cung cấp.",
        "owner_org": "so-khcn-da-nang",
        "sectors": ["co-so-ha-tang", "cong-nghe"],
        "tag_string": "hạ tầng số,wifi",
        "update_frequency": "hang_quy",
        "issued": "2025-01-10",
        "modified": "2025-04-02",
        "province_code": "Quảng Nam",
        "resources": [
            {
                "name": "Điểm wifi (GeoJSON)",
                "url": "https://opendata.danang.gov.vn/wifi.geojson",
                "format": "GeoJSON",
            },
            {
                "name": "Dịch vụ tra cứu điểm wifi",
                "url": "https://opendata.danang.gov.vn/api/wifi",
                "format": "JSON",
                "access_type": "api",
            },
        ],
    },
    {
        **_COMMON,
        "name": "di-tich-lich-su-hue",
        "title": "Di tích lịch sử - văn hóa thành phố Huế",
        "title_en": "Historical and cultural relics of Hue",
        "notes": "Danh mục di tích đã được xếp hạng cấp quốc gia và cấp tỉnh.",
        "owner_org": "ubnd-thanh-pho-hue",
        "publisher_code": "000.00.14.H57",
        "sectors": ["xa-hoi", "dia-phuong"],
        "tag_string": "văn hóa,du lịch",
        "update_frequency": "hang_nam",
        "issued": "01/06/2024",
        "province_code": "46",
        "resources": [
            {
                "name": "Danh mục di tích (XLSX)",
                "url": "https://data.hue.gov.vn/di-tich.xlsx",
                "format": "XLSX",
            }
        ],
    },
    {
        **_COMMON,
        "name": "quan-trac-chat-luong-nuoc-song-huong",
        "title": "Quan trắc chất lượng nước sông Hương",
        "title_en": "Perfume River water quality monitoring",
        "notes": "Kết quả quan trắc định kỳ tại các trạm trên sông Hương.",
        "owner_org": "ubnd-thanh-pho-hue",
        "sectors": ["moi-truong"],
        "tag_string": "môi trường,quan trắc",
        "update_frequency": "hang_thang",
        "issued": "2025-02-01",
        "modified": "2025-08-01",
        "province_code": "46",
        "commune_code": "19786",
        "resources": [
            {
                "name": "Kết quả quan trắc (RDF)",
                "url": "https://data.hue.gov.vn/quan-trac.ttl",
                "format": "TTL",
            }
        ],
    },
    {
        **_COMMON,
        "name": "ho-so-hanh-chinh-cong-hue",
        "title": "Số liệu hồ sơ thủ tục hành chính thành phố Huế",
        "notes": "Dữ liệu dùng chung giữa các cơ quan; chưa công bố mở.",
        "owner_org": "ubnd-thanh-pho-hue",
        "private": True,
        "data_sharing_class": "dung_chung",
        "sectors": ["xa-hoi"],
        "update_frequency": "hang_thang",
        "province_code": "46",
        "resources": [],
    },
]


def _call(portal: str, token: str, action: str, **data) -> dict:
    response = requests.post(
        f"{portal}/api/3/action/{action}",
        json=data,
        headers={"Authorization": token},
        timeout=60,
    )
    body = response.json()
    if not body.get("success"):
        raise RuntimeError(f"{action} failed: {body.get('error')}")
    return body["result"]


def _exists(portal: str, token: str, action: str, name: str) -> bool:
    response = requests.get(
        f"{portal}/api/3/action/{action}",
        params={"id": name},
        headers={"Authorization": token},
        timeout=60,
    )
    return response.status_code == 200


HARVEST_SOURCES = [
    {
        "name": "cong-du-lieu-da-nang",
        "title": "Cổng dữ liệu mở Đà Nẵng (DCAT)",
        "url": "{danang}/catalog.ttl",
        "source_type": "vndata_dcat",
        "owner_org": "so-khcn-da-nang",
        "config": {
            "province_code": "48",
            "deletion": {"max_share": 0.2, "grace_days": 7},
        },
    },
    {
        "name": "cong-du-lieu-hue",
        "title": "Cổng dữ liệu mở Huế (CKAN API)",
        "url": "{hue}",
        "source_type": "vndata_ckan",
        "owner_org": "ubnd-thanh-pho-hue",
        "config": {"province_code": "46"},
    },
]
PROVINCES = {"danang": "so-khcn-da-nang", "hue": "ubnd-thanh-pho-hue"}


def _seed_organizations(url: str, token: str, names: set[str]) -> None:
    for org in ORGANIZATIONS:
        if org["name"] in names and not _exists(
            url, token, "organization_show", org["name"]
        ):
            _call(url, token, "organization_create", **org)
            print(f"  tổ chức {org['name']}")


def main(url: str, token: str, role: str, *provincial_urls: str) -> None:
    if role in PROVINCES:
        _seed_organizations(url, token, {PROVINCES[role]})
        for dataset in DATASETS:
            if dataset["owner_org"] != PROVINCES[role]:
                continue
            if not _exists(url, token, "package_show", dataset["name"]):
                _call(url, token, "package_create", **dataset)
                print(f"  tập dữ liệu {dataset['name']}")
    elif role == "national":
        _seed_organizations(url, token, set(PROVINCES.values()))
        danang, hue = provincial_urls
        for source in HARVEST_SOURCES:
            if _exists(url, token, "harvest_source_show", source["name"]):
                continue
            fields = dict(source, url=source["url"].format(danang=danang, hue=hue))
            fields["config"] = json.dumps(fields["config"])
            _call(url, token, "harvest_source_create", **fields)
            print(f"  nguồn thu thập {source['name']}")
    elif role == "plans":
        plans.seed(lambda action, **data: _call(url, token, action, **data))
    else:
        raise SystemExit(f"unknown role {role}")


if __name__ == "__main__":
    main(*sys.argv[1:])
