"""The harvest queue consumers go on, in the same process, through what ends
ckanext-harvest's: a database connection lost in the middle of a message, Redis
unreachable, and a message sent again for a record finished long ago.

Against the test database and Redis; the connection is really terminated
(pg_terminate_backend) and Redis really refuses (a closed port).
"""

from __future__ import annotations

import json

import pytest
import redis
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.vndata.harvester import consumers
from ckanext.vndata.lib import advisory_locks
from tests.harvester.helpers import end_backend
from tests.harvester.sources import objects_of_a_running_job


def _purge() -> None:
    """The queues and the messages "in work" (purge_queues leaves those of messages
    no longer queued)."""
    queue.purge_queues()
    for key in _in_work():
        queue.get_connection().delete(key)


@pytest.fixture
def empty_queues():
    _purge()
    yield
    _purge()


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(consumers, "_sleep", waited.append)
    return waited


def _send(*objects: HarvestObject | str) -> None:
    publisher = queue.get_fetch_publisher()
    for harvest_object in objects:
        object_id = getattr(harvest_object, "id", harvest_object)
        publisher.send({"harvest_object_id": object_id})


def _queued() -> list[str]:
    redis_ = queue.get_connection()
    key = queue.get_fetch_routing_key()
    return [json.loads(m)["harvest_object_id"] for m in redis_.lrange(key, 0, -1)]


def _in_work() -> list[str]:
    return queue.get_connection().keys(queue.get_fetch_routing_key() + ":*")


def _with_callback(monkeypatch, callback) -> None:
    monkeypatch.setitem(
        consumers._QUEUES,
        "fetch",
        (queue.get_fetch_consumer, callback, queue.get_fetch_queue_name),
    )


def _after(count: int, seen: list):
    return lambda: len(seen) >= count


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_a_message_for_a_record_already_imported_is_dropped_not_made_an_error():
    (done,) = objects_of_a_running_job(1, state="COMPLETE")
    job = HarvestJob.get(done.harvest_job_id)
    job.status = "Finished"
    job.save()
    _send(done)
    done_id = done.id  # the loop ends its session: the object is detached

    consumers.vndata_consume("fetch", stop=lambda: not _queued() and not _in_work())

    # ckanext-harvest's callback would have found the job finished: ERROR.
    assert HarvestObject.get(done_id).state == "COMPLETE"
    assert HarvestObject.get(done_id).retry_times == 0
    assert _queued() == [] and _in_work() == []


def _connection_lost(channel, method) -> None:
    """The server ends this session's connection."""
    model.Session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))


def _left_unacknowledged(channel, method) -> None:
    """What ckanext-harvest's callbacks do when the database fails their first read."""


def _refused_while_the_loss_is_handled(channel, method) -> None:
    """Code that catches the loss and raises an error of its own (the plan import's
    storage guard raises a ValidationError): not a database error, its cause is."""
    import ckan.plugins.toolkit as tk

    try:
        _connection_lost(channel, method)
    except sa.exc.OperationalError:
        raise tk.ValidationError({"plan": ["cannot be stored"]})


def _imported_by_another_try(channel, method) -> None:
    """The record's import waited past its bound for another try (import_stage.py)."""
    raise advisory_locks.Busy("vndata-harvest-object:1")


@pytest.mark.parametrize(
    "first_time",
    [
        _connection_lost,
        _left_unacknowledged,
        _refused_while_the_loss_is_handled,
        _imported_by_another_try,
    ],
)
@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_a_message_cut_short_is_sent_again_after_a_wait_and_the_loop_goes_on(
    monkeypatch, waits, first_time
):
    first, second = (o.id for o in objects_of_a_running_job(2, state="WAITING"))
    seen: list[str] = []

    def callback(channel, method, header, body):
        seen.append(json.loads(body)["harvest_object_id"])
        if len(seen) == 1:
            first_time(channel, method)
            return
        channel.basic_ack(method.delivery_tag)

    _with_callback(monkeypatch, callback)
    _send(first, second)

    consumers.vndata_consume("fetch", stop=_after(3, seen))

    # The first went back to the end of the queue, after the second.
    assert seen == [first, second, first]
    assert waits == [1]
    assert _queued() == [] and _in_work() == []
    # The session works (a new connection, if the server ended the old one).
    assert HarvestObject.get(second).state == "WAITING"


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_a_statement_that_fails_is_not_taken_for_a_lost_connection(monkeypatch):
    (harvest_object,) = objects_of_a_running_job(1, state="WAITING")

    def callback(channel, method, header, body):
        model.Session.execute(sa.text("SELECT 1/0"))

    _with_callback(monkeypatch, callback)
    _send(harvest_object)

    with pytest.raises(sa.exc.DataError):
        consumers.vndata_consume("fetch")
    model.Session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "SET LOCAL statement_timeout = 1; SELECT pg_sleep(1)",  # 57014
        "SELECT 1/0",  # 22012, a DataError
    ],
    ids=["statement timeout", "division by zero"],
)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_failed_statement_is_not_a_lost_connection(statement):
    with pytest.raises(sa.exc.DBAPIError) as raised:
        model.Session.execute(sa.text(statement))
    model.Session.rollback()

    assert not consumers.connection_lost(raised.value)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_session_the_server_ended_is_a_lost_connection_and_so_is_using_it_after():
    with pytest.raises(sa.exc.OperationalError) as raised:
        model.Session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
    # The loss swallowed (as ckanext-dcat's import does), the session used again.
    with pytest.raises(sa.exc.PendingRollbackError) as used_after:
        model.Session.execute(sa.text("SELECT 1"))
    model.Session.rollback()

    assert consumers.connection_lost(raised.value)
    assert consumers.connection_lost(used_after.value)


