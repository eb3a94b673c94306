"""Alembic environment, configured in code by ``store.db.alembic_config``.

``store.db.migrate`` passes an open connection in ``config.attributes["connection"]``; the
``alembic`` command line (with ``-x url=...`` or ``IZINFLOW_DATABASE_URL``) gets its own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from store.db import make_engine
from store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.get_x_argument(as_dictionary=True).get("url"))
    try:
        with engine.begin() as own_connection:
            _run(own_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
