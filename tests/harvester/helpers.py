"""What several harvester test modules share: catalogues, remote records and the
sources that harvest them (sources.py makes the sources and reads the reports)."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.parse
from collections.abc import Iterator

import sqlalchemy as sa
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT

from ckan import model
from ckan.tests import factories, helpers

from ckanext.vndata.dcat import terms
from ckanext.vndata.plan import exchange_rdf
from ckanext.vndata.plan import model as plan_model
from tests.factories import Item, Phase, Plan, walk
from tests.harvester.sources import harvest_source
from tests.helpers import run_harvest

_HEAD = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""

# One dataset of Đà Nẵng's science department, with its publisher's agency code.
CATALOGUE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vndata: <https://w3id.org/vndata/ns#> .

<http://127.0.0.1/catalog> a dcat:Catalog ; dcat:dataset <http://127.0.0.1/ds/1> .
<http://127.0.0.1/ds/1> a dcat:Dataset ;
    dct:identifier "dn-truong-hoc" ;
    dct:title "Danh sách trường học Đà Nẵng"@vi ;
    dct:description "Các trường trên địa bàn thành phố."@vi ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> ;
    dct:publisher [ a foaf:Agent ; foaf:name "Sở Khoa học và Công nghệ"@vi ;
                    dct:identifier "H17.14" ] ;
    dcat:distribution <http://127.0.0.1/ds/1/csv> .
<http://127.0.0.1/ds/1/csv> a dcat:Distribution ;
    dcat:accessURL <http://127.0.0.1/files/truong-hoc.csv> .
"""

# A title longer than the portal accepts (1000 characters): the record is refused.
TOO_LONG = "Tập dữ liệu có tên quá dài " * 40

# The least a vndata_ckan source of a foreign portal needs.
MINIMAL = {"province_code": "48", "defaults": {}, "personal_data_assessed": False}

# A record as a CKAN portal of another country lists it (no Vietnamese field at all).
FOREIGN = {
    "id": "remote-1",
    "name": "air-quality",
    "title": "Air quality measurements",
    "type": "Dataset",
    "license_id": "cc-by",
    "update_frequency": "other",
    "contact_phone": "+49 40 42840-3494",
    "creator": [{"name": "Umweltamt", "email": "umwelt@example.de"}],
    "tags": [{"name": "a"}, {"name": "%^&"}, {"name": "air quality"}],
    "extras": [{"key": "spatial-text", "value": "Hamburg"}],
    "resources": [{"url": "https://example.de/air.csv", "format": "CSV"}],
}


def catalogue(ids: list[int], next_page: str | None = None) -> bytes:
    """A Turtle catalogue of datasets numbered ``ids``, with a hydra next page."""
    body = _HEAD + "<http://127.0.0.1/catalog> a dcat:Catalog .\n"
    for n in ids:
        body += f"""<http://127.0.0.1/ds/{n}> a dcat:Dataset ;
    dct:title "Tập dữ liệu {n}"@vi ; dct:description "Mô tả {n}"@vi ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC> .
"""
    if next_page:
        body += f"""<http://127.0.0.1/page> a hydra:PagedCollection ;
    hydra:totalItems 100 ; hydra:itemsPerPage {len(ids)} ;
    hydra:next "{next_page}" .
"""
    return body.encode("utf-8")


def gather_errors(source_id: str) -> list[str]:
    """The catalogue errors of every job of the source."""
    jobs = helpers.call_action(
        "harvest_job_list",
        context={"user": factories.Sysadmin()["name"]},
        source_id=source_id,
    )
    messages = []
    for job in jobs:
        report = helpers.call_action("harvest_job_report", id=job["id"])
        messages += [e["message"] for e in report["gather_errors"]]
    return messages


def ckan_record(n: int, **fields) -> dict:
    """A record as a Vietnamese CKAN portal's package_search lists it."""
    return {
        "id": f"remote-{n}",
        "name": f"du-lieu-{n}",
        "type": "dataset",
        "title": f"Dữ liệu số {n} của tỉnh",
        "notes": f"Mô tả tập dữ liệu {n}.",
        "tags": [{"name": "giáo dục"}],
        "sectors": ["giao-duc-dao-tao"],
        "organization": {"name": "so-gd", "title": "Sở Giáo dục và Đào tạo"},
        "resources": [
            {
                "id": f"res-{n}",
                "url": f"https://data.example.vn/{n}.csv",
                "format": "CSV",
            }
        ],
        **fields,
    }


def bare_ckan_record(n: int, **fields) -> dict:
    """A record with only what a CKAN portal must give and our schema asks for: no
    organization, no tags, one resource."""
    return {
        "id": f"remote-{n}",
        "name": f"du-lieu-{n}",
        "title": f"Dữ liệu số {n} của tỉnh",
        "notes": f"Mô tả tập dữ liệu {n}.",
        "sectors": ["giao-duc-dao-tao"],
        "resources": [{"url": f"https://data.example.vn/{n}.csv", "format": "CSV"}],
        **fields,
    }


