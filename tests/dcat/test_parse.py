"""What DCAT-AP 3 reads of a record, vn_dcat_ap keeps (issue #15, 10).

Each value lands in a field of ours or, where the Vietnamese schema has none, stays in
the parsed dict under a key of its own (dcat/unmapped.py), for the harvest to keep.
"""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFSerializer

from ckanext.vndata.dcat import parse, terms
from tests.dcat.helpers import PROFILES, parse_one
from tests.metadata.helpers import vn_dataset

EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
NON_PROFIT = "http://purl.org/adms/publishertype/NonProfitOrganisation"
RECORD = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.se/dataset/1> a dcat:Dataset ;
    dct:identifier "bibliotek-1" ;
    dct:title "Thư viện"@vi ;
    dct:description "Thư viện ở Thụy Điển"@vi ;
    dct:language <{EU_LANGUAGE}SWE>, <{EU_LANGUAGE}ENG>, <{EU_LANGUAGE}VIE> ;
    dct:conformsTo <https://example.se/std/b>, <https://example.se/std/a>,
        "ISO 19115",
        [ a dct:Standard ; dct:title "DCAT-AP-SE"@sv ; dct:identifier "se-2" ] ;
    dct:publisher <https://example.se/org> ;
    dcat:contactPoint <https://example.se/contact> ;
    dct:temporal [ a dct:PeriodOfTime ;
        dcat:startDate "2016-01-01T08:30:00+01:00"^^xsd:dateTime ;
        dcat:endDate "2016-12-05T00:00:00"^^xsd:dateTime ] .

<https://example.se/org> a foaf:Organization ;
    foaf:name "Exempel organisation" ;
    dct:type <{NON_PROFIT}> ;
    vcard:hasEmail <mailto:info@example.se> .

<https://example.se/contact> a vcard:Organization ;
    vcard:fn "Öppna data gruppen" ;
    vcard:hasURL <https://example.se/kontakt> ;
    vcard:hasEmail [ vcard:hasValue <mailto:data@example.se> ] ;
    vcard:hasTelephone [ vcard:hasValue <tel:+46012345678> ] .
