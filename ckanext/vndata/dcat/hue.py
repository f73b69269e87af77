"""An extra parse profile for the Huế open-data portal's own DCAT properties.

Huế publishes DCAT RDF whose distributions carry properties in its own namespace
(``hueod:``, https://data.thuathienhue.gov.vn/): a star rating the portal assigns, the
method and header of an API distribution, and a download address. A harvest source
adds this profile with ``"extra_profiles": ["vn_hue_od"]``; it runs after the
Vietnamese profile and fills the resource fields below.
"""

from __future__ import annotations

from typing import Any

from rdflib import Namespace, URIRef

from ckanext.dcat.profiles import RDFProfile

HUEOD = Namespace("https://data.thuathienhue.gov.vn/")
METHODS = {"GET", "POST"}


class HueOpenDataProfile(RDFProfile):
    def parse_dataset(
        self, dataset_dict: dict[str, Any], dataset_ref
    ) -> dict[str, Any]:
        for resource in dataset_dict.get("resources") or []:
            ref = resource.get("distribution_ref")
            if ref:
                _parse_distribution(self.g, resource, URIRef(ref))
        return dataset_dict


def _value(g, ref, name: str) -> str | None:
    value = next(iter(g.objects(ref, HUEOD[name])), None)
    return str(value).strip() if value is not None else None


def _parse_distribution(g, resource: dict[str, Any], ref) -> None:
    stars = _value(g, ref, "ratingStars")
    if stars is not None and stars.isdigit() and 0 <= int(stars) <= 5:
        resource["declared_stars"] = int(stars)
    method = (_value(g, ref, "apiMethod") or "").upper()
    if method in METHODS:
        resource["api_method"] = method
    header = _value(g, ref, "apiHeader")
    if header:
        resource["api_header"] = header
    download = _value(g, ref, "downloadURL")
    if download and not resource.get("url"):
        resource["url"] = download
