"""Dataset dict -> RDF for the Vietnamese profile (run after DCAT-AP 3 built its part).

Every object IRI the profile writes is typed in the graph (dct:Location, skos:Concept,
dct:Frequency ...), so the DCAT-AP class constraints hold without an external ontology.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import ADMS
from ckanext.dcat.utils import (
    catalog_uri,
    publisher_uri_organization_fallback,
    resource_uri,
)

from ckanext.vndata.dcat import terms, translations
from ckanext.vndata.dcat.terms import EU_FILE_TYPE, FOAF, VCARD
from ckanext.vndata.lib import admin_units, openness, vocabularies


def _typed(g, iri: str, rdf_type) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, rdf_type))
    return node


def _concept(g, kind: str, value: str, vocabulary: str | None = None) -> URIRef:
    node = _typed(g, terms.term_iri(kind, value), SKOS.Concept)
    term = vocabularies.term(vocabulary, value) if vocabulary else None
    if term:
        g.add((node, SKOS.prefLabel, Literal(term.vi, lang="vi")))
        g.add((node, SKOS.prefLabel, Literal(term.en, lang="en")))
    g.add((node, SKOS.notation, Literal(value)))
    return node


def tag_vietnamese(g, subject) -> None:
    """Untagged titles, descriptions and keywords are Vietnamese."""
    for predicate in (DCTERMS.title, DCTERMS.description, DCAT.keyword):
        for literal in list(g.objects(subject, predicate)):
            if (
                isinstance(literal, Literal)
                and not literal.language
                and not literal.datatype
            ):
                g.remove((subject, predicate, literal))
                g.add((subject, predicate, Literal(str(literal), lang="vi")))


def add_dataset(profile, dataset: dict[str, Any], ref) -> None:
    g = profile.g
    tag_vietnamese(g, ref)
    if dataset.get("title_en"):
        g.add((ref, DCTERMS.title, Literal(dataset["title_en"], lang="en")))
    translations.serialize(g, ref, translations.DATASET_TEXTS, dataset)
    _add_publisher(profile, dataset, ref)
    _add_spatial(g, dataset, ref)
    _add_themes(g, dataset, ref)
    _add_language(g, dataset, ref)
    _add_contact(g, dataset, ref)
    _add_frequency(g, dataset, ref)
    _add_access_rights(g, dataset, ref)
    _add_vndata_properties(g, dataset, ref)
    _add_source_catalog(g, dataset, ref)
    for resource in dataset.get("resources") or []:
        distribution = URIRef(resource_uri(resource))
        _add_distribution(profile, resource, distribution)
        _add_licence(g, dataset, distribution)


def _add_source_catalog(g, dataset: dict[str, Any], ref) -> None:
    """On the national catalogue, each provincial catalogue stays visible (dct:hasPart).

    Only in a catalogue: a single dataset's graph has no catalogue node to attach to.
    """
    uri = dataset.get("source_catalog_uri")
    root = URIRef(catalog_uri())
    if not uri or (root, RDF.type, DCAT.Catalog) not in g:
        return
    source = URIRef(uri)
    g.add((root, DCTERMS.hasPart, source))
    g.add((source, RDF.type, DCAT.Catalog))
    g.add((source, DCAT.dataset, ref))
    title = dataset.get("source_catalog_title") or uri
    if not any(g.objects(source, DCTERMS.title)):
        g.add((source, DCTERMS.title, Literal(title, lang="vi")))
        description = f"Danh mục dữ liệu mở: {title}"
        g.add((source, DCTERMS.description, Literal(description, lang="vi")))
        publisher = URIRef(f"{uri}#publisher")
        g.add((source, DCTERMS.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        name = dataset.get("source_catalog_publisher") or title
        g.add((publisher, FOAF.name, Literal(name, lang="vi")))


def _add_licence(g, dataset: dict[str, Any], distribution) -> None:
    """DCAT-AP puts the licence on each distribution; CKAN has one per dataset."""
    url = dataset.get("license_url")
    if url and not any(g.objects(distribution, DCTERMS.license)):
        licence = _typed(g, url, DCTERMS.LicenseDocument)
        if dataset.get("license_title"):
            g.add((licence, DCTERMS.title, Literal(dataset["license_title"])))
        g.add((distribution, DCTERMS.license, licence))
    # ckanext-dcat gives every distribution's licence the ADMS licence type
    # UnknownIPR, an IRI and nothing more; DCAT-AP 3's shapes want a licence's type
    # to be a skos:Concept with a skos:prefLabel, so each of its datasets failed
    # them. The ADMS licence types are concepts: say so, with their name.
    for licence in g.objects(distribution, DCTERMS.license):
        for kind in g.objects(licence, DCTERMS.type):
            if isinstance(kind, URIRef) and (kind, SKOS.prefLabel, None) not in g:
                g.add((kind, RDF.type, SKOS.Concept))
                name = str(kind).rstrip("/").rsplit("/", 1)[-1]
                label = terms.ADMS_LICENCE_TYPES.get(name, name)
                g.add((kind, SKOS.prefLabel, Literal(label, lang="en")))


def _add_access_rights(g, dataset: dict[str, Any], ref) -> None:
    """The sharing class is the dataset's access right (dct:accessRights, EU table)."""
    right = terms.ACCESS_RIGHTS.get(dataset.get("data_sharing_class") or "")
    if right:
        g.remove((ref, DCTERMS.accessRights, None))
        g.add((ref, DCTERMS.accessRights, _typed(g, right, DCTERMS.RightsStatement)))


