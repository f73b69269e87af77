from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.vndata.plan import cli, helpers, subscriptions, views
from ckanext.vndata.plan.logic import auth, validators
from ckanext.vndata.plan.logic.action import get_actions
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
@tk.blanket.actions(get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.validators(validators)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.blueprints(views.get_blueprints)
class VndataPlanPlugin(VndataTranslation, p.SingletonPlugin):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "vndata_plan")
        # Chart.js, shared with vndata_quality (whichever registers it first).
        tk.add_resource("../lib/assets", "vndata_chart")

    # IConfigurable: the plans' "% complete metadata" level, the dashboard's scores and
    # vndata_plan_show read vndata_quality's ratings and tables; without the plugin
    # (and its migration) every plan page would fail on its first request.

    def configure(self, config: Any) -> None:
        if not p.plugin_loaded("vndata_quality"):
            raise VndataPluginMissing(
                "The plugin vndata_plan needs vndata_quality: add vndata_quality to "
                "ckan.plugins (after vndata_dcat), run "
                "`ckan db upgrade -p vndata_quality`, then `ckan vndata_quality score` "
                "once so existing datasets are scored (see README.md, Plans)."
            )

    # IPackageController: an item's status follows its datasets with no manual step.

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        subscriptions.dataset_written(context, pkg_dict, created=True)

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        subscriptions.dataset_written(context, pkg_dict)

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        subscriptions.dataset_deleted(context, pkg_dict)


class VndataPluginMissing(RuntimeError):
    """A plugin listed without another one it needs."""
