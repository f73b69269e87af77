"""The chained package_show of harvest indexing: each harvested dataset indexed once,
at its first validated show or in batches (harvester/deferred_index.py; a job is
searchable in full before it is marked finished: action.py's harvest_jobs_run)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.vndata.harvester import deferred_index


@tk.chained_action
@tk.side_effect_free
def package_show(up: Action, context: Context, data_dict: DataDict):
    """During a harvest import CKAN's search plugin shows each written dataset (twice
    for a new one) only for the package index, which defers it: no full show for it;
    the first validated show of such a dataset indexes it (deferred_index.py)."""
    shown = deferred_index.vndata_indexer_show(context, data_dict)
    if shown is None:
        deferred_index.index_for_show(context, data_dict)
        return up(context, data_dict)
    tk.check_access("package_show", context, data_dict)  # CKAN's: ignore_auth
    return shown


def get_actions() -> dict:
    return {"package_show": package_show}
