"""Which dataset a harvested record is, and whether it changed since the last run.

Identity is scoped to the harvest source: the same remote identifier in two provinces
makes two datasets. The record is found through this source's own earlier harvest
objects rather than a global ``guid`` extra (which a scheming schema does not keep).
A fingerprint of the record's meaning and of what it is imported with (the source's
config, address, title and organization) is kept on each imported object; a record
whose fingerprint matches the last import's is not written again.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import sqlalchemy as sa

from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra, HarvestSource

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester.page_cache import VERSION
from ckanext.vndata.harvester.source_mapping import source_owner

# The fingerprint an object was imported with (content and basis), kept on it.
FINGERPRINT = "vndata_fingerprint"
# What a harvest object holds when it is not a dataset's record: PLAN, an open-data
# plan series of the source (plan_gather.py).
KIND = "vndata_kind"
PLAN = "plan"
# Made by the harvester on each run, not by the source: left out of the fingerprint.
GENERATED_KEYS = ("name",)
# Lists whose order is shown: a dataset's resources keep their positions. Every other
# list is a set: RDF gives no order to a property's values (keywords, themes,
# languages, parse notes follow the serializer's whim), and CKAN itself sorts tags
# and extras; so they are compared sorted.
ORDERED_KEYS = frozenset({"resources"})
# Keys that name an RDF node (with any other "*_ref"): a value that is no IRI there
# is a blank node's label.
NODE_KEYS = frozenset({"uri"})
BLANK = "_:"
# rdflib's labels, new on every parse, also inside skolem IRIs and in text such as
# parse notes: N<32 hex> (BNode(): RDF/XML, JSON-LD, N-Triples) and n<32 hex>b<n> or
# f<32 hex>b<n> (the Turtle/N3 parser: a per-parse id and a counter); and the
# "_:label" form of a document's own labels, which serializers number anew when a
# catalogue changes.
_RDFLIB_LABEL = re.compile(r"\b(?:N[0-9a-f]{32}|[nf][0-9a-f]{32}b[0-9]+)\b")
_PREFIXED_LABEL = re.compile(r"(?<!\w)_:[^\s\"'<>,;()\[\]{}]*")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Config keys about reading the catalogue, not about the datasets made from it;
# changing them rewrites nothing. Whatever the parse depends on (rdf_format,
# extra_profiles) already shows in the content. Any other key, also one added later,
# shapes the datasets.
GATHER_ONLY_KEYS = frozenset(
    {
        "timeout",
        "max_document_mb",
        "max_pages",
        "requests_per_second",
        "deletion",
        "rdf_format",
        "extra_profiles",
        "plans",  # plans are fingerprinted with the same basis: not theirs either
        "plans_url",
        *source_config.SECRET_KEYS,  # secrets.py: never in the config; a login
    }
)


def _numbers(items: list) -> bool:
    """Coordinates, a bounding box: numbers (or lists of them) are ordered values,
    not a property's set of values ([21.03, 105.85] is another point reversed)."""
    return bool(items) and all(
        isinstance(item, (int, float))
        and not isinstance(item, bool)
        or isinstance(item, list)
        and _numbers(item)
        for item in items
    )


