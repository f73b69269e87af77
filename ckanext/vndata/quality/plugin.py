from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.quality import cli, link_status
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
class VndataQualityPlugin(VndataTranslation, p.SingletonPlugin):
    """Plugin ``vndata_quality``: each dataset's MQA score, link checking, and the
    scores of organizations, harvest sources, provinces, ministries and the nation."""

    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)

    # IConfigurer

    def update_config(self, config) -> None:
        tk.add_template_directory(config, "templates")

    # ITemplateHelpers (links: the resource page's link check)

    def get_helpers(self) -> dict:
        return {**link_status.get_helpers()}
