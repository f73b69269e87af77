"""Create the demo's Vietnamese sample content through the portal's action API.

Idempotent: what already exists is left as it is.
    python demo/seed.py URL API_TOKEN
"""

from __future__ import annotations

import sys

import requests

ORGANIZATIONS = [
    {
        "name": "so-khcn-da-nang",
        "title": "Sở Khoa học và Công nghệ thành phố Đà Nẵng",
        "description": "Cơ quan chủ trì công bố dữ liệu mở của thành phố Đà Nẵng.",
    },
    {
        "name": "ubnd-thanh-pho-hue",
        "title": "Ủy ban nhân dân thành phố Huế",
        "description": "Cổng dữ liệu mở thành phố Huế.",
    },
]

DATASETS = [
    {
        "name": "danh-sach-truong-hoc-da-nang",
        "title": "Danh sách trường học Đà Nẵng",
        "title_en": "Schools of Da Nang",
        "notes": "Các trường mầm non, tiểu học, trung học trên địa bàn thành phố.",
        "owner_org": "so-khcn-da-nang",
        "tags": [{"name": "giáo dục"}, {"name": "trường học"}],
        "resources": [
            {
                "name": "Danh sách trường học (CSV)",
                "url": "https://opendata.danang.gov.vn/truong-hoc.csv",
                "format": "CSV",
            }
        ],
    },
    {
        "name": "diem-wifi-cong-cong-da-nang",
        "title": "Điểm wifi công cộng Đà Nẵng",
        "title_en": "Public wifi hotspots of Da Nang",
        "notes": "Vị trí các điểm truy cập wifi miễn phí do thành phố cung cấp.",
        "owner_org": "so-khcn-da-nang",
        "tags": [{"name": "hạ tầng số"}],
        "resources": [
            {
                "name": "Điểm wifi (GeoJSON)",
                "url": "https://opendata.danang.gov.vn/wifi.geojson",
                "format": "GeoJSON",
            }
        ],
    },
    {
        "name": "di-tich-lich-su-hue",
        "title": "Di tích lịch sử - văn hóa thành phố Huế",
        "title_en": "Historical and cultural relics of Hue",
        "notes": "Danh mục di tích đã được xếp hạng cấp quốc gia và cấp tỉnh.",
        "owner_org": "ubnd-thanh-pho-hue",
        "tags": [{"name": "văn hóa"}, {"name": "du lịch"}],
        "resources": [
            {
                "name": "Danh mục di tích (XLSX)",
                "url": "https://opendata.hue.gov.vn/di-tich.xlsx",
                "format": "XLSX",
            }
        ],
    },
]


def _call(url: str, token: str, action: str, **data) -> dict:
    response = requests.post(
        f"{url}/api/3/action/{action}",
        json=data,
        headers={"Authorization": token},
        timeout=60,
    )
    body = response.json()
    if not body.get("success"):
        raise RuntimeError(f"{action} failed: {body.get('error')}")
    return body["result"]


def _exists(url: str, token: str, action: str, name: str) -> bool:
    response = requests.get(
        f"{url}/api/3/action/{action}",
        params={"id": name},
        headers={"Authorization": token},
        timeout=60,
    )
    return response.status_code == 200


def main(url: str, token: str) -> None:
    for org in ORGANIZATIONS:
        if not _exists(url, token, "organization_show", org["name"]):
            _call(url, token, "organization_create", **org)
            print(f"  tổ chức {org['name']}")
    for dataset in DATASETS:
        if not _exists(url, token, "package_show", dataset["name"]):
            _call(url, token, "package_create", **dataset)
            print(f"  tập dữ liệu {dataset['name']}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
