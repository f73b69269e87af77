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

    def take(self, name: str) -> None:
        """Waits for ``name`` until whoever holds it releases it (or their
        connection ends: PostgreSQL releases a lost session's locks)."""
        if self._connection is None:
            # Autocommit: a lock held through a long import on a connection left
            # "idle in transaction" would be freed by PostgreSQL's
            # idle_in_transaction_session_timeout while the import goes on.
            self._connection = model.meta.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        self._connection.execute(
            sa.text("SELECT pg_advisory_lock(:key)"), {"key": key(name)}
        )

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            connection.close()
        except Exception:  # a connection that may still hold a lock is not pooled
            log.exception("Advisory lock not released; its connection is dropped")
            connection.invalidate()


@contextlib.contextmanager
def held(name: str) -> Iterator[None]:
    """``name`` locked for the ``with`` block."""
    locks = HeldLocks()
    try:
        locks.take(name)
        yield
    finally:
        locks.release()
