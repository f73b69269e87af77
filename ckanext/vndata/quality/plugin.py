from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.quality import (
    cli,
    conformance_job,
    dataset_score,
    helpers,
    link_status,
    search,
    views,
)
from ckanext.vndata.quality.logic import action, auth
from ckanext.vndata.translation import VndataTranslation

# The template helpers of the dataset, search, resource and organization pages.
_HELPERS = {
    "vndata_quality_link_status": link_status.vndata_quality_link_status,
    "vndata_quality_of": helpers.vndata_quality_of,
    "vndata_quality_bar_width": helpers.vndata_quality_bar_width,
    "vndata_quality_rating_label": search.vndata_quality_rating_label,
    "vndata_quality_facet_items": search.vndata_quality_facet_items,
    "vndata_quality_badge": search.vndata_quality_badge,
    "vndata_quality_group": helpers.vndata_quality_group,
    "vndata_quality_trend_json": helpers.vndata_quality_trend_json,
}


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(_HELPERS)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.blueprints(views.vndata_quality)  # the summaries' JSON and CSV
class VndataQualityPlugin(VndataTranslation, p.SingletonPlugin):
    """Plugin ``vndata_quality``: each dataset's MQA score, link checking, and the
    scores of organizations, harvest sources, provinces, ministries and the nation."""

    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer

    def update_config(self, config) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "vndata_quality")
        # Chart.js (the organization's trend) is shared with vndata_plan's dashboard
        # (lib/assets), whichever plugin registers it first.
        tk.add_resource("../lib/assets", "vndata_chart")

    # IPackageController: each write stores the dataset's score from the validated
    # dict CKAN passes (resources with their ids), before the write's commit indexes
    # it; no network, no SHACL. Its DCAT-AP conformance is judged by a background
    # job, never in the request or the harvest import that wrote the dataset.

    # Only datasets are scored: a harvest source is a package too (type "harvest").

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dataset_score.vndata_quality_scored_type(pkg_dict):
            dataset_score.vndata_quality_store(pkg_dict)
            conformance_job.vndata_quality_judge_later(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dataset_score.vndata_quality_scored_type(pkg_dict):
            dataset_score.vndata_quality_store(pkg_dict)
            conformance_job.vndata_quality_judge_later(pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        # The caller's data_dict: the web UI deletes by name ({"id": <name>}).
        dataset_score.vndata_quality_forget_deleted(pkg_dict.get("id"))

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_score(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facets(search_results)

    # IFacets

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return search.dataset_facets(facets_dict)
