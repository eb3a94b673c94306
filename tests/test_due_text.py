"""The due date the decisions table shows, from the office's calendar (real 2026 dates)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from izinflow.domain import Decision, Manifest, Pemohon
from izinflow.tables import due_text

WIB = timezone(timedelta(hours=7))


def manifest(office: str, service: str, variant: str, at: datetime) -> Manifest:
    return Manifest(office=office, service=service, variant=variant, submitted_at=at,
                    pemohon=Pemohon(nama="SITI AMINAH", nik="1407015203900002"))


def test_a_complete_bundle_before_lebaran_is_due_after_the_holidays() -> None:
    # Rokan Hilir, 4 working days from Tue 17 March 2026: Wed 18 (cuti bersama Nyepi), Thu 19
    # (Nyepi), Fri 20 (cuti bersama), 21-22 (Idul Fitri, weekend), Mon 23-Tue 24 (cuti bersama);
    # days 1-4 are 25, 26, 27 and 30 March.
    m = manifest("rokan-hilir", "sip-perekam-medis", "baru", datetime(2026, 3, 17, 9, 0, tzinfo=WIB))
    assert due_text(m, Decision.complete) == "30 Maret 2026"


def test_calendar_days_at_batang_and_a_stopped_or_waiting_clock() -> None:
    # Batang, 14 calendar days from Mon 21 December 2026 (Natal on the 25th counts like any day).
    m = manifest("batang", "sertifikat-standar-fasyankes", "klinik", datetime(2026, 12, 21, 10, 0, tzinfo=WIB))
    assert due_text(m, Decision.complete) == "4 Januari 2027"
    assert due_text(m, Decision.incomplete) == "berhenti: berkas dikembalikan"
    assert due_text(m, Decision.review) == "mulai setelah berkas dinyatakan lengkap"