def meaning(value: Any, key: str | None = None) -> Any:
    """A record without what differs from one reading of the same record to the next:
    blank-node labels and the order of lists whose order means nothing."""
    if isinstance(value, dict):
        return {k: meaning(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [meaning(item) for item in value]
        if key in ORDERED_KEYS or _numbers(items):
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, str):
        names_node = key is not None and (key in NODE_KEYS or key.endswith("_ref"))
        if names_node and value and not _IRI.match(value):
            return BLANK
        if value[:1] in ("[", "{"):  # ckanext-dcat keeps some nodes as JSON text
            try:
                return meaning(json.loads(value), key)
            except ValueError:
                pass
        return _PREFIXED_LABEL.sub(BLANK, _RDFLIB_LABEL.sub(BLANK, value))
    return value


def basis(source: HarvestSource) -> str:
    """Everything besides the record that the dataset is made from: the source's
    config (parsed, so that spelling and key order do not count), address, title and
    organization, and this extension's version (a new mapping applies to every
    record once)."""
    try:
        config = {
            key: value
            for key, value in source_config.parse(source.config).items()
            if key not in GATHER_ONLY_KEYS
        }
    except source_config.ConfigError:
        config = {"unparsed": source.config}  # the import reports it
    return json.dumps(
        {
            "config": config,
            "url": source.url,
            "title": source.title,
            "owner_org": source_owner(source.id).id,
            "version": VERSION,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def fingerprint(record: Any, import_basis: str) -> str:
    """What the source said about the record, and what it is imported with."""
    if isinstance(record, dict):
        record = {k: v for k, v in record.items() if k not in GENERATED_KEYS}
    digest = hashlib.sha256()
    digest.update(
        json.dumps(meaning(record), sort_keys=True, ensure_ascii=False).encode("utf-8")
    )
    digest.update(b"\0")
    digest.update(import_basis.encode("utf-8"))
    return digest.hexdigest()


def stored(harvest_object: HarvestObject) -> str | None:
    """The fingerprint ``harvest_object`` was imported with (None: made before they
    were kept, so its import basis is unknown)."""
    return next((e.value for e in harvest_object.extras if e.key == FINGERPRINT), None)


def kind(harvest_object: HarvestObject) -> str | None:
    """PLAN for a plan object, None for a dataset's record."""
    return next((e.value for e in harvest_object.extras if e.key == KIND), None)


def keep(harvest_object: HarvestObject, value: str) -> None:
    harvest_object.extras.append(HarvestObjectExtra(key=FINGERPRINT, value=value))


def previous_import(harvest_object: HarvestObject) -> HarvestObject | None:
    """This source's last successfully imported object with the same identifier.

    Or the object itself, imported again after an earlier try of it committed its
    dataset (the fingerprint is kept in that commit) and its fetch consumer died
    before marking it COMPLETE (ckanext-harvest or stuck_objects.py sends it again):
    that dataset is the one to update; a new one would be the record's second.
    """
    if harvest_object.package_id is not None and stored(harvest_object) is not None:
        return harvest_object
    return (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.guid == harvest_object.guid)
        .filter(HarvestObject.harvest_source_id == harvest_object.harvest_source_id)
        .filter(HarvestObject.id != harvest_object.id)
        .filter(HarvestObject.package_id.isnot(None))
        # Or the current one in ERROR: an import that committed its dataset (which
        # makes its object current) and then lost the database, given up on by
        # ckanext-harvest at its fifth delivery or when its job ended; that dataset
        # is the one to update, never a second.
        .filter(
            sa.or_(HarvestObject.state == "COMPLETE", HarvestObject.current.is_(True))
        )
        .order_by(HarvestObject.import_finished.desc().nullslast())
        .first()
    )


def live_package_id(previous: HarvestObject | None) -> str | None:
    if previous is None:
        return None
    package = model.Package.get(previous.package_id)
    return package.id if package is not None and package.state == "active" else None


def one_object_per_guid(object_ids: list[str] | None) -> list[str]:
    """A catalogue may list a record twice (pages shift while they are read); two
    objects with one guid, imported by two consumers at once, would make two datasets.
    The later ones are dropped before anything is queued."""
    object_ids = list(object_ids or [])
    guids = dict(
        model.Session.query(HarvestObject.id, HarvestObject.guid).filter(
            HarvestObject.id.in_(object_ids)
        )
    )
    kept, dropped, seen = [], [], set()
    for object_id in object_ids:
        if guids.get(object_id) in seen:
            dropped.append(object_id)
            continue
        seen.add(guids.get(object_id))
        kept.append(object_id)
    if dropped:
        model.Session.query(HarvestObject).filter(HarvestObject.id.in_(dropped)).delete(
            synchronize_session=False
        )
    model.Session.commit()
    return kept


def make_current(harvest_object: HarvestObject, package_id: str) -> None:
    """This record becomes the dataset's current object before the dataset is written.

    ckanext-harvest's IPackageController indexes a dataset with the source of its
    current harvest object: made current only after package_create, a new dataset was
    indexed without harvest_source_id (its source page counted 0 datasets, and
    harvest_source_clear, which unindexes by source, left ghost search hits). As in
    ckanext-dcat's import, the object names the dataset before the dataset's row
    exists, so the foreign key is checked at commit.
    """
    model.Session.query(HarvestObject).filter(
        HarvestObject.package_id == package_id, HarvestObject.id != harvest_object.id
    ).update({"current": False})
    harvest_object.package_id = package_id
    harvest_object.current = True
    model.Session.add(harvest_object)
    model.Session.execute(
        sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED")
    )
    model.Session.flush()
