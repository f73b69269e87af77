"""Which links are due, what a check stores, how failures space the next checks, a
host that asks for a pause, hostile addresses in the table, and a real `ckan jobs
worker` draining the queue."""

from __future__ import annotations

import datetime
import json

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories

from ckanext.vndata.quality import link_check, link_gate, link_schedule
from ckanext.vndata.quality.model import DatasetScore, LinkCheck
from tests.factories import VnDataset
from tests.fuzz import fuzz_settings
from tests.helpers import allowing, ckan_process, ini_over_test_ini
from tests.quality.helpers import forget_host_gates, link_server

QUEUE = "vndata:links-test"
NOW = datetime.datetime.utcnow


@pytest.fixture
def clean_gates():
    forget_host_gates()


@pytest.fixture
def server(clean_gates):
    with link_server() as state, allowing(state.origin, link_check.ALLOWED_HOSTS):
        yield state


def _dataset(*urls, org=None):
    org = org or factories.Organization()
    resources = [{"url": url, "format": "HTML"} for url in urls]
    return VnDataset(owner_org=org["id"], resources=resources)


def _link(resource_id) -> LinkCheck:
    model.Session.expire_all()
    return model.Session.get(LinkCheck, resource_id)


def _ids(dataset):
    return [res["id"] for res in dataset["resources"]]