def ckan_api(records: list[dict]):
    """package_search over ``records`` (changed in place by the tests), paged."""

    def respond(path: str) -> bytes | None:
        parsed = urllib.parse.urlsplit(path)
        if not parsed.path.endswith("/api/3/action/package_search"):
            return None
        query = urllib.parse.parse_qs(parsed.query)
        start, rows = int(query["start"][0]), int(query["rows"][0])
        result = {"count": len(records), "results": records[start : start + rows]}
        return json.dumps({"success": True, "result": result}).encode("utf-8")

    return respond


def ckan_source(url: str, name: str = "cong-hue", **config) -> dict:
    """A vndata_ckan source of the portal at ``url`` (catalogue_server's)."""
    url = url.replace("/catalog.ttl", "")
    return harvest_source(url, name=name, source_type="vndata_ckan", **config)


def harvest_ckan(catalogue_server, records: list, **config):
    """One vndata_ckan harvest of ``records`` (one each) from a MINIMAL source."""
    handler, url = catalogue_server
    handler.respond = ckan_api(records)
    source = harvest_source(
        url.replace("/catalog.ttl", ""),
        source_type="vndata_ckan",
        **{**MINIMAL, **config},
    )
    (harvested,) = run_harvest(source["id"], "vndata_ckan")
    return source, harvested


def remote_plan(links: tuple[str, ...] = (), status: str = "published") -> tuple:
    """A plan as a provincial portal's vndata_plan_show gives it, and its publisher's
    organization_show: made here through the workflow, read, then removed (this
    portal plays the national one, where its item keys must still be free). Its item
    delivers the remote datasets ``links``: remote ids "remote-<n>", as ckan_record(n)
    names them, whose URI is turtle_record(n)'s."""
    organization = factories.Organization(
        title="Sở Khoa học và Công nghệ Đà Nẵng", agency_code="H17.14"
    )
    plan = Plan(organization_id=organization["id"])
    phase = Phase(plan_id=plan["id"], min_datasets=1)
    Item(plan_id=plan["id"], phase_id=phase["id"], target_date="2026-12-31")
    plan = walk(plan, status)
    shown = helpers.call_action("vndata_plan_show", id=plan["id"])
    for item in shown["items"]:
        item["datasets"] = [
            {
                "package_id": remote_id,
                "package_uri": "http://127.0.0.1/ds/" + remote_id.split("-")[-1],
                "is_public": True,
                "hidden": False,
            }
            for remote_id in links
        ]
    model.Session.execute(
        sa.delete(plan_model.Plan.__table__).where(
            plan_model.Plan.series_id == plan["series_id"]
        )
    )
    model.Session.commit()
    return shown, helpers.call_action("organization_show", id=organization["id"])


