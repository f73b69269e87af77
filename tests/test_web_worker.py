"""Web workers prepare what they serve once at a time (web_worker.py)."""

from __future__ import annotations

import json
import multiprocessing
import pathlib
import signal

import pytest

from ckan.lib import webassets_tools

from ckanext.vndata import web_worker


def _plain_signals() -> None:
    """A forked worker starts with the default handlers, as a gunicorn worker's
    are before gunicorn sets its own."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _build_in_a_child(_n: int) -> None:
    for _ in range(3):
        web_worker.vndata_prepare_web_worker()


@pytest.mark.usefixtures("with_plugins")
def test_web_workers_starting_together_each_find_whole_catalogues_and_assets(
    tmp_path, ckan_config, monkeypatch
):
    # Each gunicorn worker builds the catalogues and assets as it starts (wsgi.py);
    # five started together: one read a catalogue another was writing and died,
    # and two pages building the same asset folder at once ended in a 500.
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    monkeypatch.setattr(webassets_tools.env, "directory", str(tmp_path / "webassets"))
    # The pool ends its children with SIGTERM: they must not keep a handler of ours.
    fork = multiprocessing.get_context("fork")
    with fork.Pool(6, initializer=_plain_signals) as workers:
        workers.map(_build_in_a_child, range(6))  # raises what a child raised

    built = {path.stem: path for path in (tmp_path / "i18n" / "js").glob("*.js")}
    assert {"en", "vi"} <= set(built)
    for path in built.values():
        assert isinstance(json.loads(path.read_text("utf-8")), dict)
    vietnamese = json.loads(built["vi"].read_text("utf-8"))
    assert vietnamese["Reorder resources"] == [None, "Sắp xếp lại tài nguyên"]
    # Every web asset built: a page needs none built while it is served.
    assets = tmp_path / "webassets"
    for bundle in webassets_tools.env:
        assert (assets / bundle.output.replace("%(version)s", "")).parent.is_dir()
        assert any((assets / pathlib.Path(bundle.output).parent).iterdir())
