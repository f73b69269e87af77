"""Every field of a plan, a phase and an item, each minimum level, and each fact a
dataset link keeps, declared once.

The model, the validation schemas, the forms, the Excel workbook, the template labels,
compliance, dictization and sync read them from here, so adding a minimum level is one
entry in ``LEVELS`` plus a migration adding its column (tests/plan/test_fields.py keeps
that true). Labels are English msgids, translated where they are shown (``tk._``);
Excel headers are the file format and stay Vietnamese in every locale.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from ckanext.vndata.lib import openness
from ckanext.vndata.lib.dates import parse_date
from ckanext.vndata.lib.i18n import N_
from ckanext.vndata.plan import metadata_quality


@dataclasses.dataclass(frozen=True)
class Field:
    key: str
    # The rule the schemas apply (logic/schema.py, one chain per kind).
    kind: str
    label: str | None = None  # form label (None: not on a form)
    header: str | None = None  # Excel header (None: not in the workbook)
    widget: str | None = None  # form input (None: not on the form)


@dataclasses.dataclass(frozen=True)
class Level(Field):
    """A minimum level of a phase: a column of the phase, judged by compliance."""

    widget: str | None = "number"
    report_label: str = ""  # what compliance measures, in reports and badges
    doc: str = ""  # the phase actions' API documentation of the level
    # How compliance measures it over the published items of the phase (see
    # compliance.evaluate_phase): "published" (how many), "percent_published" (share of
    # the list), "lowest_stars", or "share" (share of published items whose datasets
    # pass ``test(datasets, as_of)``).
    measure: str = "share"
    test: Callable[[Sequence[Any], datetime.date], bool] | None = None
    # The report label in the reader's language when it depends on configuration
    # (None: ``tk._(report_label)``).
    describe: Callable[[], str] | None = None
    # How it is measured, in the reader's language, shown under its label on the plan
    # page (None: the label says it all).
    explain: Callable[[], str] | None = None

    def column(self) -> sa.Column:
        return sa.Column(sa.Float if self.kind == "percent" else sa.Integer)


PLAN = (
    Field("title", "required_text", N_("Title"), "Tên kế hoạch", "text"),
    Field("period_start", "year", N_("First year"), "Năm bắt đầu", "number"),
    Field("period_end", "year", N_("Last year"), "Năm kết thúc", "number"),
    Field(
        "decision_number",
        "text",
        N_("Decision number"),
        "Số quyết định ban hành",
        "text",
    ),
    Field("decision_date", "date", N_("Decision date"), "Ngày ban hành", "date"),
    Field("decision_signer", "text", N_("Signed by"), "Người ký", "text"),
    Field("objectives", "text", N_("Objectives"), "Mục tiêu", "textarea"),
    Field("contact_name", "text", N_("Contact person"), "Đầu mối liên hệ", "text"),
    Field("contact_email", "email", N_("Contact e-mail"), "Thư điện tử", "email"),
    Field("contact_phone", "text", N_("Contact phone"), "Điện thoại", "text"),
    Field("submission_ref", "text"),
    Field("legal_basis", "text"),
    Field("safety_measures", "text"),
    Field("promotion_measures", "text"),
    Field("review_interval_months", "review_interval"),
    Field("last_review_date", "date"),
)

LEVELS = (
    Level(
        key="min_datasets",
        kind="count",
        label=N_("Minimum datasets"),
        header="Số tập dữ liệu tối thiểu",
        report_label=N_("Datasets published"),
        doc="datasets published by the end of the phase",
        measure="published",
    ),
    Level(
        key="min_percent_published",
        kind="percent",
        label=N_("List published (%)"),
        header="% danh mục đã công bố",
        report_label=N_("List published (%)"),
        doc="% of the list published",
        measure="percent_published",
    ),
    Level(
        key="min_stars",
        kind="stars",
        label=N_("Minimum stars"),
        header="Mức sao tối thiểu",
        report_label=N_("Stars (lowest of the published)"),
        doc="minimum openness stars (0-5) of every published item",
        measure="lowest_stars",
    ),
    Level(
        key="min_percent_machine_readable",
        kind="percent",
        label=N_("Machine-readable (%)"),
        header="% máy đọc được",
        report_label=N_("Machine-readable (%)"),
        doc="% of published items machine-readable",
        test=lambda datasets, when: any(d.machine_readable for d in datasets),
    ),
    Level(
        key="min_percent_api",
        kind="percent",
        label=N_("With an API (%)"),
        header="% có API",
        report_label=N_("With an API (%)"),
        doc="% of published items offered as an API",
        test=lambda datasets, when: any(d.has_api for d in datasets),
    ),
    Level(
        key="min_percent_complete_metadata",
        kind="percent",
        label=N_("Complete metadata (%)"),
        header="% siêu dữ liệu đầy đủ",
        report_label=N_("Complete metadata (%)"),
        doc="% of published items with a dataset whose metadata quality (MQA) "
        "rating is ckanext.vndata.quality.complete_rating or better",
        test=lambda datasets, when: any(d.metadata_complete for d in datasets),
        describe=metadata_quality.complete_label,
        explain=metadata_quality.complete_help,
    ),
    Level(
        key="min_percent_updated_on_schedule",
        kind="percent",
        label=N_("Updated on schedule (%)"),
        header="% cập nhật đúng hạn",
        report_label=N_("Updated on schedule (%)"),
        doc="% updated on schedule",
        test=lambda datasets, when: all(
            d.next_update_due is None or d.next_update_due >= when for d in datasets
        ),
    ),
)

PHASE = (
    Field("label", "required_text", N_("Phase"), "Giai đoạn", "text"),
    Field("start_date", "required_date", N_("From"), "Từ ngày", "date"),
    Field("end_date", "required_date", N_("To"), "Đến ngày", "date"),
    Field("position", "position"),
    *LEVELS,
)

ITEM = (
    Field("number", "number", N_("No."), "STT", "number"),
    Field("title", "required_text", N_("Title"), "Tên dữ liệu", "text"),
    Field("description", "text", N_("Description"), "Mô tả", "textarea"),
    Field("sector", "sector", N_("Sector"), "Lĩnh vực", "sectors"),
    Field("lead_agency", "text", N_("Lead agency"), "Cơ quan chủ trì", "text"),
    Field(
        "source_database",
        "text",
        N_("Source database"),
        "Cơ sở dữ liệu nguồn",
        "text",
    ),
    Field("formats", "text_list", N_("Formats"), "Định dạng"),
    Field(
        "update_frequency",
        "frequency",
        N_("Update frequency"),
        "Tần suất cập nhật",
        "update_frequency",
    ),
    # The workbook names the phase by its label (column "phase"), the form by its id.
    Field("phase_id", "id", N_("Phase"), "Giai đoạn", "phase"),
    Field(
        "target_date", "date", N_("Publication deadline"), "Thời hạn công bố", "date"
    ),
    Field("priority", "priority", N_("Priority"), "Mức ưu tiên"),
    Field("cooperating_agencies", "text_list"),
    Field("source_database_type", "source_database_type"),
    Field("channel", "text"),
    Field("demand_evidence", "text"),
    Field("importance_class", "importance_class"),
    Field("removed_reason", "text"),
)


# The hidden column of a downloaded workbook naming the item (its key, stable across
# versions) or the phase (its id) of each row, so that an upload updates that one; a
# row without it is new. Not a field of the forms or the actions' schemas.
ITEM_KEY = Field("key", "id", header="Mã mục (không sửa)")
PHASE_KEY = Field("id", "id", header="Mã giai đoạn (không sửa)")

# Kinds a workbook cell must hold (the template marks them and checks them as typed).
REQUIRED_KINDS = ("required_text", "required_date")
DATE_KINDS = ("date", "required_date")


@dataclasses.dataclass(frozen=True)
class Choice:
    code: str
    vi: str  # in the workbook, in every locale
    label: str  # English msgid, translated where it is shown


# The priorities of a list item (its "priority" field).
PRIORITIES = (
    Choice("cao", "Cao", N_("high")),
    Choice("trung_binh", "Trung bình", N_("medium")),
    Choice("thap", "Thấp", N_("low")),
)
PRIORITY_CODES = tuple(choice.code for choice in PRIORITIES)

LEVEL_KEYS = tuple(level.key for level in LEVELS)
LEVEL_BY_KEY = {level.key: level for level in LEVELS}


def levels_doc() -> str:
    """The ``:param:`` lines of the levels, for the phase actions' docstrings."""
    return "".join(f"    :param {level.key}: {level.doc}\n" for level in LEVELS)


