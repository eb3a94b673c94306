"""The deadline clock on the real calendar: holidays, cuti bersama, office hours, returns, overdue.

Expected dates are worked out by hand from the 2026 calendar (SKB 1497/2025 and the `holidays`
library): the Lebaran break runs Wed 18 March (cuti bersama Nyepi), Thu 19 (Nyepi), Fri 20 (cuti
bersama), Sat-Sun 21-22 (Idul Fitri), Mon-Tue 23-24 (cuti bersama); work resumes Wed 25 March.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from checklists.calendar import CALENDAR_ROOT, MissingCalendarYear, WorkCalendar, load_calendar
from checklists.deadlines import CaseEvent, Deadline, Sla, compute_deadline
from checklists.load import ChecklistError

WIB = ZoneInfo("Asia/Jakarta")  # Rokan Hilir, Batang
WITA = ZoneInfo("Asia/Makassar")  # Bontang

ROKAN_HILIR = Sla(4, "hari_kerja")
ROKAN_HILIR_STAGES = [("pemeriksaan_berkas", 1), ("persetujuan", 1), ("penomoran", 1), ("penandatanganan", 1)]
BONTANG = Sla(7, "hari_kerja")
BATANG = Sla(14, "hari")
BATANG_STAGES = [("pemeriksaan_berkas", 2), ("verifikasi_teknis", 7), ("rekomendasi", 3), ("persetujuan", 2)]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar()


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, tz: ZoneInfo = WIB) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def clock(cal: WorkCalendar, sla: Sla, events: list[CaseEvent], now: datetime, *, tz: ZoneInfo = WIB,
          stages: list[tuple[str, int]] | None = None) -> Deadline:
    return compute_deadline(sla, stages or [], events, now, cal, tz)


def lengkap(when: datetime) -> list[CaseEvent]:
    return [CaseEvent("lengkap", when)]


# --- the calendar ------------------------------------------------------------------------------


def test_the_lebaran_break_2026_is_closed_with_a_reason_for_each_day(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2026, 3, 17))
    assert cal.is_working_day(date(2026, 3, 25))
    reasons = {d: cal.day_off_reason(date(2026, 3, d)) for d in range(18, 25)}
    assert all(reasons.values()), reasons
    for d in (18, 20, 23, 24):
        assert reasons[d] is not None and reasons[d].startswith("cuti bersama"), reasons[d]
    assert "Nyepi" in str(reasons[19])
    assert "Idul Fitri" in str(reasons[21]) and "Idul Fitri" in str(reasons[22])
    assert cal.day_off_reason(date(2026, 11, 7)) == "Sabtu"
    assert cal.day_off_reason(date(2026, 11, 8)) == "Minggu"
    # Tue 17 March + 4 working days: 25, 26, 27 March, then Mon 30 March.
    assert cal.add_working_days(date(2026, 3, 17), 4) == date(2026, 3, 30)
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 30)) == 4


def test_cuti_bersama_in_the_file_are_those_of_the_holidays_library(cal: WorkCalendar) -> None:
    # Two independent sources (the SKB as typed into nasional.yaml, the library's government days).
    years = sorted(cal.years)
    assert years == [2025, 2026, 2027]
    government = holidays.country_holidays("ID", years=years, categories=("government",))
    assert set(cal.cuti_bersama) == set(government)


def test_a_year_without_cuti_bersama_data_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(MissingCalendarYear, match="2028"):
        cal.is_working_day(date(2028, 1, 3))


# --- working days across holidays --------------------------------------------------------------


def test_rokan_hilir_bundle_completed_before_lebaran_is_due_after_the_break(cal: WorkCalendar) -> None:
    # Tue 17 March 10:00 is day 0; 18-24 March are closed; days 1-4: Wed 25, Thu 26, Fri 27, Mon 30.
    result = clock(cal, ROKAN_HILIR, lengkap(at(2026, 3, 17)), at(2026, 3, 26), stages=ROKAN_HILIR_STAGES)
    assert result.received_on == date(2026, 3, 17)
    assert result.due_date == date(2026, 3, 30)
    assert [s.due_date for s in result.stages] == [date(2026, 3, d) for d in (25, 26, 27, 30)]
    assert result.days_used == 2  # Wed 25 and Thu 26 (today)
    assert not result.terlambat


def test_bundle_completed_on_the_thursday_before_idul_fitri_counts_from_the_reopening(cal: WorkCalendar) -> None:
    # Thu 19 March 2026 is Nyepi, inside the break: received Wed 25 March (day 0);
    # days 1-4: Thu 26, Fri 27, Mon 30, Tue 31 March.
    result = clock(cal, ROKAN_HILIR, lengkap(at(2026, 3, 19, 9)), at(2026, 3, 25))
    assert result.received_on == date(2026, 3, 25)
    assert result.due_date == date(2026, 3, 31)
    assert result.days_used == 0


@pytest.mark.parametrize(
    ("hour", "received", "due"),
    [
        # Fri 6 Nov 2026 15:30, before closing: day 0 Friday; days Mon 9, Tue 10, Wed 11, Thu 12.
        (15, date(2026, 11, 6), date(2026, 11, 12)),
        # 16:30, after closing: received Mon 9; days Tue 10, Wed 11, Thu 12, Fri 13.
        (16, date(2026, 11, 9), date(2026, 11, 13)),
    ],
)
def test_friday_afternoon_bundle(cal: WorkCalendar, hour: int, received: date, due: date) -> None:
    result = clock(cal, ROKAN_HILIR, lengkap(at(2026, 11, 6, hour, 30)), at(2026, 11, 9))
    assert (result.received_on, result.due_date) == (received, due)


def test_office_hours_are_the_office_own_time(cal: WorkCalendar) -> None:
    # 15:30 WIB is 16:30 WITA: too late for Bontang, received Mon 9 Nov; 7 working days:
    # Tue 10, Wed 11, Thu 12, Fri 13, Mon 16, Tue 17, Wed 18 November.
    result = clock(cal, BONTANG, lengkap(at(2026, 11, 6, 15, 30)), at(2026, 11, 9), tz=WITA)
    assert (result.received_on, result.due_date) == (date(2026, 11, 9), date(2026, 11, 18))


def test_natal_and_new_year(cal: WorkCalendar) -> None:
    # Rokan Hilir, Wed 23 Dec 2026 is day 0; Thu 24 cuti bersama, Fri 25 Natal, weekend;
    # days Mon 28, Tue 29, Wed 30, Thu 31 December.
    rhl = clock(cal, ROKAN_HILIR, lengkap(at(2026, 12, 23, 9)), at(2026, 12, 23, 12))
    assert rhl.due_date == date(2026, 12, 31)
    # Bontang, Tue 22 Dec 2026 is day 0: Wed 23 (1), Mon 28 (2) to Thu 31 (5); Fri 1 Jan 2027 Tahun
    # Baru, weekend, Mon 4 Jan (6), Tue 5 Jan Isra Mikraj, Wed 6 Jan 2027 (7).
    btg = clock(cal, BONTANG, lengkap(at(2026, 12, 22, tz=WITA)), at(2026, 12, 22, 12, tz=WITA), tz=WITA)
    assert btg.due_date == date(2027, 1, 6)


# --- returned to the applicant -----------------------------------------------------------------


RETURNED_FOR_THREE_DAYS = [
    CaseEvent("lengkap", at(2026, 11, 2, 9)),  # Mon 2 Nov: day 0
    CaseEvent("dikembalikan", at(2026, 11, 3, 11)),  # Tue 3: day 1, then back to the applicant
    CaseEvent("diajukan_ulang", at(2026, 11, 6, 10)),  # Fri 6: received again (day 0 again)
]


def test_time_with_the_applicant_moves_the_due_date_by_the_paused_working_days(cal: WorkCalendar) -> None:
    # Without the return: Tue 3 to Fri 6 Nov. Wed 4, Thu 5 and Fri 6 are paused (3 working days),
    # so the due date moves from Fri 6 to Wed 11 Nov: days Tue 3, Mon 9, Tue 10, Wed 11.
    straight = clock(cal, ROKAN_HILIR, RETURNED_FOR_THREE_DAYS[:1], at(2026, 11, 9, 12))
    assert straight.due_date == date(2026, 11, 6)
    result = clock(cal, ROKAN_HILIR, RETURNED_FOR_THREE_DAYS, at(2026, 11, 9, 12), stages=ROKAN_HILIR_STAGES)
    assert result.due_date == date(2026, 11, 11)
    assert [s.due_date for s in result.stages] == [date(2026, 11, d) for d in (3, 9, 10, 11)]
    assert (result.days_used, result.days_paused) == (2, 3)  # Tue 3 and Mon 9; Wed 4 to Fri 6
    assert not result.returned and not result.terlambat


def test_while_the_bundle_is_with_the_applicant_the_clock_stands_still(cal: WorkCalendar) -> None:
    result = clock(cal, ROKAN_HILIR, RETURNED_FOR_THREE_DAYS, at(2026, 11, 5, 12), stages=ROKAN_HILIR_STAGES)
    assert result.returned
    assert result.due_date is None  # unknown until the bundle comes back
    assert result.stages[0].due_date == date(2026, 11, 3)  # already passed before the return
    assert (result.days_used, result.days_paused) == (1, 2)  # Tue 3; Wed 4 and Thu 5
    assert not result.terlambat


# --- calendar days and hours -------------------------------------------------------------------


def test_batang_fourteen_calendar_days_ignore_holidays(cal: WorkCalendar) -> None:
    # Mon 11 May 2026 is day 0; Thu 14 (Kenaikan) and Fri 15 (cuti bersama) count like any day:
    # 11 + 14 = Mon 25 May. Stage bounds 2, 9, 12, 14 days: 13, 20, Sat 23 and 25 May.
    result = clock(cal, BATANG, lengkap(at(2026, 5, 11)), at(2026, 5, 18), stages=BATANG_STAGES)
    assert result.due_date == date(2026, 5, 25)
    assert [s.due_date for s in result.stages] == [date(2026, 5, d) for d in (13, 20, 23, 25)]
    assert result.days_used == 7  # 12 to 18 May
    # The same 14 as working days would skip 14-15 May, 27-28 May and 1 June: Fri 5 June.
    as_working_days = clock(cal, Sla(14, "hari_kerja"), lengkap(at(2026, 5, 11)), at(2026, 5, 18))
    assert as_working_days.due_date == date(2026, 6, 5)


def test_hours_run_around_the_clock_and_stop_while_returned(cal: WorkCalendar) -> None:
    # 24 jam from Sat 21 March 2026 22:00 (Idul Fitri): Sun 22 March 22:00, holiday or not.
    start = at(2026, 3, 21, 22)
    plain = clock(cal, Sla(24, "jam"), lengkap(start), at(2026, 3, 22, 5))
    assert plain.due_at == at(2026, 3, 22, 22)
    assert plain.days_used == 7
    # Away from 01:00 to 03:30: 2.5 hours later, Mon 23 March 00:30.
    events = [*lengkap(start), CaseEvent("dikembalikan", at(2026, 3, 22, 1)),
              CaseEvent("diajukan_ulang", at(2026, 3, 22, 3, 30))]
    paused = clock(cal, Sla(24, "jam"), events, at(2026, 3, 22, 5))
    assert paused.due_at == at(2026, 3, 23, 0, 30)
    assert paused.due_date == date(2026, 3, 23)
    assert (paused.days_used, paused.days_paused) == (4, 2)  # 3 h + 1.5 h; 2.5 h
    assert not clock(cal, Sla(24, "jam"), events, at(2026, 3, 23, 0, 30)).terlambat
    assert clock(cal, Sla(24, "jam"), events, at(2026, 3, 23, 0, 31)).terlambat


# --- overdue -----------------------------------------------------------------------------------


def test_overdue_from_the_day_after_the_due_date_not_on_it(cal: WorkCalendar) -> None:
    # Fri 6 Nov 2026 16:30: due Fri 13 Nov (see the Friday afternoon test).
    events = lengkap(at(2026, 11, 6, 16, 30))
    assert not clock(cal, ROKAN_HILIR, events, at(2026, 11, 13, 23, 30)).terlambat
    assert clock(cal, ROKAN_HILIR, events, at(2026, 11, 16, 8)).terlambat  # the next working day
    assert clock(cal, ROKAN_HILIR, events, at(2026, 11, 14, 9)).terlambat  # the deadline passed on Friday


def test_a_finished_case_is_late_only_if_it_finished_after_the_due_date(cal: WorkCalendar) -> None:
    on_time = [*lengkap(at(2026, 11, 6, 16, 30)), CaseEvent("selesai", at(2026, 11, 13, 15))]
    late = [*lengkap(at(2026, 11, 6, 16, 30)), CaseEvent("selesai", at(2026, 11, 16, 10))]
    done = clock(cal, ROKAN_HILIR, on_time, at(2026, 11, 20))
    assert done.finished and not done.terlambat and done.days_used == 4
    assert clock(cal, ROKAN_HILIR, late, at(2026, 11, 20)).terlambat


def test_events_out_of_order_or_without_timezone_are_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="diajukan_ulang"):
        clock(cal, ROKAN_HILIR, [*lengkap(at(2026, 11, 2)), CaseEvent("diajukan_ulang", at(2026, 11, 3))],
              at(2026, 11, 4))
    with pytest.raises(ValueError, match="zona waktu"):
        clock(cal, ROKAN_HILIR, lengkap(datetime(2026, 11, 2, 10)), at(2026, 11, 4))


def test_no_clock_before_the_bundle_is_complete(cal: WorkCalendar) -> None:
    result = clock(cal, ROKAN_HILIR, [], at(2026, 11, 4), stages=ROKAN_HILIR_STAGES)
    assert result.due_date is None and result.received_on is None and not result.terlambat


# --- calendar files ----------------------------------------------------------------------------


def test_an_office_closure_is_a_day_off_that_moves_the_due_date(tmp_path: Path) -> None:
    shutil.copy(CALENDAR_ROOT / "nasional.yaml", tmp_path / "nasional.yaml")
    (tmp_path / "rokan-hilir.yaml").write_text(
        "kalender:\n  - tahun: 2026\n    penutupan:\n      - {tanggal: 2026-11-10, alasan: pindah gedung kantor}\n",
        encoding="utf-8",
    )
    office = load_calendar("rokan-hilir", root=tmp_path)
    assert office.day_off_reason(date(2026, 11, 10)) == "kantor tutup: pindah gedung kantor"
    # Fri 6 Nov 15:30 is day 0; Tue 10 is closed: Mon 9, Wed 11, Thu 12, Fri 13 November.
    result = compute_deadline(ROKAN_HILIR, [], lengkap(at(2026, 11, 6, 15, 30)), at(2026, 11, 9), office, WIB)
    assert result.due_date == date(2026, 11, 13)
    assert load_calendar("bontang", root=tmp_path).is_working_day(date(2026, 11, 10))


GOOD_LINES = [
    "kalender:",
    "  - tahun: 2026",
    "    cuti_bersama:",
    "      - {tanggal: 2026-02-16, nama: Tahun Baru Imlek}",
]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("      - {tanggal: 2026-02-30, nama: Tahun Baru Imlek}", "tanggal tidak sah"),
        ("      - {tanggal: 18 Maret 2026, nama: Hari Suci Nyepi}", "tanggal"),
        ("      - {tanggal: 2025-03-28, nama: Hari Suci Nyepi}", "bukan tahun 2026"),
        ("      - {tanggal: 2026-02-16, nama: Tahun Baru Imlek}", "dua kali"),
        ("      - {tangal: 2026-03-18, nama: Hari Suci Nyepi}", "tanggal: Field required"),
    ],
)
def test_a_bad_calendar_file_names_the_file_and_line(tmp_path: Path, bad_line: str, message: str) -> None:
    path = tmp_path / "nasional.yaml"
    path.write_text("\n".join([*GOOD_LINES, bad_line, ""]), encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_calendar(root=tmp_path)
    assert caught.value.path == path
    assert caught.value.line == len(GOOD_LINES) + 1
    assert message in caught.value.message
