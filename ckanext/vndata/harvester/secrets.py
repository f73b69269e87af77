"""Credentials of harvest sources (config.SECRET_KEYS, e.g. ``auth_header``), stored
apart from the public config.

ckanext-harvest keeps a source's config in three public places: the harvest_source
row, the source dataset's ``config`` extra (and so the search index and every activity)
and the top level of package_show. A login header there is readable by anyone. So a
secret is taken out of the config before ckanext-harvest sees it (``take``, from the
chained create/update actions in logic/action.py), saved in its own table in the same
transaction as the source (``save``, from the after-create/update hooks), shown to
sysadmins only as ``MASK`` (``show``), and put back into the parsed config only where
a harvest needs it (``parsed_config``).

Sent back unchanged, the mask keeps the stored secret; an empty value (or null)
clears it; any other text replaces it; a config without the key keeps it (an
organization editor, who never sees the mask, must not lose the login by saving).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.vndata.harvester import config as source_config
from ckanext.vndata.harvester import login_values

MASK = "********"
# The secret changes of one create/update, from ``take`` to ``save``: {key: value or
# None to clear}. In the action's context, which CKAN hands to the hooks.
_CHANGES = "vndata_harvest_secret_changes"
TOKEN_SECRET = "client_secret"  # sent to the OAuth 2 token endpoint, not the source
SOURCE_TYPE = "harvest"  # ckanext-harvest's dataset type of sources


class SourceSecret(tk.BaseModel):
    __tablename__ = "vndata_harvester_source_secret"

    source_id = sa.Column(sa.Text, primary_key=True)
    key = sa.Column(sa.Text, primary_key=True)
    value = sa.Column(sa.Text, nullable=False)


def stored(source_id: str) -> dict[str, str]:
    """The secrets of a source, by config key."""
    rows = model.Session.query(SourceSecret).filter(SourceSecret.source_id == source_id)
    return {row.key: row.value for row in rows}


def parsed_config(source) -> dict[str, Any]:
    """The source's parsed config with its secrets, as a harvest uses it."""
    return {**source_config.parse(source.config), **stored(source.id)}


def take(context: dict, data_dict: dict) -> None:
    """Move the secrets of a source create/update out of ``data_dict["config"]``.

    Only a config that is a JSON object with text (or null) secrets is changed:
    anything else is left for the config validator to refuse with its message.
    """
    for key in source_config.SECRET_KEYS:
        # The top-level copy package_show makes of each config key is not an input.
        data_dict.pop(key, None)
    raw = data_dict.get("config")
    if not isinstance(raw, str) or len(raw) > source_config.MAX_CHARS:
        return  # config.parse refuses it
    try:
        given = json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting: config.parse says so
        return
    if not isinstance(given, dict):
        return
    changes, taken = {}, False
    for key in sorted(source_config.SECRET_KEYS & set(given)):
        value = given[key]
        if value is not None and login_values.problem(key, value):
            continue  # config.parse names the key and what is wrong with it
        del given[key]
        taken = True
        if value != MASK:
            changes[key] = (value or "").strip() or None
    if taken:
        data_dict["config"] = json.dumps(given, ensure_ascii=False) if given else ""
    context[_CHANGES] = {**context.get(_CHANGES, {}), **changes}


def check_move(context: dict, source: model.Package, url: Any, config: Any) -> None:
    """A source whose address moves to another site keeps no secret silently, and
    neither does an OAuth 2 client whose token endpoint moves (its secret is sent
    there, not to the source).

    The stored login was given for the old site: kept, the next harvest would send
    it to whoever answers at the new address; an editor who never saw the secret
    could name a token endpoint of theirs and receive it. The client secret moves
    with the source too: the token it buys at the old endpoint is sent to the source
    as its bearer login.
    """
    kept = set(stored(source.id)) - set(context.get(_CHANGES, {}))
    moved = set()
    if isinstance(url, str) and _origin(url) != _origin(source.url or ""):
        moved |= kept
    if TOKEN_SECRET in kept and _token_origin(config) != _token_origin(
        source.extras.get("config")
    ):
        moved.add(TOKEN_SECRET)
    if moved:
        raise tk.ValidationError(
            {
                "config": [
                    tk._(
                        "{key}: the source moved to another site; enter the login "
                        'for the new site again, or "" to remove it.'
                    ).format(key=key)
                    for key in sorted(moved)
                ]
            }
        )


