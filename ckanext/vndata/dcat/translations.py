"""Titles and descriptions in several languages: which one a field takes, and the rest.

A foreign catalogue may describe a record only in German, French or Swedish. The field
takes the best language there is (Vietnamese, then an untagged text, then English, then
the other languages in alphabetical order of their tags, so the choice does not depend
on the order of the file), the tag it came from is recorded (``<field>_language``; empty
for Vietnamese or untagged, the portal's own language), and every other text is kept in
the JSON field ``translations``: ``{"title": {"de": "...", "fr": "..."}}``, several
texts of one language as a list. Writing back tags each text with its language again.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Literal
from rdflib.namespace import DCTERMS

UNTAGGED = "und"  # BCP 47 "undetermined": a text given without a language tag
PORTAL_LANGUAGE = "vi"
PREFERRED = (PORTAL_LANGUAGE, UNTAGGED, "en")
# Field -> RDF property, for a dataset and for a distribution.
DATASET_TEXTS = {"title": DCTERMS.title, "notes": DCTERMS.description}
RESOURCE_TEXTS = {"name": DCTERMS.title, "description": DCTERMS.description}


def _by_language(g, subject, predicate) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for value in g.objects(subject, predicate):
        if isinstance(value, Literal) and str(value).strip():
            language = (value.language or UNTAGGED).lower()
            texts.setdefault(language, []).append(str(value))
    return {language: sorted(set(values)) for language, values in texts.items()}


def order(language: str) -> tuple[int, str]:
    """Sort key of a language tag: vi, untagged, en, then the others by tag."""
    rank = PREFERRED.index(language) if language in PREFERRED else len(PREFERRED)
    return rank, language


def best_literal(g, subject, predicate, lang: str | None = None) -> str | None:
    """The literal in ``lang`` if there is one, else the best by ``order``.

    Sorted, so that the choice does not depend on the order of the file.
    """
    values = [o for o in g.objects(subject, predicate) if isinstance(o, Literal)]
    if not values:
        return None
    best = min(
        values,
        key=lambda v: (
            (v.language or "").lower() != (lang or "\0"),
            order((v.language or UNTAGGED).lower()),
            str(v),
        ),
    )
    return str(best)


def parse(g, subject, fields: dict[str, Any], target: dict[str, Any]) -> None:
    """Fill each field of ``fields`` with its best text; keep the others.

    A dataset's English title has a field of its own (``title_en``), so it is not
    kept again among the translations.
    """
    kept: dict[str, dict[str, Any]] = {}
    for field, predicate in fields.items():
        texts = _by_language(g, subject, predicate)
        if not texts:
            continue
        language = min(texts, key=order)
        best, *same_language = texts.pop(language)
        target[field] = best
        if same_language:
            texts[language] = same_language
        if language in (PORTAL_LANGUAGE, UNTAGGED):
            target.pop(f"{field}_language", None)
        else:
            target[f"{field}_language"] = language
        if field == "title" and "en" in texts and language != "en":
            first, *others = texts.pop("en")
            target["title_en"] = first
            if others:
                texts["en"] = others
        if texts:
            kept[field] = {
                tag: values[0] if len(values) == 1 else values
                for tag, values in sorted(texts.items())
            }
    if kept:
        target["translations"] = dumps(kept)
    else:
        target.pop("translations", None)


def dumps(translations: dict[str, Any]) -> str:
    """The stored form: one spelling for the same content (no false updates)."""
    return json.dumps(translations, ensure_ascii=False, sort_keys=True)


def loads(value: Any) -> dict[str, Any]:
    """The stored translations as a dict ({} when none or unreadable)."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value.strip():
        return {}
    try:
        loaded = json.loads(value)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def serialize(g, subject, fields: dict[str, Any], source: dict[str, Any]) -> None:
    """Each text with its language tag, and the translations with theirs.

    DCAT-AP wrote the fields untagged (and the profile then tagged them Vietnamese);
    a text taken from another language gets that language's tag back.
    """
    for field, predicate in fields.items():
        value = source.get(field)
        language = source.get(f"{field}_language")
        if value and language:
            for written in list(g.objects(subject, predicate)):
                if isinstance(written, Literal) and str(written) == value:
                    g.remove((subject, predicate, written))
            g.add((subject, predicate, _literal(value, language)))
        for tag, texts in (loads(source.get("translations")).get(field) or {}).items():
            for text in [texts] if isinstance(texts, str) else texts:
                g.add((subject, predicate, _literal(text, tag)))


def _literal(text: str, language: str) -> Literal:
    return Literal(text) if language == UNTAGGED else Literal(text, lang=language)
