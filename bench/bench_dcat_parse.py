"""Parse time of a 2,000-dataset Vietnamese catalogue: vn_dcat_ap vs plain DCAT-AP 3.

Same file, same run: rdflib parsing plus RDFParser.datasets() for each profile stack.
"""

from __future__ import annotations

import statistics
import time

from _site import load_site
from vn_catalogue import catalogue

COUNT = 2000
RUNS = 3


def _time(profiles: list[str], text: str) -> tuple[float, int]:
    from ckanext.dcat.processors import RDFParser

    started = time.perf_counter()
    parser = RDFParser(profiles=profiles)
    parser.parse(text, _format="turtle")
    datasets = list(parser.datasets())
    return time.perf_counter() - started, len(datasets)


def main() -> None:
    app = load_site()
    text = catalogue(COUNT)
    print(f"catalogue: {COUNT} datasets, {len(text) / 1e6:.1f} MB Turtle")
    with app._wsgi_app.test_request_context():
        results = {}
        for name, profiles in (
            ("euro_dcat_ap_3", ["euro_dcat_ap_3"]),
            ("euro_dcat_ap_3 + vn_dcat_ap", ["euro_dcat_ap_3", "vn_dcat_ap"]),
            # vn_dcat_ap extends DCAT-AP 3, so alone it parses everything once.
            ("vn_dcat_ap alone", ["vn_dcat_ap"]),
        ):
            runs = [_time(profiles, text) for _ in range(RUNS)]
            results[name] = statistics.median(t for t, _ in runs)
            print(
                f"{name}: median {results[name]:.2f}s over {RUNS} runs "
                f"({runs[0][1]} datasets)"
            )
        plain = results["euro_dcat_ap_3"]
        for name in ("euro_dcat_ap_3 + vn_dcat_ap", "vn_dcat_ap alone"):
            print(f"{name}: {results[name] / plain:.2f}x the plain DCAT-AP 3 parse")


if __name__ == "__main__":
    main()
