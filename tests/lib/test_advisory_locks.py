"""The PostgreSQL advisory locks two processes of a portal share: held on a
connection of their own until released, released when the block fails, a lock
whose connection was lost is released by PostgreSQL, not left to block others, and
a bounded wait ends Busy without leaving its bound on the connection."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from ckan import model

from ckanext.vndata.lib import advisory_locks

NAME = "vndata-harvest-object:2b1f0c3e"


def _free(name: str) -> bool:
    """Whether another session can take the lock now (and gives it back)."""
    with model.meta.engine.connect() as other:
        key = advisory_locks.key(name)
        taken = other.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
        ).scalar()
        if taken:
            other.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        return taken


def test_a_key_is_the_same_for_a_name_and_another_for_another_name():
    assert advisory_locks.key(NAME) == advisory_locks.key(NAME)
    assert advisory_locks.key(NAME) != advisory_locks.key(NAME + "x")
    assert -(2**63) <= advisory_locks.key("\ud800") < 2**63  # any text has one


@pytest.mark.usefixtures("with_plugins")
class TestHeld:
    def test_another_session_waits_while_it_is_held_and_not_after(self):
        with advisory_locks.held(NAME):
            assert not _free(NAME)
            assert _free(NAME + "-another")

        assert _free(NAME)

    def test_it_is_released_when_the_block_fails(self):
        with pytest.raises(ZeroDivisionError):
            with advisory_locks.held(NAME):
                1 / 0

        assert _free(NAME)

    def test_it_outlives_the_orm_sessions_commits(self):
        # An import commits several times: a transaction-level lock would be gone.
        with advisory_locks.held(NAME):
            model.Session.execute(sa.text("SELECT 1"))
            model.Session.commit()
            model.Session.remove()

            assert not _free(NAME)

    def test_a_lost_connection_frees_the_lock_and_its_release_does_not_fail(self):
        locks = advisory_locks.HeldLocks()
        locks.take(NAME)
        # The holder of this very lock (a 64-bit key is two 32-bit halves in
        # pg_locks), in this database: other test processes share the server.
        key = advisory_locks.key(NAME) & (2**64 - 1)
        with model.meta.engine.connect() as other:
            ended = other.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND classid = :high "
                    "AND objid = :low AND objsubid = 1 AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"high": key >> 32, "low": key & (2**32 - 1)},
            ).fetchall()
        assert ended == [(True,)]

        locks.release()  # logged, the connection dropped from the pool

        assert _free(NAME)

    def test_a_wait_past_its_bound_is_busy_and_the_holder_keeps_the_lock(self):
        with advisory_locks.held(NAME):
            started = time.monotonic()
            with pytest.raises(advisory_locks.Busy):
                with advisory_locks.held(NAME, wait_seconds=0.3):
                    pytest.fail("taken while held")

            assert 0.2 < time.monotonic() - started < 5
            assert not _free(NAME)

        assert _free(NAME)

    def test_the_bound_does_not_stay_on_the_pooled_connection(self):
        locks = advisory_locks.HeldLocks()
        with advisory_locks.held(NAME):  # held elsewhere: the take waits, bounded
            with pytest.raises(advisory_locks.Busy):
                locks.take(NAME, wait_seconds=0.3)
        pooled = locks._connection.connection.dbapi_connection

        locks.release()

        with pooled.cursor() as cursor:  # the same server session, back in the pool
            cursor.execute("SHOW lock_timeout")
            shown = cursor.fetchone()
        pooled.rollback()  # pooled again as it was: not left in a transaction

        assert shown == ("0",)

    def test_a_take_without_bound_after_one_with_waits_as_long_as_it_takes(self):
        other = NAME + "-other"
        taken = threading.Event()

        def hold_for_a_second():
            with advisory_locks.held(other):
                taken.set()
                time.sleep(1)

        holder = threading.Thread(target=hold_for_a_second)
        holder.start()
        taken.wait(10)
        locks = advisory_locks.HeldLocks()
        try:
            locks.take(NAME, wait_seconds=0.3)
            locks.take(other)  # no bound: not the 0.3 s of the take before

            assert not _free(other)
        finally:
            locks.release()
            holder.join()
