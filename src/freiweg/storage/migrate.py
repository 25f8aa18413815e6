"""Schema migrations: bring a database up to the newest Alembic revision."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from freiweg.storage.unit_of_work import Database

MIGRATION_LOCK = 0x66726569  # 'frei'


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at freiweg's migrations and url."""
    config = Config()
    config.set_main_option("script_location", "freiweg.storage:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database, *, revision: str = "heads") -> None:
    """Migrate the database to revision (default: the newest)."""
    config = alembic_config(database.engine.url.render_as_string(hide_password=False))
    with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Several servers may start at once; one migrates while the others wait.
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()


def pending(database: Database) -> bool:
    """True when the database is not at the newest revision."""
    config = alembic_config(database.engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with database.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current != heads
