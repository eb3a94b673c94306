"""The field visit of a case (verifikasi lapangan): the team, the scores on the assessment sheet
(lembar penilaian kesesuaian) and their recap, which the berita acara of the visit prints.

Pure: the sheet comes from the service's checklist (``ServiceChecklist.field_visit``), the scores
from the team; nothing here reads files or the database. User input is checked by
``validate_scores``, ``read_score_file`` and ``parse_team``, which return Indonesian reasons instead
of raising.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from checklists.model import FieldVisitSheet, SheetItem

MEMENUHI = "MEMENUHI"
BELUM_MEMENUHI = "BELUM MEMENUHI"


@dataclass(frozen=True)
class VisitTeamMember:
    nama: str
    jabatan: str


@dataclass(frozen=True)
class FieldVisit:
    application_id: int
    visited_on: date
    team: tuple[VisitTeamMember, ...]
    scores: dict[str, int] = field(default_factory=dict)  # item code -> score
    notes: dict[str, str] = field(default_factory=dict)  # item code -> the team's remark


@dataclass(frozen=True)
class GroupRecap:
    group: str
    title: str
    total: int
    maximum: int


@dataclass(frozen=True)
class Recap:
    total: int
    maximum: int
    percentage: float  # one decimal, rounded down
    pass_mark: float
    passed: bool
    unscored: tuple[str, ...]
    by_group: tuple[GroupRecap, ...]

    @property
    def final(self) -> bool:
        """Every item has a score. An unscored item counts 0, so a recap that is not final and
        already passes cannot fail any more; one that does not pass yet may still."""
        return not self.unscored

    @property
    def conclusion(self) -> str:
        return MEMENUHI if self.passed else BELUM_MEMENUHI

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "maximum": self.maximum,
            "percentage": self.percentage,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "conclusion": self.conclusion,
            "final": self.final,
            "unscored": list(self.unscored),
            "by_group": [
                {"group": g.group, "title": g.title, "total": g.total, "maximum": g.maximum} for g in self.by_group
            ],
        }


@dataclass(frozen=True)
class SheetLine:
    """One item as the filled-in sheet prints it: ``score`` is None when the team gave none."""

    group: str
    code: str
    text: str
    max: int
    score: int | None
    note: str


def recap(sheet: FieldVisitSheet, scores: Mapping[str, int]) -> Recap:
    """Totals per group and over the whole sheet. Scores of codes not on the sheet are ignored
    (``validate_scores`` reports them before anything is stored)."""
    by_group = tuple(
        GroupRecap(
            group=g.group,
            title=g.title,
            total=sum(scores.get(item.code, 0) for item in g.items),
            maximum=sum(item.max for item in g.items),
        )
        for g in sheet.sheet
    )
    total = sum(g.total for g in by_group)
    maximum = sum(g.maximum for g in by_group)
    exact = Decimal(total * 100) / Decimal(maximum)
    return Recap(
        total=total,
        maximum=maximum,
        # Rounded down, so that the printed percentage reaches the pass mark only when the score does.
        percentage=float(exact.quantize(Decimal("0.1"), rounding=ROUND_DOWN)),
        pass_mark=sheet.pass_mark,
        passed=exact >= Decimal(str(sheet.pass_mark)),
        unscored=tuple(item.code for item in sheet.items if item.code not in scores),
        by_group=by_group,
    )


def validate_scores(
    sheet: FieldVisitSheet, scores: Mapping[str, object], notes: Mapping[str, object] | None = None
) -> list[str]:
    """Why these scores (and notes) cannot be recorded; empty when they can."""
    items = {item.code: item for item in sheet.items}
    reasons: list[str] = []
    for code, value in scores.items():
        item = items.get(str(code))
        if item is None:
            reasons.append(f"butir {code} tidak ada pada lembar penilaian")
        elif not _is_score(value, item):
            reasons.append(f"skor butir {code} harus bilangan bulat 0 sampai {item.max}, bukan {value!r}")
    for code, note in (notes or {}).items():
        if str(code) not in items:
            reasons.append(f"catatan untuk butir {code}, yang tidak ada pada lembar penilaian")
        elif not isinstance(note, str):
            reasons.append(f"catatan butir {code} harus berupa teks")
    return reasons


def _is_score(value: object, item: SheetItem) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= item.max


def read_score_file(
    sheet: FieldVisitSheet, data: object
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Scores and notes from a score file (YAML already parsed): each item code maps to a score,
    or to ``{skor: ..., catatan: ...}`` (either may be left out). With any reason, nothing is
    returned but the reasons."""
    if not isinstance(data, Mapping):
        return {}, {}, ["berkas skor harus berisi pasangan kode butir dan skor (mis. A1: 2)"]
    scores: dict[str, object] = {}
    notes: dict[str, object] = {}
    reasons: list[str] = []
    for key, value in data.items():
        code = str(key)
        if isinstance(value, Mapping):
            unknown = sorted(str(k) for k in value if k not in ("skor", "catatan"))
            if unknown:
                reasons.append(f"butir {code}: kunci {', '.join(unknown)} tidak dikenal (pakai skor dan catatan)")
            if "skor" in value:
                scores[code] = value["skor"]
            if "catatan" in value:
                notes[code] = value["catatan"]
        else:
            scores[code] = value
    reasons += validate_scores(sheet, scores, notes)
    if reasons:
        return {}, {}, reasons
    return (
        {code: value for code, value in scores.items() if isinstance(value, int)},
        {code: note.strip() for code, note in notes.items() if isinstance(note, str) and note.strip()},
        [],
    )


def parse_team(entries: Sequence[str]) -> tuple[tuple[VisitTeamMember, ...], list[str]]:
    """Team members written "Nama|Jabatan"; the reasons name the entries that are not."""
    team: list[VisitTeamMember] = []
    reasons: list[str] = []
    for entry in entries:
        nama, bar, jabatan = (part.strip() for part in entry.partition("|"))
        if not (bar and nama and jabatan) or "|" in jabatan:
            reasons.append(f"anggota tim {entry!r} harus ditulis \"Nama|Jabatan\"")
            continue
        team.append(VisitTeamMember(nama=nama, jabatan=jabatan))
    if not entries:
        reasons.append("tim visitasi harus berisi sedikitnya satu orang")
    return tuple(team), reasons


def sheet_lines(sheet: FieldVisitSheet, visit: FieldVisit) -> list[SheetLine]:
    """The filled-in sheet, item by item in the sheet's order."""
    return [
        SheetLine(
            group=group.group,
            code=item.code,
            text=item.text,
            max=item.max,
            score=visit.scores.get(item.code),
            note=visit.notes.get(item.code, ""),
        )
        for group in sheet.sheet
        for item in group.items
    ]
