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


def _scored(tally) -> dict[str, float]:
    return {key: points for key, points in tally.indicator_points().items() if points}


@pytest.mark.usefixtures("with_plugins")
class TestRealExamples:
    def test_semic_a_title_a_description_and_a_publisher(self):
        # dct:title, dct:description and dct:publisher, no distribution:
        # 10 publisher
        tally = _tally("semic-3.0.1/example-bee-population.ttl")
        assert _scored(tally) == {"publisher": 10}
        assert (tally.total(), tally.rating()) == (10, "bad")

    def test_semic_a_publisher_nothing_is_said_of_scores_nothing(self):
        # The publisher is a blank node with no name or identity: ckanext-dcat keeps
        # nothing of it (MQA would count the bare property). No distribution.
        tally = _tally("semic-3.0.0-hvd/example-ms_dataset.ttl")
        assert tally.total() == 0

    def test_semic_two_distributions_one_proprietary(self):
        # Two distributions with an EU file type and nothing else said of them:
        # 20 format (2 of 2) + 10 from the EU file-type table (2 of 2)
        # + 10 non-proprietary (Turtle; a Shapefile is not: 1 of 2)
        # + 20 machine-readable (both); no licence, no dates, bare publisher
        tally = _tally("semic-3.0.0-hvd/example-ms_dataset_2_distributions.ttl")
        assert _scored(tally) == {
            "format": 20, "format_vocabulary": 10, "non_proprietary": 10,
            "machine_readable": 20,
        }  # fmt: skip
        assert tally.counts["non_proprietary"] == (1, 2)
        assert (tally.total(), tally.rating()) == (60, "bad")

    def test_semic_a_licensed_distribution_with_a_contact(self):
        # The distribution's dct:license is CC0 (a known licence): 20 + 10;
        # dcat:contactPoint with an e-mail: 20; dct:publisher with a name: 10.
        # It has only an accessURL: no downloadURL, no format, no media type.
        tally = _tally("semic-2.1.1/example1.nt")
        assert _scored(tally) == {
            "licence": 20, "licence_vocabulary": 10, "contact_point": 20,
            "publisher": 10,
        }  # fmt: skip
        assert (tally.total(), tally.rating()) == (60, "bad")

    def test_w3c_the_basic_example(self):
        tally = _tally("w3c-dcat3/basic-example.ttl")
        assert _scored(tally) == {
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
        }  # fmt: skip
        assert (tally.total(), tally.rating()) == (215, "sufficient")
