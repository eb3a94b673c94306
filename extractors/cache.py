"""OCR result cache: page reads keyed by the sha256 of the page's content.

A record is a small JSON-able dict; what goes in it is decided by ``extractors.reading``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

OcrRecord = dict[str, Any]

_KEY = re.compile(r"^[0-9a-f]{16,128}$")


class OcrCache(Protocol):
    def get(self, key: str) -> OcrRecord | None: ...

    def put(self, key: str, record: OcrRecord) -> None: ...


class MemoryOcrCache:
    """An in-process cache (tests, one-off runs)."""

    def __init__(self) -> None:
        self.records: dict[str, OcrRecord] = {}

    def get(self, key: str) -> OcrRecord | None:
        record = self.records.get(key)
        return dict(record) if record is not None else None

    def put(self, key: str, record: OcrRecord) -> None:
        self.records[key] = json.loads(json.dumps(record))


class DirectoryOcrCache:
    """One JSON file per key under ``root/<first two hex digits>/``, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"kunci cache tidak sah: {key!r}")
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> OcrRecord | None:
        try:
            text = self._path(key).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            return None
        return record if isinstance(record, dict) else None

    def put(self, key: str, record: OcrRecord) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(record, ensure_ascii=False, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
