from __future__ import annotations

import pathlib
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import helpers, search
from ckanext.vndata.metadata.logic import validators
from ckanext.vndata.translation import VndataTranslation

LICENCES = pathlib.Path(__file__).with_name("licenses.json")


@tk.blanket.config_declarations
@tk.blanket.helpers(helpers)
@tk.blanket.validators(validators)
class VndataMetadataPlugin(VndataTranslation, p.SingletonPlugin):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")  # /vndata/logo.svg for ckan.site_logo
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = LICENCES.as_uri()

    # IFacets

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return search.dataset_facets(facets_dict)

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_sectors(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.rank_accented_queries(search_params)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facets(search_results)
