"""Harvest queue consumers that go on through a Redis restart and a lost database
connection, in the same process.

ckanext-harvest's `harvester gather-consumer` and `fetch-consumer` hand each queue
message to its callback in a loop that any exception ends: Redis restarting (the
consumer's BLPOP raises), or PostgreSQL dropping the connection while the callback
writes a record's state (it guards only its first read). A process supervisor starts
the consumer again, but the record it held waits in the queue's "in work" keys until
ckanext-harvest sends it again three minutes later, and every consumer of a national
portal dies at once when Redis restarts. These loops call the same callbacks on the
same queues (ckanext-harvest's public queue functions; nothing of it is replaced):
after a lost connection the record is put back at the end of its queue at once, and
after a Redis error the loop waits and reconnects, a little longer each time.

A record whose import met the lost connection is sent again the same way: the import
stage rolls back what it had not committed and lets the error out (import_stage.py);
imported again, the record finds the dataset an earlier try may have committed. So is
a record another try still imports past import_stage.IMPORT_WAIT (Busy). Any other
error of an import is that record's error, and a statement that failed (a deadlock,
a timeout) is not a lost connection.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import redis
import sqlalchemy as sa

from ckan import model
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestObject

from ckanext.vndata.lib import advisory_locks

log = logging.getLogger(__name__)

# Seconds to wait after a failure, doubling up to the last while failures go on.
BACKOFF = (1, 2, 4, 8, 15, 30)
_sleep = time.sleep  # the tests' clock
# The states of a record no message should import again.
FINISHED = ("COMPLETE", "ERROR")
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_QUEUES: dict[str, tuple[Callable, Callable, Callable]] = {
    "gather": (
        queue.get_gather_consumer,
        queue.gather_callback,
        queue.get_gather_queue_name,
    ),
    "fetch": (
        queue.get_fetch_consumer,
        queue.fetch_callback,
        queue.get_fetch_queue_name,
    ),
}


# SQLSTATEs of a session the server ended: 08 connection exceptions, 57P01-57P03
# (terminated by an administrator, a crash, a server starting or stopping). A deadlock
# (40P01) or a statement timeout (57014) is an OperationalError too, but the statement
# failed, not the connection: that is the record's error, not a reason to send it again.
_LOST_STATES = ("57P01", "57P02", "57P03")


def connection_lost(error: BaseException) -> bool:
    """Whether a database error is the connection going away (the server restarted
    or ended the session), not a statement that failed: the error itself, or one it
    was raised while handling. ckanext-dcat's import commits in a ``finally``, so a
    loss in package_create's activity comes out as the PendingRollbackError of that
    commit, raised while the loss was handled ("rolled back due to a previous
    exception during flush")."""
    return any(_lost(each) for each in _chain(error))


def to_try_again(error: BaseException) -> bool:
    """Whether a record's try ended for a reason not its own, to be tried again: the
    database connection lost, or its record held by another try past the wait
    (import_stage.py's lock, Busy)."""
    return connection_lost(error) or _busy(error)


def _busy(error: BaseException) -> bool:
    return any(isinstance(each, advisory_locks.Busy) for each in _chain(error))


def _chain(error: BaseException | None):
    """The error and those it was raised from or while handling, each once."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        yield error
        seen.add(id(error))
        error = error.__cause__ or error.__context__


def _why(error: BaseException) -> str:
    if _busy(error):
        return "Its record was imported by another try for too long"
    return "The database connection was lost"


def _lost(error: BaseException) -> bool:
    if isinstance(error, sa.exc.PendingRollbackError):
        # 8s2b: "Can't reconnect until invalid transaction is rolled back", raised
        # only on a connection SQLAlchemy invalidated (a caller swallowed the loss:
        # ckanext-dcat's import, our deferred index); not one after a failed flush,
        # whose cause, when known, is the error it was raised while handling.
        return error.code == "8s2b"
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, sa.exc.OperationalError):
        return False
    state = getattr(error.orig, "pgcode", None)
    # No SQLSTATE: the socket closed under psycopg2 ("server closed the connection").
    return state is None or state.startswith("08") or state in _LOST_STATES


def vndata_consume(kind: str, stop: Callable[[], bool] = lambda: False) -> None:
    """Consume the ``kind`` ("gather" or "fetch") queue until ``stop()`` says so after
    a message (never, for the CLI)."""
    get_consumer, callback, queue_name = _QUEUES[kind]
    failures = 0
    while not stop():
        try:
            consumer = get_consumer()
            for method, header, body in consumer.consume(queue=queue_name()):
                try:
                    if kind == "fetch" and _already_done(body):
                        consumer.basic_ack(method.delivery_tag)
                    else:
                        callback(consumer, method, header, body)
                except Exception as error:  # noqa: BLE001 (only a loss is handled)
                    # Any type: code that catches a loss may raise its own error
                    # (connection_lost finds the loss it was raised while handling).
                    if not to_try_again(error):
                        raise
                    failures += 1
                    _send_again(consumer, method, body, failures, error)
                else:
                    if _still_in_work(consumer, body):
                        # ckanext-harvest's callbacks leave the message unacknowledged
                        # when the database fails their first read: without this it
                        # would wait for its resubmission (3 minutes; 2 hours for a
                        # gather), and the loop would take the next at once.
                        failures += 1
                        _send_again(consumer, method, body, failures)
                    else:
                        failures = 0
                if stop():
                    return
        except REDIS_ERRORS as error:
            failures += 1
            log.warning(
                "The %s queue is unreachable (%s); trying again in %s s",
                kind,
                error,
                _delay(failures),
            )
            _sleep(_delay(failures))
        finally:
            model.Session.remove()


def _already_done(body: bytes | str) -> bool:
    """Whether the message names a record that is already imported or failed.

    Redis keeps a message "in work" until its consumer acknowledges it; a consumer
    that finished the record but lost Redis before acknowledging leaves the message
    there, and ckanext-harvest sends it again three minutes later. Its callback then
    finds the job finished and marks the record, imported long ago, as an error. A
    record is sent again only while it waits or is half-way (WAITING, FETCH, IMPORT):
    a finished one is acknowledged and left alone."""
    try:
        object_id = json.loads(body)["harvest_object_id"]
    except (ValueError, TypeError, KeyError):
        return False  # the callback reports it
    state = model.Session.execute(
        sa.select(HarvestObject.state).where(HarvestObject.id == str(object_id))
    ).scalar()
    model.Session.rollback()  # no transaction held while the callback runs
    if state in FINISHED:
        log.info("Harvest object %s is already %s: message dropped", object_id, state)
        return True
    return False


def _still_in_work(consumer, body: bytes | str) -> bool:
    """Whether the callback left the message unacknowledged (Redis only)."""
    if not isinstance(consumer, queue.RedisConsumer):
        return False
    try:
        return bool(consumer.redis.exists(consumer.persistance_key(body)))
    except (ValueError, TypeError, KeyError):
        return False  # not a message of ours: the callback acknowledged it


def _send_again(consumer, method, body, failures: int, error=None) -> None:
    """Roll the session back, wait, and put the message back at the end of its queue
    (Redis): its record is taken again, by this consumer or another. Another queue
    (AMQP) redelivers what a consumer that exits left unacknowledged: the error goes
    out, as from ckanext-harvest's loop."""
    log.warning(
        "%s during a message; sent again in %s s",
        _why(error) if error is not None else "The database did not answer",
        _delay(failures),
    )
    model.Session.rollback()
    model.Session.remove()
    if not isinstance(consumer, queue.RedisConsumer):
        raise error or RuntimeError("The database did not answer")
    _sleep(_delay(failures))
    consumer.redis.rpush(consumer.routing_key, body)
    consumer.basic_ack(method.delivery_tag)


def import_one(harvester, object_id: str) -> None:
    """Fetch and import one record in this process (``vndata_harvester run``), done
    again, after a wait, when the database connection was lost under it, as a
    consumer sends its message again, unless the lost try had finished it (as
    ``_already_done``); the loss goes out when a try after the last wait fails."""
    for failures in range(1, len(BACKOFF) + 2):
        harvest_object = HarvestObject.get(object_id)
        if failures > 1 and harvest_object.state in FINISHED:
            return
        try:
            queue.fetch_and_import_stages(harvester, harvest_object)
            return
        except Exception as error:  # noqa: BLE001 (as vndata_consume)
            if not to_try_again(error) or failures > len(BACKOFF):
                raise
            log.warning(
                "%s during record %s; trying again in %s s",
                _why(error),
                object_id,
                _delay(failures),
            )
            model.Session.rollback()
            model.Session.remove()
            _sleep(_delay(failures))


def _delay(failures: int) -> int:
    return BACKOFF[min(failures, len(BACKOFF)) - 1]
