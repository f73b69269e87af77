"""A harvest source's login (auth_header) is stored apart from its public config:
no read path shows it, sysadmins see it masked, and harvests still send it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestSource

from tests.harvester.helpers import catalogue
from tests.harvester.sources import harvest_source, post_source_form
from tests.helpers import run_harvest, token_headers

SECRET = "Bearer bi-mat-7f3c2d91"
MASK = "********"
API = "/api/3/action/"


def _stored_anywhere(source_id: str) -> list[str]:
    """Every public copy of the source's config that holds the secret."""
    rows = model.Session.execute(
        sa.text(
            "SELECT config FROM harvest_source WHERE id = :id "
            "UNION ALL SELECT value FROM package_extra WHERE package_id = :id "
            "UNION ALL SELECT data::text FROM activity WHERE object_id = :id"
        ),
        {"id": source_id},
    ).scalars()
    return [row for row in rows if row and SECRET in row]


def _secrets_table(source_id: str) -> dict[str, str]:
    model.Session.remove()
    rows = model.Session.execute(
        sa.text(
            "SELECT key, value FROM vndata_harvester_source_secret "
            "WHERE source_id = :id"
        ),
        {"id": source_id},
    )
    return dict(rows.all())


def _update(app, source: dict, headers: dict, status=200, **config):
    """harvest_source_update through the API with ``config`` as the whole config."""
    fields = config.pop("_fields", {})
    data = {
        "id": source["id"],
        "name": source["name"],
        "url": source["url"],
        "source_type": source["source_type"],
        "config": json.dumps(config),
        **fields,
    }
    return app.post(API + "harvest_source_update", json=data, headers=headers,
                    status=status)  # fmt: skip


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestNoReadPathShowsTheSecret:
    def test_nobody_reads_the_secret_and_sysadmins_see_the_mask(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        member = factories.User()
        organization = factories.Organization(
            users=[{"name": member["name"], "capacity": "member"}]
        )
        source = harvest_source(url, owner_org=organization["id"], auth_header=SECRET)
        run_harvest(source["id"], "vndata_dcat")
        sysadmin = token_headers(factories.Sysadmin())
        (job,) = app.get(
            API + f"harvest_job_list?source_id={source['id']}", headers=sysadmin
        ).json["result"]
        readers = {
            "anonymous": {},
            "non-member": token_headers(factories.User()),
            "member": token_headers(member),
            "sysadmin": sysadmin,
        }
        paths = [
            API + f"harvest_source_show?id={source['id']}",
            API + f"package_show?id={source['id']}",
            API + "package_search?fq=dataset_type:harvest",
            API + "harvest_source_list",
            API + f"harvest_job_show?id={job['id']}",
            API + f"harvest_job_list?source_id={source['id']}",
            API + f"package_activity_list?id={source['id']}",
            API + f"vndata_harvest_job_report?id={job['id']}",
            f"/harvest/{source['name']}",
            f"/harvest/about/{source['name']}",
            f"/harvest/admin/{source['name']}",
            f"/harvest/edit/{source['name']}",
            f"/harvest/activity/{source['name']}",
            f"/harvest/{source['name']}/job/{job['id']}",
            f"/harvest/{source['name']}/job/last",
            "/harvest",
        ]

        for who, headers in readers.items():
            for path in paths:
                response = app.get(path, headers=headers)
                assert response.status_code < 500, (who, path)
                assert SECRET not in response.get_data(as_text=True), (who, path)

        shown = app.get(
            API + f"harvest_source_show?id={source['id']}", headers=sysadmin
        ).json["result"]
        assert json.loads(shown["config"])["auth_header"] == MASK
        assert MASK in app.get(f"/harvest/edit/{source['name']}", headers=sysadmin)
        anonymous = app.get(API + f"harvest_source_show?id={source['id']}").json
        assert "auth_header" not in anonymous["result"]["config"]
        assert _stored_anywhere(source["id"]) == []
        assert all(h.get("Authorization") == SECRET for h in handler.headers_seen)


@pytest.mark.ckan_config("ckanext.vndata.harvester.allowed_hosts", "127.0.0.1")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestUpdatingTheSecret:
    def _source(self, url: str) -> tuple[dict, dict]:
        sysadmin = token_headers(factories.Sysadmin())
        source = harvest_source(url, auth_header=SECRET)
        return source, sysadmin

    def test_the_mask_sent_back_keeps_the_secret_for_the_next_harvest(
        self, app, catalogue_server
    ):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        source, sysadmin = self._source(url)
        shown = app.get(
            API + f"harvest_source_show?id={source['id']}", headers=sysadmin
        ).json["result"]

        _update(app, source, sysadmin, **json.loads(shown["config"]), timeout=30)
        run_harvest(source["id"], "vndata_dcat")

        assert _secrets_table(source["id"]) == {"auth_header": SECRET}
        assert handler.headers_seen
        assert all(h.get("Authorization") == SECRET for h in handler.headers_seen)

    def test_package_show_then_package_update_keeps_the_secret(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")
        shown = app.get(API + f"package_show?id={source['id']}", headers=sysadmin)

        app.post(API + "package_update", json=shown.json["result"], headers=sysadmin)

        assert _secrets_table(source["id"]) == {"auth_header": SECRET}

    def test_a_new_value_replaces_the_secret(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")

        _update(app, source, sysadmin, auth_header="Basic bW9pOm1vaQ==")

        assert _secrets_table(source["id"]) == {"auth_header": "Basic bW9pOm1vaQ=="}
        assert _stored_anywhere(source["id"]) == []

    def test_an_empty_value_clears_the_secret(self, app, catalogue_server):
        handler, url = catalogue_server
        handler.body = catalogue([1])
        source, sysadmin = self._source(url)

        _update(app, source, sysadmin, auth_header="")
        run_harvest(source["id"], "vndata_dcat")

        assert _secrets_table(source["id"]) == {}
        assert handler.headers_seen
        assert not any("Authorization" in h for h in handler.headers_seen)

    def test_a_config_without_the_key_keeps_the_secret(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")

        _update(app, source, sysadmin, timeout=20)

        assert _secrets_table(source["id"]) == {"auth_header": SECRET}

    def test_a_source_moved_to_another_site_does_not_keep_the_secret(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")
        moved = {"_fields": {"url": "http://127.0.0.2:9/catalog.ttl"}}

        refused = _update(app, source, sysadmin, status=409, **dict(moved))
        _update(app, source, sysadmin, auth_header="", **dict(moved))

        assert "auth_header" in refused.json["error"]["config"][0]
        assert _secrets_table(source["id"]) == {}

    def test_saying_the_source_is_a_dataset_skips_no_check(self, app):
        """package_update keeps the stored type, so "type": "dataset" in the call
        must not make the secret checks think it is not a source."""
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")
        body = {"id": source["id"], "type": "dataset",
                "url": "http://127.0.0.2:9/catalog.ttl"}  # fmt: skip

        refused = app.post(API + "package_patch", json=body, headers=sysadmin,
                           status=409)  # fmt: skip

        assert "auth_header" in str(refused.json["error"])
        assert HarvestSource.get(source["id"]).url == source["url"]
        assert _secrets_table(source["id"]) == {"auth_header": SECRET}

    def test_a_refused_update_writes_nothing(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")

        _update(app, source, sysadmin, status=409, auth_header="x", timeout=0)

        assert _secrets_table(source["id"]) == {"auth_header": SECRET}
        app.get(API + f"harvest_source_show?id={source['id']}", headers=sysadmin)

    def test_the_source_form_keeps_the_masked_secret(self, app):
        source, sysadmin = self._source("http://127.0.0.1:9/catalog.ttl")
        form = app.get(f"/harvest/edit/{source['name']}", headers=sysadmin)
        assert MASK in form.get_data(as_text=True)
        shown = helpers.call_action(
            "package_show",
            context={"user": factories.Sysadmin()["name"]},
            id=source["id"],
        )

        post_source_form(
            app, source, sysadmin, title="Cổng đã sửa", config=shown["config"]
        )

        assert _secrets_table(source["id"]) == {"auth_header": SECRET}
        assert model.Package.get(source["id"]).title == "Cổng đã sửa"


def _index_as_before(source_id: str) -> None:
    """Solr's copy of the source as an index made before the secrets moved."""
    from ckan.lib.search.common import make_connection

    connection = make_connection()
    (doc,) = connection.search(q=f'id:"{source_id}"').docs
    doc.pop("_version_", None)
    doc = {k: v.isoformat() + "Z" if hasattr(v, "isoformat") else v
           for k, v in doc.items()}  # fmt: skip
    for field in ("validated_data_dict", "data_dict"):
        copy = json.loads(doc[field])
        copy["config"] = json.dumps({"province_code": "48", "auth_header": SECRET})
        for extra in copy.get("extras") or []:
            if extra["key"] == "config":
                extra["value"] = copy["config"]
        doc[field] = json.dumps(copy)
    doc["extras_config"] = json.dumps({"auth_header": SECRET})
    doc["permission_labels"] = ["public"]  # indexed, not stored: not in ``doc``
    connection.add([doc], commit=True)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOldCopies:
    def test_a_stale_search_index_does_not_show_the_secret(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl", auth_header=SECRET)
        _index_as_before(source["id"])

        for query in ("", "&fl=id,validated_data_dict,data_dict,extras_config"):
            found = app.get(API + "package_search?fq=dataset_type:harvest" + query)
            assert found.json["result"]["count"] == 1
            assert SECRET not in found.get_data(as_text=True)

    def test_a_purged_source_leaves_no_secret(self, app):
        source = harvest_source("http://127.0.0.1:9/catalog.ttl", auth_header=SECRET)

        app.post(
            API + "dataset_purge",
            json={"id": source["id"]},
            headers=token_headers(factories.Sysadmin()),
        )

        assert _secrets_table(source["id"]) == {}
