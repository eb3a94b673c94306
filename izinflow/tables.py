"""Readable tables for a terminal (the `--json` output is the contract; this is for people)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from checklists.calendar import MissingCalendarYear, load_calendar
from checklists.deadlines import CaseEvent, compute_deadline
from checklists.load import load_office, load_service
from izinflow.domain import Decision, Manifest, RequirementStatus
from izinflow.report import CheckReport
from renderers.dates import format_tanggal

_STYLE = {"complete": "green", "incomplete": "red", "review": "yellow", "unreadable": "magenta"}


def decisions_table(reports: Sequence[CheckReport], *, details: bool, console: Console | None = None) -> None:
    console = console or Console(width=None if os.isatty(1) else 160)
    table = Table(title="Keputusan verifikasi berkas", show_lines=details)
    for column in ("berkas", "nomor", "layanan", "keputusan", "persyaratan bermasalah", "tenggat", "dokumen keluaran"):
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
            due_text(m, r.decision) if m else "-",
            "\n".join(_shown(o) for o in r.outputs) or "-",
        )
    console.print(table)


def _shown(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def due_text(manifest: Manifest, decision: Decision | str) -> str:
    """When the office must finish: the clock runs from a complete bundle (its submission), stops
    while a bundle is back with the applicant, and waits for a person's check after ``review``."""
    if decision == Decision.incomplete:
        return "berhenti: berkas dikembalikan"
    if decision != Decision.complete:
        return "mulai setelah berkas dinyatakan lengkap"
    service = load_service(manifest.office, manifest.service)
    try:
        deadline = compute_deadline(
            service.sla, [(str(s.stage), s.days) for s in service.stages],
            [CaseEvent("lengkap", manifest.submitted_at)], now=manifest.submitted_at,
            calendar=load_calendar(manifest.office), tz=ZoneInfo(load_office(manifest.office).timezone),
        )
    except MissingCalendarYear:
        return "-"
    if deadline.due_at is not None:
        return deadline.due_at.strftime("%d-%m-%Y %H:%M")
    return format_tanggal(deadline.due_date) if deadline.due_date else "-"
