"""A harvested record's values mapped by its source's config."""

from __future__ import annotations

import dataclasses
from typing import Any

from ckan import model

from ckanext.vndata.harvester import job_state


@dataclasses.dataclass(frozen=True)
class SourceOwner:
    """The organization of a harvest source's dataset (its owner_org)."""

    id: str | None
    publisher: str | None  # the name the source's catalogue is published under


def source_owner(source_id: str) -> SourceOwner:
    """The source's organization, in one query, read once per harvest stage (the
    import basis and the record's publisher both need it, per record)."""
    job = job_state.current()
    if job is not None and job.source_id == source_id and job.owner is not None:
        return job.owner
    row = (
        model.Session.query(
            model.Package.owner_org, model.Group.title, model.Group.name
        )
        .outerjoin(model.Group, model.Group.id == model.Package.owner_org)
        .filter(model.Package.id == source_id)
        .first()
    )
    owner = SourceOwner(
        id=row.owner_org if row else None,
        publisher=(row.title or row.name) if row and row.name else None,
    )
    if job is not None and job.source_id == source_id:
        job.owner = owner
    return owner


def apply_source_config(
    package: dict[str, Any], config: dict[str, Any], source
) -> list[str]:
    """Fill in what the record lacks, map its codes, and record its catalogue.

    Returns the fields the source's defaults filled in (the dataset lists them)."""
    # The scheming-aware parse leaves empty keys for absent fields: fill those too.
    defaults = dict(config["defaults"])
    if "personal_data_assessed" in config:
        defaults["personal_data_assessed"] = config["personal_data_assessed"]
    if config.get("province_code"):
        defaults["province_code"] = config["province_code"]
    defaulted = []
    for field, value in defaults.items():
        if package.get(field) in (None, "", []):
            package[field] = value
            defaulted.append(field)
    province = package.get("province_code")
    if province in config["province_map"]:
        package["province_code"] = config["province_map"][province]
    sectors = [config["sector_map"].get(s, s) for s in package.get("sectors") or []]
    if sectors:
        package["sectors"] = sorted(set(sectors))
    package["source_catalog_uri"] = source.url
    # ckanext-harvest keeps the source's title on its row as on its dataset.
    package["source_catalog_title"] = source.title or source.url
    # Who publishes the source catalogue is this portal's word (the source's
    # organization), never the remote record's: it is published in the national
    # catalogue's dct:hasPart. ckanext-dcat gives the catalogue's own publisher as an
    # extra (a JSON object), which the policy would make the field's value: shown raw
    # on the page and published as a name. It goes too.
    package.pop("source_catalog_publisher", None)
    if isinstance(package.get("extras"), list):
        package["extras"] = [
            e
            for e in package["extras"]
            if not (isinstance(e, dict) and e.get("key") == "source_catalog_publisher")
        ]
    publisher = source_owner(source.id).publisher
    if publisher:
        package["source_catalog_publisher"] = publisher
    # The province the source stands for is not a default the record lacked.
    return [field for field in defaulted if field != "province_code"]
