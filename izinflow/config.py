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