"""


@pytest.fixture
def parsed():
    return parse_one(RECORD)


@pytest.mark.usefixtures("with_plugins")
class TestNothingIsLost:
    def test_every_language_is_read(self, parsed):
        assert parsed["language"] == "vi"
        assert sorted(parsed["languages"]) == [
            f"{EU_LANGUAGE}ENG",
            f"{EU_LANGUAGE}SWE",
            f"{EU_LANGUAGE}VIE",
        ]

    def test_every_standard_is_kept_and_a_blank_node_is_described(self, parsed):
        assert parsed["conforms_to"] == "https://example.se/std/a"
        standards = parsed["standards"]
        assert {s for s in standards if isinstance(s, str)} == {
            "https://example.se/std/a",
            "https://example.se/std/b",
            "ISO 19115",
        }
        (described,) = [s for s in standards if isinstance(s, dict)]
        assert described["http://purl.org/dc/terms/title"] == "DCAT-AP-SE"
        assert described["http://purl.org/dc/terms/identifier"] == "se-2"

    def test_publisher_type_and_email_are_kept(self, parsed):
        (publisher,) = parsed["publisher"]
        assert publisher["type"] == NON_PROFIT
        assert publisher["email"] == "info@example.se"
        assert parsed["vndata_publisher"]["contact_email"] == "info@example.se"

    def test_contact_uri_and_url_are_kept(self, parsed):
        (contact,) = parsed["contact"]
        assert contact["uri"] == "https://example.se/contact"
        assert contact["url"] == "https://example.se/kontakt"

    def test_vcard_values_given_as_nodes_are_read(self, parsed):
        assert parsed["contact_email"] == "data@example.se"
        assert parsed["contact_phone"] == "+46012345678"

    def test_temporal_date_times_are_kept_whole(self, parsed):
        assert parsed["temporal_start"] == "2016-01-01"
        assert parsed["temporal_end"] == "2016-12-05"
        assert parsed["temporal_coverage"] == [
            {"start": "2016-01-01T08:30:00+01:00", "end": "2016-12-05T00:00:00"}
        ]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestWriteBack:
    def test_contact_read_from_nodes_is_written_back(self, parsed):
        org = factories.Organization()
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(
                org["id"],
                **{k: parsed[k] for k in ("contact_email", "contact_phone")},
            ),
        )
        shown = helpers.call_action("package_show", id=created["id"])

        text = RDFSerializer(profiles=PROFILES).serialize_dataset(shown, _format="xml")

        assert "mailto:data@example.se" in text
        assert "tel:+46012345678" in text
        again = parse_one(text, "xml")
        assert again["contact_phone"] == "+46012345678"

    def test_a_record_of_this_portal_keeps_nothing_beside_its_fields(self):
        org = factories.Organization(agency_code="H17.14")
        created = helpers.call_action(
            "package_create",
            context={"user": factories.Sysadmin()["name"]},
            **vn_dataset(
                org["id"],
                language="en",
                conforms_to="https://dulieu.gov.vn/tu-dien/truong-hoc",
                contact_name="Phòng Công nghệ thông tin",
                contact_email="opendata@danang.gov.vn",
                contact_phone="0236 3822 111",
                temporal_start="2024-01-01",
                temporal_end="2024-12-31",
            ),
        )
        shown = helpers.call_action("package_show", id=created["id"])

        parsed = parse_one(
            RDFSerializer(profiles=PROFILES).serialize_dataset(shown, _format="xml"),
            "xml",
        )

        kept = {"contact", "publisher", "languages", "standards", "temporal_coverage"}
        assert kept & set(parsed) == set()
        assert parsed["language"] == "en"
        assert parsed["conforms_to"] == "https://dulieu.gov.vn/tu-dien/truong-hoc"


def _agent_record(names: str) -> str:
    return f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.se/dataset/2> a dcat:Dataset ; dct:identifier "2" ;
    dct:title "T"@sv ; dct:publisher <https://example.se/org> .
<https://example.se/org> a foaf:Agent ; foaf:name {names} .
"""


@pytest.mark.usefixtures("with_plugins")
class TestStableChoices:
    def test_a_name_in_several_languages_does_not_depend_on_the_file_order(self):
        one = parse_one(_agent_record('"Exempel"@sv, "Beispiel"@de, "Exemple"@fr'))
        other = parse_one(_agent_record('"Exemple"@fr, "Beispiel"@de, "Exempel"@sv'))

        assert one["publisher_name"] == other["publisher_name"] == "Beispiel"

    def test_a_blank_node_that_refers_to_itself_is_described_to_a_bounded_depth(self):
        parsed = parse_one(
            """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.se/dataset/3> a dcat:Dataset ; dct:identifier "3" ;
    dct:title "T"@sv ; dct:conformsTo _:s .
_:s dct:title "Looping standard" ; dct:relation _:s .
"""
        )

        (described,) = parsed["standards"]
        assert described["http://purl.org/dc/terms/title"] == "Looping standard"
        depth, node = 0, described
        while isinstance(node, dict):
            node, depth = node.get("http://purl.org/dc/terms/relation"), depth + 1
        assert depth <= 4


def _record(body: str, distribution: str = "", title: str = "Giá đất") -> str:
    """A record with an identifier and ``title`` (none if empty), plus ``body``; with
    ``distribution``, one distribution described by it."""
    dist = (
        f"; dcat:distribution <https://example.vn/d/1> .\n"
        f"<https://example.vn/d/1> a dcat:Distribution ; "
        f"dcat:accessURL <https://example.vn/a.csv> ; {distribution}"
        if distribution
        else ""
    )
    return f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vndata: <{terms.vndata()}> .
<https://example.vn/dataset/1> a dcat:Dataset ; dct:identifier "1" ;
    {f'dct:title "{title}"@vi ;' if title else ""} {body} {dist} .
