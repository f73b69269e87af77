"""Index throughput and Vietnamese search latency on the real PostgreSQL + Solr.

Creates N datasets through package_create (each one indexed in Solr), then times
package_search for accented and unaccented Vietnamese queries.
"""

from __future__ import annotations

import statistics
import sys
import time

from _site import load_site

N_DATASETS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
PLACES = ["Đà Nẵng", "Huế", "Hà Nội", "Cần Thơ", "Hải Phòng", "Hồ Chí Minh"]
TOPICS = ["trường học", "bệnh viện", "giá đất", "quan trắc không khí", "điểm wifi"]
QUERIES = ["trường học", "truong hoc", "Đà Nẵng", "da nang", "quan trắc không khí"]


def main() -> None:
    app = load_site()
    import ckan.plugins.toolkit as tk
    from ckan.lib.search import clear_all

    with app._wsgi_app.test_request_context():
        clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": site_user["name"], "ignore_auth": True}
        org = tk.get_action("organization_create")(
            dict(context), {"name": "bench-org", "title": "Cơ quan đo hiệu năng"}
        )
        started = time.perf_counter()
        for i in range(N_DATASETS):
            place, topic = PLACES[i % len(PLACES)], TOPICS[i % len(TOPICS)]
            tk.get_action("package_create")(
                dict(context),
                {
                    "name": f"bench-{i}",
                    "title": f"Danh sách {topic} {place} {i}",
                    "notes": f"Dữ liệu {topic} tại {place}.",
                    "owner_org": org["id"],
                    "sectors": ["dia-phuong"],
                    "data_sharing_class": "mo",
                    "data_importance_class": "khac",
                    "personal_data_assessed": True,
                    "update_frequency": "hang_nam",
                },
            )
        created = time.perf_counter() - started
        print(
            f"package_create + index: {N_DATASETS} datasets in {created:.1f}s "
            f"({N_DATASETS / created:.1f}/s)"
        )
        for query in QUERIES:
            timings = []
            for _ in range(20):
                t0 = time.perf_counter()
                result = tk.get_action("package_search")(dict(context), {"q": query})
                timings.append(time.perf_counter() - t0)
            print(
                f"package_search {query!r}: {result['count']} hits, "
                f"median {statistics.median(timings) * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
