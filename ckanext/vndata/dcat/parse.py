"""RDF -> dataset dict for the Vietnamese profile (after DCAT-AP 3 parsed its part).

Parsing is tolerant: a record with unknown or missing Vietnamese fields still becomes a
dataset, and everything that could not be mapped is listed in ``vndata_parse_report``
(the harvester turns it into warnings) instead of being dropped silently.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import ADMS

from ckanext.vndata.dcat import parse_coverage, terms, translations, unmapped
from ckanext.vndata.dcat.terms import FOAF, VCARD
from ckanext.vndata.dcat.translations import best_literal
from ckanext.vndata.lib import licences, vocabularies

REPORT_KEY = "vndata_parse_report"
REJECTION_KEY = "vndata_rejection"
PUBLISHER_KEY = "vndata_publisher"


def parse_dataset(profile, dataset: dict[str, Any], ref) -> dict[str, Any]:
    g = profile.g
    report: list[str] = []
    malformed: list[str] = []  # values of the wrong kind: the record is held back
    stock = unmapped.take_stock_keys(dataset)
    consumed: set[str] = set()  # source values mapped to a value of ours (IRI -> code)
    translations.parse(g, ref, translations.DATASET_TEXTS, dataset)
    _parse_licence(g, dataset, ref, report)
    _parse_publisher(g, dataset, ref, consumed)
    _parse_themes(g, dataset, ref, report)
    parse_coverage.spatial(g, dataset, ref, report)
    _parse_classes(g, terms.vndata(), dataset, ref, report)
    _parse_contact(profile, dataset, ref)
    parse_coverage.temporal(profile, dataset, ref)
    _parse_coded(g, dataset, ref, report, consumed)
    _parse_standards(g, dataset, ref)
    stock.pop("conforms_to", None)  # its blank nodes are described by _parse_standards
    _parse_vndata_literals(g, terms.vndata(), dataset, ref)
    for resource in dataset.get("resources") or []:
        _parse_distribution(
            g,
            terms.vndata(),
            resource,
            URIRef(resource["distribution_ref"]),
            report,
            malformed,
        )
    unmapped.keep(dataset, stock, consumed)
    if report:
        dataset[REPORT_KEY] = report
    reasons = rejection_reasons(dataset) + malformed
    if reasons:
        dataset[REJECTION_KEY] = reasons
    return dataset


def identifier_of(dataset: dict[str, Any]) -> str | None:
    """The record's identity at its source: its IRI, else its dct:identifier."""
    extras = {e["key"]: e["value"] for e in dataset.get("extras") or []}
    return (
        dataset.get("uri")
        or extras.get("uri")
        or dataset.get("identifier")
        or extras.get("identifier")
    )


def rejection_reasons(dataset: dict[str, Any]) -> list[str]:
    """Why a parsed record cannot become a dataset (empty when it can)."""
    reasons = []
    if not dataset.get("title"):
        reasons.append(
            tk._("The record has no title (dct:title); a dataset needs one.")
        )
    if not identifier_of(dataset):
        reasons.append(
            tk._(
                "The record has neither an IRI nor an identifier (dct:identifier); "
                "it cannot be tracked."
            )
        )
    return reasons


def _parse_licence(g, dataset: dict[str, Any], ref, report: list[str]) -> None:
    """The licence of the dataset, else of its first distribution that has one.

    ckanext-dcat reads distributions only, and only licences named exactly as in the
    register; licences.py knows their other names. A licence this portal does not
    know is kept as the source gave it (``source_licence``), never replaced by this
    portal's default.
    """
    candidates = list(g.objects(ref, DCTERMS.license)) + [
        licence
        for distribution in g.objects(ref, DCAT.distribution)
        for licence in g.objects(distribution, DCTERMS.license)
    ]
    for licence in candidates:
        title = best_literal(g, licence, DCTERMS.title)
        found = licences.resolve(str(licence), title)
        if found:
            dataset["license_id"] = found
            return
    if dataset.get("license_id") and licences.resolve(dataset["license_id"]):
        return
    dataset.pop("license_id", None)
    if candidates:
        licence = candidates[0]  # a blank node's label changes on every parse
        named = None if isinstance(licence, BNode) else str(licence)
        said = best_literal(g, licence, DCTERMS.title) or named
        if said:
            dataset["source_licence"] = said
            report.append(f"dct:license {said}: not a licence registered here")


