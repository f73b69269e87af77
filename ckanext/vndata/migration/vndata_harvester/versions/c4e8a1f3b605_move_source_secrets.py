"""Move harvest sources' secrets (auth_header) out of their public config.

A source's config is public: the harvest_source row, the source dataset's ``config``
extra and the activities of the source all show it. Its secrets now live in their own
table (harvester/secrets.py); this moves the ones already stored there and removes
them from the activities. The downgrade puts them back into the config (the
activities stay without them: they were history, not settings).

After upgrading, rebuild the search index of the sources (``ckan search-index
rebuild``) so that Solr's copy loses them too; until then the read paths strip them.

Revision ID: c4e8a1f3b605
Revises: 9b1f4c6e2d75
Create Date: 2026-11-29
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "c4e8a1f3b605"
down_revision = "9b1f4c6e2d75"
branch_labels = None
depends_on = None

TABLE = "vndata_dcat_harvester_source_secret"
# The secret keys when this migration was written (config.SECRET_KEYS may grow).
SECRET_KEYS = ("auth_header",)


def _loads(raw):
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _split(raw):
    """(config text without secrets, {key: secret}), or (raw, {}) if none."""
    loaded = _loads(raw)
    if not loaded or not any(key in loaded for key in SECRET_KEYS):
        return raw, {}
    found = {key: loaded.pop(key) for key in SECRET_KEYS if key in loaded}
    kept = json.dumps(loaded, ensure_ascii=False) if loaded else ""
    return kept, {k: v for k, v in found.items() if isinstance(v, str) and v}


def _merge(raw, secrets):
    loaded = _loads(raw) or {}
    return json.dumps({**loaded, **secrets}, ensure_ascii=False)


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("source_id", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    bind = op.get_bind()
    sources = bind.execute(sa.text("SELECT id, config FROM harvest_source")).all()
    for source_id, raw in sources:
        kept, found = _split(raw)
        if kept == raw:
            continue
        for key, value in found.items():
            bind.execute(
                sa.text(f"INSERT INTO {TABLE} VALUES (:id, :key, :value)"),
                {"id": source_id, "key": key, "value": value},
            )
        bind.execute(
            sa.text("UPDATE harvest_source SET config = :config WHERE id = :id"),
            {"config": kept, "id": source_id},
        )
        _update_extra(bind, source_id, lambda value: _split(value)[0])
        _scrub_activities(bind, source_id)


def downgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT source_id, key, value FROM {TABLE}")).all()
    by_source = {}
    for source_id, key, value in rows:
        by_source.setdefault(source_id, {})[key] = value
    for source_id, found in by_source.items():
        raw = bind.execute(
            sa.text("SELECT config FROM harvest_source WHERE id = :id"),
            {"id": source_id},
        ).scalar()
        bind.execute(
            sa.text("UPDATE harvest_source SET config = :config WHERE id = :id"),
            {"config": _merge(raw, found), "id": source_id},
        )
        _update_extra(bind, source_id, lambda value, found=found: _merge(value, found))
    op.drop_table(TABLE)


def _update_extra(bind, source_id, change):
    extras = bind.execute(
        sa.text(
            "SELECT id, value FROM package_extra "
            "WHERE package_id = :id AND key = 'config'"
        ),
        {"id": source_id},
    ).all()
    for extra_id, value in extras:
        bind.execute(
            sa.text("UPDATE package_extra SET value = :value WHERE id = :id"),
            {"value": change(value), "id": extra_id},
        )


def _scrub_activities(bind, source_id):
    """The source's activities each hold a copy of its dataset, config included."""
    if not sa.inspect(bind).has_table("activity"):
        return  # the activity plugin was never enabled
    activities = bind.execute(
        sa.text("SELECT id, data FROM activity WHERE object_id = :id"),
        {"id": source_id},
    ).all()
    for activity_id, data in activities:
        loaded = _loads(data) if isinstance(data, str) else data
        package = (loaded or {}).get("package")
        if not isinstance(package, dict):
            continue
        for key in SECRET_KEYS:
            package.pop(key, None)
        if isinstance(package.get("config"), str):
            package["config"] = _split(package["config"])[0]
        for extra in package.get("extras") or []:
            if isinstance(extra, dict) and extra.get("key") == "config":
                extra["value"] = _split(extra.get("value"))[0]
        bind.execute(
            sa.text("UPDATE activity SET data = :data WHERE id = :id"),
            {"data": json.dumps(loaded, ensure_ascii=False), "id": activity_id},
        )
