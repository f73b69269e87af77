"""The alembic environment every vndata plugin's migrations share.

Each plugin keeps its own version table and looks only at its own tables (named after
the plugin), so its migrations never touch core's or another plugin's.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata


def run(plugin: str) -> None:
    """Run the migrations of ``plugin`` (called from its migration/<plugin>/env.py)."""
    config = context.config
    fileConfig(config.config_file_name)
    version_table = f"{plugin}_alembic_version"

    def include_object(obj, name, type_, reflected, compare_to):
        """Autogenerate looks at this plugin's tables only."""
        return type_ != "table" or name.startswith(plugin)

    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            version_table=version_table,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
