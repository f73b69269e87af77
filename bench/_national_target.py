"""Where the national benchmarks run, its processes, their peak memory and Solr's size.

Two targets, one code path:
- the cluster (`scripts/cluster.sh start`, issue #20's topology): read from
  `$VNDATA_CLUSTER_DIR/cluster.env`; its consumers are supervisord's programs;
- the single-machine stack (scripts/bench.sh's database and Solr core), when no
  cluster.env exists or `--local` is given: the consumers are `ckan` processes started
  here, so that jobs still go through the real Redis queues.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ("web", "gather-1", "gather-2", "fetch-1", "fetch-2", "jobs", "scheduler")


@dataclass
class Target:
    name: str  # "cluster" or "single machine"
    ini: str
    solr_url: str  # CKAN's solr_url (collection or core)
    solr_nodes: list[str]  # base URLs (…/solr) whose cores hold the index
    web_url: str | None = None
    supervisor_conf: str | None = None
    # The consumers started here: {name: (the stack that stops it, its process)}.
    local: dict[str, tuple] = field(default_factory=dict)

    # -- consumers ----------------------------------------------------------------
    def set_fetch_consumers(self, count: int) -> None:
        """Run exactly ``count`` fetch consumers (1 or 2) and one gather consumer."""
        if self.supervisor_conf:
            verb = "start" if count > 1 else "stop"
            self._supervisorctl(verb, "fetch-2")
            return
        wanted = {"gather-1": "gather-consumer"}
        wanted.update({f"fetch-{n}": "fetch-consumer" for n in range(1, count + 1)})
        from tests.helpers import ckan_process

        for name in [n for n in self.local if n not in wanted]:
            self.local.pop(name)[0].close()
        log = open(Path(self.ini).with_suffix(".log"), "a")  # noqa: SIM115
        for name, kind in wanted.items():
            if name not in self.local:
                stack = contextlib.ExitStack()
                process = stack.enter_context(
                    ckan_process(self.ini, "vndata_harvester", kind, log=log)
                )
                self.local[name] = (stack, process)

    def stop(self) -> None:
        """Stop what this benchmark started (never the cluster's own programs)."""
        while self.local:
            self.local.popitem()[1][0].close()
        if self.supervisor_conf:
            self._supervisorctl("start", "fetch-2")  # as `cluster.sh start` left it

    def _supervisorctl(self, *args: str) -> str:
        return subprocess.run(
            ["supervisorctl", "-c", self.supervisor_conf, *args],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout

    # -- processes and their memory -----------------------------------------------
    def processes(self) -> dict[str, int]:
        """{label: pid} of the web tier, consumers, workers and Solr nodes."""
        found: dict[str, int] = {}
        if self.supervisor_conf:
            for program in PROGRAMS:
                pid = self._supervisorctl("pid", program).strip()
                if pid.isdigit() and pid != "0":
                    found[program] = int(pid)
            for n, child in enumerate(_children(found.get("web", 0)), 1):
                found[f"web worker {n}"] = child
        else:
            found.update({name: p.pid for name, (_, p) in self.local.items()})
        for n, node in enumerate(self.solr_nodes, 1):
            pid = _listening_pid(int(re.search(r":(\d+)", node).group(1)))
            if pid:
                found[f"solr node {n}"] = pid
        return found

    def reset_peaks(self) -> None:
        """Start each process's peak memory (VmHWM) afresh, where the bench may: the
        single machine's Solr is shared with the other engineers, so it is left."""
        for label, pid in self.processes().items():
            if self.supervisor_conf or not label.startswith("solr"):
                with contextlib.suppress(OSError):
                    Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peaks_mib(self) -> dict[str, float]:
        return {
            label: _status_kib(pid, "VmHWM") / 1024
            for label, pid in self.processes().items()
        }

    # -- the index ----------------------------------------------------------------
    def index_sizes(self) -> dict[str, tuple[int, float]]:
        """{core or replica: (documents, MiB)} of the portal's index on each node."""
        collection = self.solr_url.rstrip("/").rsplit("/", 1)[-1]
        sizes = {}
        for node in self.solr_nodes:
            url = f"{node}/admin/cores?action=STATUS&wt=json"
            with urllib.request.urlopen(url, timeout=30) as answer:
                cores = json.load(answer)["status"]
            for name, core in cores.items():
                if name == collection or name.startswith(collection + "_shard"):
                    index = core.get("index", {})
                    sizes[f"{node} {name}"] = (
                        index.get("numDocs", 0),
                        index.get("sizeInBytes", 0) / 2**20,
                    )
        return sizes


def find(local: bool = False) -> Target:
    """The cluster if it runs (and ``local`` is not asked for), else this machine."""
    dev = Path(os.environ.get("VNDATA_DEV_DIR", ROOT / ".dev"))
    folder = Path(os.environ.get("VNDATA_CLUSTER_DIR", dev / "cluster"))
    env_file = folder / "cluster.env"
    if not local and env_file.exists():
        env = _read_env(env_file)
        return Target(
            name="cluster",
            ini=env["CLUSTER_INI"],
            solr_url=env["CLUSTER_SOLR_URL"],
            solr_nodes=env["CLUSTER_SOLR_NODES"].split(),
            web_url=env["CLUSTER_WEB_URL"],
            supervisor_conf=env["CLUSTER_SUPERVISOR_CONF"],
        )
    # scripts/bench.sh exports the bench's database and core as CKAN_* variables,
    # which every `ckan` process started from here inherits.
    solr_url = os.environ["CKAN_SOLR_URL"]
    sys.path.insert(0, str(ROOT))  # the consumers' ini is made as the tests make it
    from tests.helpers import ini_over_test_ini

    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    # The catalogues are served on loopback, which the harvester refuses by default.
    ini = ini_over_test_ini(
        folder / f"vndata-national-{os.getpid()}.ini",
        **{"ckanext.vndata.harvester.allowed_hosts": "127.0.0.1"},
    )
    return Target(
        name="single machine",
        ini=ini,
        solr_url=solr_url,
        solr_nodes=[solr_url.rsplit("/", 1)[0]],
    )


def _read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            values[key.strip()] = " ".join(shlex.split(value))
    return values


def _status_kib(pid: int, key: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*") if pid else []:
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _listening_pid(port: int) -> int | None:
    """The process listening on ``port`` (ours only: ss shows no other user's pid)."""
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    match = re.search(r"pid=(\d+)", out)
    return int(match.group(1)) if match else None