def _about(moment, expected, slack=datetime.timedelta(minutes=1)):
    return abs(moment - expected) < slack


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestDue:
    def test_new_links_are_due_and_leased_ones_are_not(self):
        dataset = _dataset("http://a.example.vn/1", "http://a.example.vn/2")

        due = link_schedule.vndata_links_due()
        assert sorted(row[0] for row in due) == sorted(_ids(dataset))
        link_schedule.vndata_links_lease(due)
        assert link_schedule.vndata_links_due() == []
        assert len(link_schedule.vndata_links_due(everything=True)) == 2

    def test_a_changed_address_comes_first_and_loses_the_old_verdict(self):
        dataset = _dataset("http://a.example.vn/1", "http://a.example.vn/2")
        first, second = _ids(dataset)
        for rid in (first, second):
            model.Session.add(LinkCheck(
                resource_id=rid, package_id=dataset["id"], ok=True, status=200,
                url=f"http://a.example.vn/{1 if rid == first else 2}",
                checked=NOW(), last_ok=NOW(), failures=0,
                next_check=NOW() - datetime.timedelta(days=1 if rid == first else 2),
            ))  # fmt: skip
        model.Session.commit()
        tk.get_action("resource_patch")(
            {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
            {"id": first, "url": "http://b.example.vn/moved"},
        )

        due = link_schedule.vndata_links_due()
        assert [row[0] for row in due] == [first, second]
        link_schedule.vndata_links_lease(due)
        moved = _link(first)
        assert (moved.url, moved.ok, moved.last_ok) == (
            "http://b.example.vn/moved", None, None,
        )  # fmt: skip

    def test_only_the_organization_asked(self):
        mine = _dataset("http://a.example.vn/1")
        _dataset("http://a.example.vn/2")

        due = link_schedule.vndata_links_due(org_id=mine["owner_org"])
        assert [row[0] for row in due] == _ids(mine)

    def test_deleted_datasets_are_not_checked(self):
        dataset = _dataset("http://a.example.vn/1")
        sysadmin = factories.Sysadmin()["name"]
        tk.get_action("package_delete")({"user": sysadmin}, {"id": dataset["id"]})

        assert link_schedule.vndata_links_due() == []


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestCheck:
    def test_each_verdict_is_stored(self, server):
        dataset = _dataset(
            server.url("/data.csv"), server.url("/missing"), server.url("/private")
        )
        working, missing, private = _ids(dataset)

        summary = link_schedule.vndata_links_check(_ids(dataset))

        assert summary == {"ok": 1, "http_error:404": 1, "private_address": 1}
        link = _link(working)
        assert (link.ok, link.status, link.error, link.failures) == (True, 200, None, 0)
        assert link.last_ok == link.checked
        assert _about(link.next_check, NOW() + datetime.timedelta(days=7))
        link = _link(missing)
        assert (link.ok, link.status, link.error, link.failures) == (
            False, 404, "http_error", 1,
        )  # fmt: skip
        assert link.last_ok is None
        assert _about(link.next_check, NOW() + datetime.timedelta(hours=6))
        assert _link(private).error == "private_address"

    @pytest.mark.ckan_config("ckanext.vndata.quality.link_check_threads", "8")
    @pytest.mark.ckan_config("ckanext.vndata.quality.link_check_per_host", "2")
    @pytest.mark.ckan_config("ckanext.vndata.quality.link_check_host_interval", "0")
    def test_a_batch_keeps_to_the_per_host_limit(self, server):
        server.pause = 0.2
        dataset = _dataset(*(server.url(f"/data.csv?n={n}") for n in range(12)))

        assert link_schedule.vndata_links_check(_ids(dataset)) == {"ok": 12}
        assert server.peak == 2  # 8 threads, but never more than 2 at the host

    def test_failures_space_the_checks_and_a_success_resets_them(self, server):
        dataset = _dataset(server.url("/missing"))
        (rid,) = _ids(dataset)
        link_schedule.vndata_links_check([rid])
        link_schedule.vndata_links_check([rid])
        link = _link(rid)
        assert link.failures == 2
        assert _about(link.next_check, NOW() + datetime.timedelta(hours=12))
        for _i in range(8):
            link_schedule.vndata_links_check([rid])
        assert _about(_link(rid).next_check, NOW() + datetime.timedelta(days=28))

        model.Session.query(model.Resource).filter_by(id=rid).update(
            {"url": server.url("/data.csv")}
        )
        model.Session.commit()
        link_schedule.vndata_links_check([rid])
        link = _link(rid)
        assert (link.ok, link.failures, link.error) == (True, 0, None)

    def test_a_host_asking_for_a_pause_is_not_a_failure(self, server, monkeypatch):
        enqueued = []
        monkeypatch.setattr(link_schedule, "_enqueue", lambda *a: enqueued.append(a))
        dataset = _dataset(server.url("/limited"))
        (rid,) = _ids(dataset)

        summary = link_schedule.vndata_links_check([rid])

        assert summary == {"later": 1}
        link = _link(rid)
        assert (link.ok, link.failures, link.checked) == (None, 0, None)
        assert _about(
            link.next_check, NOW() + datetime.timedelta(seconds=2),
            datetime.timedelta(seconds=5),
        )  # fmt: skip
        assert enqueued == [([rid], 1)]  # asked again, once the host is free
        redis = connect_to_redis()
        assert float(redis.get("vndata:links:host:127.0.0.1:next")) > NOW().timestamp()

    @pytest.mark.parametrize("seconds, again", [(0.05, True), (600, False)])
    def test_a_busy_host_puts_its_links_off(self, monkeypatch, seconds, again):
        enqueued = []
        monkeypatch.setattr(link_schedule, "_enqueue", lambda *a: enqueued.append(a))

        def busy(url, gate):
            raise link_gate.HostBusy("a.example.vn", seconds)

        monkeypatch.setattr(link_schedule.link_check, "vndata_check_link", busy)
        dataset = _dataset("http://a.example.vn/1")
        (rid,) = _ids(dataset)

        assert link_schedule.vndata_links_check([rid]) == {"later": 1}
        link = _link(rid)
        assert (link.ok, link.failures, link.checked) == (None, 0, None)
        assert enqueued == ([([rid], 1)] if again else [])

    def test_a_missing_uploaded_file_is_broken(self, tmp_path):
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(tk.config, "ckan.storage_path", str(tmp_path))
            dataset = _dataset("http://a.example.vn/1")
            (rid,) = _ids(dataset)
            model.Session.query(model.Resource).filter_by(id=rid).update(
                {"url": "a.csv", "url_type": "upload"}
            )
            model.Session.commit()

            assert link_schedule.vndata_links_check([rid]) == {"missing_file": 1}

    def test_each_verdict_is_kept_as_soon_as_it_is_known(self, server):
        # A job killed at its timeout loses none of the verdicts it had.
        dataset = _dataset(*(server.url(f"/data.csv?n={n}") for n in range(3)))
        seen = []

        def stored(_code):
            with model.meta.engine.connect() as other:  # another transaction
                seen.append(
                    other.execute(
                        sa.select(sa.func.count()).where(LinkCheck.checked.isnot(None))
                    ).scalar()
                )

        link_schedule.vndata_links_check(_ids(dataset), progress=stored)

        assert seen == [1, 2, 3]

    def test_only_the_datasets_whose_verdicts_changed_are_rescored(
        self, server, monkeypatch
    ):
        rescored = []
        monkeypatch.setattr(
            link_schedule.dataset_score, "vndata_quality_rescore", rescored.append
        )
        dataset = _dataset(server.url("/data.csv"), server.url("/missing"))
        other = _dataset(server.url("/data.csv?other"))

        link_schedule.vndata_links_check(_ids(dataset) + _ids(other))
        assert rescored == [sorted([dataset["id"], other["id"]])]
        link_schedule.vndata_links_check(_ids(dataset) + _ids(other))
        assert len(rescored) == 1  # the same verdicts: the scores stand

        model.Session.query(model.Resource).filter_by(id=_ids(other)[0]).update(
            {"url": server.url("/missing?other")}
        )
        model.Session.commit()
        link_schedule.vndata_links_check(_ids(dataset) + _ids(other))
        assert rescored[1:] == [[other["id"]]]

    def test_the_stored_score_counts_the_verdicts(self, server):
        dataset = _dataset(server.url("/data.csv"), server.url("/missing"))

        link_schedule.vndata_links_check(_ids(dataset))

        model.Session.expire_all()
        row = model.Session.get(DatasetScore, dataset["id"])
        counts = json.loads(row.tally)["counts"]
        assert counts["access_url_reachable"] == [1, 2]  # one of two works

    def test_data_held_only_in_the_datastore_works_when_its_table_exists(self):
        dataset = _dataset("http://a.example.vn/1", "http://a.example.vn/2")
        kept, lost = _ids(dataset)
        model.Session.query(model.Resource).filter(
            model.Resource.id.in_([kept, lost])
        ).update(
            {"url": "_datastore_only_resource", "url_type": "datastore"},
            synchronize_session=False,
        )
        model.Session.commit()
        tk.get_action("datastore_create")(
            {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
            {"resource_id": kept, "force": True, "records": [{"a": 1}]},
        )

        summary = link_schedule.vndata_links_check([kept, lost])

        assert summary == {"ok": 1, "missing_table": 1}
        assert _link(kept).ok is True

    def test_an_uploader_that_fails_fails_one_link_not_the_batch(
        self, server, monkeypatch
    ):
        def broken(_resource):
            raise RuntimeError("an uploader of another extension")

        monkeypatch.setattr(link_schedule.uploader, "get_resource_uploader", broken)
        dataset = _dataset(server.url("/data.csv"), "http://a.example.vn/1")
        working, uploaded = _ids(dataset)
        model.Session.query(model.Resource).filter_by(id=uploaded).update(
            {"url": "a.csv", "url_type": "upload"}
        )
        model.Session.commit()

        summary = link_schedule.vndata_links_check([working, uploaded])

        assert summary == {"ok": 1, "connection": 1}
        assert _link(working).ok is True

    @pytest.mark.ckan_config("ckanext.vndata.quality.link_check_batch", "2")
    def test_a_run_queues_each_datasets_links_together(self, monkeypatch):
        enqueued = []
        monkeypatch.setattr(link_schedule, "_enqueue", lambda *a: enqueued.append(a))
        first = _dataset(*(f"http://a.example.vn/{n}" for n in range(2)))
        second = _dataset(*(f"http://b.example.vn/{n}" for n in range(2)))

        assert link_schedule.vndata_links_enqueue() == 4

        batches = [set(ids) for ids, _attempt in enqueued]
        assert sorted(batches, key=sorted) == sorted(
            [set(_ids(first)), set(_ids(second))], key=sorted
        )

    @given(url=st.one_of(
        st.text(max_size=200),
        st.sampled_from(["file:///etc/passwd", "file:/etc/passwd", "gopher://x:70/_",
                         "http://" + "a" * 5000, "\x00", "http://[::1", "http://a:b/"]),
    ))  # fmt: skip
    @fuzz_settings(max_examples=25)
    def test_a_hostile_address_is_a_stored_error_never_an_exception(self, url):
        dataset = _dataset("http://a.example.vn/1")
        (rid,) = _ids(dataset)
        stored = url.replace("\x00", "")  # PostgreSQL text holds no NUL
        model.Session.query(model.Resource).filter_by(id=rid).update({"url": stored})
        model.Session.commit()

        link_schedule.vndata_links_check_job([rid])

        link = _link(rid)
        assert link.ok is False and link.error and link.checked
        assert link.url == stored

    def test_a_link_written_as_a_local_file_is_not_looked_for(self):
        # A link is never read as a path of this machine (it would tell which
        # files exist here).
        dataset = _dataset("http://a.example.vn/1")
        (rid,) = _ids(dataset)
        model.Session.query(model.Resource).filter_by(id=rid).update(
            {"url": "file:/etc/passwd"}
        )
        model.Session.commit()

        assert link_schedule.vndata_links_check([rid]) == {"invalid_url": 1}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")
@pytest.mark.ckan_config("ckanext.vndata.quality.link_check_queue", QUEUE)
@pytest.mark.ckan_config("ckanext.vndata.quality.link_check_batch", "4")
def test_a_real_worker_drains_the_queue_and_stores_every_result(tmp_path, server):
    paths = ["/data.csv", "/missing", "/error", "/nohead", "/hop", "/loop"] * 2
    dataset = _dataset(*(server.url(f"{path}?n={n}") for n, path in enumerate(paths)))

    assert link_schedule.vndata_links_enqueue() == len(paths)
    queued = tk.get_action("job_list")({"ignore_auth": True}, {"queues": [QUEUE]})
    assert len(queued) == 3  # batches of 4

    host_port = server.origin.split("//")[1]
    ini = ini_over_test_ini(
        tmp_path / "worker.ini",
        **{
            link_check.ALLOWED_HOSTS: host_port,
            "ckanext.vndata.quality.link_check_queue": QUEUE,
            "ckanext.vndata.quality.link_check_host_interval": "0",
        },
    )
    with (
        open(tmp_path / "worker.log", "wb") as log,
        ckan_process(ini, "jobs", "worker", "--burst", QUEUE, log=log) as worker,
    ):
        assert worker.wait(timeout=180) == 0, (tmp_path / "worker.log").read_text()

    assert tk.get_action("job_list")({"ignore_auth": True}, {"queues": [QUEUE]}) == []
    model.Session.expire_all()
    links = {link.url: link for link in model.Session.query(LinkCheck)}
    assert len(links) == len(paths)
    verdicts = {url.split("?")[0].rsplit("/", 1)[1]: (link.ok, link.error)
                for url, link in links.items()}  # fmt: skip
    assert verdicts == {
        "data.csv": (True, None),
        "missing": (False, "http_error"),
        "error": (False, "http_error"),
        "nohead": (True, None),
        "hop": (True, None),
        "loop": (False, "too_many_redirects"),
    }
    assert all(link.checked for link in links.values())
    assert dataset["id"] in {link.package_id for link in links.values()}
