"""E-mail to a source's contacts and the operators when its harvest needs a person:
a job aborted as stuck (stuck_jobs.py), or the source's last N jobs all failed
(``ckanext.vndata.harvester.failure_alert_after``).

Each alert is sent once: a row of ``vndata_harvester_alert`` names the job it was
sent for (the stuck job, or the first failed job of the streak), so that a scheduler
that runs every few seconds never repeats it. A streak is known by its source and
the creation time of its first failed job (``streak_since``), not by the job: prune
(retention.py) removes old failed jobs, and a streak whose first job was removed is
still the one alerted. A new streak begins after a job that did not fail, later than
that time, so it is alerted again.

The mails wait for the server ``alert_mail_timeout`` seconds at most (CKAN's mailer
sets no timeout: a stalled server would stop the scheduler), a hostile source title
cannot break a header, and an alert that no recipient received is not recorded, so
the next run tries it again.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import socket

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestSource

from ckanext.vndata.harvester import report

log = logging.getLogger(__name__)

STUCK, FAILING = "stuck", "failing"
# Consecutive failed jobs looked at, at most, to find where a streak began.
_STREAK_LIMIT = 50
_FAILED: dict[str, bool] = {}


class Alert(tk.BaseModel):
    __tablename__ = "vndata_harvester_alert"

    job_id = sa.Column(sa.Text, primary_key=True)
    kind = sa.Column(sa.Text, primary_key=True)
    source_id = sa.Column(sa.Text, nullable=False)
    sent = sa.Column(sa.DateTime, nullable=False)
    # FAILING: when the streak's first failed job was created.
    streak_since = sa.Column(sa.DateTime, nullable=True)


def operators() -> list[str]:
    return tk.config.get("ckanext.vndata.harvester.operator_emails") or []


def recipients(context: dict, source_id: str) -> list[tuple[str, str]]:
    """(name, address) of the source's contacts (ckanext-harvest's recipients:
    sysadmins and the organization's admins) and of the operators, each once."""
    found = tk.get_action("harvest_get_notifications_recipients")(
        dict(context), {"source_id": source_id}
    )
    pairs = [(r.get("name") or r["email"], r["email"]) for r in found]
    pairs += [(address, address) for address in operators()]
    seen, unique = set(), []
    for name, address in pairs:
        if address.strip().lower() not in seen:
            seen.add(address.strip().lower())
            unique.append((name, address.strip()))
    return unique


def job_url(source_id: str, job_id: str) -> str:
    site = tk.config.get("ckan.site_url").rstrip("/")
    return f"{site}/harvest/{source_id}/job/{job_id}"


def _title(source_id: str) -> str:
    source = HarvestSource.get(source_id)
    return (source.title if source else None) or source_id


def alert_stuck(context: dict, job_id: str, reason: str, now: datetime.datetime):
    job = HarvestJob.get(job_id)
    title = _title(job.source_id)
    subject = tk._("[Harvest] {title}: job stopped").format(title=title)
    body = tk._(
        "The harvest job of the source {title} ran too long and was stopped.\n"
        "Reason: {reason}\n"
        "The source will be harvested again at its next time. See the job:\n{url}"
    ).format(title=title, reason=reason, url=job_url(job.source_id, job_id))
    return _send_once(context, STUCK, job, subject, body, now)


def unsent_stuck(reason: str, now: datetime.datetime) -> list[str]:
    """Jobs aborted as stuck (their gather error is ``reason``) in the last day whose
    alert reached nobody yet (the mail server was down): tried again each run."""
    alerted = sa.select(Alert.job_id).where(Alert.kind == STUCK)
    query = (
        model.Session.query(HarvestJob.id)
        .join(HarvestGatherError, HarvestGatherError.harvest_job_id == HarvestJob.id)
        .filter(
            HarvestGatherError.message == reason,
            HarvestJob.finished >= now - datetime.timedelta(days=1),
            HarvestJob.id.notin_(alerted),
        )
        .distinct()
    )
    return [job_id for (job_id,) in query]


def failure_streak(source_id: str, after: int) -> list[HarvestJob]:
    """The source's finished jobs that failed in a row, newest first, when there are
    at least ``after`` of them and this streak was not alerted yet; else []."""
    jobs = (
        model.Session.query(HarvestJob)
        .filter(HarvestJob.source_id == source_id, HarvestJob.status == "Finished")
        .order_by(HarvestJob.created.desc())
        .limit(_STREAK_LIMIT)
        .all()
    )
    streak, ended = [], None
    for job in jobs:
        if not _failed(job):
            ended = job
            break
        streak.append(job)
    if len(streak) < after or _streak_alerted(source_id, ended):
        return []
    return streak


