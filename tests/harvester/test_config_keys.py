"""The declaration of a source's config keys: what the form and the README show."""

from __future__ import annotations

import json

import pytest

from ckanext.vndata.harvester import config, config_keys
from tests.helpers import REPO_ROOT


@pytest.mark.usefixtures("with_plugins", "with_request_context")
class TestConfigKeys:
    @pytest.mark.parametrize(
        "source_type", ["vndata_dcat", "vndata_ckan", "vndata_json"]
    )
    def test_each_type_s_example_is_a_valid_config_of_every_key_it_reads(
        self, source_type
    ):
        example = json.loads(config_keys.example(source_type))
        # The example's organizations need not exist; every value is otherwise valid.
        parsed = config.parse(json.dumps(example))

        assert set(example) == {
            key.name for key in config_keys.KEYS if source_type in key.types
        }
        assert parsed["timeout"] == example["timeout"]

    def test_dcat_only_keys_are_not_offered_for_a_ckan_source(self):
        ckan = json.loads(config_keys.example("vndata_ckan"))

        assert "rdf_format" not in ckan and "plans_url" not in ckan
        assert "rdf_format" in json.loads(config_keys.example("vndata_dcat"))

    def test_every_key_config_py_knows_is_declared_with_a_meaning(self):
        assert config.KNOWN_KEYS == {key.name for key in config_keys.KEYS}
        assert all(key.meaning for key in config_keys.KEYS)

    def test_the_form_shows_meanings_in_vietnamese_with_defaults_and_bounds(self):
        rows = {row["name"]: row for row in config_keys.documented("vndata_dcat")}

        assert rows["timeout"]["default"] == "60"
        assert "từ 1 đến 600" in rows["timeout"]["meaning"]
        assert rows["province_code"]["default"] == ""
        assert "Tỉnh" in rows["province_code"]["meaning"]

    def test_the_form_shows_the_words_typed_as_they_are_as_code(self):
        rows = {row["name"]: row for row in config_keys.documented("vndata_dcat")}

        deletion = rows["deletion"]["meaning"]
        publishers = rows["unknown_publishers"]["meaning"]
        assert "<code>grace_days</code>" in deletion
        assert "<code>max_share</code>" in deletion
        assert "<code>default_organization</code>" in publishers
        assert "<code>default</code> (" in publishers  # not inside the key's name
        assert "<code>update_frequency</code>" in rows["defaults"]["meaning"]
        assert "<code>" not in rows["province_code"]["meaning"]

    @pytest.mark.parametrize(
        "source_type", ["vndata_dcat", "vndata_ckan", "vndata_json"]
    )
    def test_the_readme_has_the_same_examples(self, source_type):
        readme = (REPO_ROOT / "README.md").read_text("utf-8")

        assert config_keys.readme_example(source_type) in readme