def download_url(resource: dict[str, Any]) -> str | None:
    """The distribution's dcat:downloadURL: the one a source gave, or the address of
    an uploaded file or of a link offered for download (access type "tai_ve"); an API
    or a page is only an accessURL."""
    for key in ("download_url", "url"):
        url = resource.get(key)
        if not isinstance(url, str) or not url.strip():
            continue
        if key == "download_url" or (
            resource.get("url_type") == "upload"
            or resource.get("access_type") == "tai_ve"
        ):
            return url.strip()
    return None


def _add_frequency(g, dataset: dict[str, Any], ref) -> None:
    frequency = terms.FREQUENCY_URIS.get(dataset.get("update_frequency") or "")
    if frequency:
        g.remove((ref, DCTERMS.accrualPeriodicity, None))
        node = _typed(g, frequency, DCTERMS.Frequency)
        g.add((ref, DCTERMS.accrualPeriodicity, node))


def _add_vndata_properties(g, dataset: dict[str, Any], ref) -> None:
    """The fields with no DCAT-AP term, in the vndata: namespace."""
    ns = terms.vndata()
    for field, kind in terms.CLASS_FIELDS:
        if dataset.get(field):
            concept = _concept(g, kind, dataset[field], field)
            g.add((ref, ns[terms.property_name(field)], concept))
    for field in terms.TEXT_FIELDS:
        if dataset.get(field):
            text = Literal(dataset[field], lang="vi")
            g.add((ref, ns[terms.property_name(field)], text))
    if dataset.get("plan_item"):
        g.add((ref, ns.planItem, Literal(dataset["plan_item"])))
    if "personal_data_assessed" in dataset:
        value = bool(dataset["personal_data_assessed"])
        g.add((ref, ns.personalDataAssessed, Literal(value, datatype=XSD.boolean)))
    if dataset.get("next_update_due"):
        due = Literal(dataset["next_update_due"], datatype=XSD.date)
        g.add((ref, ns.nextUpdateDue, due))
    if dataset.get("openness_stars") is not None:
        stars = int(dataset["openness_stars"])
        g.add((ref, ns.opennessStars, Literal(stars, datatype=XSD.integer)))


def share_agencies(g, agencies: dict[str, Any]) -> None:
    """Let graph ``g`` reuse and fill ``agencies``, the organizations looked up for
    other graphs (the quality check serializes many datasets, one graph each)."""
    g.__dict__["_vndata_agencies"] = agencies


def _agency(g, organization_id: str) -> dict[str, Any]:
    """The organization's own fields, looked up once per graph (a whole catalogue)."""
    cache = g.__dict__.setdefault("_vndata_agencies", {})
    if organization_id not in cache:
        try:
            cache[organization_id] = tk.get_action("organization_show")(
                {"ignore_auth": True},
                {
                    "id": organization_id,
                    "include_datasets": False,
                    "include_users": False,
                },
            )
        except tk.ObjectNotFound:
            cache[organization_id] = {}
    return cache[organization_id]