def _parse_coded(
    g, dataset: dict[str, Any], ref, report: list[str], consumed: set[str]
) -> None:
    """Language and frequency, given as IRIs of known vocabularies.

    Of several languages the field takes the portal's own, then English (in the
    order of the vocabulary); all of them stay in ``languages`` (unmapped.keep).
    """
    for predicate, mapping, field, what in (
        (DCTERMS.language, terms.LANGUAGE_URIS, "language", "a supported language"),
        (DCTERMS.accrualPeriodicity, terms.FREQUENCY_URIS, "update_frequency",
         "a known frequency"),
    ):  # fmt: skip
        codes = {}
        for value in sorted(g.objects(ref, predicate), key=str):
            code = terms.by_uri(mapping, str(value))
            if code:
                codes[code] = str(value)
            else:
                report.append(f"{g.qname(predicate)} {value}: not {what}")
        if codes:
            code = next(c for c in mapping if c in codes)
            dataset[field] = code
            consumed.add(codes[code])


def _parse_standards(g, dataset: dict[str, Any], ref) -> None:
    """dct:conformsTo: the first IRI in the field; all of them in ``standards``.

    A standard may be an IRI, a literal or a blank node describing it (dct:Standard
    with a title and an identifier); DCAT-AP 3 gives a blank node as its bare id,
    which means nothing outside the file, so the node is described instead.
    """
    values = sorted(g.objects(ref, DCTERMS.conformsTo), key=str)
    iris = [str(v) for v in values if isinstance(v, URIRef)]
    if iris:
        dataset["conforms_to"] = iris[0]
    if len(values) > len(iris[:1]):
        dataset["standards"] = [unmapped.describe(g, v) for v in values]


def _parse_vndata_literals(g, ns, dataset: dict[str, Any], ref) -> None:
    for field in terms.TEXT_FIELDS:
        value = best_literal(g, ref, ns[terms.property_name(field)], "vi")
        if value:
            dataset[field] = value
    plan_item = best_literal(g, ref, ns.planItem)
    if plan_item:
        dataset["plan_item"] = plan_item
    assessed = next(iter(g.objects(ref, ns.personalDataAssessed)), None)
    if assessed is not None:
        dataset["personal_data_assessed"] = assessed.toPython() is True
    due = next(iter(g.objects(ref, ns.nextUpdateDue)), None)
    if due is not None:
        dataset["next_update_due"] = str(due)
    legacy = sorted(str(o) for o in g.objects(ref, ns.legacyAdminCode))
    if legacy:
        dataset["legacy_admin_codes"] = legacy


def _parse_publisher(g, dataset: dict[str, Any], ref, consumed: set[str]) -> None:
    """The publisher's code for the dataset; its agency fields under vndata_publisher.

    The harvester matches or creates the national organization from vndata_publisher.
    """
    publisher = next(iter(g.objects(ref, DCTERMS.publisher)), None)
    if publisher is None:
        return
    agency = _agency(g, publisher, consumed)
    for field, key in (
        ("publisher_code", "agency_code"),
        ("publisher_code_legacy", "agency_code_legacy"),
        ("publisher_name", "title"),
    ):
        if agency.get(key):
            dataset[field] = agency[key]
    if agency:
        dataset[PUBLISHER_KEY] = agency


def _agency(g, node, consumed: set[str]) -> dict[str, Any]:
    """The organization-schema fields of a publisher node.

    The IRIs mapped to codes (agency level, province) are noted in ``consumed``.
    """
    ns = terms.vndata()
    agency: dict[str, Any] = {}
    for field, predicate, lang in (
        ("agency_code", DCTERMS.identifier, None),
        ("title", FOAF.name, "vi"),
        ("parent_agency_code", ns.parentAgencyCode, None),
        ("address", ns.address, "vi"),
        ("contact_name", ns.contactName, "vi"),
    ):
        value = best_literal(g, node, predicate, lang)
        if value:
            agency[field] = value
    for identifier in g.objects(node, ADMS.identifier):
        agency["agency_code_legacy"] = best_literal(g, identifier, SKOS.notation)
    for field, predicate, kind, prefix in (
        ("agency_level", DCTERMS.type, "agency-level", None),
        ("province_code", DCTERMS.spatial, "province", None),
        ("website", FOAF.homepage, None, ""),
        ("contact_email", FOAF.mbox, None, "mailto:"),
        # DCAT-AP 3 reads an agent's e-mail from vcard:hasEmail too.
        ("contact_email", VCARD.hasEmail, None, "mailto:"),
        ("contact_phone", FOAF.phone, None, "tel:"),
    ):
        for value in g.objects(node, predicate):
            code = terms.value_of(str(value), kind) if kind else None
            if kind and code:
                agency[field] = code
                consumed.add(str(value))
            elif prefix is not None and not agency.get(field):
                agency[field] = str(value).removeprefix(prefix)
    if not isinstance(node, BNode):
        agency["uri"] = str(node)
    return {k: v for k, v in agency.items() if v}