def labels() -> dict[str, str]:
    """Every form label by field key, untranslated (msgids)."""
    return {f.key: f.label for f in (*PLAN, *PHASE, *ITEM) if f.label}


# The facts of a dataset that a plan link keeps (a snapshot, refreshed on every write of
# the dataset: sync.py) and that compliance measures (compliance.Delivery).


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except Exception:  # a malformed stored date must not break the dataset write
        return None


@dataclasses.dataclass(frozen=True)
class Fact:
    key: str
    type: type  # a SQLAlchemy column type
    python_type: type
    default: Any  # None: the column may be empty
    of_dataset: Callable[[dict[str, Any]], Any]  # the fact, from package_show's dict
    # For a fact that changes without a write of the dataset: an SQL expression of the
    # link's package_id column that compliance reads instead of the snapshot's column.
    live: Callable[[Any], Any] | None = None

    def column(self) -> sa.Column:
        return sa.Column(self.type, nullable=self.default is None, default=self.default)


def _resources(package: dict[str, Any]) -> list[dict[str, Any]]:
    return package.get("resources") or []


LINK_FACTS = (
    Fact(
        "is_public",
        sa.Boolean,
        bool,
        False,
        lambda p: p.get("state") == "active" and not p.get("private"),
    ),
    Fact(
        "published_date",
        sa.Date,
        datetime.date,
        None,
        lambda p: _date(p.get("issued")) or _date(p.get("metadata_created")),
    ),
    Fact(
        "next_update_due",
        sa.Date,
        datetime.date,
        None,
        lambda p: _date(p.get("next_update_due")),
    ),
    Fact(
        "openness_stars",
        sa.Integer,
        int,
        0,
        lambda p: int(p.get("openness_stars") or 0),
    ),
    Fact(
        "machine_readable",
        sa.Boolean,
        bool,
        False,
        lambda p: any(
            openness.is_machine_readable(r.get("format")) for r in _resources(p)
        ),
    ),
    Fact(
        "has_api",
        sa.Boolean,
        bool,
        False,
        lambda p: any(openness.offers_api(r) for r in _resources(p)),
    ),
    # The dataset's MQA rating is good enough (metadata_quality): a link check or a
    # SHACL job may change it after the write, so compliance reads it live; the
    # snapshot keeps what it was when the dataset was last written.
    Fact(
        "metadata_complete",
        sa.Boolean,
        bool,
        False,
        lambda p: metadata_quality.is_complete(p.get("id")),
        live=metadata_quality.complete_column,
    ),
)
LINK_FACT_KEYS = tuple(fact.key for fact in LINK_FACTS)
