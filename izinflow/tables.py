"""Readable tables for a terminal (the `--json` output is the contract; this is for people)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from izinflow.domain import RequirementStatus
from izinflow.report import CheckReport

_STYLE = {"complete": "green", "incomplete": "red", "review": "yellow", "unreadable": "magenta"}


def decisions_table(reports: Sequence[CheckReport], *, details: bool, console: Console | None = None) -> None:
    console = console or Console(width=None if os.isatty(1) else 160)
    table = Table(title="Keputusan verifikasi berkas", show_lines=details)
    for column in ("berkas", "nomor", "layanan", "keputusan", "persyaratan bermasalah", "dokumen keluaran"):
        table.add_column(column, overflow="fold")
    for r in reports:
        m = r.manifest
        problems = [
            f"{q.code}: {q.status}" + (f" ({'; '.join(q.reasons)})" if details and q.reasons else "")
            for q in (r.verdict.requirements if r.verdict else ())
            if q.status not in (RequirementStatus.met, RequirementStatus.not_required)
        ]
        if not r.verdict and r.reasons:
            problems = list(r.reasons)
        decision = str(r.decision)
        table.add_row(
            Path(r.bundle).name,
            r.nomor_permohonan or "-",
            f"{m.office}/{m.variant}" if m else "-",
            f"[{_STYLE.get(decision, 'white')}]{decision}[/]",
            "\n".join(problems) or "-",
            "\n".join(_shown(o) for o in r.outputs) or "-",
        )
    console.print(table)


def _shown(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path
