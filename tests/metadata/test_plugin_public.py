"""Static files vndata_metadata serves."""

from __future__ import annotations

import pytest


@pytest.mark.usefixtures("with_plugins")
def test_portal_logo_is_served_for_ckan_site_logo(app):
    response = app.get("/vndata/logo.svg")

    assert response.status_code == 200
    assert "Cổng dữ liệu mở" in response.body
