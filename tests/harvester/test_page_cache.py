"""Catalogue pages remembered by their digest, and known unchanged when every record of
an identical page is still imported, current and live.

What a harvest does with an unchanged page (no harvest object, nothing written, the
next page still read) is tested through whole harvests in test_dcat_rdf.py
(TestReharvest) and test_real_catalogues.py (an unchanged CSW page); here the cache's
own functions on harvest objects made here.
"""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from ckanext.vndata.harvester import page_cache
from tests.factories import VnDataset
from tests.harvester.sources import objects_of_a_running_job


def imported(count: int) -> tuple[str, str, list]:
    """(source id, job id, objects) of ``count`` records imported and live."""
    objects = objects_of_a_running_job(count, state="COMPLETE")
    org_id = factories.Organization()["id"]
    for harvest_object in objects:
        harvest_object.package_id = VnDataset(owner_org=org_id)["id"]
        harvest_object.current = True
        harvest_object.save()
    return objects[0].harvest_source_id, objects[0].harvest_job_id, objects


def page(guids: list[str], skipped: bool = False, whole: bool = True) -> dict:
    digest = page_cache.digest(",".join(guids), "{}")
    return {"digest": digest, "guids": guids, "skipped": skipped, "whole": whole}


class TestDigest:
    def test_the_same_page_under_the_same_config_has_the_same_digest(self):
        assert page_cache.digest("trang", "{}") == page_cache.digest("trang", "{}")
        assert page_cache.digest("trang", None) == page_cache.digest("trang", "")

    @pytest.mark.parametrize(
        ("content", "config"),
        [("trang!", "{}"), ("trang", '{"a": 1}'), ("tran", "g{}"), ("trang\0", "{}")],
    )
    def test_a_change_of_page_or_config_is_another_digest(self, content, config):
        assert page_cache.digest(content, config) != page_cache.digest("trang", "{}")


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUnchangedGuids:
    def test_a_remembered_page_whose_records_are_all_live_is_unchanged(self):
        source_id, job_id, objects = imported(2)
        read = page([o.guid for o in objects])
        page_cache.remember(job_id, source_id, [read])

        assert page_cache.unchanged_guids(source_id, read["digest"]) == read["guids"]

    def test_a_page_never_seen_or_seen_by_another_source_is_not_known(self):
        source_id, job_id, objects = imported(1)
        read = page([o.guid for o in objects])
        page_cache.remember(job_id, source_id, [read])

        assert page_cache.unchanged_guids(source_id, page(["khac"])["digest"]) is None
        assert page_cache.unchanged_guids("nguon-khac", read["digest"]) is None

    def test_a_page_that_listed_no_record_is_never_skipped(self):
        source_id, job_id, _objects = imported(1)
        empty = page([])
        page_cache.remember(job_id, source_id, [empty])

        assert page_cache.unchanged_guids(source_id, empty["digest"]) is None

    @pytest.mark.parametrize("change", ["deleted", "not current", "failed"])
    def test_a_page_with_one_record_no_longer_live_is_read_again(self, change):
        source_id, job_id, objects = imported(2)
        read = page([o.guid for o in objects])
        page_cache.remember(job_id, source_id, [read])
        last = objects[-1]
        if change == "deleted":
            sysadmin = {"user": factories.Sysadmin()["name"]}
            helpers.call_action("package_delete", sysadmin, id=last.package_id)
        else:
            last.current = change != "not current"
            last.state = "ERROR" if change == "failed" else last.state
            last.save()

        assert page_cache.unchanged_guids(source_id, read["digest"]) is None

    def test_a_page_with_a_rejected_record_is_not_remembered(self):
        source_id, job_id, objects = imported(2)
        rejected = page([o.guid for o in objects], whole=False)

        page_cache.remember(job_id, source_id, [rejected])

        assert page_cache.unchanged_guids(source_id, rejected["digest"]) is None


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_records_of_skipped_pages_count_for_their_job():
    source_id, job_id, objects = imported(3)
    guids = [o.guid for o in objects]

    page_cache.remember(
        job_id,
        source_id,
        [
            page(guids[:2], skipped=True),
            page(guids[2:]),
            page(["x"], skipped=True, whole=False),
        ],
    )

    assert page_cache.skipped_records(job_id) == 2
    assert page_cache.skipped_records("another-job") == 0
