"""Controlled vocabularies of the Vietnamese metadata schema, each with its source.

Labels are ``{"vi": ..., "en": ...}`` dicts, the form ckanext-scheming shows in the
user's language. URIs point at the EU authority tables that DCAT-AP uses.
"""

from __future__ import annotations

import dataclasses

from dateutil.relativedelta import relativedelta

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


@dataclasses.dataclass(frozen=True)
class Term:
    value: str
    vi: str
    en: str
    uri: str | None = None

    @property
    def label(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


# The 12 fields (lĩnh vực) of the national open-data portal (launch, 31/08/2020), each
# mapped to the closest EU data theme; the mapping is ours, no official one exists.
SECTORS = (
    Term("nong-nghiep", "Nông nghiệp", "Agriculture", EU_THEME + "AGRI"),
    Term(
        "kinh-te-thuong-mai",
        "Kinh tế - Thương mại",
        "Economy and trade",
        EU_THEME + "ECON",
    ),
    Term(
        "giao-duc-dao-tao",
        "Giáo dục đào tạo",
        "Education and training",
        EU_THEME + "EDUC",
    ),
    Term("y-te", "Y tế", "Health", EU_THEME + "HEAL"),
    Term("lao-dong", "Lao động", "Labour", EU_THEME + "SOCI"),
    Term("moi-truong", "Môi trường", "Environment", EU_THEME + "ENVI"),
    Term("tai-chinh", "Tài chính", "Finance", EU_THEME + "ECON"),
    Term("nang-luong", "Năng lượng", "Energy", EU_THEME + "ENER"),
    Term("co-so-ha-tang", "Cơ sở hạ tầng", "Infrastructure", EU_THEME + "TRAN"),
    Term("xa-hoi", "Xã hội", "Society", EU_THEME + "SOCI"),
    Term("cong-nghe", "Công nghệ", "Technology", EU_THEME + "TECH"),
    Term("dia-phuong", "Địa phương", "Local and regional", EU_THEME + "REGI"),
)

# Update frequency ("tần suất cập nhật") and how far ahead the next update falls due.
UPDATE_FREQUENCIES = (
    Term("lien_tuc", "Liên tục", "Continuous", EU_FREQUENCY + "UPDATE_CONT"),
    Term("hang_ngay", "Hằng ngày", "Daily", EU_FREQUENCY + "DAILY"),
    Term("hang_tuan", "Hằng tuần", "Weekly", EU_FREQUENCY + "WEEKLY"),
    Term("hang_thang", "Hằng tháng", "Monthly", EU_FREQUENCY + "MONTHLY"),
    Term("hang_quy", "Hằng quý", "Quarterly", EU_FREQUENCY + "QUARTERLY"),
    Term("nua_nam", "Sáu tháng một lần", "Every six months", EU_FREQUENCY + "BIANNUAL"),
    Term("hang_nam", "Hằng năm", "Annual", EU_FREQUENCY + "ANNUAL"),
    Term("khong_dinh_ky", "Không định kỳ", "Irregular", EU_FREQUENCY + "IRREG"),
)
UPDATE_INTERVALS = {
    "lien_tuc": relativedelta(days=1),
    "hang_ngay": relativedelta(days=1),
    "hang_tuan": relativedelta(weeks=1),
    "hang_thang": relativedelta(months=1),
    "hang_quy": relativedelta(months=3),
    "nua_nam": relativedelta(months=6),
    "hang_nam": relativedelta(years=1),
}

# Law on Data 2024, Art. 13(1)(a): classification by sharing.
SHARING_CLASSES = (
    Term("mo", "Dữ liệu mở", "Open data"),
    Term("dung_chung", "Dữ liệu dùng chung", "Shared data"),
    Term("dung_rieng", "Dữ liệu dùng riêng", "Private data"),
)

# Classification by importance: Law on Data 2024, Art. 13(1)(b); Decision 20/2025.
IMPORTANCE_CLASSES = (
    Term("cot_loi", "Dữ liệu cốt lõi", "Core data"),
    Term("quan_trong", "Dữ liệu quan trọng", "Important data"),
    Term("khac", "Dữ liệu khác", "Other data"),
)

# Law on E-Transactions 2023 Art. 40(2); Decree 47/2020 Art. 11(1).
SOURCE_DATABASE_TYPES = (
    Term("quoc_gia", "Cơ sở dữ liệu quốc gia", "National database"),
    Term("bo_nganh", "Cơ sở dữ liệu của bộ, ngành", "Ministry or sector database"),
    Term("dia_phuong", "Cơ sở dữ liệu của địa phương", "Local database"),
    Term("khac", "Cơ sở dữ liệu khác", "Other database"),
)

# Decree 47/2020 Art. 21(1): packaged download or data-sharing service (API).
ACCESS_TYPES = (
    Term("tai_ve", "Tải về", "Download"),
    Term("api", "Dịch vụ chia sẻ dữ liệu (API)", "Data-sharing service (API)"),
)

AGENCY_LEVELS = (
    Term("trung_uong", "Bộ, cơ quan trung ương", "Ministry or central agency"),
    Term("tinh", "Ủy ban nhân dân cấp tỉnh", "Provincial People's Committee"),
    Term("so_nganh", "Sở, ban, ngành", "Department"),
    Term("xa", "Ủy ban nhân dân cấp xã", "Commune People's Committee"),
    Term("don_vi_su_nghiep", "Đơn vị sự nghiệp công lập", "Public service unit"),
    Term("khac", "Cơ quan, tổ chức khác", "Other agency or organisation"),
)

LANGUAGES = (
    Term(
        "vi",
        "Tiếng Việt",
        "Vietnamese",
        "http://publications.europa.eu/resource/authority/language/VIE",
    ),
    Term(
        "en",
        "Tiếng Anh",
        "English",
        "http://publications.europa.eu/resource/authority/language/ENG",
    ),
)

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "sectors": SECTORS,
    "update_frequency": UPDATE_FREQUENCIES,
    "data_sharing_class": SHARING_CLASSES,
    "data_importance_class": IMPORTANCE_CLASSES,
    "source_database_type": SOURCE_DATABASE_TYPES,
    "access_type": ACCESS_TYPES,
    "agency_level": AGENCY_LEVELS,
    "language": LANGUAGES,
}


def term(vocabulary: str, value: str) -> Term | None:
    """The term of ``vocabulary`` whose value is ``value``, if there is one."""
    return next((t for t in VOCABULARIES[vocabulary] if t.value == value), None)


def choices(vocabulary: str) -> list[dict]:
    """Scheming ``choices`` for a vocabulary."""
    return [{"value": t.value, "label": t.label} for t in VOCABULARIES[vocabulary]]
