"""The source admin page's buttons change a harvest only by POST, with a CSRF token.

ckanext-harvest 1.6 deletes, clears, re-harvests and stops jobs on GET: a link or an
image on any page would do it in a logged-in operator's name.
"""

from __future__ import annotations

import pytest

from ckan.tests import factories
from ckanext.harvest.model import HarvestJob, HarvestSource

from tests.harvester.sources import harvest_source
from tests.helpers import browser_login, csrf_token


def _running_job(source_id: str) -> HarvestJob:
    job = HarvestJob(source_id=source_id, status="Running")
    job.save()
    return job


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestHarvestButtons:
    @pytest.mark.parametrize(
        "path",
        [
            "/harvest/delete/{source}",
            "/harvest/delete/{source}?clear=True",
            "/harvest/refresh/{source}",
            "/harvest/clear/{source}",
            "/harvest/{source}/job/{job}/abort",
        ],
    )
    def test_a_get_changes_nothing(self, app, path):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        job = _running_job(source["id"])
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))

        response = operator.get(path.format(source=source["id"], job=job.id))

        assert response.status_code == 405
        assert HarvestSource.get(source["id"]).active
        assert [j.status for j in HarvestJob.filter(source_id=source["id"])] == [
            "Running"
        ]

    def test_stop_is_a_confirmed_post_that_stops_the_job(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        job = _running_job(source["id"])
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        page = operator.get(f"/harvest/admin/{source['id']}").body
        stop = f"/harvest/{source['name']}/job/{job.id}/abort"

        assert f'href="{stop}"' in page
        button = page[page.index(f'href="{stop}"') :].split(">")[0]
        assert 'data-module="confirm-action"' in button
        forged = operator.post(stop, data={})
        assert forged.status_code == 400
        assert HarvestJob.get(job.id).status == "Running"
        stopped = operator.post(stop, data={"_csrf_token": csrf_token(page)})
        assert stopped.status_code in (200, 302)
        assert HarvestJob.get(job.id).status in ("Finished", "Aborted")

    def test_delete_by_post_flags_the_source_deleted(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl")
        operator = browser_login(app, factories.Sysadmin(password="Matkhau-2026"))
        page = operator.get(f"/harvest/admin/{source['id']}").body

        operator.post(
            f"/harvest/delete/{source['id']}", data={"_csrf_token": csrf_token(page)}
        )

        assert not HarvestSource.get(source["id"]).active
