"""The shell's shared resources: settings, the database engine and the workspace, one per process."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from izinflow.config import Settings, load_settings
from store.db import make_engine, migrate
from store.inbox import Workspace


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


@lru_cache(maxsize=4)
def engine(url: str | None = None) -> Engine:
    eng = make_engine(url or settings().database_url)
    migrate(eng)
    return eng


@lru_cache(maxsize=1)
def workspace() -> Workspace:
    return Workspace(settings().home)
