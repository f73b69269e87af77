"""The score of real DCAT examples (SEMIC's DCAT-AP examples, W3C DCAT 3), parsed
with DCAT-AP 3 and the Vietnamese profile as a harvest would: the points of each are
worked out by hand from the file, as MQA would count them.

No link is checked and conformance is not validated here (Facts()): the accessURL
reachability (50), the downloadURL reachability (30) and DCAT-AP conformance (30)
score nothing.
"""

from __future__ import annotations

import pytest

from ckanext.dcat.processors import RDFParser

from ckanext.vndata.quality.tally import vndata_quality_tally
from tests.dcat.helpers import PROFILES
from tests.helpers import REPO_ROOT

EXAMPLES = REPO_ROOT / "tests" / "data" / "examples"


def _tally(name: str):
    path = EXAMPLES / name
    parser = RDFParser(profiles=PROFILES)
    fmt = {".nt": "nt", ".ttl": "turtle"}[path.suffix]
    parser.parse(path.read_text(encoding="utf-8"), _format=fmt)
    (dataset,) = list(parser.datasets())
    return vndata_quality_tally(dataset)


# (file, the indicators that score and their points, total, rating), worked out from
# each file by hand.
EXPECTED = [
    # dct:title, dct:description and dct:publisher, no distribution.
    ("semic-3.0.1/example-bee-population.ttl", {"publisher": 10}, 10, "bad"),
    # The publisher is a blank node with no name or identity: ckanext-dcat keeps
    # nothing of it (MQA would count the bare property). No distribution.
    ("semic-3.0.0-hvd/example-ms_dataset.ttl", {}, 0, "bad"),
    # Two distributions with an EU file type and nothing else said of them:
    # 20 format (2 of 2) + 10 EU file-type table (2 of 2) + 10 non-proprietary
    # (Turtle; a Shapefile is not: 1 of 2) + 20 machine-readable (both).
    (
        "semic-3.0.0-hvd/example-ms_dataset_2_distributions.ttl",
        {"format": 20, "format_vocabulary": 10, "non_proprietary": 10,
         "machine_readable": 20},
        60, "bad",
    ),
    # The distribution's dct:license is CC0 (known): 20 + 10; a contact point with
    # an e-mail: 20; a named publisher: 10. Only an accessURL: no downloadURL, no
    # format, no media type.
    (
        "semic-2.1.1/example1.nt",
        {"licence": 20, "licence_vocabulary": 10, "contact_point": 20,
         "publisher": 10},
        60, "bad",
    ),
    (
        "w3c-dcat3/basic-example.ttl",
        {
            # three keywords, a GeoNames place, a period: 30 + 20 + 20 (no theme)
            "keywords": 30, "spatial": 20, "temporal": 20,
            # a dcat:downloadURL: 20 (its reachability is not checked)
            "download_url": 20,
            # dcat:mediaType text/csv (IANA), which ckanext-dcat also keeps as the
            # format: 20 + 10 + 10; CSV is open and machine-readable: 20 + 20
            "format": 20, "media_type": 10, "format_vocabulary": 10,
            "non_proprietary": 20, "machine_readable": 20,
            # a contact point and a publisher (no licence, no access rights)
            "contact_point": 20, "publisher": 10,
            # dcat:byteSize 5120; the dataset's issued and modified dates: 5 + 5
            "byte_size": 5, "issued": 5, "modified": 5,
        },
        215, "sufficient",
    ),
]  # fmt: skip


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("name", "scored", "total", "rating"), EXPECTED)
def test_a_real_example_scores_what_mqa_would(name, scored, total, rating):
    tally = _tally(name)
    points = tally.indicator_points()
    assert {key: value for key, value in points.items() if value} == scored
    assert (tally.total(), tally.rating()) == (total, rating)


@pytest.mark.usefixtures("with_plugins")
def test_a_shapefile_is_the_one_proprietary_distribution_of_two():
    tally = _tally("semic-3.0.0-hvd/example-ms_dataset_2_distributions.ttl")
    assert tally.counts["non_proprietary"] == (1, 2)