def _add_publisher(profile, dataset: dict[str, Any], ref) -> None:
    g, ns = profile.g, terms.vndata()
    organization = dataset.get("organization") or {}
    if not organization:
        return
    agency = {**organization, **_agency(g, organization["id"])}
    g.remove((ref, DCTERMS.publisher, None))
    uri = publisher_uri_organization_fallback(dataset)
    node = URIRef(uri) if uri else BNode()
    g.add((ref, DCTERMS.publisher, node))
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(agency.get("title") or agency["name"], lang="vi")))
    code = dataset.get("publisher_code") or agency.get("agency_code")
    if code:
        g.add((node, DCTERMS.identifier, Literal(code)))
    legacy = dataset.get("publisher_code_legacy") or agency.get("agency_code_legacy")
    if legacy:
        identifier = BNode()
        g.add((node, ADMS.identifier, identifier))
        g.add((identifier, RDF.type, ADMS.Identifier))
        g.add((identifier, SKOS.notation, Literal(legacy)))
        g.add((identifier, DCTERMS.format, Literal("QCVN 102:2016")))
    if agency.get("agency_level"):
        level = _concept(g, "agency-level", agency["agency_level"], "agency_level")
        g.add((node, DCTERMS.type, level))
    if agency.get("parent_agency_code"):
        g.add((node, ns.parentAgencyCode, Literal(agency["parent_agency_code"])))
    if agency.get("province_code"):
        name = admin_units.provinces().get(agency["province_code"])
        g.add(
            (node, DCTERMS.spatial, _unit(g, "province", agency["province_code"], name))
        )
    if agency.get("website"):
        g.add((node, FOAF.homepage, _typed(g, agency["website"], FOAF.Document)))
    if agency.get("address"):
        g.add((node, ns.address, Literal(agency["address"], lang="vi")))
    for field, predicate, prefix in (
        ("contact_email", FOAF.mbox, "mailto:"),
        ("contact_phone", FOAF.phone, "tel:"),
    ):
        if agency.get(field):
            g.add((node, predicate, URIRef(prefix + agency[field])))
    if agency.get("contact_name"):
        g.add((node, ns.contactName, Literal(agency["contact_name"], lang="vi")))


def _unit(g, kind: str, code: str, name: str | None) -> URIRef:
    node = _typed(g, terms.term_iri(kind, code), DCTERMS.Location)
    g.add((node, SKOS.notation, Literal(code)))
    if name:
        g.add((node, SKOS.prefLabel, Literal(name, lang="vi")))
    return node


def _add_spatial(g, dataset: dict[str, Any], ref) -> None:
    ns = terms.vndata()
    province = dataset.get("province_code")
    if province:
        name = admin_units.provinces().get(province)
        g.add((ref, DCTERMS.spatial, _unit(g, "province", province, name)))
    commune = dataset.get("commune_code")
    if commune:
        name = (admin_units.communes().get(commune) or (None,))[0]
        g.add((ref, DCTERMS.spatial, _unit(g, "commune", commune, name)))
    for code in dataset.get("legacy_admin_codes") or []:
        g.add((ref, ns.legacyAdminCode, Literal(code)))


def _add_themes(g, dataset: dict[str, Any], ref) -> None:
    for sector in dataset.get("sectors") or []:
        g.add((ref, DCAT.theme, _concept(g, "sector", sector, "sectors")))
        eu = terms.EU_THEMES.get(sector)
        if eu:
            node = _typed(g, eu, SKOS.Concept)
            label = terms.EU_THEME_LABELS[eu.rsplit("/", 1)[-1]]
            g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
            g.add((ref, DCAT.theme, node))


def _add_language(g, dataset: dict[str, Any], ref) -> None:
    language = terms.LANGUAGE_URIS.get(dataset.get("language") or "")
    if language:
        g.remove((ref, DCTERMS.language, None))
        g.add((ref, DCTERMS.language, _typed(g, language, DCTERMS.LinguisticSystem)))


