"""Ids of the rows the suite creates (lib/ids.py)."""

from __future__ import annotations

import uuid

from ckanext.vndata.lib import ids


def test_a_new_id_is_a_uuid_string_like_ckans_own():
    value = ids.new_id()
    assert str(uuid.UUID(value)) == value


def test_new_ids_do_not_repeat():
    assert len({ids.new_id() for _ in range(1000)}) == 1000
