"""Per-source configuration: defaults, and a clear error for each mistake."""

from __future__ import annotations

import json

import pytest

from ckanext.vndata.harvester import config
from tests.harvester.helpers import HOSTILE_CONFIGS


def _parse(**given):
    return config.parse(json.dumps(given))


@pytest.mark.usefixtures("with_plugins")
class TestSourceConfig:
    def test_empty_config_gets_the_defaults(self):
        parsed = config.parse("")

        assert parsed["validation"] == "warn"
        assert parsed["deletion"] == {"max_share": 0.2, "grace_days": 7}
        assert parsed["plans"] is True  # a source's published plans come too

    def test_old_province_name_is_mapped_to_todays_code(self):
        assert _parse(province_code="Quảng Nam")["province_code"] == "48"

    def test_publisher_rule_codes_are_normalised(self):
        parsed = _parse(
            publisher_rules=[{"agency_code": "000.00.14.H57", "organization": "hue"}]
        )

        assert parsed["publisher_rules"][0]["agency_code"] == "H57.14"

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ("{not json", "not valid JSON (line 1, column 2)"),
            ('["a"]', "must be a JSON object"),
            ('{"provinec_code": "48"}', "Unknown configuration keys: provinec_code"),
            ('{"province_code": "47"}', "province_code: unknown province 47"),
            ('{"validation": "strict"}', "validation must be warn or block"),
            ('{"timeout": 0}', "timeout must be a number from 1 to 600"),
            (
                '{"deletion": {"max_share": 2}}',
                "max_share must be a number from 0 to 1",
            ),
            ('{"defaults": {"update_frequency": "weekly"}}', "unknown value weekly"),
            ('{"sector_map": {"Giáo dục": "education"}}', "unknown sector education"),
            ('{"unknown_publishers": "ignore"}', "default, create or review"),
            ('{"publisher_rules": [{"organization": "x"}]}', "needs an organization"),
            (
                '{"publisher_rules": [{"agency_code": "??", "organization": "x"}]}',
                "invalid agency code",
            ),
        ],
    )
    def test_mistake_is_refused_with_a_clear_message(self, given, message):
        with pytest.raises(config.ConfigError) as raised:
            config.parse(given)

        assert message in str(raised.value)

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ({"province_map": ["48"]}, "province_map must be an object of texts"),
            ({"province_map": {"Quảng Nam": "99"}}, "province_map: Quảng Nam maps"),
            ({"auth_header": 12345}, "auth_header must be text."),
            ({"auth_header": ["Bearer x"]}, "auth_header must be text."),
            ({"province_code": ["48"]}, "province_code must be a province code"),
            ({"default_organization": 7}, "default_organization must be text."),
            ({"rdf_format": 1}, "rdf_format must be text."),
            ({"sector_map": ["giao-duc"]}, "sector_map must be an object of texts"),
            ({"defaults": "mo"}, "defaults must be an object"),
            ({"defaults": {"update_frequency": 3}}, "defaults.update_frequency"),
            ({"defaults": {"sectors": "xa-hoi"}}, "defaults.sectors"),
            ({"deletion": 0.2}, "deletion must be an object"),
            ({"deletion": {"grace_days": "bảy"}}, "deletion.grace_days must be"),
            ({"timeout": "sixty"}, "timeout must be a number"),
            ({"timeout": "NaN"}, "timeout must be a number"),
            ({"timeout": [60]}, "timeout must be a number"),
            ({"max_pages": True}, "max_pages must be a number"),
            ({"publisher_rules": {"a": "b"}}, "publisher_rules must be a list"),
            (
                {"publisher_rules": [{"organization": 5, "name": "x"}]},
                "publisher_rules: each rule needs an organization",
            ),
            ({"personal_data_assessed": "yes"}, "personal_data_assessed must be"),
            ({"plans": "yes"}, "plans must be true or false."),
            ({"plans_url": ["https://x"]}, "plans_url must be text."),
            ({"locally_owned_fields": "notes"}, "locally_owned_fields must be a list"),
            ({"extra_profiles": [1]}, "extra_profiles must be a list of names"),
        ],
    )
    def test_a_value_of_the_wrong_type_is_refused_naming_its_key(self, given, message):
        with pytest.raises(config.ConfigError) as raised:
            _parse(**given)

        assert message in str(raised.value)

    def test_every_mistake_is_reported_at_once(self):
        with pytest.raises(config.ConfigError) as raised:
            _parse(province_map=["48"], auth_header=1, timeout=0, validation="x")

        assert len(raised.value.messages) == 4

    def test_a_number_written_as_text_is_taken_as_the_number(self):
        parsed = _parse(timeout="30", requests_per_second=" 0.5 ", max_pages="1e3")
        deletion = _parse(deletion={"max_share": "0.1", "grace_days": "14"})

        assert (parsed["timeout"], parsed["requests_per_second"]) == (30, 0.5)
        assert parsed["max_pages"] == 1000
        assert deletion["deletion"] == {"max_share": 0.1, "grace_days": 14}

    def test_every_mistake_is_under_the_key_it_concerns(self):
        with pytest.raises(config.ConfigError) as raised:
            _parse(
                timeout="0",
                validation="strict",
                provinec_code="48",
                deletion={"grace_days": -1},
                defaults={"update_frequency": "weekly"},
            )

        assert sorted(raised.value.by_key) == [
            "defaults",
            "deletion.grace_days",
            "provinec_code",
            "timeout",
            "validation",
        ]
        assert all(len(m) == 1 for m in raised.value.by_key.values())

    @pytest.mark.parametrize("given", HOSTILE_CONFIGS)
    def test_hostile_config_is_a_clear_error_never_a_crash(self, given):
        with pytest.raises(config.ConfigError) as raised:
            config.parse(given)

        assert raised.value.messages
        assert "Traceback" not in str(raised.value)

    def test_a_nul_anywhere_is_refused(self):
        with pytest.raises(config.ConfigError) as raised:
            config.parse(json.dumps({"default_organization": "so\x00khcn"}))

        assert "NUL" in str(raised.value)

    def test_no_message_shows_python_text(self):
        for given in ("{not json", "[1]", '"text"', "5", "{" + " " * 70000 + "}"):
            with pytest.raises(config.ConfigError) as raised:
                config.parse(given)

            assert "Expecting" not in str(raised.value)
            assert "Error" not in str(raised.value)
