"""What DCAT-AP 3 read of a record that no field of the Vietnamese schema took.

The Vietnamese profile parses after ckanext-dcat's DCAT-AP 3 parse of the same record
and maps its values to fields of ours (a language IRI to a code, the first contact to
the contact fields ...). Nothing DCAT-AP 3 read may be lost (issue #15): a key of its
that still holds a value the mapping did not take stays in the dict, whole, under its
own name or, where that collides with one of our fields, under another. The harvest
keeps whatever the schema has no field for (the harvest policy's ``harvest_kept``).
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode

# Keys the DCAT-AP 3 scheming profile fills that the Vietnamese schema maps to fields of
# its own, and the names they are kept under where they collide with one of our fields.
REPLACED_KEYS = (
    "contact",
    "publisher",
    "temporal_coverage",
    "theme",
    "spatial_coverage",
    "frequency",
    "language",
    "conforms_to",
)
KEPT_AS = {"language": "languages", "conforms_to": "standards"}


def take_stock_keys(dataset: dict[str, Any]) -> dict[str, Any]:
    """Remove DCAT-AP 3's keys that our fields replace; return them for keep()."""
    return {key: dataset.pop(key) for key in REPLACED_KEYS if key in dataset}


def describe(g, node, depth: int = 0) -> Any:
    """A node as plain data: an IRI or a literal as text, a blank node as a dict."""
    if not isinstance(node, BNode):
        return str(node)
    described: dict[str, Any] = {}
    # Keyed by the full IRI: a prefix is the file's choice (dct:, dcterms: ...).
    for predicate, value in sorted(g.predicate_objects(node), key=str):
        key = str(predicate)
        value = describe(g, value, depth + 1) if depth < 3 else str(value)
        if key in described:
            previous = described[key]
            described[key] = [*(previous if isinstance(previous, list) else [previous]),
                              value]  # fmt: skip
        else:
            described[key] = value
    return described


def _leaves(value: Any):
    """Every non-empty text or number in a value (DCAT-AP's JSON lists included)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        if value.strip().startswith("["):
            try:
                yield from _leaves(json.loads(value))
                return
            except ValueError:
                pass
        if value.strip():
            yield value
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def keep(dataset: dict[str, Any], stock: dict[str, Any], consumed) -> None:
    """A DCAT-AP 3 key stays whole if any of its values has not been mapped.

    Whole, not as a remainder: a publisher's type means little without its name.
    """
    # Extras are DCAT-AP's own flat copy of the first agent, not a field of ours.
    ours = {k: v for k, v in dataset.items() if k not in ("resources", "extras")}
    mapped = set(_leaves(ours))
    mapped |= consumed
    for key, value in stock.items():
        if any(leaf not in mapped for leaf in _leaves(value)):
            if isinstance(value, str) and value.strip().startswith("["):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = sorted(value)  # the file's order: no false update if it moves
            dataset[KEPT_AS.get(key, key)] = value
