"""Batang's field visit: the assessment sheet as data, the recap, the stored visit and `izinflow visitasi`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from math import ceil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.load import DATA_ROOT, ChecklistError, load_service
from checklists.model import FieldVisitSheet
from checklists.visit import (
    BELUM_MEMENUHI,
    MEMENUHI,
    FieldVisit,
    VisitTeamMember,
    parse_team,
    read_score_file,
    recap,
    sheet_lines,
    validate_scores,
)
from izinflow.domain import Manifest, Pemohon, TempatPraktik
from store import models, repository
from store.db import make_engine, migrate, session_scope

BATANG_FILE = Path("services/batang/sertifikat-standar-fasyankes.yaml")
TEAM = (VisitTeamMember("dr. Rina Wulandari", "Ketua Tim"), VisitTeamMember("Agus Santoso, SKM", "Anggota"))


def batang_sheet() -> FieldVisitSheet:
    sheet = load_service("batang", "sertifikat-standar-fasyankes").field_visit
    assert sheet is not None
    return sheet


def scores_totalling(sheet: FieldVisitSheet, total: int) -> dict[str, int]:
    """A score for every item, adding up to ``total`` (items filled in sheet order)."""
    scores: dict[str, int] = {}
    left = total
    for item in sheet.items:
        scores[item.code] = min(item.max, left)
        left -= scores[item.code]
    assert left == 0
    return scores


def smallest_passing_total(sheet: FieldVisitSheet) -> int:
    return ceil(Fraction(str(sheet.pass_mark)) * sheet.maximum / 100)


# --- the sheet as data -------------------------------------------------------------------------


def test_batang_sheet_is_a_clinic_assessment_with_an_invented_pass_mark() -> None:
    checklist = load_service("batang", "sertifikat-standar-fasyankes")
    sheet = batang_sheet()
    codes = [item.code for item in sheet.items]
    assert 20 <= len(codes) <= 30
    assert len(set(codes)) == len(codes)
    assert [g.group for g in sheet.sheet] == ["A", "B", "C", "D", "E", "F", "G"]
    assert "field_visit.pass_mark" in checklist.demo_fields
    assert 0 < sheet.pass_mark <= 100
    others = [load_service("rokan-hilir", "sip-perekam-medis"), load_service("bontang", "sip-perekam-medis")]
    assert all(c.field_visit is None for c in others)


def _break(root: Path, old: str, new: str) -> int:
    path = root / BATANG_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        - code: A2\n", "        - code: A1\n", "butir A1 didefinisikan dua kali"),
        ("{code: C4, max: 2,", "{code: D4, max: 2,", "butir D4 harus berawalan huruf kelompoknya (C)"),
    ],
    ids=["duplicate", "wrong-group"],
)
def test_a_bad_item_code_names_the_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    shutil.copytree(DATA_ROOT / "offices", tmp_path / "offices")
    shutil.copytree(DATA_ROOT / "services", tmp_path / "services")
    line = _break(tmp_path, old, new)
    with pytest.raises(ChecklistError) as caught:
        load_service("batang", "sertifikat-standar-fasyankes", root=tmp_path)
    assert (caught.value.path, caught.value.line) == (tmp_path / BATANG_FILE, line)
    assert message in caught.value.message
    assert "field_visit.sheet." in caught.value.message


def test_a_missing_pass_mark_is_a_load_error(tmp_path: Path) -> None:
    shutil.copytree(DATA_ROOT / "offices", tmp_path / "offices")
    shutil.copytree(DATA_ROOT / "services", tmp_path / "services")
    _break(tmp_path, "  pass_mark: 75\n", "")
    with pytest.raises(ChecklistError) as caught:
        load_service("batang", "sertifikat-standar-fasyankes", root=tmp_path)
    assert "field_visit.pass_mark" in caught.value.message


# --- recap -------------------------------------------------------------------------------------------


def test_the_smallest_passing_total_passes_and_one_point_less_does_not() -> None:
    sheet = batang_sheet()
    need = smallest_passing_total(sheet)
    at_mark = recap(sheet, scores_totalling(sheet, need))
    below = recap(sheet, scores_totalling(sheet, need - 1))

    assert (at_mark.total, at_mark.maximum) == (need, sheet.maximum)
    assert at_mark.passed and at_mark.conclusion == MEMENUHI
    assert at_mark.percentage >= sheet.pass_mark
    assert not below.passed and below.conclusion == BELUM_MEMENUHI
    assert below.percentage < sheet.pass_mark
    assert at_mark.final and below.final and at_mark.unscored == ()
    assert sum(g.total for g in at_mark.by_group) == need
    assert sum(g.maximum for g in at_mark.by_group) == sheet.maximum
    assert [g.group for g in at_mark.by_group] == [g.group for g in sheet.sheet]


def _small_sheet(pass_mark: float, maxima: list[int]) -> FieldVisitSheet:
    items = [{"code": f"A{i + 1}", "text": f"butir {i + 1}", "max": m} for i, m in enumerate(maxima)]
    return FieldVisitSheet.model_validate(
        {"pass_mark": pass_mark, "sheet": [{"group": "A", "title": "Kelompok A", "items": items}]}
    )


def test_exactly_at_the_mark_passes_and_the_percentage_never_rounds_up_to_it() -> None:
    exact = _small_sheet(75, [2, 2, 2, 2])
    assert recap(exact, {"A1": 2, "A2": 2, "A3": 2, "A4": 0}).percentage == 75.0
    assert recap(exact, {"A1": 2, "A2": 2, "A3": 2, "A4": 0}).passed
    assert not recap(exact, {"A1": 2, "A2": 2, "A3": 1, "A4": 0}).passed

    thirds = _small_sheet(66.7, [1, 1, 1])
    two_of_three = recap(thirds, {"A1": 1, "A2": 1, "A3": 0})
    assert two_of_three.percentage == 66.6
    assert not two_of_three.passed


def test_unscored_items_count_zero_and_make_the_recap_not_final() -> None:
    sheet = batang_sheet()
    last_group = sheet.sheet[-1]
    scores = {item.code: item.max for item in sheet.items if item not in last_group.items}
    result = recap(sheet, scores)
    assert result.unscored == tuple(item.code for item in last_group.items)
    assert not result.final
    assert result.total == sheet.maximum - sum(item.max for item in last_group.items)
    assert result.by_group[-1].total == 0
    assert result.as_dict()["final"] is False
    assert result.as_dict()["unscored"] == list(result.unscored)


def test_sheet_lines_carry_scores_notes_and_blanks_in_sheet_order() -> None:
    sheet = batang_sheet()
    first, second = sheet.items[0], sheet.items[1]
    visit = FieldVisit(1, date(2026, 12, 1), TEAM, {first.code: first.max}, {first.code: "sesuai RTRW"})
    lines = sheet_lines(sheet, visit)
    assert [line.code for line in lines] == [item.code for item in sheet.items]
    assert (lines[0].score, lines[0].note, lines[0].text) == (first.max, "sesuai RTRW", first.text)
    assert (lines[1].code, lines[1].score, lines[1].note) == (second.code, None, "")


# --- user input --------------------------------------------------------------------------------------


def test_validation_gives_a_reason_per_bad_score_and_never_raises() -> None:
    sheet = batang_sheet()
    first = sheet.items[0]
    good = {item.code: item.max for item in sheet.items}
    assert validate_scores(sheet, good) == []
    bad: dict[str, object] = {
        "Z9": 1, first.code: first.max + 1, sheet.items[1].code: -1, sheet.items[2].code: 1.5,
        sheet.items[3].code: "dua", sheet.items[4].code: True, sheet.items[5].code: None,
    }
    reasons = validate_scores(sheet, bad, {"Y1": "catatan"})
    assert len(reasons) == len(bad) + 1
    assert reasons[0] == "butir Z9 tidak ada pada lembar penilaian"
    assert f"skor butir {first.code} harus bilangan bulat 0 sampai {first.max}" in reasons[1]
    assert all(code in " ".join(reasons) for code in [*bad, "Y1"])


def test_score_file_takes_plain_scores_and_scores_with_notes() -> None:
    sheet = batang_sheet()
    a, b, c = sheet.items[:3]
    data = {a.code: a.max, b.code: {"skor": 0, "catatan": " belum ada APAR "}, c.code: {"catatan": "tidak dinilai"}}
    scores, notes, reasons = read_score_file(sheet, data)
    assert reasons == []
    assert scores == {a.code: a.max, b.code: 0}
    assert notes == {b.code: "belum ada APAR", c.code: "tidak dinilai"}

    scores, notes, reasons = read_score_file(sheet, {a.code: {"nilai": 2}, "Q7": 1})
    assert (scores, notes) == ({}, {})
    assert any("nilai" in r for r in reasons) and any("Q7" in r for r in reasons)
    assert read_score_file(sheet, [1, 2])[2] == ["berkas skor harus berisi pasangan kode butir dan skor (mis. A1: 2)"]


def test_team_members_are_written_name_bar_position() -> None:
    team, reasons = parse_team(["dr. Rina Wulandari | Ketua Tim", "Agus Santoso, SKM|Anggota"])
    assert (team, reasons) == (TEAM, [])
    team, reasons = parse_team(["Rina", "|Anggota", "A|B|C"])
    assert team == () and len(reasons) == 3
    assert parse_team([])[1] == ["tim visitasi harus berisi sedikitnya satu orang"]


# --- store -------------------------------------------------------------------------------------------


def register(s: Session, label: str, office: str = "batang") -> repository.ApplicationRecord:
    service, variant, prefix = {
        "batang": ("sertifikat-standar-fasyankes", "klinik", "BTA"),
        "rokan-hilir": ("sip-perekam-medis", "baru", "RHL"),
    }[office]
    form = Manifest(
        office=office,
        service=service,
        variant=variant,
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=timezone(timedelta(hours=7))),
        pemohon=Pemohon(nama="SITI AMINAH", nik="3325015203900002", email="siti@example.org", telepon="0812345678"),
        tempat_praktik=TempatPraktik(nama="Klinik Pratama Sehat Batang", alamat="Jl. Gajah Mada 5, Batang"),
    )
    record, _ = repository.register_application(
        s,
        bundle_sha256=(label.encode().hex() + uuid.uuid4().hex + "0" * 64)[:64],
        manifest=form,
        original_path=f"/var/originals/{label}",
        office_prefix=prefix,
        received_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    )
    return record


def test_a_recorded_visit_comes_back_and_the_newest_counts(session: Session) -> None:
    application = register(session, "visit")
    assert repository.latest_field_visit(session, application.id) is None
    sheet = batang_sheet()
    first = FieldVisit(application.id, date(2026, 12, 1), TEAM, scores_totalling(sheet, 30), {"A1": "sesuai RTRW"})
    second = FieldVisit(application.id, date(2026, 12, 2), TEAM[:1], scores_totalling(sheet, 40), {})

    stored = repository.record_field_visit(session, application.id, first, "petugas:ani")
    assert stored.visit == first and stored.recorded_by == "petugas:ani"
    session.expire_all()
    latest = repository.latest_field_visit(session, application.id)
    assert latest is not None and latest.visit == first and latest.recorded_at.tzinfo is not None

    repository.record_field_visit(session, application.id, second, "petugas:ani")
    latest = repository.latest_field_visit(session, application.id)
    assert latest is not None and latest.visit == second
    assert recap(sheet, latest.visit.scores).total == 40


def test_the_event_holds_ids_and_counts_and_no_names(session: Session) -> None:
    application = register(session, "event")
    visit = FieldVisit(application.id, date(2026, 12, 1), TEAM, {"A1": 2, "A2": 1}, {"A2": "retak di dinding"})
    stored = repository.record_field_visit(session, application.id, visit, "petugas:ani")
    events = [e for e in repository.events_of(session, application.id) if e.kind == "kunjungan_lapangan_dicatat"]
    assert len(events) == 1
    assert events[0].detail == {"field_visit_id": stored.id, "team_size": 2, "scored_items": 2, "noted_items": 1}
    row = session.get(models.FieldVisitRow, stored.id)
    assert row is not None and row.team[0]["nama"] == TEAM[0].nama


def test_a_visit_of_an_unknown_or_other_application_is_refused(session: Session) -> None:
    application = register(session, "other")
    visit = FieldVisit(application.id, date(2026, 12, 1), TEAM, {}, {})
    with pytest.raises(ValueError):
        repository.record_field_visit(session, application.id + 1, visit, "petugas:ani")
    missing = FieldVisit(10**9, date(2026, 12, 1), TEAM, {}, {})
    with pytest.raises(LookupError):
        repository.record_field_visit(session, 10**9, missing, "petugas:ani")


# --- `izinflow visitasi` ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A workspace with one Batang application and one Rokan Hilir application (no field visit)."""
    home = tmp_path_factory.mktemp("visit-home")
    eng = make_engine(f"sqlite:///{home / 'izinflow.db'}")
    migrate(eng)
    with session_scope(eng) as s:
        batang = register(s, "cli-batang").nomor_permohonan
        rokan = register(s, "cli-rokan", office="rokan-hilir").nomor_permohonan
    eng.dispose()
    return home, batang, rokan


