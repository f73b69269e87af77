"""The mark of a record being imported by a harvester (lib/harvesting.py)."""

from __future__ import annotations

import threading

from ckanext.vndata.lib import harvesting


def test_the_mark_holds_inside_the_block_only():
    assert not harvesting.importing()

    with harvesting.importing_harvested_record():
        assert harvesting.importing()

    assert not harvesting.importing()


def test_the_mark_is_lifted_when_the_import_fails():
    try:
        with harvesting.importing_harvested_record():
            raise RuntimeError
    except RuntimeError:
        pass

    assert not harvesting.importing()


def test_another_thread_does_not_see_the_mark():
    seen = []
    with harvesting.importing_harvested_record():
        thread = threading.Thread(target=lambda: seen.append(harvesting.importing()))
        thread.start()
        thread.join()

    assert seen == [False]
