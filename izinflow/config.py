"""Where izinflow keeps its files and which database it uses (environment, with embedded defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None
    ocr_workers: int
    review_confidence: float

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"


def load_settings() -> Settings:
    home = Path(os.environ.get("IZINFLOW_HOME", "var")).resolve()
    return Settings(
        home=home,
        database_url=os.environ.get("IZINFLOW_DATABASE_URL") or None,
        ocr_workers=int(os.environ.get("IZINFLOW_OCR_WORKERS", str(min(2, os.cpu_count() or 1)))),
        review_confidence=float(os.environ.get("IZINFLOW_REVIEW_CONFIDENCE", "0.6")),
    )


def quiet_prefect(*, verbose: bool = False) -> None:
    """Prefect settings for commands that run flows on a temporary server of their own (`check`,
    `intake`, the demo, the bench). Prefect reads its settings at import: call this before.

    That server lives as long as the command and nobody opens its UI; recording every task run
    there is its costliest work (about 30 ms of CPU a task), so it is not done. A served setup
    (`make serve`) records them as usual.
    """
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
