"""The office's working calendar: which days are hari kerja.

Monday to Friday, less the national holidays (the ``holidays`` library, Indonesia), the cuti bersama
of each year (``calendars/nasional.yaml``, set by the SKB 3 Menteri) and the office's own closures
(``calendars/<office>.yaml``). Only the years of the national file are known: a date of any other
year is an error, not a guess, because cuti bersama are decided one year at a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType

import holidays
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

CALENDAR_ROOT = Path(__file__).resolve().parent / "calendars"
NATIONAL_FILE = "nasional.yaml"

_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class MissingCalendarYear(ValueError):
    """A date in a year the calendar files do not cover."""


# --- calendar files ----------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CutiBersama(_Strict):
    tanggal: date
    nama: str = Field(min_length=3)  # the feast it belongs to ("Hari Raya Idul Fitri")


class Penutupan(_Strict):
    tanggal: date
    alasan: str = Field(min_length=3)


class CalendarYear(_Strict):
    tahun: int = Field(ge=2000, le=2100)
    dasar: str = ""  # the decree that sets the days
    cuti_bersama: tuple[CutiBersama, ...] = ()
    penutupan: tuple[Penutupan, ...] = ()


class CalendarFile(_Strict):
    kalender: tuple[CalendarYear, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_belong_to_their_year(self) -> CalendarFile:
        years: set[int] = set()
        for j, year in enumerate(self.kalender):
            if year.tahun in years:
                raise PydanticCustomError(
                    "duplicate_year", "tahun {tahun} ditulis dua kali", {"tahun": year.tahun, "loc": ("kalender", j)}
                )
            years.add(year.tahun)
            days: set[date] = set()
            for key in ("cuti_bersama", "penutupan"):
                for i, day in enumerate(getattr(year, key)):
                    where = {"loc": ("kalender", j, key, i, "tanggal"), "tanggal": day.tanggal.isoformat()}
                    if day.tanggal.year != year.tahun:
                        raise PydanticCustomError(
                            "date_outside_year", "tanggal {tanggal} bukan tahun {tahun}", {**where, "tahun": year.tahun}
                        )
                    if day.tanggal in days:
                        raise PydanticCustomError("duplicate_date", "tanggal {tanggal} ditulis dua kali", where)
                    days.add(day.tanggal)
        return self


# --- the calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """Days off of one office; ``years`` are the years whose days off are all known."""

    years: frozenset[int]
    libur_nasional: Mapping[date, str] = field(default_factory=dict)
    cuti_bersama: Mapping[date, str] = field(default_factory=dict)
    penutupan: Mapping[date, str] = field(default_factory=dict)

    def day_off_reason(self, day: date) -> str | None:
        """Why the office is closed on ``day`` (Indonesian), or None on a working day."""
        if day.year not in self.years:
            known = ", ".join(str(y) for y in sorted(self.years))
            raise MissingCalendarYear(
                f"kalender kerja tahun {day.year} belum tersedia (cuti bersama belum dicatat; tersedia: {known})"
            )
        if day in self.libur_nasional:
            return self.libur_nasional[day]
        if day in self.cuti_bersama:
            return f"cuti bersama {self.cuti_bersama[day]}"
        if day in self.penutupan:
            return f"kantor tutup: {self.penutupan[day]}"
        if day.weekday() >= 5:
            return _DAY_NAMES[day.weekday()]
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is day 0 and never counts)."""
        if n < 0:
            raise ValueError(f"jumlah hari kerja tidak boleh negatif: {n}")
        day = start
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``)."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def make_calendar(national: CalendarFile, office: CalendarFile | None = None) -> WorkCalendar:
    """The calendar of the years in ``national``, with the office's own days off added."""
    years = frozenset(y.tahun for y in national.kalender)
    files = (national,) if office is None else (national, office)
    entries = [year for file in files for year in file.kalender]
    libur = holidays.country_holidays("ID", years=sorted(years), language="id")
    return WorkCalendar(
        years=years,
        libur_nasional=MappingProxyType(dict(libur.items())),
        cuti_bersama=MappingProxyType({c.tanggal: c.nama for y in entries for c in y.cuti_bersama}),
        penutupan=MappingProxyType({p.tanggal: p.alasan for y in entries for p in y.penutupan}),
    )


# --- reading the files (the only I/O of the calendar) ---------------------------------------------


def load_calendar(office: str | None = None, *, root: Path | None = None) -> WorkCalendar:
    """The working calendar of ``office``: nasional.yaml, plus ``<office>.yaml`` when there is one."""
    if office is not None and not _CODE.fullmatch(office):
        raise ValueError(f"kode kantor tidak sah: {office!r}")
    if root is None:
        return _load_default(office)
    return _load(office, root)


def read_calendar_file(path: Path) -> CalendarFile:
    # Imported here so that the clock (checklists.deadlines) does not import the checklist model.
    from checklists.load import load_model

    return load_model(path, CalendarFile)


def _load(office: str | None, root: Path) -> WorkCalendar:
    national = read_calendar_file(root / NATIONAL_FILE)
    office_path = root / f"{office}.yaml" if office else None
    own = read_calendar_file(office_path) if office_path and office_path.is_file() else None
    return make_calendar(national, own)


@cache
def _load_default(office: str | None) -> WorkCalendar:
    return _load(office, CALENDAR_ROOT)
