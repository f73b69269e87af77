"""PostgreSQL advisory locks: what two processes of a portal (its web workers, its
harvest consumers, on one machine or several) must not do at the same time, each
named in words and held in PostgreSQL, which every process shares.

A lock held past a commit (an import commits several times) is a session-level lock
on a connection of its own, not the ORM session's: CKAN's actions commit and remove
that session under us. A lock for one transaction is ``pg_advisory_xact_lock`` on
the ORM session itself (``key`` gives its number).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator

import sqlalchemy as sa

from ckan import model

log = logging.getLogger(__name__)

# What ends a wait for a lock without ending the connection: lock_not_available (our
# wait's bound, lock_timeout), query_canceled (a statement_timeout the site sets).
_WAIT_CUT = ("55P03", "57014")


class Busy(Exception):
    """A lock not had within the wait allowed: another process holds it."""


def key(name: str) -> int:
    """The lock's number: 64 bits of a hash of its name."""
    digest = hashlib.blake2b(
        name.encode("utf-8", "surrogatepass"), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


class HeldLocks:
    """Session-level locks taken one after another and released together."""

    def __init__(self) -> None:
        self._connection = None
        self._bounded = False  # lock_timeout set on the connection

    def take(self, name: str, wait_seconds: float | None = None) -> None:
        """Waits for ``name`` until whoever holds it releases it (or their
        connection ends: PostgreSQL releases a lost session's locks), or Busy after
        ``wait_seconds`` (or the site's statement_timeout)."""
        if self._connection is None:
            # Autocommit: a lock held through a long import on a connection left
            # "idle in transaction" would be freed by PostgreSQL's
            # idle_in_transaction_session_timeout while the import goes on.
            self._connection = model.meta.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        # The usual case, a lock nobody holds, in one statement: a harvest takes
        # one per record.
        taken = self._connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key(name)}
        ).scalar()
        if taken:
            return
        # No bound (None, 0): the site's own lock_timeout, not an earlier take's.
        bound = f"{max(1, int(wait_seconds * 1000))}ms" if wait_seconds else None
        try:
            if bound:  # reset by release(), before the connection is pooled
                self._connection.execute(
                    sa.text("SELECT set_config('lock_timeout', :bound, false)"),
                    {"bound": bound},
                )
            elif self._bounded:
                self._connection.execute(sa.text("RESET lock_timeout"))
            self._bounded = bool(bound)
            self._connection.execute(
                sa.text("SELECT pg_advisory_lock(:key)"), {"key": key(name)}
            )
        except sa.exc.OperationalError as error:
            if getattr(error.orig, "pgcode", None) not in _WAIT_CUT:
                raise
            raise Busy(name) from error

    def release(self) -> None:
        connection, self._connection = self._connection, None
        bounded, self._bounded = self._bounded, False
        if connection is None:
            return
        try:
            connection.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            if bounded:
                connection.execute(sa.text("RESET lock_timeout"))
            connection.close()
        except Exception:  # a connection that may still hold a lock is not pooled
            log.exception("Advisory lock not released; its connection is dropped")
            connection.invalidate()


@contextlib.contextmanager
def held(name: str, wait_seconds: float | None = None) -> Iterator[None]:
    """``name`` locked for the ``with`` block (Busy after ``wait_seconds``)."""
    locks = HeldLocks()
    try:
        locks.take(name, wait_seconds)
        yield
    finally:
        locks.release()
