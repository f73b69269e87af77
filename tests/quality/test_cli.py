"""`ckan vndata_quality score`: every score and today's snapshots, with progress bars
and a summary in the portal's language."""

from __future__ import annotations

import pytest

from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories

from ckanext.vndata.quality.model import DatasetScore, Snapshot
from tests.factories import VnDataset


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestScore:
    def test_scores_and_snapshots_with_a_vietnamese_summary(self, cli):
        org = factories.Organization()
        VnDataset(owner_org=org["id"])
        VnDataset(owner_org=org["id"])

        result = cli.invoke(ckan, ["vndata_quality", "score"])

        assert result.exit_code == 0, result.output
        assert model.Session.query(DatasetScore).count() == 2
        assert model.Session.query(Snapshot).count() == 1
        assert "Đã chấm điểm 2 tập dữ liệu" in result.output
        assert "/405 điểm" in result.output
        for label in ("Đọc tập dữ liệu", "Chấm điểm", "Ảnh chụp hằng ngày"):
            assert label in result.output
        # Twice the same day: still one snapshot.
        assert cli.invoke(ckan, ["vndata_quality", "score"]).exit_code == 0
        assert model.Session.query(Snapshot).count() == 1

    def test_one_organization_by_name(self, cli):
        one, two = factories.Organization(), factories.Organization()
        mine = VnDataset(owner_org=one["id"])
        VnDataset(owner_org=two["id"])
        # No stored score, as for datasets written before the plugin was enabled.
        model.Session.query(DatasetScore).delete()
        model.Session.commit()

        result = cli.invoke(ckan, ["vndata_quality", "score", "--org", one["name"]])

        assert result.exit_code == 0, result.output
        assert [s.package_id for s in model.Session.query(DatasetScore)] == [mine["id"]]

    @pytest.mark.parametrize("name", ["khong-co", "x" * 300, "\x00", "'; drop"])
    def test_an_unknown_organization_is_refused_without_writing(self, cli, name):
        VnDataset(owner_org=factories.Organization()["id"])
        model.Session.query(DatasetScore).delete()
        model.Session.commit()

        result = cli.invoke(ckan, ["vndata_quality", "score", "--org", name])

        assert result.exit_code == 1
        assert "Không có tổ chức" in result.output
        assert model.Session.query(DatasetScore).count() == 0
