"""vn_dcat_ap loses nothing that ckanext-dcat's euro_dcat_ap_3 keeps (issue #15, 10).

Every vndata_dcat file of the real corpus that rdflib reads (see parity.py for the ones
it does not) is parsed by both profiles on one graph; each leaf value of the stock
parse must be in the Vietnamese parse, by value or through one of the transformations
declared in parity.TRANSFORMATIONS.
"""

from __future__ import annotations

import pytest

from tests.dcat import parity

FILES = parity.corpus_files()
# Typed dcat:DatasetSeries only: neither profile reads it as a dataset (nothing to
# compare; whether the harvest should is another part of issue #15).
NO_DATASET = {"udata/series.xml"}


def test_the_corpus_has_rdf_files_of_every_kind():
    assert len(FILES) >= 25
    assert {fmt for _, fmt in FILES} == {"xml", "turtle", "json-ld"}


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("name", "fmt"), FILES, ids=[name for name, _ in FILES])
def test_every_stock_value_is_kept(name, fmt):
    graph, pairs = parity.parse_both(name, fmt)
    assert bool(pairs) == (name not in NO_DATASET)

    lost = [
        f"dataset {n}: {row['field']} = {row['value'][:120]!r}"
        for n, (stock, ours) in enumerate(pairs)
        for row in parity.compare(graph, stock, ours)
        if row["kept"] is None
    ]

    assert not lost, "lost, field by field:\n" + "\n".join(lost)
