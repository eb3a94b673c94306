"""Reading a batch ahead of its flows: rounds in order, every bundle released, failures harmless."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from flows import read_ahead as ahead


def _fake_reading(monkeypatch: pytest.MonkeyPatch, fail_on: str | None = None) -> list[list[str]]:
    rounds: list[list[str]] = []
    monkeypatch.setattr(ahead, "_files_of", lambda source: [source] if not source.endswith(".txt") else None)

    def reading(bundles: Sequence[Sequence[str]], **_kwargs: object) -> int:
        names = [files[0] for files in bundles]
        rounds.append(names)
        if fail_on in names:
            raise RuntimeError("pool broke")
        return len(names)

    monkeypatch.setattr(ahead, "read_ahead", reading)
    monkeypatch.setattr(ahead.runtime, "ocr_cache", lambda: None)
    return rounds


def test_bundles_are_read_in_rounds_before_their_check(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds = _fake_reading(monkeypatch)
    sources = [f"b{i}" for i in range(6)] + ["bukan-berkas.txt"]
    checked = []
    with ahead.reading_ahead(sources) as wait:
        for source in sources:
            wait(source)
            checked.append((source, [n for r in rounds for n in r]))
    assert rounds == [["b0", "b1", "b2", "b3"], ["b4", "b5"]]  # an unopenable bundle is left to its flow
    for source, read_by_then in checked[:-1]:
        assert source in read_by_then


def test_a_failing_round_releases_its_bundles_and_the_rest_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds = _fake_reading(monkeypatch, fail_on="b1")
    sources = [f"b{i}" for i in range(6)]
    done = threading.Event()

    def run() -> None:
        with ahead.reading_ahead(sources) as wait:
            for source in sources:
                wait(source)
        done.set()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert done.is_set()
    assert rounds == [["b0", "b1", "b2", "b3"], ["b4", "b5"]]


def test_a_single_bundle_is_not_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds = _fake_reading(monkeypatch)
    with ahead.reading_ahead(["b0"]) as wait:
        wait("b0")
    assert rounds == []
