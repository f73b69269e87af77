"""Who may read metadata quality: a dataset's, whoever may read the dataset; a group
of datasets', anyone (only public datasets count)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

__all__ = ["vndata_quality_show", "vndata_quality_summary"]


@tk.auth_allow_anonymous_access
def vndata_quality_show(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, data_dict)


@tk.auth_allow_anonymous_access
def vndata_quality_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
