"""Titles and descriptions in other languages (issue #15, 3): dcat/translations.py.

A record described only in German, French or Swedish imports with the best language
there is, keeps the others, records the language taken, and is written back with
every text tagged with its language.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, RDF

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFSerializer

from tests.dcat.helpers import PROFILES, parse_one
from tests.metadata.helpers import vn_dataset

DATASET = "https://example.se/dataset/bibliotek"
DISTRIBUTION = "https://example.se/distribution/csv"


def _record(titles: str, descriptions: str, distribution: str = "") -> str:
    return f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{DATASET}> a dcat:Dataset ; dct:identifier "bibliotek-1" ;
    dct:title {titles} ;
    dct:description {descriptions} ;
    dcat:distribution <{DISTRIBUTION}> .
<{DISTRIBUTION}> a dcat:Distribution ;
    dcat:accessURL <https://example.se/bibliotek.csv> {distribution} .
"""


@pytest.mark.usefixtures("with_plugins")
class TestBestLanguage:
    def test_title_only_in_other_languages_imports_with_the_first_by_tag(self):
        parsed = parse_one(
            _record(
                '"Bibliotheken in Schweden"@de, "Bibliothèques en Suède"@fr',
                '"Plats och öppettider för alla bibliotek"@sv',
            )
        )

        assert "vndata_rejection" not in parsed
        assert parsed["title"] == "Bibliotheken in Schweden"
        assert parsed["title_language"] == "de"
        assert parsed["notes"] == "Plats och öppettider för alla bibliotek"
        assert parsed["notes_language"] == "sv"
        assert json.loads(parsed["translations"]) == {
            "title": {"fr": "Bibliothèques en Suède"}
        }

    def test_the_choice_does_not_depend_on_the_order_of_the_file(self):
        one = parse_one(_record('"Titel"@sv, "Titre"@fr, "Titel"@de', '"x"@sv'))
        other = parse_one(_record('"Titel"@de, "Titre"@fr, "Titel"@sv', '"x"@sv'))

        assert one["title"] == other["title"] == "Titel"
        assert one["title_language"] == other["title_language"] == "de"
        assert one["translations"] == other["translations"]

    def test_english_comes_before_other_languages(self):
        parsed = parse_one(_record('"Bibliotek"@sv, "Libraries"@en', '"Plats"@sv'))

        assert parsed["title"] == "Libraries"
        assert parsed["title_language"] == "en"
        assert "title_en" not in parsed  # the title itself is the English one
        assert json.loads(parsed["translations"]) == {"title": {"sv": "Bibliotek"}}

    def test_vietnamese_then_untagged_come_first_and_record_no_language(self):
        parsed = parse_one(
            _record(
                '"Thư viện"@vi, "Bibliotek", "Libraries"@en, "Bibliothek"@de',
                '"Mô tả"@vi, "Beskrivning"',
            )
        )

        assert parsed["title"] == "Thư viện"
        assert "title_language" not in parsed
        assert parsed["title_en"] == "Libraries"
        assert json.loads(parsed["translations"]) == {
            "title": {"de": "Bibliothek", "und": "Bibliotek"},
            "notes": {"und": "Beskrivning"},
        }

    def test_distribution_name_and_description_take_the_best_language(self):
        parsed = parse_one(
            _record(
                '"Titel"@de',
                '"Text"@de',
                '; dct:title "Liste (CSV)"@de, "Liste (CSV)"@fr ; '
                'dct:description "Elenco"@it',
            )
        )

        (resource,) = parsed["resources"]
        assert resource["name"] == "Liste (CSV)"
        assert resource["name_language"] == "de"
        assert resource["description"] == "Elenco"
        assert resource["description_language"] == "it"
        assert json.loads(resource["translations"]) == {"name": {"fr": "Liste (CSV)"}}


