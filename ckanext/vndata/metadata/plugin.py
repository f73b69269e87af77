from __future__ import annotations

import pathlib
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.vndata.metadata import (
    datastore,
    helpers,
    home,
    search,
    views,
    web_guards,
)
from ckanext.vndata.metadata.logic import (
    action,
    publication,
    validators,
    xloader_action,
)
from ckanext.vndata.translation import VndataTranslation

try:
    from ckanext.xloader.interfaces import IXloader
except ImportError:  # a portal without the DataStore: nothing for xloader to load
    IXloader = None

LICENCES = pathlib.Path(__file__).with_name("licenses.json")


def _template_helpers() -> dict[str, Any]:
    """The vndata_* functions of helpers.py, home.py and search.py, and the core
    helpers helpers.py chains (they keep core's names: render_datetime…)."""
    return {
        name: function
        for module in (helpers, home, search)
        for name, function in vars(module).items()
        if callable(function)
        and (name.startswith("vndata_") or getattr(function, "chained_helper", False))
    }


def _actions() -> dict[str, Any]:
    """action.py's chains, and xloader's (xloader_action.py) when xloader is loaded:
    CKAN refuses a chain around an action that no plugin provides."""
    chains = {name: getattr(action, name) for name in action.__all__}
    if p.plugin_loaded("xloader"):
        chains.update(
            {name: getattr(xloader_action, name) for name in xloader_action.__all__}
        )
    return chains


@tk.blanket.config_declarations
@tk.blanket.actions(_actions)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(_template_helpers)
@tk.blanket.validators(validators)
class VndataMetadataPlugin(VndataTranslation, p.SingletonPlugin):
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IMiddleware, inherit=True)
    if IXloader is not None:  # ckanext-xloader is optional (requirements/)
        p.implements(IXloader, inherit=True)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")  # /vndata/logo.svg for ckan.site_logo
        tk.add_resource("assets", "vndata_metadata")
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = LICENCES.as_uri()

    # IMiddleware: the app is built, no request has been served yet.

    def make_middleware(self, app: Any, config: Any) -> Any:
        web_guards.remember_exemptions(app)
        return app

    # IFacets

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return search.dataset_facets(facets_dict)

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.drop_immense_extras(search.index_sectors(pkg_dict))

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        datastore.submit_new_resources(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        datastore.submit_new_resources(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.rank_accented_queries(search_params)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return search.label_facets(search_results)

    # IPermissionLabels (the gate's defence in depth, see publication.py)

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return publication.VndataPermissionLabels().get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return publication.VndataPermissionLabels().get_user_dataset_labels(user_obj)

    # IXloader (which resources the DataStore loads, see datastore.py)

    def can_upload(self, resource_id: str) -> bool:
        return datastore.can_upload(resource_id)

    def after_upload(
        self, context: Any, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]
    ) -> None:
        datastore.after_upload(dataset_dict)
