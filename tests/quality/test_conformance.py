"""DCAT-AP conformance by SHACL: each dataset as /dataset/<id>.ttl serializes it,
validated against the shipped DCAT-AP 3.0.1 shapes, many in one data graph."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.vndata.quality import conformance
from tests.dcat.helpers import DCAT_AP_3, shacl_violations
from tests.fuzz import FUZZ, HOSTILE
from tests.helpers import REPO_ROOT
from tests.quality.shacl_helpers import made_datasets


def _copy(dataset: dict, new_id: str, **changes) -> dict:
    """Another dataset with ``dataset``'s fields (its resources keep their ids, so
    their distributions are the same nodes), and ``changes``."""
    other = copy.deepcopy(dataset)
    other.update(id=new_id, name=new_id, **changes)
    return other


@pytest.fixture
def datasets():
    return made_datasets(4)


def test_the_shipped_shapes_are_dcat_ap_3_0_1_and_load():
    shapes, about = conformance._shapes()

    assert conformance.SHAPES.is_file()
    assert len(shapes) > 1000
    assert "dcat:Distribution" in about.values()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestConformance:
    def test_datasets_of_the_portal_conform(self, datasets):
        verdicts = conformance.vndata_quality_conformance(datasets)

        assert verdicts == {d["id"]: (True, []) for d in datasets}

    def test_a_missing_description_is_named(self, datasets):
        broken = _copy(datasets[0], "khong-mo-ta", notes="")

        verdicts = conformance.vndata_quality_conformance([broken])

        assert verdicts["khong-mo-ta"] == (
            False,
            ["dcat:Dataset dct:description: minCount"],
        )

    def test_a_violation_on_a_distribution_goes_to_its_dataset_alone(self, datasets):
        # The broken copy shares its distribution node with datasets[0] but says
        # less of it: one graph holding both would find an access URL for it.
        resources = copy.deepcopy(datasets[0]["resources"])
        resources[0]["url"] = ""
        broken = _copy(datasets[0], "khong-dia-chi", resources=resources)

        verdicts = conformance.vndata_quality_conformance([*datasets, broken])

        assert verdicts["khong-dia-chi"] == (
            False,
            ["dcat:Distribution dcat:accessURL: minCount"],
        )
        assert all(verdicts[d["id"]] == (True, []) for d in datasets)

    def test_batch_and_one_at_a_time_agree(self, datasets):
        resources = copy.deepcopy(datasets[2]["resources"])
        resources[0]["format"] = "XML"  # two formats on one node, if mixed
        hostile = [
            _copy(datasets[0], "a", notes=""),
            _copy(datasets[1], "b", resources=resources),
            _copy(datasets[3], "c", title=""),
        ]
        everything = [*datasets, *hostile]

        together = conformance.vndata_quality_conformance(everything)
        alone = {
            d["id"]: conformance.vndata_quality_conformance([d])[d["id"]]
            for d in everything
        }

        assert together == alone
        assert together["b"] == (True, [])
        assert [k for k, (ok, _v) in together.items() if not ok] == ["a", "c"]

    def test_verdicts_are_those_of_a_plain_pyshacl_run(self, datasets):
        # The shapes are built once per process and reused: run twice, and compare
        # with pyshacl.validate on the tests' own copy of the shapes.
        broken = [_copy(datasets[0], "a", notes=""), _copy(datasets[1], "c", title="")]
        graphs, _ = conformance.vndata_quality_graphs([*datasets, *broken])

        first = conformance.vndata_quality_judge_graphs(graphs)
        second = conformance.vndata_quality_judge_graphs(graphs)

        plain = {i: shacl_violations(g, DCAT_AP_3) == [] for i, g in graphs.items()}
        assert {i: ok for i, (ok, _v) in first.items()} == plain
        assert first == second
        assert not plain["a"] and not plain["c"]

    def test_the_digest_ignores_blank_node_names_and_follows_the_triples(
        self, datasets
    ):
        first, _ = conformance.vndata_quality_graphs(datasets[:2])
        again, _ = conformance.vndata_quality_graphs(datasets[:2])
        changed, _ = conformance.vndata_quality_graphs(
            [_copy(datasets[0], datasets[0]["id"], title="Tên khác")]
        )

        digest = conformance.vndata_quality_digest
        assert [digest(g) for g in first.values()] == [
            digest(g) for g in again.values()
        ]
        key = datasets[0]["id"]
        assert digest(changed[key]) != digest(first[key])

    def test_the_digest_is_the_same_in_every_process(self, datasets, tmp_path):
        # The job, the command line and another worker must agree: a set's order
        # follows the process's hash seed, the digest must not.
        graphs, _ = conformance.vndata_quality_graphs(datasets[:1])
        (graph,) = graphs.values()
        turtle = tmp_path / "dataset.ttl"
        turtle.write_text(graph.serialize(format="turtle"), "utf-8")
        script = (
            "import sys, rdflib\n"
            "from ckanext.vndata.quality.conformance import vndata_quality_digest\n"
            "print(vndata_quality_digest(rdflib.Graph().parse(sys.argv[1])))\n"
        )

        digests = {
            subprocess.run(
                [sys.executable, "-c", script, str(turtle)],
                env={**os.environ, "PYTHONHASHSEED": seed},
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            for seed in ("1", "2", "3")
        }

        assert digests == {conformance.vndata_quality_digest(graph)}

    def test_a_dataset_the_profiles_cannot_serialize_gets_a_failing_verdict(
        self, datasets
    ):
        broken = _copy(datasets[0], "hong", resources="không phải danh sách")

        verdicts = conformance.vndata_quality_conformance([broken, datasets[1]])

        assert verdicts["hong"] == (False, ["serialization: AttributeError"])
        assert verdicts[datasets[1]["id"]] == (True, [])

    @FUZZ
    @given(
        field=st.sampled_from(
            ["title", "notes", "issued", "modified", "temporal_start", "license_url",
             "contact_email", "contact_phone", "province_code", "sectors", "tags"]
        ),
        resource_field=st.sampled_from(["url", "format", "mimetype", "size", "name"]),
        value=HOSTILE,
    )  # fmt: skip
    def test_hostile_values_give_a_verdict_never_an_error(
        self, datasets, field, resource_field, value
    ):
        dataset = _copy(datasets[0], "hostile", **{field: value})
        dataset["resources"][0][resource_field] = value

        verdicts = conformance.vndata_quality_conformance([dataset, datasets[1]])

        ok, violations = verdicts["hostile"]
        assert isinstance(ok, bool) and all(isinstance(v, str) for v in violations)
        assert verdicts[datasets[1]["id"]] == (True, [])