TRANSLATED = {
    "title": "Bibliotheken in Schweden",
    "title_language": "de",
    "notes": "Orte und Öffnungszeiten aller Bibliotheken",
    "notes_language": "de",
    "translations": json.dumps(
        {
            "title": {"fr": "Bibliothèques en Suède", "sv": "Bibliotek i Sverige"},
            "notes": {"sv": ["Plats", "Öppettider"]},
        },
        ensure_ascii=False,
    ),
}
TRANSLATED_RESOURCE = {
    "url": "https://example.se/bibliotek.csv",
    "format": "CSV",
    "name": "Liste (CSV)",
    "name_language": "de",
    "description": "Elenco",
    "description_language": "it",
    "translations": json.dumps({"name": {"fr": "Liste (CSV) fr"}}),
}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWriteBack:
    @pytest.fixture
    def shown(self):
        org = factories.Organization()
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(org["id"], **TRANSLATED, resources=[TRANSLATED_RESOURCE]),
        )
        return helpers.call_action("package_show", id=created["id"])

    def test_the_fields_are_stored(self, shown):
        assert shown["title_language"] == "de"
        assert json.loads(shown["translations"]) == json.loads(
            TRANSLATED["translations"]
        )
        assert shown["resources"][0]["name_language"] == "de"

    def test_every_text_is_written_with_its_language(self, shown):
        text = RDFSerializer(profiles=PROFILES).serialize_dataset(
            shown, _format="turtle"
        )
        g = Graph().parse(data=text, format="turtle")
        (ref,) = g.subjects(RDF.type, DCAT.Dataset)

        assert set(g.objects(ref, DCTERMS.title)) == {
            Literal("Bibliotheken in Schweden", lang="de"),
            Literal("Bibliothèques en Suède", lang="fr"),
            Literal("Bibliotek i Sverige", lang="sv"),
        }
        assert set(g.objects(ref, DCTERMS.description)) == {
            Literal("Orte und Öffnungszeiten aller Bibliotheken", lang="de"),
            Literal("Plats", lang="sv"),
            Literal("Öppettider", lang="sv"),
        }
        (distribution,) = g.objects(ref, DCAT.distribution)
        assert set(g.objects(distribution, DCTERMS.title)) == {
            Literal("Liste (CSV)", lang="de"),
            Literal("Liste (CSV) fr", lang="fr"),
        }
        assert set(g.objects(distribution, DCTERMS.description)) == {
            Literal("Elenco", lang="it")
        }

    def test_parsing_the_written_record_gives_the_same_fields(self, shown):
        text = RDFSerializer(profiles=PROFILES).serialize_dataset(
            shown, _format="turtle"
        )

        parsed = parse_one(text)

        for field in TRANSLATED:
            assert parsed.get(field) == shown[field], field
        for field in ("name", "name_language", "description", "description_language",
                      "translations"):  # fmt: skip
            assert parsed["resources"][0].get(field) == shown["resources"][0][field]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("translations", "not json"),
            ("translations", '{"title": "no language"}'),
            ("translations", '{"owner_org": {"fr": "x"}}'),
            ("translations", '{"title": {"not a tag!": "x"}}'),
            ("title_language", "not a tag!"),
        ],
    )
    def test_a_malformed_value_is_refused_naming_the_field(self, field, value):
        org = factories.Organization()

        with pytest.raises(tk.ValidationError) as raised:
            helpers.call_action(
                "package_create",
                context={"user": factories.Sysadmin()["name"]},
                **vn_dataset(org["id"], **{field: value}),
            )

        assert field in raised.value.error_dict


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestPages:
    def test_the_dataset_and_resource_pages_show_the_translations(self, app):
        org = factories.Organization()
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(org["id"], **TRANSLATED, resources=[TRANSLATED_RESOURCE]),
        )

        page = app.get(f"/dataset/{created['name']}", headers={"Accept-Language": "en"})
        resource_page = app.get(
            f"/dataset/{created['id']}/resource/{created['resources'][0]['id']}"
        )

        assert page.status_code == 200
        assert '<dd lang="fr">Bibliothèques en Suède</dd>' in page.body
        assert '<dd lang="sv">Öppettider</dd>' in page.body
        assert "Liste (CSV) fr" in resource_page.body

    def test_a_translation_is_shown_as_text_not_markup(self, app):
        org = factories.Organization()
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(
                org["id"],
                translations=json.dumps({"title": {"fr": "<script>alert(1)</script>"}}),
            ),
        )

        page = app.get(f"/dataset/{created['name']}")

        assert "<script>alert(1)</script>" not in page.body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body