def _streak_alerted(source_id: str, ended: HarvestJob | None) -> bool:
    """Whether this streak was alerted: an alert on a streak that began after the
    job that ended the one before (none left: after any, as an earlier streak's
    alert came, with ``after`` <= keep_jobs, before its jobs were pruned)."""
    alerts = model.Session.query(Alert).filter(
        Alert.kind == FAILING, Alert.source_id == source_id
    )
    if ended is not None:
        alerts = alerts.filter(Alert.streak_since > ended.created)
    return model.Session.query(alerts.exists()).scalar()


def _failed(job: HarvestJob) -> bool:
    """Whether a finished job failed; remembered, as it never changes, because the
    scheduler asks for every source's streak every few seconds."""
    if job.id not in _FAILED:
        if len(_FAILED) > 100_000:
            _FAILED.clear()
        _FAILED[job.id] = report.job_report(job)["failed"]
    return _FAILED[job.id]


def alert_failing(context: dict, now: datetime.datetime) -> list[str]:
    """Alert each active source whose last N jobs failed, once per streak."""
    after = tk.config.get("ckanext.vndata.harvester.failure_alert_after")
    alerted = []
    sources = model.Session.query(HarvestSource.id).filter(
        HarvestSource.active.is_(True)
    )
    for (source_id,) in sources.all():
        streak = failure_streak(source_id, after)
        if not streak:
            continue
        first, last = streak[-1], streak[0]
        title = _title(source_id)
        subject = tk._("[Harvest] {title}: {count} jobs failed in a row").format(
            title=title, count=len(streak)
        )
        body = tk._(
            "The last {count} harvest jobs of the source {title} failed.\n"
            "Check the source's address and configuration. The last job:\n{url}"
        ).format(count=len(streak), title=title, url=job_url(source_id, last.id))
        try:
            if _send_once(context, FAILING, first, subject, body, now):
                alerted.append(source_id)
        except Exception:  # one source's alert must not stop the others'
            log.exception("Harvest alert for source %s failed", source_id)
            model.Session.rollback()
    return alerted


def _sent(job_id: str, kind: str) -> bool:
    return model.Session.get(Alert, (job_id, kind)) is not None


def _send_once(context, kind, job, subject: str, body: str, now) -> bool:
    """Send the alert unless sent; whether it reached someone now. The row is
    written first (and committed), then removed again if nobody got a mail."""
    if _sent(job.id, kind):
        return False
    source_id, job_id = job.source_id, job.id
    since = job.created if kind == FAILING else None
    to = recipients(context, source_id)
    model.Session.add(
        Alert(job_id=job_id, kind=kind, source_id=source_id, sent=now,
              streak_since=since)
    )  # fmt: skip
    model.Session.commit()
    # A header with a line break raises ValueError in EmailMessage: a title may
    # hold one (a harvested or hostile one).
    subject = " ".join(subject.splitlines())
    delivered = 0
    for name, address in to:
        try:
            with _timeout(tk.config.get("ckanext.vndata.harvester.alert_mail_timeout")):
                mailer.mail_recipient(name, address, subject, body)
            delivered += 1
        except Exception as error:
            log.exception("Harvest alert %s to %s failed", kind, address)
            if _server_failed(error):
                break  # the next recipients would each wait as long
    if not delivered and to:
        model.Session.query(Alert).filter_by(job_id=job_id, kind=kind).delete()
        model.Session.commit()
        log.warning("Harvest alert %s on job %s: tried again later", kind, job_id)
        return False
    return True


def _server_failed(error: Exception) -> bool:
    """The mail server is down or stalled (CKAN's mailer wraps some of these in a
    MailerException), not this one recipient or message refused."""
    cause = error.__context__ if isinstance(error, mailer.MailerException) else error
    return isinstance(cause, (OSError, smtplib.SMTPServerDisconnected))


@contextlib.contextmanager
def _timeout(seconds: int):
    """CKAN's mailer opens ``smtplib.SMTP(host, port)`` without a timeout, which then
    takes the process's default: set for this mail only (the scheduler is one
    thread)."""
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(before)
