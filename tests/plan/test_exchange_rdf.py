"""The plan's DCAT is lossless: a published plan fetched through the app as Turtle,
RDF/XML or JSON-LD reads back as the exchange record of its action API output; the
plans index lists only published plans, and the dataset catalogue advertises it
(plan/exchange_rdf.py, views/files.py, dcat/profiles.py)."""

from __future__ import annotations

import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.vndata.plan import exchange, exchange_rdf, fields
from tests.factories import Item, Phase, VnDataset, walk
from tests.fuzz import FUZZ, HOSTILE_WORDS
from tests.plan.conftest import plan_in
from tests.plan.helpers import harvested_plan

RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
VNDATA = rdflib.Namespace("https://w3id.org/vndata/ns#")
HEADER = {
    "title": "Kế hoạch dữ liệu mở của Sở Khoa học và Công nghệ 2025-2026",
    "period_start": 2025,
    "period_end": 2026,
    "decision_number": "1726/QĐ-UBND",
    "decision_date": "2025-02-14",
    "decision_signer": "Nguyễn Văn A",
    "objectives": "Công bố dữ liệu mở phục vụ người dân.",
    "contact_name": "Trần Thị B",
    "contact_email": "dulieumo@danang.gov.vn",
    "contact_phone": "0236 3822 111",
    "submission_ref": "Tờ trình 12/TTr-SKHCN",
    "legal_basis": "Luật Dữ liệu 2024, Điều 21",
    "safety_measures": "Ẩn danh dữ liệu cá nhân.",
    "promotion_measures": "Hội thảo, cuộc thi ứng dụng.",
    "review_interval_months": 3,
    "last_review_date": "2025-06-30",
}


def _levels(base: int) -> dict:
    return {
        level.key: (5 if level.kind == "stars" else base)
        if level.kind != "percent"
        else base * 2.5
        for level in fields.LEVELS
    }


def anonymous(action: str, **data):
    return helpers.call_action(
        action, context={"user": "", "ignore_auth": False}, **data
    )


def full_plan(agency) -> dict:
    """A published plan with every header field, two phases with every level, items
    with every field, one linked to a public dataset and to a private one."""
    plan = plan_in(agency, **HEADER)
    first = Phase(
        plan_id=plan["id"], label="Giai đoạn 1", start_date="2025-01-01",
        end_date="2025-06-30", position=0, **_levels(3),
    )  # fmt: skip
    second = Phase(
        plan_id=plan["id"], label="Giai đoạn 2", start_date="2025-07-01",
        end_date="2026-12-31", position=1, **_levels(4),
    )  # fmt: skip
    delivered = Item(
        plan_id=plan["id"], number=1, title="Danh sách trường học",
        description="Trường mầm non, tiểu học", sector="giao-duc-dao-tao",
        lead_agency="Sở Giáo dục", source_database="CSDL ngành giáo dục",
        formats=["CSV", "JSON"], update_frequency="hang_nam", phase_id=first["id"],
        target_date="2025-06-30", priority="cao",
        cooperating_agencies=["Sở Tài chính", "UBND quận Hải Châu"],
        source_database_type="dia_phuong", channel="Cổng dữ liệu mở",
        demand_evidence="Khảo sát 2024", importance_class="khac",
    )  # fmt: skip
    Item(
        plan_id=plan["id"], number=2, title="Giá đất", phase_id=second["id"],
        removed_reason="Trùng với danh mục của Sở Tài nguyên",
    )  # fmt: skip
    VnDataset(owner_org=agency.org["id"], plan_item=delivered["key"])
    VnDataset(owner_org=agency.org["id"], plan_item=delivered["key"], private=True)
    return walk(plan, "published", agency)


def expected_record(plan: dict, agency) -> dict:
    shown = anonymous("vndata_plan_show", id=plan["id"])
    organization = helpers.call_action("organization_show", id=agency.org["id"])
    return exchange.from_action_api(shown, organization, tk.config["ckan.site_url"])


