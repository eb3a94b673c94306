"""Running numbers kept in a counter table: one atomic upsert per number, so a number is never
given twice and, taken inside the transaction that uses it, never skipped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def next_value(s: Session, table: Table, key: Mapping[str, Any]) -> int:
    """Increment the counter row ``key`` of ``table`` (its ``last_value``) and return the new value.

    An upsert with RETURNING, one statement: on PostgreSQL it keeps the counter row locked (as
    SELECT ... FOR UPDATE would) until the transaction ends, so a rolled-back transaction gives its
    number back; on SQLite the ``BEGIN IMMEDIATE`` of ``store.db`` already serialises writers.
    """
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        insert = postgresql.insert(table)
    elif dialect == "sqlite":
        insert = sqlite.insert(table)
    else:
        raise ValueError(f"izinflow's store supports SQLite and PostgreSQL, not {dialect}")
    statement = (
        insert.values(**key, last_value=1)
        .on_conflict_do_update(
            index_elements=[table.c[name] for name in key],
            set_={"last_value": table.c.last_value + 1},
        )
        .returning(table.c.last_value)
    )
    return int(s.execute(statement).scalar_one())