@pytest.mark.parametrize(
    "fault, lost",
    [("connection ended", True), ("name taken", False)],
    ids=["connection ended", "name taken"],
)
@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_a_commit_after_a_failed_flush_is_a_lost_connection_when_the_flush_was(
    fault, lost
):
    """As ckanext-dcat's import, whose ``finally: commit`` raises "rolled back due to
    a previous exception during flush" while the flush's error is handled."""
    factories.User(name="da-co")
    model.Session.add(model.User(name="nguoi-dung-moi", email="x@example.org"))
    if fault == "name taken":
        model.Session.add(model.User(name="da-co", email="y@example.org"))
    else:
        connection = model.Session.connection().connection.dbapi_connection
        end_backend(connection.info.backend_pid)

    with pytest.raises(sa.exc.PendingRollbackError) as raised:
        try:
            model.Session.flush()
        finally:
            model.Session.commit()
    model.Session.rollback()

    assert consumers.connection_lost(raised.value) is lost


@pytest.mark.usefixtures("with_plugins", "clean_db", "empty_queues")
def test_redis_unreachable_is_waited_for_longer_each_time(monkeypatch, waits):
    object_id = objects_of_a_running_job(1, state="WAITING")[0].id
    refusing = queue.RedisConsumer(
        redis.StrictRedis(host="127.0.0.1", port=9), queue.get_fetch_routing_key()
    )
    attempts = iter([refusing, refusing, refusing])
    seen: list[str] = []

    def consumer():
        return next(attempts, None) or queue.get_fetch_consumer()

    def callback(channel, method, header, body):
        seen.append(json.loads(body)["harvest_object_id"])
        channel.basic_ack(method.delivery_tag)

    monkeypatch.setitem(
        consumers._QUEUES, "fetch", (consumer, callback, queue.get_fetch_queue_name)
    )
    _send(object_id)

    consumers.vndata_consume("fetch", stop=_after(1, seen))

    assert waits == [1, 2, 4]
    assert seen == [object_id]


class TestImportOne:
    """``vndata_harvester run``'s import of one record (consumers.import_one)."""

    @pytest.fixture
    def record(self):
        (harvest_object,) = objects_of_a_running_job(1, state="WAITING")
        return harvest_object.id

    def _stages(self, monkeypatch, *effects) -> list[str]:
        """fetch_and_import_stages doing ``effects`` in turn (a callable, or an
        exception to raise); returns the ids it was called with."""
        called, left = [], list(effects)

        def stages(harvester, harvest_object):
            called.append(harvest_object.id)
            effect = left.pop(0)
            if isinstance(effect, BaseException):
                raise effect
            effect(harvest_object)

        monkeypatch.setattr(queue, "fetch_and_import_stages", stages)
        return called

    @pytest.mark.usefixtures("with_plugins", "clean_db")
    def test_a_lost_connection_is_tried_again_after_a_wait(
        self, monkeypatch, waits, record
    ):
        called = self._stages(monkeypatch, _LOST, _LOST, lambda obj: None)

        consumers.import_one(None, record)

        assert called == [record] * 3 and waits == [1, 2]

    @pytest.mark.usefixtures("with_plugins", "clean_db")
    def test_it_goes_out_after_the_last_wait(self, monkeypatch, waits, record):
        tries = len(consumers.BACKOFF) + 1
        called = self._stages(monkeypatch, *[_LOST] * tries)

        with pytest.raises(sa.exc.OperationalError):
            consumers.import_one(None, record)

        assert len(called) == tries and waits == list(consumers.BACKOFF)

    @pytest.mark.usefixtures("with_plugins", "clean_db")
    def test_another_error_is_not_tried_again(self, monkeypatch, waits, record):
        called = self._stages(monkeypatch, ValueError("hỏng"))

        with pytest.raises(ValueError):
            consumers.import_one(None, record)

        assert called == [record] and waits == []

    @pytest.mark.usefixtures("with_plugins", "clean_db")
    def test_a_record_the_lost_try_finished_is_not_imported_again(
        self, monkeypatch, waits, record
    ):
        def finished_then_lost(harvest_object):
            harvest_object.state = "COMPLETE"
            model.Session.commit()
            raise _LOST

        called = self._stages(monkeypatch, finished_then_lost)

        consumers.import_one(None, record)

        assert called == [record] and waits == [1]
        assert HarvestObject.get(record).state == "COMPLETE"


class _Closed(Exception):
    """psycopg2's error for a socket the server closed: no SQLSTATE."""

    pgcode = None


_LOST = sa.exc.OperationalError("SELECT 1", {}, _Closed("server closed the connection"))
