"""The SolrCloud collection's state, as scripts/cluster.sh and its tests read it.

cluster_solr.py all-active NODE_URL COLLECTION   exit 0 when every replica of every
                                                 shard is active on a live node
"""

import json
import sys
import urllib.request


def vndata_replicas(node_url: str, collection: str) -> list[dict]:
    """Every replica of COLLECTION with its shard, node and state (Collections API)."""
    query = f"action=CLUSTERSTATUS&collection={collection}&wt=json"
    url = f"{node_url}/admin/collections?{query}"
    with urllib.request.urlopen(url, timeout=10) as response:
        status = json.load(response)["cluster"]
    live = set(status.get("live_nodes", []))
    shards = status["collections"][collection]["shards"]
    return [
        {
            "shard": shard,
            "node": replica["node_name"],
            "state": replica["state"] if replica["node_name"] in live else "down",
        }
        for shard, info in sorted(shards.items())
        for replica in info["replicas"].values()
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] != "all-active":
        print(__doc__, file=sys.stderr)
        return 2
    replicas = vndata_replicas(argv[2], argv[3])
    return 0 if replicas and all(r["state"] == "active" for r in replicas) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