def _add_contact(g, dataset: dict[str, Any], ref) -> None:
    email, phone, name = (
        dataset.get(f"contact_{k}") for k in ("email", "phone", "name")
    )
    if not (email or phone or name):
        # Contact points DCAT-AP derived (from maintainer, author) are vcard:Kinds too.
        for node in list(g.objects(ref, DCAT.contactPoint)):
            g.add((node, RDF.type, VCARD.Kind))
        return
    # DCAT-AP maps contact_name/_email too, once per stacked profile: keep one.
    for node in list(g.objects(ref, DCAT.contactPoint)):
        g.remove((ref, DCAT.contactPoint, node))
        g.remove((node, None, None))
    node = BNode()
    g.add((ref, DCAT.contactPoint, node))
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, RDF.type, VCARD.Organization))
    g.add((node, VCARD.fn, Literal(name or email or phone, lang="vi")))
    if email:
        g.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    if phone:
        g.add((node, VCARD.hasTelephone, URIRef(f"tel:{phone}")))


def _add_distribution(profile, resource: dict[str, Any], ref) -> None:
    g, ns = profile.g, terms.vndata()
    tag_vietnamese(g, ref)
    translations.serialize(g, ref, translations.RESOURCE_TEXTS, resource)
    file_type = terms.FILE_TYPES.get(openness.normalise_format(resource.get("format")))
    if file_type:
        g.remove((ref, DCTERMS.format, None))
        g.add(
            (
                ref,
                DCTERMS.format,
                _typed(g, EU_FILE_TYPE[file_type], DCTERMS.MediaTypeOrExtent),
            )
        )
    mimetype = resource.get("mimetype")
    # Only a well-formed media type names an IANA IRI: the schema takes any text (a
    # harvested "text csv" would make an IRI no Turtle writer can write, and the whole
    # catalogue would fail); anything else is left as the DCAT-AP profile wrote it.
    if isinstance(mimetype, str) and terms.MEDIA_TYPE.fullmatch(mimetype):
        g.remove((ref, DCAT.mediaType, None))
        media = _typed(g, terms.IANA_MEDIA_TYPE + mimetype, DCTERMS.MediaType)
        g.add((ref, DCAT.mediaType, media))
    download = download_url(resource)
    if download and not any(g.objects(ref, DCAT.downloadURL)):
        g.add((ref, DCAT.downloadURL, _typed(g, download, RDFS.Resource)))
    if resource.get("access_type"):
        kind = _concept(g, "access", resource["access_type"], "access_type")
        g.add((ref, ns.accessType, kind))
    if "auth_required" in resource:
        value = bool(resource["auth_required"])
        g.add((ref, ns.authRequired, Literal(value, datatype=XSD.boolean)))
    if resource.get("api_docs"):
        page = _typed(g, resource["api_docs"], FOAF.Document)
        g.add((ref, FOAF.page, page))
    if resource.get("openness_stars") is not None:
        stars = int(resource["openness_stars"])
        g.add((ref, ns.opennessStars, Literal(stars, datatype=XSD.integer)))
    if resource.get("declared_stars") is not None:
        stars = int(resource["declared_stars"])
        g.add((ref, ns.declaredStars, Literal(stars, datatype=XSD.integer)))
    for field, predicate in (
        ("api_method", ns.apiMethod),
        ("api_header", ns.apiHeader),
    ):
        if resource.get(field):
            g.add((ref, predicate, Literal(resource[field])))


def describe_catalog(g, ref) -> None:
    """What DCAT-AP requires of a catalogue that CKAN's defaults leave out."""
    tag_vietnamese(g, ref)
    site_title = tk.config.get("ckan.site_title")
    if not any(g.objects(ref, DCTERMS.description)):
        description = tk.config.get("ckan.site_description") or (
            f"Danh mục dữ liệu mở của {site_title}"
        )
        g.add((ref, DCTERMS.description, Literal(description, lang="vi")))
    for language in list(g.objects(ref, DCTERMS.language)):
        g.remove((ref, DCTERMS.language, language))
    locale = tk.config.get("ckan.locale_default")
    uri = terms.LANGUAGE_URIS.get(locale) or terms.LANGUAGE_URIS["vi"]
    g.add((ref, DCTERMS.language, _typed(g, uri, DCTERMS.LinguisticSystem)))
    for homepage in g.objects(ref, FOAF.homepage):
        g.add((homepage, RDF.type, FOAF.Document))
    if not any(g.objects(ref, DCTERMS.publisher)):
        node = URIRef(terms.term_iri("agency", "portal"))
        g.add((ref, DCTERMS.publisher, node))
        g.add((node, RDF.type, FOAF.Agent))
        g.add((node, FOAF.name, Literal(site_title, lang="vi")))
