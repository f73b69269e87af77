"""Who may read the quality of a group of datasets: anyone (only public datasets
count)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["vndata_quality_summary"]


@tk.auth_allow_anonymous_access
def vndata_quality_summary(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
