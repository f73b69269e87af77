"""Tables of vndata_plan (created only by the migrations in migration/vndata_plan).

Core ids (organizations, users, datasets) are stored as text without foreign keys. An
item keeps a ``key`` that stays the same across the versions of a plan; datasets link to
the key, so a revision keeps its links. Each link carries a snapshot of the facts about
the dataset that compliance needs, refreshed whenever the dataset is written.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

import ckan.plugins.toolkit as tk
from ckan.model import meta

from ckanext.vndata.lib.dates import utc_now
from ckanext.vndata.lib.ids import new_id
from ckanext.vndata.plan import fields


class Plan(tk.BaseModel):
    __tablename__ = "vndata_plan"

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    series_id = sa.Column(sa.Text, nullable=False, index=True)
    version = sa.Column(sa.Integer, nullable=False, default=1)
    organization_id = sa.Column(sa.Text, nullable=False, index=True)
    title = sa.Column(sa.Text, nullable=False)
    period_start = sa.Column(sa.Integer)
    period_end = sa.Column(sa.Integer)
    decision_number = sa.Column(sa.Text)
    decision_date = sa.Column(sa.Date)
    decision_signer = sa.Column(sa.Text)
    submission_ref = sa.Column(sa.Text)
    legal_basis = sa.Column(sa.Text)
    objectives = sa.Column(sa.Text)
    contact_name = sa.Column(sa.Text)
    contact_email = sa.Column(sa.Text)
    contact_phone = sa.Column(sa.Text)
    safety_measures = sa.Column(sa.Text)
    promotion_measures = sa.Column(sa.Text)
    review_interval_months = sa.Column(sa.Integer, nullable=False, default=6)
    last_review_date = sa.Column(sa.Date)
    next_review_date = sa.Column(sa.Date)
    status = sa.Column(sa.Text, nullable=False, default="draft", index=True)
    creator_user_id = sa.Column(sa.Text)
    created = sa.Column(sa.DateTime, nullable=False, default=utc_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=utc_now, onupdate=utc_now)
    # Provenance of a plan harvested from a provincial portal (all None for a plan
    # made here): the harvest source (a core package id), the plan's id, series and
    # page at the source, when the harvest last wrote it, and the fingerprint of the
    # record it was written from (an unchanged record writes nothing).
    harvest_source_id = sa.Column(sa.Text, index=True)
    remote_id = sa.Column(sa.Text)
    remote_series_id = sa.Column(sa.Text)
    remote_url = sa.Column(sa.Text)
    fingerprint = sa.Column(sa.Text)
    harvested_at = sa.Column(sa.DateTime)
    # The publisher as the source named it (its title and agency code): the plan is
    # filed under the national organization the harvester mapped it to, which may be
    # the source's own when no rule names the publisher.
    remote_publisher = sa.Column(sa.Text)
    remote_publisher_code = sa.Column(sa.Text)

    @classmethod
    def get(cls, plan_id: str) -> Plan | None:
        return meta.Session.get(cls, plan_id) if plan_id else None

    def schedule_next_review(self) -> None:
        """The next review date: the last review plus the review interval."""
        if self.last_review_date:
            self.next_review_date = self.last_review_date + relativedelta(
                months=self.review_interval_months
            )


class Phase(tk.BaseModel):
    __tablename__ = "vndata_plan_phase"

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    plan_id = sa.Column(
        sa.Text, sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )  # fmt: skip
    position = sa.Column(sa.Integer, nullable=False, default=0)
    label = sa.Column(sa.Text, nullable=False)
    start_date = sa.Column(sa.Date, nullable=False)
    end_date = sa.Column(sa.Date, nullable=False)
    # One column per minimum level (fields.LEVELS), added below the class.

    @classmethod
    def get(cls, phase_id: str) -> Phase | None:
        return meta.Session.get(cls, phase_id) if phase_id else None


# Declarative classes take a column set on them after the class statement (SQLAlchemy
# adds it to the table and the mapper), so the levels are spelled only in fields.py.
for _level in fields.LEVELS:
    setattr(Phase, _level.key, _level.column())


class Item(tk.BaseModel):
    __tablename__ = "vndata_plan_item"

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    key = sa.Column(sa.Text, nullable=False, index=True, default=new_id)
    plan_id = sa.Column(
        sa.Text, sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )  # fmt: skip
    phase_id = sa.Column(
        sa.Text, sa.ForeignKey("vndata_plan_phase.id", ondelete="SET NULL")
    )
    number = sa.Column(sa.Integer, nullable=False)
    title = sa.Column(sa.Text, nullable=False)
    description = sa.Column(sa.Text)
    sector = sa.Column(sa.Text)
    lead_agency = sa.Column(sa.Text)
    cooperating_agencies = sa.Column(sa.Text)
    source_database = sa.Column(sa.Text)
    source_database_type = sa.Column(sa.Text)
    formats = sa.Column(sa.Text)
    channel = sa.Column(sa.Text)
    update_frequency = sa.Column(sa.Text)
    priority = sa.Column(sa.Text)
    demand_evidence = sa.Column(sa.Text)
    target_date = sa.Column(sa.Date)
    importance_class = sa.Column(sa.Text, nullable=False, default="khac")
    removed_reason = sa.Column(sa.Text)
    created = sa.Column(sa.DateTime, nullable=False, default=utc_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=utc_now, onupdate=utc_now)
    # The key the source portal gave an item of a harvested plan (``key`` is derived
    # from it and the source: harvested.national_key); None for an item made here.
    remote_key = sa.Column(sa.Text)

    @classmethod
    def get(cls, item_id: str) -> Item | None:
        return meta.Session.get(cls, item_id) if item_id else None


class DatasetLink(tk.BaseModel):
    """A dataset delivering an item (by the item's key), with a snapshot of it."""

    __tablename__ = "vndata_plan_item_dataset"

    item_key = sa.Column(sa.Text, primary_key=True)
    package_id = sa.Column(sa.Text, primary_key=True, index=True)
    source = sa.Column(sa.Text, nullable=False, default="action")
    linked_by = sa.Column(sa.Text)
    linked_at = sa.Column(sa.DateTime, nullable=False, default=utc_now)
    # One column per fact of the snapshot (fields.LINK_FACTS), added below the class,
    # then synced_at: the columns keep their order (and a link's dict its keys').


for _fact in fields.LINK_FACTS:
    setattr(DatasetLink, _fact.key, _fact.column())
DatasetLink.synced_at = sa.Column(sa.DateTime, nullable=False, default=utc_now)


class WaitingLink(tk.BaseModel):
    """A harvested item's dataset that the national portal has not harvested yet.

    Kept per harvest source with the identifiers the source gave (id, URL name, URI),
    until the harvester writes that dataset (harvested.link_waiting)."""

    __tablename__ = "vndata_plan_link_waiting"

    source_id = sa.Column(sa.Text, primary_key=True)
    item_key = sa.Column(sa.Text, primary_key=True)
    ref = sa.Column(sa.Text, primary_key=True)  # the first of uri, id, name given
    remote_id = sa.Column(sa.Text, index=True)
    remote_name = sa.Column(sa.Text, index=True)
    remote_uri = sa.Column(sa.Text, index=True)
    created = sa.Column(sa.DateTime, nullable=False, default=utc_now)


class Event(tk.BaseModel):
    """One workflow transition: who, when, from which state to which, and why."""

    __tablename__ = "vndata_plan_event"

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    plan_id = sa.Column(
        sa.Text, sa.ForeignKey("vndata_plan.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )  # fmt: skip
    transition = sa.Column(sa.Text, nullable=False)
    from_status = sa.Column(sa.Text)
    to_status = sa.Column(sa.Text, nullable=False)
    user_id = sa.Column(sa.Text)
    comment = sa.Column(sa.Text)
    created = sa.Column(sa.DateTime, nullable=False, default=utc_now)

    @classmethod
    def record(
        cls,
        plan: Plan,
        transition: str,
        from_status: str | None,
        user_id: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Add the event of ``plan`` reaching its current status."""
        # No ORM relationships between the tables: the plan must be written first.
        meta.Session.flush()
        meta.Session.add(
            cls(
                plan_id=plan.id,
                transition=transition,
                from_status=from_status,
                to_status=plan.status,
                user_id=user_id,
                comment=comment,
            )
        )


class Body(tk.BaseModel):
    """A body the law obliges to issue an open-data plan (the roster; plan/roster.py).

    Its organizations are found by its province or agency code, plus the ones named in
    ``organizations`` (ids); a body ``merged_into`` another lends it its organizations.
    """

    __tablename__ = "vndata_plan_body"

    code = sa.Column(sa.Text, primary_key=True)
    kind = sa.Column(sa.Text, nullable=False)  # body_kinds.BodyKind
    title = sa.Column(sa.Text, nullable=False)
    province_code = sa.Column(sa.Text)
    agency_code = sa.Column(sa.Text)
    organizations = sa.Column(sa.JSON, nullable=False, default=list)
    merged_into = sa.Column(sa.Text)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    source = sa.Column(sa.Text)
    note = sa.Column(sa.Text)
    created = sa.Column(sa.DateTime, nullable=False, default=utc_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=utc_now, onupdate=utc_now)

    @classmethod
    def get(cls, code: str) -> Body | None:
        return meta.Session.get(cls, code) if code else None


def row_dict(row: Any) -> dict[str, Any]:
    """A row as a JSON-friendly dict (dates as ISO strings)."""
    result = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        result[column.key] = value
    return result
