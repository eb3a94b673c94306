"""Engine, sessions and migrations: the database edge.

Sessions are opened here, at the edge, and passed to the repository functions; nothing holds
a global session.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK_KEY = 0x1F10F10  # any constant shared by every izinflow process
# Alembic keeps its migration context in module globals: one migration per process at a time.
_MIGRATION_THREAD_LOCK = threading.Lock()


def default_database_url() -> str:
    """``IZINFLOW_DATABASE_URL``, else a SQLite file beside the workspace (``IZINFLOW_HOME`` or ./var)."""
    url = os.environ.get("IZINFLOW_DATABASE_URL")
    if url:
        return url
    home = Path(os.environ.get("IZINFLOW_HOME") or "var").resolve()
    return f"sqlite:///{home / 'izinflow.db'}"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: :func:`default_database_url`).

    On SQLite: WAL, a busy timeout, foreign keys on, and every transaction begun with
    ``BEGIN IMMEDIATE`` so concurrent writers wait for each other instead of failing
    half-way through a read-then-write transaction.
    """
    url = url or default_database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)

    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Leave transactions to SQLAlchemy (the "begin" hook below) instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config() -> Config:
    """The Alembic configuration, built in code: no ``alembic.ini`` needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database of ``engine`` up to ``revision`` (default: the newest); safe to call
    from several threads and processes at once (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory
    lock)."""
    config = alembic_config()
    with _MIGRATION_THREAD_LOCK, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting together must not both create the schema.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
