"""Shared fixtures: a private workspace per test session, generated bundles made once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


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
