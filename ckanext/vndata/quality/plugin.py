from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.quality import conformance_job
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
class VndataQualityPlugin(VndataTranslation, p.SingletonPlugin):
    """Plugin ``vndata_quality``: each dataset's MQA score, link checking, and the
    scores of organizations, harvest sources, provinces, ministries and the nation."""

    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config) -> None:
        tk.add_template_directory(config, "templates")

    # IPackageController (shacl): DCAT-AP conformance is judged by a background job,
    # never in the request or the harvest import that wrote the dataset.

    def after_dataset_create(self, context, pkg_dict) -> None:
        self._judge_conformance_later(pkg_dict)

    def after_dataset_update(self, context, pkg_dict) -> None:
        self._judge_conformance_later(pkg_dict)

    def _judge_conformance_later(self, pkg_dict) -> None:
        if pkg_dict.get("type", "dataset") == "dataset" and pkg_dict.get("id"):
            conformance_job.vndata_quality_conformance_enqueue([pkg_dict["id"]])
