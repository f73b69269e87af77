"""A varied set of Vietnamese datasets, as two provinces and a ministry publish them."""

from __future__ import annotations

import itertools

import pytest

from ckan.tests import factories, helpers

FORMATS = [
    ("CSV", "text/csv", "tai_ve"),
    ("JSON", "application/json", "api"),
    ("XLSX", None, "tai_ve"),
    ("PDF", "application/pdf", "tai_ve"),
    ("GeoJSON", None, "tai_ve"),
    ("TTL", "text/turtle", "tai_ve"),
]
SECTORS = [
    ["giao-duc-dao-tao"],
    ["y-te", "xa-hoi"],
    ["moi-truong"],
    ["co-so-ha-tang", "dia-phuong"],
    ["kinh-te-thuong-mai"],
    ["nong-nghiep", "nang-luong"],
]
FREQUENCIES = ["hang_ngay", "hang_thang", "hang_quy", "hang_nam", "khong_dinh_ky"]
PLACES = [
    ("48", "20242"),
    ("46", None),
    ("Quảng Nam", None),
    (None, None),
    ("79", None),
]


def varied_datasets(org_ids: list[str], count: int = 22) -> list[dict]:
    datasets = []
    cycle = itertools.count()
    for n in range(count):
        i = next(cycle)
        fmt, mime, access = FORMATS[i % len(FORMATS)]
        province, commune = PLACES[i % len(PLACES)]
        dataset = {
            "title": f"Tập dữ liệu mở số {n}: trường học, bệnh viện và giá đất",
            "notes": f"Mô tả chi tiết của tập dữ liệu {n}, cập nhật theo kế hoạch.",
            "owner_org": org_ids[i % len(org_ids)],
            "sectors": SECTORS[i % len(SECTORS)],
            "data_sharing_class": "mo",
            "data_importance_class": "khac",
            "personal_data_assessed": True,
            "update_frequency": FREQUENCIES[i % len(FREQUENCIES)],
            "issued": f"{(i % 28) + 1:02d}/0{(i % 9) + 1}/2025",
            "tag_string": "dữ liệu mở,việt nam",
            "resources": [
                {
                    "name": f"Tài nguyên {n}",
                    "description": "Tệp dữ liệu mã hóa UTF-8.",
                    "url": f"https://opendata.example.gov.vn/files/{n}.{fmt.lower()}",
                    "format": fmt,
                    "access_type": access,
                    "size": 1024 * (n + 1),
                    **({"mimetype": mime} if mime else {}),
                    **(
                        {"api_docs": "https://opendata.example.gov.vn/api/docs"}
                        if access == "api"
                        else {}
                    ),  # fmt: skip
                }
            ],
        }
        if province:
            dataset["province_code"] = province
        if commune:
            dataset["commune_code"] = commune
        if n % 2 == 0:
            dataset.update(
                title_en=f"Open dataset {n}",
                publisher_code="000.00.14.H57" if n % 4 == 0 else "H17.14",
                contact_name="Phòng Công nghệ thông tin",
                contact_email="opendata@example.gov.vn",
                contact_phone="0236 3822 111",
                temporal_start="2024-01-01",
                temporal_end="2024-12-31",
                modified="2025-10-01",
                source_database="Cơ sở dữ liệu ngành",
                source_database_type="dia_phuong",
                legal_basis="804/QĐ-UBND ngày 05/03/2026",
                conforms_to="https://dulieu.gov.vn/tu-dien/truong-hoc",
                managing_agency="Ủy ban nhân dân thành phố",
                license_id=["vn-open-data-terms", "CC-BY-4.0", "CC0-1.0"][n % 3],
            )
        datasets.append(dataset)
    return datasets


@pytest.fixture
def vietnamese_catalogue():
    """22 datasets of three agencies, created through the action API."""
    sysadmin = factories.Sysadmin()
    orgs = [
        factories.Organization(
            title="Sở Khoa học và Công nghệ Đà Nẵng", agency_code="H17.14"
        ),
        factories.Organization(
            title="Ủy ban nhân dân thành phố Huế", agency_code="000.00.00.H57"
        ),
        factories.Organization(title="Bộ Khoa học và Công nghệ", agency_code="G06"),
    ]
    return [
        helpers.call_action("package_create", context={"user": sysadmin["name"]}, **d)
        for d in varied_datasets([o["id"] for o in orgs])
    ]
