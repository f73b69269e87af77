"""Catalogue pages that did not change since the last harvest are not parsed again.

Each page a vndata_dcat harvest reads is remembered (table vndata_harvester_page,
created by the plugin's migration): a digest of its bytes, of the source's config and of
this extension's version, and the guids it listed. When a later harvest reads a page
with the same digest, and every record of it is still imported, current and live, the
page's records are known unchanged: the page is not parsed into datasets, no harvest
object is made, nothing is written. Only the paging links are kept, so the harvest goes
on to the next page, and the page's guids still count as listed for deletion safety.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from importlib.metadata import PackageNotFoundError, version

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.vndata.lib.ids import new_id

try:
    VERSION = version("ckanext-vndata")
except PackageNotFoundError:  # a checkout without metadata
    VERSION = "0"


class Page(tk.BaseModel):
    __tablename__ = "vndata_harvester_page"

    id = sa.Column(sa.Text, primary_key=True, default=new_id)
    job_id = sa.Column(sa.Text, nullable=False, index=True)
    source_id = sa.Column(sa.Text, nullable=False)
    digest = sa.Column(sa.Text, nullable=False)
    guids = sa.Column(sa.Text, nullable=False)  # JSON list
    skipped = sa.Column(sa.Boolean, nullable=False)
    created = sa.Column(sa.DateTime, nullable=False, default=datetime.datetime.utcnow)


def digest(content: str, source_config: str | None) -> str:
    hashed = hashlib.sha256(content.encode("utf-8"))
    hashed.update(b"\0" + (source_config or "").encode("utf-8"))
    hashed.update(b"\0" + VERSION.encode("utf-8"))
    return hashed.hexdigest()


def unchanged_guids(source_id: str, page_digest: str) -> list[str] | None:
    """The guids of an identical page whose records are all imported and live."""
    last = (
        model.Session.query(Page)
        .filter(Page.source_id == source_id, Page.digest == page_digest)
        .order_by(Page.created.desc())
        .first()
    )
    if last is None:
        return None
    guids = json.loads(last.guids)
    if not guids:
        return None
    live = (
        model.Session.query(sa.func.count(HarvestObject.id))
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.guid.in_(guids))
        .filter(HarvestObject.current.is_(True))
        .filter(HarvestObject.state == "COMPLETE")
        .filter(model.Package.state == "active")
        .scalar()
    )
    return guids if live == len(guids) else None


def remember(job_id: str, source_id: str, read: list[dict]) -> None:
    """The pages of a complete gather, for the next harvest.

    A page one of whose records was rejected is not remembered: its guids would not
    all be imported, and the record is to be read (and reported) again each run.
    """
    for page in read:
        if not page["whole"]:
            continue
        model.Session.add(
            Page(
                job_id=job_id,
                source_id=source_id,
                digest=page["digest"],
                guids=json.dumps(page["guids"]),
                skipped=page["skipped"],
            )
        )
    model.Session.commit()


def skipped_records(job_id: str) -> int:
    rows = model.Session.query(Page.guids).filter(
        Page.job_id == job_id, Page.skipped.is_(True)
    )
    return sum(len(json.loads(row.guids)) for row in rows)


def forget_removed_jobs(source_ids: list[str]) -> None:
    """Forget the pages of the sources' jobs that are gone (a history clear of
    ckanext-harvest removed them; retention removes pages with its own jobs)."""
    jobs = sa.select(HarvestJob.id).where(HarvestJob.source_id.in_(source_ids))
    model.Session.execute(
        sa.delete(Page).where(Page.source_id.in_(source_ids), Page.job_id.not_in(jobs)),
        execution_options={"synchronize_session": False},
    )
    model.Session.commit()
