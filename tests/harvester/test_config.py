"""Per-source configuration: defaults, and a clear error for each mistake."""

from __future__ import annotations

import json

import pytest

from ckanext.vndata.harvester import config


def _parse(**given):
    return config.parse(json.dumps(given))


@pytest.mark.usefixtures("with_plugins")
class TestSourceConfig:
    def test_empty_config_gets_the_defaults(self):
        parsed = config.parse("")

        assert parsed["validation"] == "warn"
        assert parsed["deletion"] == {"max_share": 0.2, "grace_days": 7}

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
            ("{not json", "not valid JSON"),
            ('["a"]', "must be a JSON object"),
            ('{"provinec_code": "48"}', "Unknown configuration keys: provinec_code"),
            ('{"province_code": "47"}', "Unknown province 47"),
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