def izinflow(home: Path, env_for, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "izinflow.cli", "visitasi", *args],
        env=env_for(home), capture_output=True, text=True, timeout=120,
    )


def test_cli_records_a_visit_and_prints_its_recap_as_json(cli_home, env_for, tmp_path: Path) -> None:
    home, nomor, _ = cli_home
    sheet = batang_sheet()
    need = smallest_passing_total(sheet)
    scores: dict[str, object] = dict(scores_totalling(sheet, need))
    first = sheet.items[0].code
    scores[first] = {"skor": scores[first], "catatan": "sesuai tata ruang"}
    skor = tmp_path / "skor.yaml"
    skor.write_text(yaml.safe_dump(scores, allow_unicode=True), encoding="utf-8")

    team = [arg for m in TEAM for arg in ("--tim", f"{m.nama}|{m.jabatan}")]
    done = izinflow(home, env_for, "catat", nomor, "--tanggal", "2026-12-01", *team, "--skor", str(skor))
    assert done.returncode == 0, done.stderr
    assert MEMENUHI in done.stdout

    shown = izinflow(home, env_for, "rekap", nomor, "--json")
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    assert (result["nomor_permohonan"], result["visited_on"]) == (nomor, "2026-12-01")
    assert (result["total"], result["maximum"], result["pass_mark"]) == (need, sheet.maximum, sheet.pass_mark)
    assert (result["passed"], result["final"], result["conclusion"]) == (True, True, MEMENUHI)
    assert [g["group"] for g in result["by_group"]] == [g.group for g in sheet.sheet]
    assert TEAM[0].nama not in shown.stdout

    table = izinflow(home, env_for, "rekap", nomor)
    assert table.returncode == 0, table.stderr
    assert MEMENUHI in table.stdout and sheet.sheet[0].title in table.stdout

    eng = make_engine(f"sqlite:///{home / 'izinflow.db'}")
    with session_scope(eng) as s:
        application = repository.get_application(s, nomor)
        assert application is not None
        stored = repository.latest_field_visit(s, application.id)
        events = s.execute(select(models.Event.detail).where(models.Event.kind == "kunjungan_lapangan_dicatat"))
        details = [str(d) for d in events.scalars()]
    eng.dispose()
    assert stored is not None and stored.visit.team == TEAM
    assert stored.visit.notes == {first: "sesuai tata ruang"}
    assert details and not any(TEAM[0].nama in d for d in details)