def _parse_themes(g, dataset: dict[str, Any], ref, report: list[str]) -> None:
    sectors, eu_only = [], []
    for theme in g.objects(ref, DCAT.theme):
        sector = terms.value_of(str(theme), "sector")
        if sector and vocabularies.term("sectors", sector):
            sectors.append(sector)
        elif terms.by_uri(terms.EU_THEMES, str(theme)):
            eu_only.append(str(theme))
        else:
            report.append(f"dcat:theme {theme}: not a national sector or EU data theme")
    if not sectors:
        sectors = [terms.by_uri(terms.EU_THEMES, uri) for uri in eu_only]
        if eu_only:
            report.append(
                "sectors taken from EU data themes: " + ", ".join(sorted(eu_only))
            )
    if sectors:
        dataset["sectors"] = sorted(set(sectors))


def _parse_classes(g, ns, dataset: dict[str, Any], ref, report: list[str]) -> None:
    for field, kind in terms.CLASS_FIELDS:
        predicate = terms.property_name(field)
        value = next(iter(g.objects(ref, ns[predicate])), None)
        if value is None:
            continue
        code = terms.value_of(str(value), kind)
        if code and vocabularies.term(field, code):
            dataset[field] = code
        else:
            report.append(f"vndata:{predicate} {value}: unknown value")


def _parse_contact(profile, dataset: dict[str, Any], ref) -> None:
    """The first contact point; DCAT-AP's ``contact`` keeps the rest (and its URI).

    vCard gives an e-mail or telephone either as an IRI (mailto:, tel:) or as a node
    whose vcard:hasValue holds it; ckanext-dcat's reader knows both.
    """
    g = profile.g
    contact = next(iter(g.objects(ref, DCAT.contactPoint)), None)
    if contact is None:
        return
    name = best_literal(g, contact, VCARD.fn, "vi")
    name = name or profile._get_vcard_property_value(contact, VCARD.hasFN)
    for field, predicate, prefix in (
        ("contact_name", None, ""),
        ("contact_email", VCARD.hasEmail, "mailto:"),
        ("contact_phone", VCARD.hasTelephone, "tel:"),
    ):
        value = (
            name
            if predicate is None
            else profile._get_vcard_property_value(contact, predicate)
        )
        if value:
            dataset[field] = value.removeprefix(prefix)


def _parse_distribution(
    g, ns, resource: dict[str, Any], ref, report: list[str], malformed: list[str]
) -> None:
    translations.parse(g, ref, translations.RESOURCE_TEXTS, resource)
    file_type = next(iter(g.objects(ref, DCTERMS.format)), None)
    if isinstance(file_type, URIRef) and str(file_type).startswith(
        str(terms.EU_FILE_TYPE)
    ):
        code = str(file_type)[len(str(terms.EU_FILE_TYPE)) :]
        resource["format"] = terms.FORMATS_BY_FILE_TYPE.get(code, code)
    media = next(iter(g.objects(ref, DCAT.mediaType)), None)
    if media is not None and str(media).startswith(terms.IANA_MEDIA_TYPE):
        resource["mimetype"] = str(media)[len(terms.IANA_MEDIA_TYPE) :]
    access = next(iter(g.objects(ref, ns.accessType)), None)
    if access is not None:
        code = terms.value_of(str(access), "access")
        if code and vocabularies.term("access_type", code):
            resource["access_type"] = code
        else:
            report.append(f"vndata:accessType {access}: unknown value")
    _parse_auth_required(g, ns, resource, ref, malformed)
    page = next(iter(g.objects(ref, FOAF.page)), None)
    if page is not None:
        resource["api_docs"] = str(page)
    stars = next(iter(g.objects(ref, ns.declaredStars)), None)
    if stars is not None and str(stars).isdigit() and int(str(stars)) <= 5:
        resource["declared_stars"] = int(str(stars))
    for field, predicate in (
        ("api_method", ns.apiMethod),
        ("api_header", ns.apiHeader),
    ):
        value = next(iter(g.objects(ref, predicate)), None)
        if value is not None:
            resource[field] = str(value)


def _parse_auth_required(
    g, ns, resource: dict[str, Any], ref, malformed: list[str]
) -> None:
    auth = next(iter(g.objects(ref, ns.authRequired)), None)
    if auth is None:
        return
    if not isinstance(auth, Literal):
        malformed.append(
            tk._("{property} must be a literal (true or false), not {value}.").format(
                property="vndata:authRequired", value=str(auth)[:200]
            )
        )
    elif auth.datatype == XSD.boolean:
        resource["auth_required"] = auth.toPython() is True
