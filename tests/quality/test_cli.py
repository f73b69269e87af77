"""ckan vndata_quality check-links (and its other name, vndata-quality): jobs by
default, a check here with a progress bar and a Vietnamese summary with --now.

`ckan vndata_quality score`: every score and today's snapshots, with progress bars
and a summary in the portal's language.
"""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories

from ckanext.vndata.quality import link_check
from ckanext.vndata.quality.cli import vndata_links_summary
from ckanext.vndata.quality.model import DatasetScore, Snapshot
from tests.factories import VnDataset
from tests.helpers import allowing
from tests.quality.helpers import forget_host_gates, link_server

QUEUE = "vndata:links-cli-test"


@pytest.fixture
def server():
    forget_host_gates()
    with link_server() as state, allowing(state.origin, link_check.ALLOWED_HOSTS):
        yield state


def _dataset(org, *urls):
    resources = [{"url": url, "format": "HTML"} for url in urls]
    return VnDataset(owner_org=org["id"], resources=resources)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_queues")
@pytest.mark.ckan_config("ckanext.vndata.quality.link_check_queue", QUEUE)
class TestCheckLinks:
    def test_now_checks_here_and_sums_up_in_vietnamese(self, cli, server, monkeypatch):
        monkeypatch.setattr(link_check, "READ_SECONDS", 1)
        org = factories.Organization()
        _dataset(org, server.url("/data.csv"), server.url("/missing"),
                 server.url("/sleep"), server.url("/private"))  # fmt: skip

        result = cli.invoke(ckan, ["vndata_quality", "check-links", "--now"])

        assert result.exit_code == 0, result.output
        assert "Đã kiểm tra 4 liên kết: 1 hoạt động, 3 bị hỏng." in result.output
        assert "1: Máy chủ trả về lỗi HTTP 404" in result.output
        assert "1: Máy chủ không trả lời trong 1 giây" in result.output
        assert "mạng nội bộ" in result.output
        # Nothing left to check until the schedule says so.
        again = cli.invoke(ckan, ["vndata_quality", "check-links", "--now"])
        assert "Đã kiểm tra 0 liên kết" in again.output

    def test_by_default_jobs_are_queued(self, cli, server):
        org = factories.Organization()
        _dataset(org, server.url("/data.csv"), server.url("/missing"))

        result = cli.invoke(ckan, ["vndata-quality", "check-links"])

        assert result.exit_code == 0, result.output
        assert "Đã xếp 2 liên kết vào hàng đợi kiểm tra" in result.output
        jobs = tk.get_action("job_list")({"ignore_auth": True}, {"queues": [QUEUE]})
        assert len(jobs) == 1
        assert server.requests == []  # nothing asked yet

    def test_only_the_organization_named(self, cli, server):
        mine, other = factories.Organization(), factories.Organization()
        _dataset(mine, server.url("/data.csv"))
        _dataset(other, server.url("/missing"))

        result = cli.invoke(
            ckan, ["vndata_quality", "check-links", "--now", "--org", mine["name"]]
        )

        assert "Đã kiểm tra 1 liên kết: 1 hoạt động, 0 bị hỏng." in result.output
        assert server.hits("/missing") == []

    @pytest.mark.parametrize("name", ["khong-co", "", "'; DROP TABLE x; --", "\u200b"])
    def test_an_unknown_organization_is_an_error_not_a_crash(self, cli, name):
        result = cli.invoke(ckan, ["vndata_quality", "check-links", "--org", name])

        assert result.exit_code == 2
        assert "Không có tổ chức nào tên" in result.output

    @pytest.mark.parametrize("source", ["khong-co", "", "\x7f"])
    def test_an_unknown_harvest_source_is_an_error(self, cli, source):
        result = cli.invoke(ckan, ["vndata_quality", "check-links", "--source", source])

        assert result.exit_code == 2
        assert "Không có nguồn thu thập" in result.output


@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_the_summary_counts_put_off_links_apart():
    text = vndata_links_summary({"ok": 2, "http_error:500": 1, "later": 3})

    assert "Đã kiểm tra 3 liên kết: 2 hoạt động, 1 bị hỏng." in text
    assert "1: Máy chủ trả về lỗi HTTP 500" in text
    assert "3 liên kết để lại sau" in text


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

        # A usage error (click's exit code 2), as check-links --org answers.
        assert result.exit_code == 2
        assert "Không có tổ chức" in result.output
        assert model.Session.query(DatasetScore).count() == 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCheckConformance:
    def test_datasets_written_before_the_plugin_are_judged_once(self, cli):
        dataset = VnDataset()
        row = model.Session.get(DatasetScore, dataset["id"])
        assert row.conformant is None  # a write only queues its check

        result = cli.invoke(ckan, ["vndata_quality", "check-conformance"])

        assert result.exit_code == 0, result.output
        assert "Đang kiểm tra sự phù hợp DCAT-AP" in result.output
        assert "1 tập dữ liệu đã được đánh giá" in result.output
        model.Session.expire_all()
        assert model.Session.get(DatasetScore, dataset["id"]).conformant is not None
        # Unchanged since: skipped, unless forced.
        again = cli.invoke(ckan, ["vndata_quality", "check-conformance"])
        assert "0 tập dữ liệu đã được đánh giá" in again.output
        forced = cli.invoke(ckan, ["vndata_quality", "check-conformance", "--force"])
        assert "1 tập dữ liệu đã được đánh giá" in forced.output

    def test_an_unknown_organization_is_refused(self, cli):
        result = cli.invoke(
            ckan, ["vndata_quality", "check-conformance", "--org", "khong-co"]
        )
        assert result.exit_code == 2