def ckan_api_with_plans(records: list[dict], plans: list[tuple], seen=None):
    """ckan_api over ``records``, and the plan actions over ``plans`` (remote_plan's,
    changed in place by the tests). Its plan list ignores the status asked for, as a
    portal would for a login that may read drafts. ``seen`` collects the paths."""
    search = ckan_api(records)

    def respond(path: str) -> bytes | None:
        if seen is not None:
            seen.append(path)
        parsed = urllib.parse.urlsplit(path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        action = parsed.path.rsplit("/", 1)[-1]
        shows = {shown["id"]: shown for shown, _org in plans}
        organizations = {org["id"]: org for _shown, org in plans}
        if action == "vndata_plan_list":
            result = [{k: v for k, v in s.items() if k not in ("phases", "items")}
                      for s in shows.values()]  # fmt: skip
        elif action == "vndata_plan_show" and query.get("id") in shows:
            result = shows[query["id"]]
        elif action == "organization_show" and query.get("id") in organizations:
            result = organizations[query["id"]]
        else:
            return search(path)
        return json.dumps({"success": True, "result": result}).encode("utf-8")

    return respond


def dcat_plans_pages(base: str, plans: list[tuple], catalogue: bytes) -> dict:
    """catalogue_server pages of a DCAT portal publishing ``plans`` (remote_plan's):
    /catalog.ttl (``catalogue``, advertising the plans index), the index, and each
    plan's Turtle (plan/exchange_rdf.py's)."""
    ns = terms.vndata()
    index = Graph()
    node = URIRef(f"{base}/ke-hoach/catalog.ttl")
    index.add((node, RDF.type, DCAT.Catalog))
    pages = {}
    for shown, organization in plans:
        plan = URIRef(f"{base}/ke-hoach/{shown['id']}")
        document = f"/ke-hoach/{shown['id']}.ttl"
        index.add((node, ns.plan, plan))
        index.add((plan, ns.seriesId, Literal(shown["series_id"])))
        index.add((plan, ns.planDocument, URIRef(base + document)))
        graph = exchange_rdf.plan_graph(shown, organization)
        pages[document] = graph.serialize(format="turtle").encode("utf-8")
    advert = Graph().parse(data=catalogue, format="turtle")
    for catalog in advert.subjects(RDF.type, DCAT.Catalog):
        advert.add((catalog, ns.openDataPlans, node))
    pages["/catalog.ttl"] = advert.serialize(format="turtle").encode("utf-8")
    pages["/ke-hoach/catalog.ttl"] = index.serialize(format="turtle").encode("utf-8")
    return pages


def post_source_form(app, headers, **fields) -> str:
    """/harvest/new posted as a browser does, with ``fields`` over a valid source;
    the page answered."""
    form = app.get("/harvest/new", headers=headers).get_data(as_text=True)
    marker = 'name="_csrf_token" value="'
    start = form.index(marker) + len(marker)
    data = {
        "name": "cong-hue",
        "title": "Cổng Huế",
        "url": "https://opendata.hue.gov.vn/catalog.ttl",
        "source_type": "vndata_dcat",
        "config": "{}",
        "frequency": "MANUAL",
        "owner_org": factories.Organization()["id"],
        "save": "save",
        "_csrf_token": form[start : form.index('"', start)],
        **fields,
    }
    return app.post("/harvest/new", data=data, headers=headers).get_data(as_text=True)


# Configs a source form or API may be sent: each must be a validation error naming
# the config (deep nesting, NUL raw or escaped, numbers out of range, wrong shapes,
# lone surrogates, too long), never a 500.
HOSTILE_CONFIGS = [
    "[" * 30000 + "]" * 30000,
    '{"a": ' + "[" * 20000 + "]" * 20000 + "}",
    '{"province_code": "4\x008"}',
    '{"default_organization": "so\\u0000khcn"}',
    '{"sector_map": {"\\u0000": "giao-duc-dao-tao"}}',
    "{\x00}",
    '{"timeout": 1e999}',
    '{"timeout": NaN}',
    '{"max_pages": 99999999999999999999999999}',
    '{"defaults": {"sectors": [[], {}, null]}}',
    '{"publisher_rules": [null, 1, "x", []]}',
    "\ud800",
    "{" + '"a": 1, ' * 9000 + '"b": 2}',
    '{"timeout": ' + "1" * 5000 + "}",
    '{"province_map": {"a": -' + "9" * 4400 + "}}",
]


def connection_lost_in_activity(monkeypatch) -> list[str]:
    """The server ends the session's connection the first time CKAN's activity looks
    up its user, after package_create's commit (ckanext-activity's subscriptions);
    returns the list that holds that user's name once it has happened."""
    from ckanext.activity import subscriptions

    find_user, lost = subscriptions._get_user_or_raise, []

    def connection_lost_once(name):
        if not lost:
            lost.append(name)
            model.Session.execute(
                sa.text("SELECT pg_terminate_backend(pg_backend_pid())")
            )
        return find_user(name)

    monkeypatch.setattr(subscriptions, "_get_user_or_raise", connection_lost_once)
    return lost


@contextlib.contextmanager
def connection_lost_at_activity_insert() -> Iterator[list[str]]:
    """In the block, the server ends the session's connection just before CKAN's
    activity row of a new dataset is inserted, in the flush of ``activity_create``'s
    commit: the flush fails, and the session's transaction is "rolled back due to a
    previous exception during flush" (what the cluster's fault test met). Yields the
    list that holds the activity's type once it has happened. The backend is ended
    from another connection, so that the INSERT itself meets the closed socket, as
    when the server goes away."""
    lost: list[str] = []
    engine = model.meta.engine

    def end_before_insert(conn, cursor, statement, parameters, context, many):
        if lost or not statement.startswith("INSERT INTO activity"):
            return
        if not isinstance(parameters, dict):
            return
        if parameters.get("activity_type") != "new package":
            return
        lost.append(parameters["activity_type"])
        end_backend(cursor.connection.info.backend_pid)

    sa.event.listen(engine, "before_cursor_execute", end_before_insert)
    try:
        yield lost
    finally:
        sa.event.remove(engine, "before_cursor_execute", end_before_insert)


def end_backend(pid: int) -> None:
    """The server ends backend ``pid`` (asked from another connection), and its
    socket is closed when this returns: the next statement sent on it fails as when
    the server goes away ("server closed the connection unexpectedly")."""
    other = sa.create_engine(model.meta.engine.url, poolclass=sa.pool.NullPool)
    try:
        with other.connect() as killer:
            killer.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(250):
                gone = not killer.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": pid},
                ).scalar()
                if gone:
                    return
                time.sleep(0.02)
    finally:
        other.dispose()
