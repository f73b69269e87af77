"""Every key of a Vietnamese harvest source's config, declared once: its default, an
example value, what it means and which harvester types read it.

config.py takes its defaults and known keys from here; the source form shows, per
harvester type, the example and the meaning of each key (``documented``), and the
README's examples are the same text (``readme_example``, checked by a test), so
the form, the validation and the manual cannot drift apart.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from markupsafe import Markup, escape

import ckan.plugins.toolkit as tk

from ckanext.vndata.lib.i18n import N_

DCAT, CKAN, JSON = "vndata_dcat", "vndata_ckan", "vndata_json"
BOTH = (DCAT, CKAN)  # the types that read a catalogue standard (and its plans)
ALL = (DCAT, CKAN, JSON)
NO_DEFAULT = object()


class Key(NamedTuple):
    name: str
    example: Any
    meaning: str  # an N_ msgid, translated when shown
    default: Any = NO_DEFAULT
    types: tuple[str, ...] = ALL
    secret: bool = False
    bounds: tuple[float, float] | None = None  # a number, from low to high
    # Words of the meaning the operator types as they are (nested keys, values):
    # the form shows them as code, and so does every key name with an underscore.
    literals: tuple[str, ...] = ()


KEYS: tuple[Key, ...] = (
    Key("province_code", "48",
        N_("Province of the source (Decision 19/2025 code or name; old names are "
           "mapped).")),
    Key("default_organization", "so-khcn-da-nang",
        N_("Organization (URL name) of datasets whose publisher no rule names.")),
    Key("publisher_rules",
        [{"agency_code": "H17.14", "organization": "so-khcn-da-nang"}],
        N_("Publisher → organization rules; each matches an agency_code, uri or "
           "name."), literals=("agency_code", "uri", "name")),
    Key("unknown_publishers", "default",
        N_("A publisher no rule names: default (to default_organization), create (an "
           "organization of its own) or review (held back)."), "default",
        literals=("default", "create", "review")),
    Key("sector_map", {"Giáo dục": "giao-duc-dao-tao"},
        N_("The source's theme labels → national sector codes."), {}),
    Key("province_map", {"Quảng Nam": "48"},
        N_("The source's place names → province codes."), {}),
    Key("defaults", {"data_sharing_class": "mo", "data_importance_class": "khac",
                     "update_frequency": "khong_dinh_ky"},
        N_("Values for records that lack them: data_sharing_class, "
           "data_importance_class, update_frequency, language, sectors."), {},
        literals=("data_sharing_class", "data_importance_class", "update_frequency",
                  "language", "sectors")),
    Key("personal_data_assessed", True,
        N_("true: the source's records were assessed for personal data (needed for "
           "them to be public)."), literals=("true",)),
    Key("deletion", {"max_share": 0.2, "grace_days": 7},
        N_("A record gone from the catalogue is withdrawn after grace_days, only when "
           "at most max_share of the records are gone in one run."),
        {"max_share": 0.2, "grace_days": 7}, literals=("grace_days", "max_share")),
    Key("validation", "warn",
        N_("warn: import records with dropped values and say so; block: hold them "
           "back."), "warn", literals=("warn", "block")),
    Key("locally_owned_fields", ["tag_string"],
        N_("Dataset fields edited on this portal that a harvest does not overwrite."),
        []),
    Key("extra_profiles", ["vn_hue_od"],
        N_("Further DCAT profiles to read the catalogue with."), [], (DCAT,)),
    Key("rdf_format", "text/turtle",
        N_("The catalogue's format when the server does not say it."), types=(DCAT,)),
    Key("auth_header", "Bearer ...",
        N_("Authorization header sent to the source only; stored apart, shown "
           "masked."), secret=True),
    Key("timeout", 30,
        N_("Seconds the source has to start its answer, and again to send it "
           "whole."), 60, bounds=(1, 600)),
    Key("max_document_mb", 50, N_("Largest page read, in MB."), 50, bounds=(1, 1024)),
    Key("max_pages", 500, N_("Most catalogue pages read in one run."), 1000,
        bounds=(1, 100000)),
    Key("requests_per_second", 5, N_("Most requests per second to the source."), 5,
        bounds=(0.1, 100)),
    Key("plans", True, N_("true: also harvest the source's published open-data plans."),
        True, BOTH, literals=("true",)),
    Key("plans_url", "https://data.danang.gov.vn/ke-hoach/catalog.ttl",
        N_("The plans index, when the catalogue does not advertise it."),
        types=(DCAT,)),
    # vndata_json: a JSON API described, not programmed (json_mapping.py, json_api.py)
    Key("mapping",
        {"records": "data.items", "identity": "maDuLieu", "modified": "ngayCapNhat",
         "publisher": "donVi.ten",
         "fields": {"title": "tenDuLieu", "notes": "moTa", "sectors": "linhVuc",
                    "update_frequency": "tanSuat"},
         "value_maps": {"sectors": {"Giáo dục": "giao-duc-dao-tao"},
                        "update_frequency": {"Hằng năm": "hang_nam"}},
         "resources": {"each": "tepDuLieu",
                       "fields": {"url": "duongDan", "name": "ten",
                                  "format": "dinhDang"}}},
        N_("Where each dataset field is in a record, as JMESPath: records (in a page), "
           "identity, modified, publisher, fields, value_maps, resources (each, "
           "fields)."), types=(JSON,),
        literals=("records", "identity", "modified", "publisher", "fields",
                  "value_maps", "resources", "each")),
    Key("paging", {"type": "page", "param": "page", "start": 1,
                   "size_param": "pageSize", "size": 50},
        N_("How the list is paged, by type: none (one page, when not set); page "
           "(param, start, size_param, size); offset (param, size_param, size); "
           "cursor (param, next: the path of the next cursor); next (next: the path "
           "of the next page's URL)."),
        types=(JSON,),
        literals=("none", "page", "offset", "cursor", "next", "param", "start",
                  "size_param", "size")),
    Key("detail_url", "https://opendata.danang.gov.vn/api/dulieu/{id}",
        N_("A record's detail endpoint, {id} standing for its identity; read again "
           "only when the record's modified value changed."), types=(JSON,)),
    Key("detail_record", "data",
        N_("Where the record is in a detail answer (JMESPath); the whole answer if "
           "not set."), types=(JSON,)),
    Key("basic_user", "cong-du-lieu-quoc-gia",
        N_("User name for HTTP Basic login, with basic_password."), types=(JSON,)),
    Key("basic_password", "…",
        N_("Password for HTTP Basic login; stored apart, shown masked."),
        types=(JSON,), secret=True),
    Key("api_key_header", "X-API-Key", N_("The header that carries api_key."),
        types=(JSON,)),
    Key("api_key_param", "api_key",
        N_("The query parameter that carries api_key, when no header is named."),
        types=(JSON,)),
    Key("api_key", "...", N_("API key; stored apart, shown masked."), types=(JSON,),
        secret=True),
    Key("oauth2", {"token_url": "https://lgsp.example.gov.vn/token",
                   "client_id": "cong-du-lieu-quoc-gia", "scope": "dulieu.doc"},
        N_("OAuth 2 client credentials: token_url, client_id, scope; with "
           "client_secret."), types=(JSON,),
        literals=("token_url", "client_id", "scope")),
    Key("client_secret", "…",
        N_("OAuth 2 client secret; stored apart, shown masked."), types=(JSON,),
        secret=True),
)  # fmt: skip

DEFAULTS: dict[str, Any] = {
    key.name: key.default for key in KEYS if key.default is not NO_DEFAULT
}
KNOWN_KEYS = frozenset(key.name for key in KEYS)
# Numeric keys and their bounds.
LIMITS = tuple((key.name, *key.bounds) for key in KEYS if key.bounds)
SECRET_KEYS = frozenset(key.name for key in KEYS if key.secret)


BOUNDS = N_("(from {low} to {high})")


def _bounds(low: float, high: float, translate) -> str:
    return " " + translate(BOUNDS).format(low=low, high=high)


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def example(source_type: str) -> str:
    """The example config of a harvester type, every key it reads, as JSON."""
    given = {key.name: key.example for key in KEYS if source_type in key.types}
    return json.dumps(given, ensure_ascii=False, indent=2)


def _marked(text: str, key: Key) -> Markup:
    """The meaning, escaped, with the words typed as they are in ``<code>``: a reader
    tells the source's literal names from the sentence around them."""
    literals = {*key.literals, *(name for name in KNOWN_KEYS if "_" in name)}
    words = "|".join(map(re.escape, sorted(literals, key=len, reverse=True)))
    return Markup(
        re.sub(rf"(?<!\w)({words})(?!\w)", r"<code>\1</code>", str(escape(text)))
    )


def documented(source_type: str) -> list[dict[str, Any]]:
    """Each key of the type with its meaning (in the user's language, its literal
    words as code) and default."""
    return [
        {
            "name": key.name,
            "meaning": _marked(
                tk._(key.meaning) + (_bounds(*key.bounds, tk._) if key.bounds else ""),
                key,
            ),
            "default": "" if key.default is NO_DEFAULT else _shown(key.default),
        }
        for key in KEYS
        if source_type in key.types
    ]


def readme_example(source_type: str) -> str:
    """The README's section for the type: its example and, per key, the meaning in
    English (the README's language) and the default."""
    rows = "\n".join(
        f"| `{key.name}` | {key.meaning}"
        f"{_bounds(*key.bounds, str) if key.bounds else ''} | "
        f"{'' if key.default is NO_DEFAULT else '`' + _shown(key.default) + '`'} |"
        for key in KEYS
        if source_type in key.types
    )
    return (
        f"```json\n{example(source_type)}\n```\n\n"
        f"| key | meaning | default |\n| --- | --- | --- |\n{rows}\n"
    )
