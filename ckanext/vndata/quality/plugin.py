from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.quality import cli, helpers, views
from ckanext.vndata.quality.logic import action, auth
from ckanext.vndata.translation import VndataTranslation

# rollup: the helpers of the organization page.
_HELPERS = {
    "vndata_quality_group": helpers.vndata_quality_group,
    "vndata_quality_trend_json": helpers.vndata_quality_trend_json,
}


@tk.blanket.config_declarations
@tk.blanket.actions(action)  # rollup: vndata_quality_summary
@tk.blanket.auth_functions(auth)  # rollup
@tk.blanket.helpers(_HELPERS)  # rollup
@tk.blanket.blueprints(views.vndata_quality)  # rollup: the JSON and CSV downloads
@tk.blanket.cli(cli.get_commands)  # rollup: score (links: check-links)
class VndataQualityPlugin(VndataTranslation, p.SingletonPlugin):
    """Plugin ``vndata_quality``: each dataset's MQA score, link checking, and the
    scores of organizations, harvest sources, provinces, ministries and the nation."""

    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config) -> None:
        tk.add_template_directory(config, "templates")
        # rollup: the trend chart; Chart.js itself is shared with vndata_plan's
        # dashboard (lib/assets), whichever plugin registers it first.
        tk.add_resource("assets", "vndata_quality")
        tk.add_resource("../lib/assets", "vndata_chart")
