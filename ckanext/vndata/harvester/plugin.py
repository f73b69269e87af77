from __future__ import annotations

import os

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATRDFHarvester

from ckanext.vndata.harvester import (
    cli,
    deferred_index,
    helpers,
    labels,
    language,
    schedule,
    secrets,
    views,
)
from ckanext.vndata.harvester.ckan_api import VndataCKANHarvester
from ckanext.vndata.harvester.dcat_rdf import VndataDCATRDFHarvester
from ckanext.vndata.harvester.json_api import VndataJSONHarvester
from ckanext.vndata.harvester.logic import action, auth
from ckanext.vndata.translation import VndataTranslation


@tk.blanket.config_declarations
@tk.blanket.actions(action.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.cli(cli.get_commands)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
class VndataHarvesterPlugin(VndataTranslation, VndataDCATRDFHarvester):
    """Plugin ``vndata_harvester``: harvester type ``vndata_dcat`` (IHarvester,
    inherited from DCATRDFHarvester), and the reports, overview page and CLI of both
    Vietnamese harvesters."""

    p.implements(p.ITranslation)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IMiddleware: not a middleware; harvest stages outside a request borrow this
    # app's request context for the portal's language (language.py).

    def make_middleware(self, app, config):
        language.remember_app(app)
        return app

    # IConfigurer

    def update_config(self, config) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "vndata_harvester")

    # IConfigurable

    def configure(self, config) -> None:
        deferred_index.vndata_install_deferring_index()  # harvest imports batch it
        # CKAN 2.11 gives templates of plugins listed earlier precedence, and `harvest`
        # is listed before us: our templates that refine ckanext-harvest's
        # (source/admin_base.html) must be searched first.
        ours = os.path.join(os.path.dirname(__file__), "templates")
        paths = config["computed_template_paths"]
        if ours in paths:
            paths.remove(ours)
            paths.insert(0, ours)

    # IPackageController: a harvest source's secrets and schedule live apart
    # (secrets.py, schedule.py).

    def after_dataset_create(self, context, pkg_dict):
        secrets.save(context, pkg_dict)
        schedule.save(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        secrets.save(context, pkg_dict)
        schedule.save(context, pkg_dict)

    def after_dataset_show(self, context, pkg_dict):
        secrets.show(context, pkg_dict)
        schedule.show(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return labels.label_facets(secrets.search(search_results))

    def before_dataset_index(self, pkg_dict):
        return schedule.index(secrets.index(pkg_dict))

    # IFacets: ckanext-harvest names its source facets in English, untranslatable.

    def dataset_facets(self, facets_dict, package_type):
        if package_type == "harvest":
            for key, title in (
                ("frequency", tk._("Update frequency")),
                ("source_type", tk._("Source type")),
            ):
                if key in facets_dict:
                    facets_dict[key] = title
        return facets_dict


class VndataCkanHarvesterPlugin(VndataTranslation, VndataCKANHarvester):
    """Harvester type ``vndata_ckan``; its config options and reports come with
    vndata_harvester, which a portal enables alongside."""

    p.implements(p.ITranslation)


class VndataJsonHarvesterPlugin(VndataTranslation, VndataJSONHarvester):
    """Harvester type ``vndata_json`` (JSON APIs described in the source's config);
    its config options and reports come with vndata_harvester, as for vndata_ckan."""

    p.implements(p.ITranslation)


class VndataFormerHarvesterName(p.SingletonPlugin):
    """``vndata_dcat_harvester``, the former name of vndata_harvester.

    An ini that still lists it would otherwise fail with CKAN's bare "plugin not
    found", or, worse, run without the harvester's migrations: it stops the start
    with the new name and the upgrade command.
    """

    def __init__(self, *args, **kwargs):
        raise VndataPluginRenamed(
            "The plugin vndata_dcat_harvester is now called vndata_harvester: "
            "replace it in ckan.plugins, then run "
            "`ckan db upgrade -p vndata_harvester` (see CHANGELOG.md, Upgrading)."
        )


class VndataPluginRenamed(RuntimeError):
    """A plugin listed under a name it no longer has."""
