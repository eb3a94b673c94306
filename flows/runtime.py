"""The shell's shared resources: settings, the database engine and the workspace, one per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings
from sqlalchemy import Engine

from extractors.cache import DirectoryOcrCache
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


def ocr_cache() -> DirectoryOcrCache:
    return DirectoryOcrCache(settings().home / "cache" / "ocr")


@contextmanager
def embedded_prefect() -> Iterator[None]:
    """Settings for runs on the embedded, temporary Prefect server (`izinflow check`, the demo).

    There the process that runs a flow is the server too, so a flow-run heartbeat (what lets a
    served setup mark the runs of a dead worker crashed) watches nothing, and its thread costs a
    second at the end of every run. It is turned off there and kept when a server is configured.
    """
    if get_current_settings().api.url:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
