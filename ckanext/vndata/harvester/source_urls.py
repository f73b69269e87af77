"""Harvest sources that already harvest an address, compared as addresses.

ckanext-harvest refuses a second source only when its URL AND its config are the same
text, so `https://Data.DaNang.gov.vn:443/catalog.ttl/` with another config makes a
second source of one catalogue, and every record is imported twice. Here addresses
are compared normalised: scheme and host in lower case, the default port and a
trailing slash dropped, the fragment ignored.

Two sources of the same harvester type at one address are refused: they read the
same records the same way, so nothing but duplicates can come of it. A source of
another type (the portal's CKAN API beside its DCAT catalogue, while an operator
moves from one to the other) is allowed once the operator confirms it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import DataDict
from ckanext.harvest.model import HarvestSource

from ckanext.vndata.lib.i18n import N_

DEFAULT_PORTS = {"http": 80, "https": 443}
# The form's tick box "save anyway"; never stored.
CONFIRM_FIELD = "vndata_confirm_duplicate_url"
SAME_TYPE = N_(
    "url: the source {title} ({address}) already harvests this address with the "
    "same harvester type; a second source would import every record twice."
)
OTHER_TYPE = N_(
    "url: the source {title} ({address}) already harvests this address with another "
    'harvester type. To keep both, tick "Save anyway" under the address.'
)


def normalised(url: str) -> str:
    """The address as compared: case, default port and trailing slash aside."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number, an unbalanced bracket
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{host}{parts.path.rstrip('/')}{query}"


def sources_at(
    url: Any, source_type: Any, own_id: Any = None, *, user: str | None
) -> list[dict]:
    """The other active sources harvesting ``url`` that ``user`` may read: name,
    title, type and whether it is of ``source_type``. The others are left out: a
    private source's title and name are not for whoever types its address."""
    if not isinstance(url, str) or not url.strip():
        return []
    wanted = normalised(url)
    rows = (
        model.Session.query(HarvestSource.id, HarvestSource.url, HarvestSource.type)
        .join(model.Package, model.Package.id == HarvestSource.id)
        .filter(HarvestSource.active.is_(True), model.Package.state == "active")
        .all()
    )
    found = []
    for source_id, source_url, kind in rows:
        if source_id == own_id or normalised(source_url or "") != wanted:
            continue
        if not _may_read(user, source_id):
            continue
        package = model.Package.get(source_id)
        found.append(
            {
                "id": source_id,
                "name": package.name,
                "title": package.title or package.name,
                "type": kind,
                "same_type": kind == source_type,
            }
        )
    return found


def _may_read(user: str | None, source_id: str) -> bool:
    try:
        tk.check_access("package_show", {"user": user or ""}, {"id": source_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def check_duplicate(user: str | None, data_dict: DataDict) -> None:
    """Another source at the same address: refused when it is of the same type, a
    warning to confirm (the form's tick box) when not. The caller has checked that
    ``user`` may write sources; ckanext-harvest still refuses an exact copy (same
    address and config) of a source the user may not read."""
    confirmed = data_dict.pop(CONFIRM_FIELD, None) in (True, "on", "true")
    own = model.Package.get(data_dict["id"]) if data_dict.get("id") else None
    messages = []
    for other in sources_at(
        data_dict.get("url"),
        data_dict.get("source_type"),
        own.id if own else None,
        user=user,
    ):
        names = {"title": other["title"], "address": f"/harvest/{other['name']}"}
        if other["same_type"]:
            messages.append(tk._(SAME_TYPE).format(**names))
        elif not confirmed:
            messages.append(tk._(OTHER_TYPE).format(**names))
    if messages:
        raise tk.ValidationError({"url": messages})