def _token_origin(config: Any) -> tuple[str, str] | None:
    """The site of a config's OAuth 2 token endpoint (None without one)."""
    try:
        oauth2 = json.loads(config or "{}").get("oauth2")
    except (ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(oauth2, dict) or not isinstance(oauth2.get("token_url"), str):
        return None
    return _origin(oauth2["token_url"])


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), parts.netloc.lower()


def changes(context: dict) -> dict[str, str | None]:
    """What ``take`` found the input changing: {key: the new secret, None to clear}."""
    return dict(context.get(_CHANGES, {}))


def forget(context: dict) -> None:
    context.pop(_CHANGES, None)


def save(context: dict, pkg_dict: dict) -> None:
    """Store the secret changes ``take`` found, in the action's own transaction."""
    changes = context.pop(_CHANGES, None)
    if not changes or pkg_dict.get("type") != SOURCE_TYPE:
        return
    for key, value in changes.items():
        row = model.Session.get(SourceSecret, (pkg_dict["id"], key))
        if value is None:
            if row is not None:
                model.Session.delete(row)
        elif row is None:
            model.Session.add(
                SourceSecret(source_id=pkg_dict["id"], key=key, value=value)
            )
        else:
            row.value = value
    model.Session.flush()


def purge(source_id: str) -> None:
    model.Session.query(SourceSecret).filter(
        SourceSecret.source_id == source_id
    ).delete()


def show(context: dict, pkg_dict: dict) -> None:
    """No secret in a shown source; a sysadmin sees which are set, masked."""
    if pkg_dict.get("type") != SOURCE_TYPE:
        return
    _strip(pkg_dict)  # an index made before the secrets moved may still hold them
    user = context.get("user")
    if not user or not authz.is_sysadmin(user) or not pkg_dict.get("id"):
        return
    secrets = stored(pkg_dict["id"])
    if not secrets:
        return
    masked = dict.fromkeys(secrets, MASK)
    pkg_dict["config"] = json.dumps(
        {**_loads(pkg_dict.get("config")), **masked}, ensure_ascii=False
    )
    pkg_dict.update(masked)


def search(search_results: dict) -> dict:
    """Results from an index made before the secrets moved lose them too, also
    the raw fields a search may ask for (``fl``, where a result has no type)."""
    for pkg_dict in search_results.get("results") or []:
        if isinstance(pkg_dict, dict) and pkg_dict.get("type", SOURCE_TYPE) == (
            SOURCE_TYPE
        ):
            _strip_indexed(pkg_dict)
    return search_results


def index(pkg_dict: dict) -> dict:
    """What Solr keeps of a source has no secret either."""
    if pkg_dict.get("type") == SOURCE_TYPE:
        _strip_indexed(pkg_dict)
    return pkg_dict


def _strip_indexed(pkg_dict: dict) -> None:
    _strip(pkg_dict)
    for field in ("data_dict", "validated_data_dict"):  # the index's whole copies
        if isinstance(pkg_dict.get(field), str):
            kept = _loads(pkg_dict[field])
            if kept:
                _strip(kept)
                pkg_dict[field] = json.dumps(kept)


def _loads(raw: Any) -> dict:
    try:
        loaded = json.loads(raw) if isinstance(raw, str) and raw else {}
    except (ValueError, RecursionError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _strip(pkg_dict: dict) -> None:
    """Remove every secret key from a source dict: top level, config, extras."""
    for key in source_config.SECRET_KEYS:
        pkg_dict.pop(key, None)
    if "config" in pkg_dict:
        pkg_dict["config"] = _without_secrets(pkg_dict["config"])
    for extra in pkg_dict.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == "config":
            extra["value"] = _without_secrets(extra.get("value"))
    if isinstance(pkg_dict.get("extras_config"), str):  # the index's copy
        pkg_dict["extras_config"] = _without_secrets(pkg_dict["extras_config"])


def _without_secrets(raw: Any) -> Any:
    loaded = _loads(raw)
    if not (source_config.SECRET_KEYS & set(loaded)):
        return raw
    kept = {k: v for k, v in loaded.items() if k not in source_config.SECRET_KEYS}
    return json.dumps(kept, ensure_ascii=False) if kept else ""
