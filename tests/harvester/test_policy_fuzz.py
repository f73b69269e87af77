"""Property: whatever a remote portal lists, its record is imported as a valid dataset
or held back with a reason; the import never raises, and a record held back writes
no dataset.

Hypothesis mixes the fields of a CKAN record (this schema's and a foreign portal's)
with hostile values of every kind, through vndata_ckan's real import stage, with the
source's validation ``warn`` and ``block``. Derandomized, like the other fuzz tests.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from ckan import model
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.fuzz import FUZZ, HOSTILE
from tests.harvester.helpers import FOREIGN
from tests.harvester.sources import harvest_source
from tests.metadata.helpers import DATASET_FIELDS

# Not "id": a record without a usable id never reaches the import (ckan_api.py's gather
# leaves it out and says so; tests/harvester/test_ckan_api.py).
KEYS = sorted(
    (set(DATASET_FIELDS) | set(FOREIGN)) - {"id"}
    | {"extras", "tags", "tag_string", "organization", "license_url", "groups"}
    | {"creator", "spatial", "x" * 300, "", "\x00"}
) + ["name"]


@st.composite
def records(draw) -> dict:
    record = {**FOREIGN, "id": str(draw(st.uuids()))}
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=6, unique=True)):
        record[key] = draw(HOSTILE)
    if draw(st.booleans()):
        record["resources"] = [
            {**FOREIGN["resources"][0], key: draw(HOSTILE)}
            for key in draw(st.lists(st.sampled_from(["url", "format", "size"])))
        ]
    return record


@pytest.fixture
def jobs():
    """A running job of a source with validation warn, and one with block."""
    made = {}
    for validation in ("warn", "block"):
        source = harvest_source(
            f"http://127.0.0.1:9/{validation}",
            name=f"nguon-{validation}",
            source_type="vndata_ckan",
            defaults={},
            validation=validation,
        )
        made[validation] = HarvestJob(source_id=source["id"], status="Running")
        made[validation].save()
    return made


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_remote_record_is_imported_or_held_back_never_raises(jobs):
    harvester = queue.get_harvester("vndata_ckan")

    @settings(FUZZ, max_examples=30)
    @given(record=records(), validation=st.sampled_from(["warn", "block"]))
    def import_one(record, validation):
        job = jobs[validation]
        harvest_object = HarvestObject(
            guid=f"{job.source.id}/{record['id']}",
            job=job,
            source=job.source,
            content=json.dumps(record),
        )
        harvest_object.save()

        result = harvester.import_stage(harvest_object)  # never raises

        model.Session.refresh(harvest_object)
        # "unchanged": an example that repeats a record (its guid) finds the dataset
        # the first one made, through that object, current since.
        if result in (True, "unchanged"):
            dataset = helpers.call_action("package_show", id=harvest_object.package_id)
            assert dataset["type"] == "dataset"
            assert json.loads(dataset["harvest_notes"]) is not None
        else:
            assert result is False
            assert harvest_object.package_id is None
            assert harvest_object.errors  # a reason, on the job
        model.Session.execute(sa.text("SELECT 1"))  # the session is usable

    import_one()
