"""The quality of a group is public: only public datasets count."""

from __future__ import annotations

import pytest

from ckan.tests import helpers


@pytest.mark.usefixtures("with_plugins")
def test_anonymous_may_read_a_groups_quality():
    assert helpers.call_auth("vndata_quality_summary", {"user": ""}, scope="nation")