def fetched(app, url: str, fmt: str = "ttl") -> rdflib.Graph:
    response = app.get(url)
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.body, format=RDF_FORMATS[fmt])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRoundTrip:
    @pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
    def test_a_published_plan_reads_back_as_its_record(self, app, agency, fmt):
        plan = full_plan(agency)
        expected = expected_record(plan, agency)

        (record,) = exchange_rdf.read_plans(
            fetched(app, f"/ke-hoach/{plan['id']}.{fmt}", fmt)
        )

        assert record == expected
        assert exchange.validate_record(record) == record

    def test_every_field_and_only_the_public_link_travel(self, app, agency):
        plan = full_plan(agency)

        (record,) = exchange_rdf.read_plans(fetched(app, f"/ke-hoach/{plan['id']}.ttl"))

        assert {k: record[k] for k in HEADER} == HEADER
        assert record["organization"]["title"] == agency.org["title"]
        assert all(v is not None for p in record["phases"] for v in p.values())
        first, second = record["items"]
        assert set(first) == {"key", "datasets", *(f.key for f in fields.ITEM)}
        assert [k for k, v in first.items() if v in (None, [])] == ["removed_reason"]
        assert first["formats"] == ["CSV", "JSON"]
        assert second["removed_reason"].startswith("Trùng")
        (link,) = first["datasets"]
        public = helpers.call_action("package_show", id=link["id"])
        assert not public["private"]
        assert (link["name"], link["uri"]) == (
            public["name"],
            f"{tk.config['ckan.site_url']}/dataset/{public['id']}",
        )

    def test_the_existing_dcat_of_the_list_is_kept(self, app, agency):
        plan = full_plan(agency)

        g = fetched(app, f"/ke-hoach/{plan['id']}.ttl")

        catalogue = URIRef(f"{tk.config['ckan.site_url']}/ke-hoach/{plan['id']}")
        assert (catalogue, RDF.type, DCAT.Catalog) in g
        items = set(g.objects(catalogue, DCAT.dataset))
        assert len(items) == 2
        assert all((i, RDF.type, DCAT.Dataset) in g for i in items)
        assert len(list(g.objects(None, DCTERMS.relation))) == 1

    def test_foreign_triples_do_not_change_what_is_read(self, app, agency):
        plan = full_plan(agency)
        g = fetched(app, f"/ke-hoach/{plan['id']}.ttl")
        (before,) = exchange_rdf.read_plans(g)
        catalogue = URIRef(before["url"])
        foreign = URIRef("https://example.org/dataset/x")
        g.add((catalogue, DCAT.dataset, foreign))  # a dataset that is no plan item
        g.add((foreign, RDF.type, DCAT.Dataset))
        g.add((foreign, DCTERMS.identifier, Literal("x")))
        g.add((catalogue, VNDATA.phase, BNode()))  # a phase node of no known type
        g.add((catalogue, URIRef("https://example.org/rating"), Literal(5)))
        g.add((URIRef("https://example.org/c"), RDF.type, DCAT.Catalog))

        assert exchange_rdf.read_plans(g) == [before]

    @pytest.mark.usefixtures("with_request_context")
    def test_a_hostile_graph_reads_and_is_refused_by_validation(self):
        g = rdflib.Graph()
        plan = URIRef("https://province.example/ke-hoach/p1")
        g.add((plan, RDF.type, VNDATA.OpenDataPlan))
        g.add((plan, DCAT.version, Literal("abc")))
        g.add((plan, VNDATA.planStatus, Literal("published")))
        g.add((plan, VNDATA.periodStart, Literal("\x00")))
        item = URIRef(f"{plan}#muc-1")
        g.add((plan, DCAT.dataset, item))
        g.add((item, RDF.type, VNDATA.PlanItem))
        deep = Literal("[" * 5000, datatype=exchange_rdf.RDF_JSON)  # too deep for json
        g.add((item, VNDATA.formats, deep))
        g.add((item, VNDATA.number, Literal("một")))

        (record,) = exchange_rdf.read_plans(g)

        with pytest.raises(tk.ValidationError):
            exchange.validate_record(record)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPlansIndex:
    def test_only_published_plans_are_listed(self, app, agency, other_agency):
        old = plan_in(agency, status="published")
        revision = helpers.call_action(
            "vndata_plan_revise", context={"user": agency.editor["name"]}, id=old["id"]
        )
        current = walk(revision, "published", agency)
        other = plan_in(other_agency, status="published")
        for status in ("draft", "submitted", "returned", "approved"):
            plan_in(other_agency, status=status)

        g = fetched(app, "/ke-hoach/catalog.ttl")
        listed = exchange_rdf.plans_index(g)

        assert {e["uri"].rsplit("/", 1)[1] for e in listed} == {
            current["id"],
            other["id"],
        }
        entry = next(e for e in listed if e["uri"].endswith(current["id"]))
        assert entry["series_id"] == old["id"] and entry["version"] == 2
        assert entry["modified"] == current["modified"]
        assert entry["url"].endswith(f"/ke-hoach/{current['id']}.ttl")

    @pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
    def test_each_listed_document_is_the_plan(self, app, agency, fmt):
        plan = plan_in(agency, status="published")

        (entry,) = exchange_rdf.plans_index(
            fetched(app, f"/ke-hoach/catalog.{fmt}", fmt)
        )
        path = entry["url"].removeprefix(tk.config["ckan.site_url"])
        (record,) = exchange_rdf.read_plans(fetched(app, path))

        assert (record["id"], record["url"]) == (plan["id"], entry["uri"])

    def test_a_plan_page_is_still_a_plan_page(self, app, agency):
        plan = plan_in(agency, status="published")

        assert app.get(f"/ke-hoach/{plan['id']}.ttl").status_code == 200
        assert app.get("/ke-hoach/catalog").status_code == 404

    def test_a_harvested_plan_is_left_to_its_own_portal(self, app, agency):
        own = plan_in(agency, status="published")
        harvested_plan(agency)

        listed = exchange_rdf.plans_index(fetched(app, "/ke-hoach/catalog.ttl"))

        assert [e["uri"].rsplit("/", 1)[1] for e in listed] == [own["id"]]

    def test_the_index_is_capped(self, monkeypatch, agency, app):
        for _ in range(3):
            plan_in(agency, status="published")
        monkeypatch.setattr(exchange_rdf, "MAX_INDEXED", 2)

        assert len(exchange_rdf.plans_index(fetched(app, "/ke-hoach/catalog.ttl"))) == 2


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAdvertisedIndex:
    def test_the_dataset_catalogue_advertises_the_plans_index(self, app):
        advertised = exchange_rdf.advertised_index(fetched(app, "/catalog.ttl"))

        assert advertised == f"{tk.config['ckan.site_url']}/ke-hoach/catalog.ttl"

    @pytest.mark.ckan_config(
        "ckan.plugins",
        "activity vndata_metadata scheming_datasets scheming_organizations dcat "
        "vndata_dcat",
    )
    def test_a_portal_without_plans_advertises_none(self, app):
        assert exchange_rdf.advertised_index(fetched(app, "/catalog.ttl")) is None

    def test_a_graph_advertising_nothing_gives_none(self):
        assert exchange_rdf.advertised_index(rdflib.Graph()) is None