"""


@pytest.mark.usefixtures("with_plugins")
class TestMapped:
    def test_a_licence_named_elsewhere_is_the_one_registered_here(self):
        parsed = parse_one(
            _record("dct:license <https://creativecommons.org/licenses/by/4.0/>")
        )

        assert parsed["license_id"] == "CC-BY-4.0"
        assert "source_licence" not in parsed

    def test_a_national_sector_is_read_and_eu_themes_are_its_fallback(self):
        sector = terms.term_iri("sector", "y-te")
        national = parse_one(_record(f"dcat:theme <{sector}>, <{EU_THEME}EDUC>"))
        eu_only = parse_one(_record(f"dcat:theme <{EU_THEME}EDUC>"))

        assert national["sectors"] == ["y-te"]
        assert eu_only["sectors"] == ["giao-duc-dao-tao"]
        assert any("EU data themes" in r for r in eu_only["vndata_parse_report"])

    def test_vndata_properties_fill_their_fields(self):
        sharing = terms.term_iri("sharing", "mo")
        parsed = parse_one(
            _record(
                f"vndata:dataSharingClass <{sharing}> ; "
                'vndata:legalBasis "804/QĐ-UBND"@vi ; vndata:planItem "k1" ; '
                'vndata:personalDataAssessed "true"^^xsd:boolean ; '
                'vndata:legacyAdminCode "20236"'
            )
        )

        assert parsed["data_sharing_class"] == "mo"
        assert parsed["legal_basis"] == "804/QĐ-UBND"
        assert parsed["plan_item"] == "k1"
        assert parsed["personal_data_assessed"] is True
        assert parsed["legacy_admin_codes"] == ["20236"]
        assert "vndata_parse_report" not in parsed

    def test_a_distribution_gives_format_media_type_access_and_stars(self):
        access = terms.term_iri("access", "api")
        parsed = parse_one(
            _record(
                "",
                f"dct:format <{EU_FILE_TYPE}CSV> ; "
                "dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv>"
                f" ; vndata:accessType <{access}> ; vndata:declaredStars 3 ; "
                'vndata:authRequired "false"^^xsd:boolean',
            )
        )

        (resource,) = parsed["resources"]
        assert (resource["format"], resource["mimetype"]) == ("CSV", "text/csv")
        assert (resource["access_type"], resource["declared_stars"]) == ("api", 3)
        assert resource["auth_required"] is False


@pytest.mark.usefixtures("with_plugins")
class TestReportedOrRejected:
    def test_an_unknown_licence_is_kept_as_the_source_said_and_reported(self):
        parsed = parse_one(_record("dct:license <https://example.vn/giay-phep-rieng>"))

        assert "license_id" not in parsed
        assert parsed["source_licence"] == "https://example.vn/giay-phep-rieng"
        assert any("dct:license" in r for r in parsed["vndata_parse_report"])

    @pytest.mark.parametrize(
        ("body", "reported"),
        [
            ("dcat:theme <https://example.vn/theme/x>", "dcat:theme"),
            ("vndata:dataSharingClass <https://example.vn/x>", "dataSharingClass"),
            (f"dct:language <{EU_LANGUAGE}XXX>", "not a supported language"),
        ],
    )
    def test_an_unknown_code_is_reported_not_guessed(self, body, reported):
        parsed = parse_one(_record(body))

        assert any(reported in r for r in parsed["vndata_parse_report"])

    def test_a_record_without_a_title_is_rejected(self):
        parsed = parse_one(_record('dct:description "Không tên"@vi', title=""))

        assert any("dct:title" in r for r in parsed["vndata_rejection"])

    def test_auth_required_that_is_not_a_literal_rejects_the_record(self):
        parsed = parse_one(_record("", "vndata:authRequired <https://example.vn/yes>"))

        assert any("vndata:authRequired" in r for r in parsed["vndata_rejection"])
        assert "auth_required" not in parsed["resources"][0]


def test_identifier_of_takes_the_iri_then_the_identifier():
    extras = [{"key": "identifier", "value": "ma-1"}]

    assert parse.identifier_of({"uri": "https://example.vn/1", "extras": extras}) == (
        "https://example.vn/1"
    )
    assert parse.identifier_of({"extras": extras}) == "ma-1"
    assert parse.identifier_of({"extras": []}) is None
