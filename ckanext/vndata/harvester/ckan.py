"""The ``vndata_ckan`` harvester: provincial portals that run CKAN (Action API v3).

It extends ckanext-harvest's CKANHarvester (package_search paging) with the same source
configuration, network checks and Vietnamese defaults as ``vndata_dcat``. A provincial
portal on this suite already speaks the Vietnamese schema; a plain CKAN gets the
source's defaults for what it lacks.
"""

from __future__ import annotations

from typing import Any

from ckanext.harvest.harvesters.ckanharvester import CKANHarvester, ContentFetchError

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import network
from ckanext.vndata.harvester.harvester import apply_source_config

# Keys of the remote dict that only make sense on the remote portal.
REMOTE_ONLY = ("organization", "relationships_as_object", "relationships_as_subject")


class VndataCKANHarvester(CKANHarvester):
    def info(self) -> dict[str, str]:
        return {
            "name": "vndata_ckan",
            "title": "CKAN API (Việt Nam)",
            "description": "Thu thập từ cổng dữ liệu tỉnh, bộ chạy CKAN (API v3).",
        }

    def validate_config(self, config: str | None) -> str | None:
        try:
            source_config.parse(config)
        except source_config.ConfigError as error:
            raise ValueError(str(error))
        return config  # ckanext-harvest stores what this returns

    def _set_config(self, config_str: str | None) -> None:
        # CKANHarvester's own options (remote_orgs, default_tags ...) stay at defaults;
        # organizations are chosen by the source's publisher rules instead.
        self.config = {}
        self._vndata_config = source_config.parse(config_str)

    def _get_content(self, url: str) -> str:
        """Every API call is checked first (CKANHarvester reports this error)."""
        try:
            network.check_url(url)
        except network.UnsafeTarget as error:
            raise ContentFetchError(str(error)) from None
        return super()._get_content(url)

    def modify_package_dict(
        self, package_dict: dict[str, Any], harvest_object
    ) -> dict[str, Any]:
        config = source_config.parse(harvest_object.source.config)
        for key in REMOTE_ONLY:
            package_dict.pop(key, None)
        return apply_source_config(package_dict, config, harvest_object.source)
