"""Shared fixtures: a private workspace per test session, generated bundles made once, the store's databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from store.db import make_engine, migrate


@pytest.fixture(scope="session")
def workspace_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("izinflow-home")
    return home


@pytest.fixture(scope="session")
def sample_bundles(tmp_path_factory: pytest.TempPathFactory) -> list:
    from izinflow.samples import generate_samples

    return generate_samples(tmp_path_factory.mktemp("samples"), 4, seed=101, zip_share=0.5)


@pytest.fixture(scope="session")
def bad_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from izinflow.samples import generate_bad_inputs

    return generate_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def env_for():
    """A function giving the environment of an `izinflow` process with its own workspace."""
    return isolated_env


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["IZINFLOW_HOME"] = str(home)
    env.pop("IZINFLOW_DATABASE_URL", None)
    env["PREFECT_HOME"] = str(home / "prefect")
    env["PREFECT_LOGGING_LEVEL"] = "WARNING"
    return env


# --- the store's databases, for every test module that stores (SQLite always, PostgreSQL when it answers)

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_answers() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return False
    return True


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database migrated to head: a fresh SQLite file, or a fresh schema on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'izinflow.db'}")
        migrate(eng)
        yield eng
        eng.dispose()
        return

    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    schema = f"izinflow_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    eng = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, pool_size=10)
    try:
        migrate(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back when the test ends."""
    connection = engine.connect()
    transaction = connection.begin()
    s = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield s
    finally:
        s.close()
        transaction.rollback()
        connection.close()
