"""Create the demo's Vietnamese sample content on each portal, as its users would.

    python demo/seed.py URL API_TOKEN ROLE [PROVINCIAL_URL...]

URL and API_TOKEN are the portal's and its sysadmin's. ROLE is what is seeded:
- danang and hue: a provincial portal's agencies, realistic open datasets (Huế's
  includes one still private, because it is shared, not open, data) and the officers who
  work on plans there;
- danang-plans and hue-plans: the provincial plans (demo/plans.py), made on that
  portal through its web pages (Đà Nẵng) or its action API (Huế) and published there;
- national: what the national portal has of its own: the provincial agencies (each
  source's publisher rules file their datasets and plans there), and the sources
  (a third PROVINCIAL_URL adds Cần Thơ's JSON API, demo/json_portal.py). Its plans
  come only from the harvest;
- arrived: after the harvest, what reached the national portal.
Idempotent: what already exists is left as it is.
"""

from __future__ import annotations

import json
import pathlib
import sys

# Run as a script: the demo package sits beside ckanext/ in the checkout.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from demo import (  # noqa: E402
    enter_by_api,
    enter_by_web,
    json_portal,
    officers,
    plans,
)
from demo.portal import Portal, Refused  # noqa: E402

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
        "name": "so-xay-dung-da-nang",
        "title": "Sở Xây dựng thành phố Đà Nẵng",
        "description": "Quản lý nhà nước về xây dựng, quy hoạch, giao thông.",
        "agency_level": "so_nganh",
        "parent_agency_code": "H17",
        "province_code": "48",
        "website": "https://sxd.danang.gov.vn",
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
        # Updated last month: its plan item is delivered and up to date.
        "modified": plans.days(-30),
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
            # Each Đà Nẵng agency publishes here under its own organization: without
            # a rule, Sở Xây dựng's datasets and plans would be filed under the
            # source's organization, Sở KH&CN, and counted as its own.
            "publisher_rules": [
                {"agency_code": "H17.14", "organization": "so-khcn-da-nang"},
                {
                    "name": "Sở Xây dựng thành phố Đà Nẵng",
                    "organization": "so-xay-dung-da-nang",
                },
            ],
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
# The agencies of each provincial portal; the first one owns its harvest source.
PROVINCES = {
    "danang": ("so-khcn-da-nang", "so-xay-dung-da-nang"),
    "hue": ("ubnd-thanh-pho-hue",),
}
PLANS = {
    "danang-plans": (enter_by_web.published_plan, enter_by_web.draft_plan),
    "hue-plans": (enter_by_api.published_plan,),
}


def _seed_organizations(portal: Portal, names: set[str]) -> None:
    for org in ORGANIZATIONS:
        if org["name"] in names and not portal.exists("organization_show", org["name"]):
            portal.call("organization_create", **org)
            print(f"  tổ chức {org['name']}")


def _seed_province(portal: Portal, role: str) -> None:
    _seed_organizations(portal, set(PROVINCES[role]))
    for dataset in DATASETS:
        if dataset["owner_org"] not in PROVINCES[role]:
            continue
        if not portal.exists("package_show", dataset["name"]):
            portal.call("package_create", **dataset)
            print(f"  tập dữ liệu {dataset['name']}")
    officers.seed(portal, role)


def _seed_national(
    portal: Portal, danang: str, hue: str, cantho: str | None = None
) -> None:
    # every provincial agency: the publisher rules file each one's datasets and plans
    _seed_organizations(
        portal, {name for names in PROVINCES.values() for name in names}
    )
    sources = [
        dict(source, url=source["url"].format(danang=danang, hue=hue))
        for source in HARVEST_SOURCES
    ]
    if cantho:  # the province whose portal has a JSON API of its own
        if not portal.exists("organization_show", json_portal.ORGANIZATION["name"]):
            portal.call("organization_create", **json_portal.ORGANIZATION)
        sources.append(json_portal.source(cantho, officers.password()))
    for fields in sources:
        if portal.exists("harvest_source_show", fields["name"]):
            continue
        fields["config"] = json.dumps(fields["config"], ensure_ascii=False)
        portal.call("harvest_source_create", **fields)
        print(f"  nguồn thu thập {fields['name']}")


def _arrived(portal: Portal) -> None:
    """What the harvest brought: the plans on the national portal, per agency."""
    found = portal.call("vndata_plan_list")
    print(f"  {len(found)} kế hoạch trên cổng quốc gia (vndata_plan_list)")
    if not found:
        print("  (chưa thu thập được kế hoạch nào: xem báo cáo thu thập ở trên)")
    titles: dict[str, str] = {}
    for plan in found:
        organization = plan["organization_id"]
        if organization not in titles:
            titles[organization] = portal.call("organization_show", id=organization)[
                "title"
            ]
        origin = f", từ {plan['remote_url']}" if plan.get("remote_url") else ""
        print(
            f"  - {titles[organization]}: {plan['title']} "
            f"(phiên bản {plan['version']}, {plan['status']}{origin})"
        )


def run(portal: Portal, role: str, *provincial_urls: str) -> None:
    """Seed ``role`` (see the module's docstring) on the portal, as its sysadmin."""
    if role in PROVINCES:
        _seed_province(portal, role)
    elif role in PLANS:
        for step in PLANS[role]:
            step(portal)
    elif role == "national":
        _seed_national(portal, *provincial_urls)
    elif role == "arrived":
        _arrived(portal)
    else:
        raise SystemExit(f"unknown role {role}")


if __name__ == "__main__":
    try:
        url, token, *what = sys.argv[1:]
        run(Portal(url, token), *what)
    except Refused as refusal:
        raise SystemExit(f"[demo] refused: {refusal}") from None
