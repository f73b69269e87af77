"""``make stop`` stops every service and recorded process, leaving nothing behind.

The services under test are a second, isolated set (own folder, own ports), so the
suite's own PostgreSQL, Redis and Solr keep running.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

from tests.helpers import REPO_ROOT, free_port


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry.name}: {cmdline[:200]}")
    return found


@pytest.fixture
def isolated_services(tmp_path):
    dev_dir = tmp_path / "dev"
    env = dict(
        os.environ,
        VNDATA_DEV_DIR=str(dev_dir),
        VNDATA_PG_PORT=str(free_port()),
        VNDATA_REDIS_PORT=str(free_port()),
        VNDATA_SOLR_PORT=str(free_port()),
        VNDATA_SOLR_HEAP="256m",
    )
    yield dev_dir, env
    subprocess.run(["scripts/services.sh", "stop"], cwd=REPO_ROOT, env=env, check=False)
    pg_dir = dev_dir / "pg"
    if pg_dir.is_symlink():
        shutil.rmtree(pg_dir.resolve(), ignore_errors=True)


def _status(env) -> str:
    return subprocess.run(
        ["scripts/services.sh", "status"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_stop_leaves_no_process_behind(isolated_services):
    dev_dir, env = isolated_services
    start = ["scripts/services.sh", "start"]
    subprocess.run(start, cwd=REPO_ROOT, env=env, check=True, timeout=300)
    # A portal process the demo would record (CKAN server, harvest worker).
    (dev_dir / "run").mkdir(exist_ok=True)
    worker = subprocess.Popen(
        ["sleep", "600"], start_new_session=True, cwd=dev_dir, env=env
    )
    (dev_dir / "run" / "worker.pid").write_text(str(worker.pid))
    pg_data = str((dev_dir / "pg").resolve())
    assert _status(env).count(" up ") == 3
    assert _processes_mentioning(str(dev_dir))
    assert _processes_mentioning(pg_data)

    subprocess.run(["make", "stop"], cwd=REPO_ROOT, env=env, check=True, timeout=120)

    assert worker.wait(timeout=10) is not None
    assert _status(env).count(" down") == 3
    assert _processes_mentioning(str(dev_dir)) == []
    assert _processes_mentioning(pg_data) == []
    assert list((dev_dir / "run").glob("*.pid")) == []


def test_make_stop_when_nothing_runs_succeeds(isolated_services):
    _dev_dir, env = isolated_services

    result = subprocess.run(
        ["make", "stop"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr


def _recorded(run_dir: pathlib.Path, name: str) -> subprocess.Popen:
    process = subprocess.Popen(["sleep", "600"], start_new_session=True)
    (run_dir / f"{name}.pid").write_text(str(process.pid))
    return process


def test_demo_stop_ends_the_portals_and_workers_and_leaves_the_services(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    portal, worker = _recorded(run_dir, "ckan-hue"), _recorded(run_dir, "harvest-fetch")
    # The nginx in front of the portals (a real one: tests/test_nginx.py).
    nginx = _recorded(run_dir, "nginx-demo")
    solr = _recorded(run_dir, "solr")  # a service: make stop's, not demo-stop's
    env = dict(os.environ, VNDATA_DEV_DIR=str(tmp_path))
    try:
        only = ["scripts/services.sh", "stop-recorded", "ckan-hue"]
        subprocess.run(only, cwd=REPO_ROOT, env=env, check=True, timeout=60)
        assert portal.wait(timeout=10) is not None
        assert worker.poll() is None

        subprocess.run(
            ["make", "demo-stop"], cwd=REPO_ROOT, env=env, check=True, timeout=60
        )

        assert worker.wait(timeout=10) is not None
        assert nginx.wait(timeout=10) is not None
        assert solr.poll() is None
        assert sorted(p.name for p in run_dir.iterdir()) == ["solr.pid"]
    finally:
        for process in (portal, worker, nginx, solr):
            process.kill()
            process.wait()
