"""Plans harvested from a provincial portal, written on the national portal."""

from __future__ import annotations

import contextlib
import itertools
import threading

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

import ckan.plugins.toolkit as tk
from ckan.model import meta
from ckan.tests import helpers

from ckanext.vndata.plan import fields, harvested, sync
from ckanext.vndata.plan.model import Item, Plan
from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.sources import harvest_source
from tests.helpers import statements
from tests.plan.conftest import call, plan_in
from tests.plan.helpers import TRUONG_HOC, import_as, plan_record

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


WRITES = {"INSERT", "UPDATE", "DELETE"}


@contextlib.contextmanager
def writes():
    """The INSERT, UPDATE and DELETE statements sent to the database meanwhile."""
    sent: list[str] = []
    with statements() as seen:
        yield sent
    sent.extend(s for s in seen if s.lstrip().split(" ", 1)[0].upper() in WRITES)


def _shown(plan_id: str) -> dict:
    return helpers.call_action("vndata_plan_show", id=plan_id)


class TestImportRecord:
    def test_a_new_plan_is_added_published_with_its_parts(self, source, agency):
        result = import_as(plan_record(), source, agency)

        assert result == "added"
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        plan = _shown(plan_id)
        assert plan["status"] == "published"
        assert plan["organization_id"] == agency.org["id"]
        assert plan["title"] == "Kế hoạch dữ liệu mở Đà Nẵng 2025"
        assert [p["label"] for p in plan["phases"]] == ["Giai đoạn 2025"]
        assert plan["phases"][0]["min_datasets"] == 1
        assert [i["remote_key"] for i in plan["items"]] == ["kh-dn-1", "kh-dn-2"]
        assert plan["items"][0]["formats"] == ["CSV"]
        assert plan["items"][0]["phase_id"] == plan["phases"][0]["id"]
        assert [e["transition"] for e in plan["history"]] == ["harvest"]
        assert plan["harvest_source"]["title"] == "Cổng dữ liệu Đà Nẵng"
        assert plan["harvest_source"]["remote_url"].endswith("/ke-hoach/kh-dn-v1")
        assert plan["harvest_source"]["harvested_at"]
        assert "fingerprint" not in plan

    def test_its_next_review_is_scheduled_as_for_a_plan_made_here(self, source, agency):
        record = plan_record(last_review_date="2025-03-01", review_interval_months=6)
        import_as(record, source, agency)

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        assert _shown(plan_id)["next_review_date"] == "2025-09-01"

    def test_the_same_record_again_writes_nothing(self, source, agency, national_copy):
        known = {TRUONG_HOC["uri"]: national_copy["id"]}
        import_as(plan_record(), source, agency, known)
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        before = _shown(plan_id)

        again = plan_record(modified="2026-12-01T08:00:00")
        with writes() as sent:
            result = import_as(again, source, agency, known)

        assert result == "unchanged"
        assert sent == []
        assert _shown(plan_id)["modified"] == before["modified"]

    def test_a_changed_record_of_the_same_version_updates_the_plan(
        self, source, agency
    ):
        import_as(plan_record(), source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()

        result = import_as(plan_record(title="Kế hoạch đã sửa"), source, agency)

        assert result == "updated"
        assert harvested.series_of_source(source["id"]) == {"kh-dn": plan_id}
        assert _shown(plan_id)["title"] == "Kế hoạch đã sửa"
        assert len(_shown(plan_id)["items"]) == 2

    def test_a_new_version_supersedes_the_previous_one(self, source, agency):
        import_as(plan_record(), source, agency)
        (first,) = harvested.series_of_source(source["id"]).values()

        result = import_as(plan_record(version=2, title="Bản 2"), source, agency)

        assert result == "updated"
        (second,) = harvested.series_of_source(source["id"]).values()
        assert second != first
        assert _shown(first)["status"] == "superseded"
        shown = _shown(second)
        assert shown["version"] == 2
        assert [(v["version"], v["status"]) for v in shown["versions"]] == [
            (1, "superseded"),
            (2, "published"),
        ]
        assert [e["transition"] for e in _shown(first)["history"]] == [
            "harvest",
            "supersede",
        ]

    def test_an_older_version_is_refused(self, source, agency):
        import_as(plan_record(version=2), source, agency)

        with pytest.raises(tk.ValidationError) as raised:
            import_as(plan_record(version=1), source, agency)

        assert "version" in raised.value.error_dict

    def test_the_same_series_of_two_sources_are_two_plans(self, source, agency):
        other = harvest_source("https://dulieu.hue.gov.vn/catalog.ttl", name="hue")
        import_as(plan_record(), source, agency)
        record = plan_record()
        for item in record["items"]:
            item["key"] = "hue-" + item["key"]

        assert import_as(record, other, agency) == "added"
        assert harvested.series_of_source(other["id"]) != harvested.series_of_source(
            source["id"]
        )


class TestHijack:
    """Item keys are public in every province's plans; an item's key here is derived
    from its source and the key the source gave it, so no source takes another's."""

    def test_a_local_plans_key_in_a_record_leaves_the_local_item_alone(
        self, source, agency
    ):
        local = plan_in(agency)
        key = call("vndata_plan_item_create", agency.editor, plan_id=local["id"],
                   title="Dữ liệu địa phương")["key"]  # fmt: skip
        record = plan_record()
        record["items"][1]["key"] = key

        assert import_as(record, source, agency) == "added"

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        items = _shown(plan_id)["items"]
        assert key not in [item["key"] for item in items]
        assert items[1]["remote_key"] == key
        assert items[1]["key"] == harvested.national_key(source["id"], key)
        assert [i["key"] for i in _shown(local["id"])["items"]] == [key]

    def test_a_hostile_source_harvested_first_cannot_squat_the_keys(
        self, source, agency
    ):
        hostile = harvest_source("https://hostile.example/catalog.ttl", name="hostile")
        squatting = plan_record(series_id="kh-dn", version=3)
        squatting["items"][0]["cooperating_agencies"] = [agency.org["title"]]
        assert import_as(squatting, hostile, agency) == "added"

        assert import_as(plan_record(version=3), source, agency) == "added"

        ours = _shown(harvested.series_of_source(source["id"])["kh-dn"])
        theirs = _shown(harvested.series_of_source(hostile["id"])["kh-dn"])
        assert [i["remote_key"] for i in ours["items"]] == ["kh-dn-1", "kh-dn-2"]
        assert not {i["key"] for i in ours["items"]} & {
            i["key"] for i in theirs["items"]
        }
        # and a new version of Đà Nẵng's plan keeps its own keys
        assert import_as(plan_record(version=4), source, agency) == "updated"
        newest = _shown(harvested.series_of_source(source["id"])["kh-dn"])
        assert [i["key"] for i in newest["items"]] == [i["key"] for i in ours["items"]]

    def test_a_key_of_another_series_of_the_same_source_is_refused(
        self, source, agency
    ):
        import_as(plan_record(), source, agency)
        record = plan_record(series_id="kh-khac")
        record["items"][1]["key"] = "kh-dn-2"

        with pytest.raises(tk.ValidationError) as raised:
            import_as(record, source, agency)

        assert "kh-dn-2" in raised.value.error_dict["items"][0]
        assert set(harvested.series_of_source(source["id"])) == {"kh-dn"}

    def test_a_repeated_key_is_refused(self, source, agency):
        record = plan_record()
        record["items"][1]["key"] = record["items"][0]["key"]

        with pytest.raises(tk.ValidationError):
            import_as(record, source, agency)


class TestConcurrentImports:
    """A CLI run while the scheduler re-sent the objects: two imports of one version
    at once wrote two published plans of one series."""

    def test_two_sessions_importing_one_version_write_one_plan(
        self, app, source, agency, monkeypatch
    ):
        both_read = threading.Event()
        read = harvested.latest
        calls = itertools.count()

        def slow_latest(*args):
            # The first reader waits (at most 2 s) for the second to read too: with
            # no lock both see no row and both insert.
            found = read(*args)
            (both_read.wait(2) if next(calls) == 0 else both_read.set())
            return found

        monkeypatch.setattr(harvested, "latest", slow_latest)
        results: list[str] = []

        def run():
            with app.flask_app.test_request_context():
                try:
                    results.append(import_as(plan_record(), source, agency))
                except tk.ValidationError as error:
                    results.append(str(error.error_dict))
                finally:
                    meta.Session.remove()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

        assert sorted(results) == ["added", "unchanged"]
        rows = meta.Session.query(Plan).filter(Plan.harvest_source_id == source["id"])
        assert [(p.version, p.status) for p in rows] == [(1, "published")]

    def test_the_database_refuses_a_second_row_of_one_version(self, source, agency):
        import_as(plan_record(), source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        plan = meta.Session.get(Plan, plan_id)
        copy = Plan(
            **{c.key: getattr(plan, c.key) for c in Plan.__table__.columns},
        )
        copy.id = "ban-sao"

        with pytest.raises(sa.exc.IntegrityError) as raised:
            with meta.Session.begin_nested():
                meta.Session.add(copy)
                meta.Session.flush()

        assert harvested._written_twice(raised.value)


class TestAllOrNothing:
    def test_a_row_the_database_refuses_leaves_nothing_written(self, source, agency):
        record = plan_record()
        record["items"][1]["number"] = None  # the item row cannot be written

        with pytest.raises(tk.ValidationError) as raised:
            import_as(record, source, agency)

        assert "record" in raised.value.error_dict
        # the caller's transaction is still usable: no rollback needed
        assert harvested.series_of_source(source["id"]) == {}
        assert helpers.call_action("vndata_plan_list", all_versions=True) == []

    def test_a_failure_after_the_parts_are_written_undoes_them(
        self, source, agency, national_copy, monkeypatch
    ):
        def broken(*args, **kwargs):
            raise RuntimeError("the link cannot be written")

        monkeypatch.setattr(sync, "link", broken)
        known = {TRUONG_HOC["uri"]: national_copy["id"]}

        with pytest.raises(RuntimeError):
            import_as(plan_record(), source, agency, known)

        assert harvested.series_of_source(source["id"]) == {}
        assert (
            meta.Session.query(Item).filter(Item.remote_key == "kh-dn-1").count() == 0
        )

    def test_a_failing_update_keeps_the_previous_version_whole(self, source, agency):
        import_as(plan_record(), source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()
        record = plan_record(version=2)
        record["items"][1]["title"] = None

        with pytest.raises(tk.ValidationError):
            import_as(record, source, agency)

        assert harvested.series_of_source(source["id"]) == {"kh-dn": plan_id}
        shown = _shown(plan_id)
        assert shown["status"] == "published"
        assert len(shown["items"]) == 2
        assert [v["version"] for v in shown["versions"]] == [1]


class TestWithdraw:
    def test_a_plan_no_longer_published_at_the_source_is_withdrawn(
        self, source, agency, national_copy
    ):
        import_as(
            plan_record(), source, agency, {TRUONG_HOC["uri"]: national_copy["id"]}
        )
        (plan_id,) = harvested.series_of_source(source["id"]).values()

        assert harvested.withdraw(source["id"], "kh-dn") is True

        shown = _shown(plan_id)
        assert shown["status"] == "withdrawn"
        assert shown["history"][-1]["transition"] == "withdraw"
        assert shown["items"][0]["datasets"]  # kept for the history
        assert harvested.series_of_source(source["id"]) == {}
        assert harvested.withdraw(source["id"], "kh-dn") is False
        assert helpers.call_action("vndata_plan_list") == []

    def test_a_withdrawn_plan_published_again_comes_back(self, source, agency):
        import_as(plan_record(), source, agency)
        harvested.withdraw(source["id"], "kh-dn")

        assert import_as(plan_record(), source, agency) == "updated"

        (plan_id,) = harvested.series_of_source(source["id"]).values()
        assert _shown(plan_id)["status"] == "published"

    def test_the_report_counts_a_harvested_plan_until_it_is_withdrawn(
        self, source, agency
    ):
        import_as(plan_record(), source, agency)
        (plan_id,) = harvested.series_of_source(source["id"]).values()

        def reported() -> set:
            rows = helpers.call_action("vndata_compliance_report")["rows"]
            return {(row.get("plan") or {}).get("id") for row in rows}

        assert plan_id in reported()
        harvested.withdraw(source["id"], "kh-dn")
        assert plan_id not in reported()

    def test_an_unknown_series_withdraws_nothing(self, source):
        assert harvested.withdraw(source["id"], "khong-co") is False


# Where a hostile value may sit in a record: (part, key); part "plan" is the header.
PLACES = (
    [("plan", key) for key in ("id", "series_id", "version", "url")]
    + [("plan", f.key) for f in fields.PLAN]
    + [("phase", key) for key in ("id", "position", "label", "start_date")]
    + [("phase", key) for key in fields.LEVEL_KEYS]
    + [("item", key) for key in ("key", "number", "phase_id", "datasets")]
    + [("item", f.key) for f in fields.ITEM]
)
_series = itertools.count()


class TestHostileRecord:
    """A record validate_record should have refused is refused whole or stored, never
    a crash and never half-written."""

    @FUZZ
    @given(place=st.sampled_from(PLACES), value=HOSTILE)
    def test_hostile_value(self, source, agency, place, value):
        series = f"fuzz-{next(_series)}"
        record = plan_record(series_id=series)
        part, key = place
        target = {
            "plan": record,
            "phase": record["phases"][0],
            "item": record["items"][0],
        }[part]
        target[key] = value

        try:
            result = import_as(record, source, agency)
        except tk.ValidationError as error:
            assert error.error_dict
            written = meta.Session.query(Plan).filter(
                Plan.harvest_source_id == source["id"]
            )
            assert all(plan.remote_series_id != series for plan in written)
        else:
            assert result in {"added", "updated"}