LEXICAL = st.one_of(
    st.sampled_from(HOSTILE_WORDS + ["[", '["a", 1]', "2025-01-01", "50.5", "3"]),
    st.text(max_size=10),
)
DATATYPES = st.sampled_from(
    [None, XSD.integer, XSD.double, XSD.date, XSD.dateTime, exchange_rdf.RDF_JSON]
)
KEYS = st.sampled_from(
    sorted({f.key for f in (*fields.PLAN, *fields.PHASE, *fields.ITEM)})
)


def _literal(lexical: str, datatype) -> Literal:
    return Literal(lexical, datatype=datatype) if datatype else Literal(lexical)


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestHostileGraphs:
    @FUZZ
    @given(
        st.lists(
            st.tuples(st.sampled_from(["plan", "phase", "item"]), KEYS, LEXICAL,
                      DATATYPES),
            max_size=6,
        ),
    )  # fmt: skip
    def test_any_literal_reads_and_is_taken_or_refused(self, triples):
        g = rdflib.Graph()
        plan = URIRef("https://province.example/ke-hoach/p1")
        nodes = {"plan": plan, "phase": URIRef(f"{plan}#giai-doan-1"),
                 "item": URIRef(f"{plan}#muc-1")}  # fmt: skip
        g.add((plan, RDF.type, VNDATA.OpenDataPlan))
        g.add((plan, VNDATA.phase, nodes["phase"]))
        g.add((nodes["phase"], RDF.type, VNDATA.PlanPhase))
        g.add((plan, DCAT.dataset, nodes["item"]))
        g.add((nodes["item"], RDF.type, VNDATA.PlanItem))
        g.add((plan, DCTERMS.identifier, Literal("p1")))
        g.add((plan, VNDATA.seriesId, Literal("p1")))
        g.add((plan, DCAT.version, Literal(1)))
        g.add((plan, VNDATA.planStatus, Literal("published")))
        g.add((plan, VNDATA.modifiedAt, Literal("2026-11-30T08:00:00")))
        for node, key, lexical, datatype in triples:
            literal = _literal(lexical, datatype)
            g.add((nodes[node], exchange_rdf.predicate(key), literal))

        (record,) = exchange_rdf.read_plans(g)

        try:
            cleaned = exchange.validate_record(record)
        except tk.ValidationError as error:
            assert error.error_dict
        else:
            assert cleaned["id"] == "p1"
