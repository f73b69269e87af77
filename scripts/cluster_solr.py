"""The SolrCloud collection's state, as scripts/cluster.sh and its tests read it.

cluster_solr.py all-active NODE_URL COLLECTION   exit 0 when every replica of every
                                                 shard is active on a live node
cluster_solr.py cloud-schema SCHEMA_XML          rewrite CKAN's schema.xml in place
                                                 for SolrCloud (see vndata_cloud_schema)
"""

import json
import pathlib
import re
import sys
import urllib.request

# CKAN's schema declares the update log's _version_ as a string. Standalone Solr never
# reads it back; SolrCloud does, when a node replays its update log after a restart
# (VersionInfo.getVersionFromIndex reads it as a long): the replay failed with
# UnsupportedOperationException on every update and the node's replicas stayed down for
# good. Solr's own schemas declare it as a long with docValues.
_VERSION_FIELD = re.compile(r'<field\s+name="_version_"[^>]*/>')
CLOUD_VERSION_FIELD = (
    '<field name="_version_" type="plong" indexed="false" stored="false" '
    'docValues="true"/>'
)


def vndata_cloud_schema(schema: str) -> str:
    """CKAN's schema.xml with the one change SolrCloud needs (_version_ a long)."""
    rewritten, count = _VERSION_FIELD.subn(CLOUD_VERSION_FIELD, schema)
    if count != 1:
        raise ValueError("CKAN's schema.xml has no single _version_ field")
    return rewritten


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
    if len(argv) == 3 and argv[1] == "cloud-schema":
        path = pathlib.Path(argv[2])
        path.write_text(vndata_cloud_schema(path.read_text("utf-8")), "utf-8")
        return 0
    if len(argv) != 4 or argv[1] != "all-active":
        print(__doc__, file=sys.stderr)
        return 2
    replicas = vndata_replicas(argv[2], argv[3])
    return 0 if replicas and all(r["state"] == "active" for r in replicas) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