def test_cli_refuses_unknown_numbers_services_without_a_visit_and_bad_scores(
    cli_home, env_for, tmp_path: Path
) -> None:
    home, nomor, rokan = cli_home
    visits_before = _count_visits(home)
    skor = tmp_path / "skor.yaml"
    skor.write_text("A1: 3\nZ9: 1\n", encoding="utf-8")
    args = ["--tanggal", "2026-12-01", "--tim", "Rina|Ketua Tim", "--skor", str(skor)]

    unknown = izinflow(home, env_for, "catat", "BTA-2026-999999", *args)
    assert unknown.returncode == 2 and "nomor permohonan BTA-2026-999999 tidak dikenal" in unknown.stderr

    no_visit = izinflow(home, env_for, "catat", rokan, *args)
    assert no_visit.returncode == 2 and "tidak memiliki kunjungan lapangan" in no_visit.stderr

    bad = izinflow(home, env_for, "catat", nomor, *args)
    assert bad.returncode == 2
    assert "skor butir A1 harus bilangan bulat 0 sampai 2" in bad.stderr and "butir Z9" in bad.stderr

    bad_date = izinflow(home, env_for, "catat", nomor, *args[2:], "--tanggal", "2026-02-30")
    assert bad_date.returncode == 2 and "2026-02-30" in bad_date.stderr

    never = izinflow(home, env_for, "rekap", rokan, "--json")
    assert never.returncode == 2 and never.stdout == ""
    assert _count_visits(home) == visits_before


def _count_visits(home: Path) -> int:
    eng = make_engine(f"sqlite:///{home / 'izinflow.db'}")
    with session_scope(eng) as s:
        count = len(s.execute(select(models.FieldVisitRow.id)).all())
    eng.dispose()
    return count
