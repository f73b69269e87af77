"""The quality tables (created by the plugin's migration, migration/vndata_quality/):
each dataset's score, each resource's last link check, and one snapshot per day of
each organization's and harvest source's tally (their history; a province's, a
ministry's or the nation's is the sum of its organizations')."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.ids import new_id


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


class DatasetScore(tk.BaseModel):
    __tablename__ = "vndata_quality_score"

    package_id = sa.Column(sa.Text, primary_key=True)
    # No owner_org: a copy would go stale (package_owner_org_update fires no hook);
    # groups join the package for it (aggregate.py).
    points = sa.Column(sa.Integer, nullable=False)
    rating = sa.Column(sa.Text, nullable=False, index=True)
    tally = sa.Column(sa.Text, nullable=False)  # JSON: Tally.as_dict()
    # DCAT-AP (SHACL) conformance, None until validated, and what it was judged on.
    conformant = sa.Column(sa.Boolean)
    conformance_digest = sa.Column(sa.Text)
    violations = sa.Column(sa.Text)  # JSON list of the first violations, for the page
    computed = sa.Column(sa.DateTime, nullable=False, default=_now)


class LinkCheck(tk.BaseModel):
    __tablename__ = "vndata_quality_link"

    resource_id = sa.Column(sa.Text, primary_key=True)
    package_id = sa.Column(sa.Text, nullable=False, index=True)
    url = sa.Column(sa.Text, nullable=False)
    status = sa.Column(sa.Integer)  # the last HTTP status, None without a response
    ok = sa.Column(sa.Boolean)  # None: never checked
    error = sa.Column(
        sa.Text
    )  # a code from link_check.ERRORS, shown in the reader's language
    checked = sa.Column(sa.DateTime)
    last_ok = sa.Column(sa.DateTime)
    failures = sa.Column(sa.Integer, nullable=False, default=0)  # in a row
    next_check = sa.Column(sa.DateTime, index=True)


class Snapshot(tk.BaseModel):
    __tablename__ = "vndata_quality_snapshot"
    __table_args__ = (sa.UniqueConstraint("day", "scope", "scope_id"),)

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    day = sa.Column(sa.Date, nullable=False, index=True)
    scope = sa.Column(sa.Text, nullable=False)  # "organization" or "source"
    scope_id = sa.Column(sa.Text, nullable=False)
    points = sa.Column(sa.Integer, nullable=False)
    rating = sa.Column(sa.Text, nullable=False)
    tally = sa.Column(sa.Text, nullable=False)  # JSON: Tally.as_dict()
