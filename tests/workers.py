"""The suite in several pytest processes (pytest-xdist), as scripts/run-tests.sh runs
it.

run-tests.sh makes, for each worker gwN, a database, DataStore, Solr core, Redis
database, storage folder and SMTP port of its own and writes them, as environment
variables, to ``$VNDATA_TEST_WORKER_ENV/gwN.env``. ``apply_environment`` sets them in
the worker when tests/conftest.py is imported: before any other conftest (some read
the environment when imported) and before CKAN's pytest plugin loads the config.

A test file is one unit of work (its module fixtures run once); the folders of
SHARED_BY_FOLDER are one unit each. xdist hands out the units with the most tests
first; ``SlowFirst`` hands out SLOW_FIRST before them, since a long unit handed out
last runs alone while the other workers have nothing left.
"""

from __future__ import annotations

import os
import pathlib
import shlex

import pytest

ROOT = pathlib.Path(__file__).parent
# Test files that share one thing nobody else may touch at the same time: one worker
# runs them all (tests/cluster/: the one cluster its fixture starts and stops).
SHARED_BY_FOLDER = ("cluster",)
# The units that take longest, by the start of their group's name (a folder's, or a
# file's path under tests/): the cluster, then the browser tests.
SLOW_FIRST = ("cluster", "browser/")


def apply_environment() -> None:
    """In a pytest-xdist worker, point CKAN and the tests at that worker's services."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    folder = os.environ.get("VNDATA_TEST_WORKER_ENV")
    path = pathlib.Path(folder or ".") / f"{worker}.env"
    if not folder or not path.is_file():
        # A worker on the controller's database would empty it under the others.
        raise pytest.UsageError(
            f"no environment for worker {worker} ({path}): run the suite in several "
            "processes through scripts/run-tests.sh (VNDATA_TEST_WORKERS=N), which "
            "makes each its own database, Solr core and Redis database"
        )
    for line in path.read_text().splitlines():
        words = shlex.split(line)
        if words[:1] == ["export"] and not words[1].startswith("PATH="):
            key, value = words[1].split("=", 1)
            os.environ[key] = value


def group(items: list[pytest.Item]) -> None:
    """Each test's unit of work, as an xdist_group mark (read by xdist's own
    collection hook, which must come after this)."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        try:
            path = item.path.relative_to(ROOT)
        except ValueError:  # not under tests/ (a doctest of the package)
            continue
        shared = path.parts[0] in SHARED_BY_FOLDER and len(path.parts) > 1
        item.add_marker(pytest.mark.xdist_group(path.parts[0] if shared else str(path)))


def slow_first_scheduling(config, log):
    """xdist's ``loadgroup`` scheduling, SLOW_FIRST's units handed out first."""
    from xdist.scheduler import LoadGroupScheduling

    class SlowFirst(LoadGroupScheduling):
        _ordered = False

        def _assign_work_unit(self, node) -> None:
            if not self._ordered:
                self._ordered = True
                slow = [
                    scope
                    for prefix in SLOW_FIRST
                    for scope in self.workqueue
                    if scope.startswith(prefix)
                ]
                for scope in reversed(slow):
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return SlowFirst(config, log)
