"""xloader's actions, chained so that the token it loads data with stays on the server.

ckanext-xloader 2.5.2 puts ``ckanext.xloader.api_token`` (the account xloader acts as,
often a sysadmin) into every job it queues; its worker stores the job in the jobs
database with that token (``db.add_pending_job``), and ``xloader_status``, which any
editor of the dataset may call (``datastore_auth``), returns the stored row whole as
``task_info``. We never patch xloader (README, house style), so:

- ``xloader_status`` answers without any ``api_key``, at any depth (``task_info``, its
  ``sent_data`` and ``metadata``, whatever a later xloader adds);
- ``xloader_hook``, the worker's call back to the portal, erases the stored token of the
  job it reports on. The hook is the one place that learns a job's end and, through the
  resource's xloader task, its job id (IXloader.after_upload knows neither, and runs
  only on success). xloader's own ``db.delete_api_key`` does it: the worker reads the
  token from its queued job, never from the table, so erasing it changes nothing else.

These chains are registered only when the ``xloader`` plugin is loaded (plugin.py):
CKAN refuses a chained action whose original action no plugin provides.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

__all__ = ["xloader_hook", "xloader_status"]

log = logging.getLogger(__name__)

# Keys whose value is a credential, wherever they appear in what xloader returns.
SECRET_KEYS = frozenset({"api_key", "apikey", "api_token"})


def without_secrets(value: Any) -> Any:
    """``value`` with every SECRET_KEYS entry left out, in nested dicts and lists."""
    if isinstance(value, dict):
        return {
            key: without_secrets(item)
            for key, item in value.items()
            if key not in SECRET_KEYS
        }
    if isinstance(value, (list, tuple)):
        return [without_secrets(item) for item in value]
    return value


@tk.chained_action
@tk.side_effect_free
def xloader_status(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """xloader's ``xloader_status`` without the token xloader stored with the job.

    Who may call it and the parameters are xloader's (``resource_id``).
    """
    return without_secrets(next_action(context, data_dict))


@tk.chained_action
def xloader_hook(next_action: Any, context: Context, data_dict: DataDict) -> Any:
    """xloader's ``xloader_hook``; then the job's stored token is erased.

    Who may call it and the parameters are xloader's (``metadata``, ``status``).
    """
    result = next_action(context, data_dict)
    metadata = data_dict.get("metadata")
    resource_id = metadata.get("resource_id") if isinstance(metadata, dict) else None
    job_id = _job_id(resource_id) if isinstance(resource_id, str) else None
    if job_id:
        forget_token(job_id)
    return result


def forget_token(job_id: str) -> None:
    """Erase the token stored with xloader's job ``job_id`` (nothing if no such job:
    the worker's first call back comes before it stores the job)."""
    from ckanext.xloader import db  # xloader is loaded whenever this chain is

    db.init(tk.config)
    db.delete_api_key(job_id)
    log.debug("DataStore: token of xloader job %s erased", job_id)


def _job_id(resource_id: str) -> str | None:
    """The id of the resource's latest xloader job (xloader's task keeps it)."""
    row = (
        model.Session.query(model.TaskStatus.value)
        .filter_by(entity_id=resource_id, task_type="xloader", key="xloader")
        .first()
    )
    try:
        job_id = json.loads(row.value or "{}").get("job_id") if row else None
    except (ValueError, AttributeError):
        return None
    return job_id if isinstance(job_id, str) else None
