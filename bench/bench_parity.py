"""What the Vietnamese profile keeps of ckanext-dcat's DCAT-AP 3 parse, over the corpus.

Every vndata_dcat file of tests/data/real that rdflib reads (tests/dcat/parity.py says
which it does not) is parsed by euro_dcat_ap_3 and by vn_dcat_ap on one graph. Per
stock field: the values DCAT-AP 3 read, those vn_dcat_ap keeps (by value, or through a
declared transformation), and those lost (goal 0). It writes nothing.
"""

from __future__ import annotations

import collections
import sys

from _site import ROOT, load_site

sys.path.insert(0, str(ROOT))

from tests.dcat import parity  # noqa: E402 (the repository root is on the path now)


def main() -> None:
    app = load_site()
    counts: dict[str, collections.Counter] = collections.defaultdict(
        collections.Counter
    )
    lost_examples: dict[str, str] = {}
    files = parity.corpus_files()
    datasets = 0
    with app._wsgi_app.test_request_context():
        for name, fmt in files:
            graph, pairs = parity.parse_both(name, fmt)
            datasets += len(pairs)
            for stock, ours in pairs:
                for row in parity.compare(graph, stock, ours):
                    field = counts[row["field"]]
                    field["stock"] += 1
                    if row["kept"] is None:
                        field["lost"] += 1
                        lost_examples.setdefault(
                            row["field"], f"{name}: {row['value'][:60]}"
                        )
                    else:
                        field["kept"] += 1
                        if row["kept"] != "value":
                            field["transformed"] += 1
    print(f"{len(files)} files, {datasets} datasets (vndata_dcat, read by rdflib)")
    print(f"{'stock field':44} {'in stock':>8} {'kept':>6} {'(mapped)':>8} {'lost':>5}")
    print("-" * 75)
    total: collections.Counter = collections.Counter()
    for field in sorted(counts):
        c = counts[field]
        total.update(c)
        print(
            f"{field:44} {c['stock']:8} {c['kept']:6} {c['transformed']:8} "
            f"{c['lost']:5}"
        )
    print("-" * 75)
    print(
        f"{'TOTAL':44} {total['stock']:8} {total['kept']:6} "
        f"{total['transformed']:8} {total['lost']:5}"
    )
    print("(mapped) = kept through a declared transformation:")
    for transformation in parity.TRANSFORMATIONS:
        print(f"    {transformation}")
    for field, example in sorted(lost_examples.items()):
        print(f"lost {field}: e.g. {example}")


if __name__ == "__main__":
    main()
