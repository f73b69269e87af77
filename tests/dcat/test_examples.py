"""Real DCAT examples (SEMIC, W3C DCAT 3, ckanext-dcat) through the stacked profiles.

Each file either parses into datasets that have a title and an identifier, or is
rejected with a stated reason: a syntax error of the file, or a record the profile marks
as unusable (no title, no identity). Nothing raises anything else.
"""

from __future__ import annotations

import pytest

from ckanext.dcat.exceptions import RDFParserException
from ckanext.dcat.processors import RDFParser

from tests.dcat.helpers import PROFILES
from tests.helpers import REPO_ROOT

EXAMPLES = REPO_ROOT / "tests" / "data" / "examples"
FORMATS = {".nt": "nt", ".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}
# Files that are not valid RDF as published, and why (see tests/data/SOURCES.md).
MALFORMED = {
    "ckanext-dcat/dataset.ttl": 'Prefix "healthdcatap:" not bound',
    "semic-3.0.0-hvd/example-bees_wasps_dataset.ttl": "expected '.'",
    "semic-3.0.1/example-bee-population-dataset-series-api.ttl": "expected '.'",
    "semic-3.0.1/example-bee-population-dataset-series-combined.ttl": "expected '.'",
}
FILES = sorted(
    str(path.relative_to(EXAMPLES)) for path in EXAMPLES.rglob("*") if path.is_file()
)


def _parse(name: str) -> list[dict]:
    path = EXAMPLES / name
    parser = RDFParser(profiles=PROFILES)
    parser.parse(path.read_text(encoding="utf-8"), _format=FORMATS[path.suffix])
    return list(parser.datasets())


def test_there_are_examples_from_every_source():
    sources = {name.split("/")[0] for name in FILES}

    assert len(FILES) >= 70
    assert sources == {"ckanext-dcat", "semic-2.1.1", "semic-3.0.0-hvd", "semic-3.0.1",
                       "w3c-dcat3"}  # fmt: skip


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_is_rejected_with_the_syntax_error(name):
    with pytest.raises(RDFParserException) as raised:
        _parse(name)

    assert MALFORMED[name] in str(raised.value)


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("name", [f for f in FILES if f not in MALFORMED])
def test_every_record_becomes_a_dataset_or_says_why_not(name):
    for dataset in _parse(name):
        if dataset.get("vndata_rejection"):
            assert all(isinstance(r, str) and r for r in dataset["vndata_rejection"])
        else:
            assert dataset["title"]
            extras = {e["key"]: e["value"] for e in dataset.get("extras") or []}
            assert extras.get("uri") or extras.get("identifier") or dataset.get("uri")


@pytest.mark.usefixtures("with_plugins")
def test_unmapped_properties_are_reported_not_dropped():
    (dataset,) = _parse("ckanext-dcat/dataset_gov_de.rdf")

    report = dataset["vndata_parse_report"]
    assert any("language/DEU: not a supported language" in line for line in report)
    assert any(line.startswith("dct:spatial") for line in report)
    assert any(line.startswith("sectors taken from EU data themes") for line in report)
    assert dataset["sectors"] == ["kinh-te-thuong-mai"]
