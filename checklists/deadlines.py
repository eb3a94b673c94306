"""The deadline clock of one case: when the office must finish, as a whole and stage by stage.

The standards say "n hari kerja sejak berkas diterima lengkap dan benar". Counted like this:

- The day the bundle is received complete and correct (``lengkap``) is day 0 and does not count;
  day 1 is the next working day, and the case is due by the end of day n. A bundle completed on a
  day the office is closed, or at or after closing time (16:00 office time), counts as received on
  the next working day (a Friday 16:30 bundle is received on Monday; day 1 is Tuesday).
- Returned to the applicant (``dikembalikan``), the clock stops. The day of the return still
  counts (the office worked on the bundle that day); the days after it, up to and including the day
  the bundle is received complete again (``diajukan_ulang``, same receipt rule), do not. The due
  date moves by exactly those days.
- "hari" (calendar days) counts every day after the day of receipt, weekends and holidays too;
  receipt itself follows the rule above, since a closed office receives nothing.
- "jam" counts hours around the clock from the moment of the event (an emergency line), less the
  hours the bundle was away.
- ``terlambat``: not finished (``selesai``) by the end of the due date, so flagged from the day
  after it, never on it; for "jam", after the due moment.

Events after ``now`` are ignored: the clock can be read as of any moment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal, Protocol, cast

from checklists.calendar import WorkCalendar

Unit = Literal["hari_kerja", "hari", "jam"]
EventKind = Literal["lengkap", "dikembalikan", "diajukan_ulang", "selesai"]

OFFICE_CLOSES = time(16, 0)
_HOUR = timedelta(hours=1)


class SlaLike(Protocol):
    """``checklists.model.Sla`` or ``Sla`` below."""

    @property
    def days(self) -> int: ...  # with unit "jam": hours

    @property
    def unit(self) -> str: ...


@dataclass(frozen=True)
class Sla:
    days: int  # with unit "jam": hours
    unit: Unit


@dataclass(frozen=True)
class CaseEvent:
    kind: EventKind
    at: datetime  # with timezone


@dataclass(frozen=True)
class StageDue:
    stage: str
    days: int  # the stage's share, in the SLA's unit
    due_date: date | None  # None while the bundle is with the applicant and the stage is not yet due
    due_at: datetime | None  # the exact moment, for "jam" only


@dataclass(frozen=True)
class Deadline:
    unit: Unit
    days: int
    received_on: date | None  # day 0; None before the bundle is complete
    due_date: date | None
    due_at: datetime | None  # for "jam" only
    stages: tuple[StageDue, ...]
    days_used: int  # days (hours for "jam") counted up to now or up to ``selesai``, today included
    days_paused: int  # days (hours) that would have counted while the bundle was with the applicant
    returned: bool  # the bundle is with the applicant now: the clock is stopped
    finished: bool
    terlambat: bool


@dataclass(frozen=True)
class _Run:
    start: datetime
    stop: datetime | None  # returned to the applicant; None: still running


def compute_deadline(
    sla: SlaLike,
    stages: Sequence[tuple[str, int]],
    events: Sequence[CaseEvent],
    now: datetime,
    calendar: WorkCalendar,
    tz: tzinfo,
    closes: time = OFFICE_CLOSES,
) -> Deadline:
    """The clock of one case as of ``now``; ``stages`` are (stage, days) in order, summing to the SLA."""
    unit = _check_inputs(sla, stages, events, now)
    runs, finish = _runs(events, now)
    as_of = finish or now
    if not runs:
        return Deadline(
            unit=unit, days=sla.days, received_on=None, due_date=None, due_at=None,
            stages=tuple(StageDue(s, d, None, None) for s, d in stages),
            days_used=0, days_paused=0, returned=False, finished=False, terlambat=False,
        )
    returned = runs[-1].stop is not None
    bounds = [*_cumulative(stages), sla.days]
    due_at: list[datetime | None] = [None] * len(bounds)
    if unit == "jam":
        due_at = [_nth_hour(runs, n) for n in bounds]
        due_dates = [at.astimezone(tz).date() if at else None for at in due_at]
        used, paused = _hours(runs, as_of)
        received_on = runs[0].start.astimezone(tz).date()
        late = due_at[-1] is not None and as_of > due_at[-1]
    else:
        counts: Callable[[date], bool] = calendar.is_working_day if unit == "hari_kerja" else _every_day
        days = _day_runs(runs, calendar, tz, closes)
        due_dates = [_nth_day(days, n, counts) for n in bounds]
        used, paused = _days(days, as_of.astimezone(tz).date(), counts)
        received_on = days[0][0]
        late = due_dates[-1] is not None and as_of.astimezone(tz).date() > due_dates[-1]
    return Deadline(
        unit=unit,
        days=sla.days,
        received_on=received_on,
        due_date=due_dates[-1],
        due_at=due_at[-1],
        stages=tuple(StageDue(s, d, due_dates[i], due_at[i]) for i, (s, d) in enumerate(stages)),
        days_used=used,
        days_paused=paused,
        returned=returned,
        finished=finish is not None,
        terlambat=late,
    )


def receipt_day(at: datetime, calendar: WorkCalendar, tz: tzinfo, closes: time = OFFICE_CLOSES) -> date:
    """Day 0: the working day on which a bundle completed at ``at`` counts as received."""
    local = at.astimezone(tz)
    if calendar.is_working_day(local.date()) and local.time() < closes:
        return local.date()
    return calendar.next_working_day(local.date())


def _check_inputs(sla: SlaLike, stages: Sequence[tuple[str, int]], events: Sequence[CaseEvent], now: datetime) -> Unit:
    if sla.unit not in ("hari_kerja", "hari", "jam"):
        raise ValueError(f"satuan waktu penyelesaian tidak dikenal: {sla.unit!r}")
    if sla.days <= 0:
        raise ValueError(f"waktu penyelesaian harus lebih dari 0: {sla.days}")
    if any(days <= 0 for _, days in stages):
        raise ValueError("jatah hari setiap tahapan harus lebih dari 0")
    if stages and sum(days for _, days in stages) != sla.days:
        raise ValueError(f"jumlah hari tahapan harus sama dengan waktu penyelesaian ({sla.days})")
    for moment in (now, *(e.at for e in events)):
        if moment.utcoffset() is None:
            raise ValueError(f"waktu tanpa zona waktu: {moment.isoformat()}")
    return cast(Unit, sla.unit)


def _runs(events: Sequence[CaseEvent], now: datetime) -> tuple[list[_Run], datetime | None]:
    """The stretches the clock ran, and when the case finished (None: not yet)."""
    runs: list[_Run] = []
    finish: datetime | None = None
    for event in sorted((e for e in events if e.at <= now), key=lambda e: e.at):
        running = bool(runs) and runs[-1].stop is None and finish is None
        allowed = {
            "lengkap": not runs,
            "dikembalikan": running,
            "diajukan_ulang": bool(runs) and runs[-1].stop is not None,
            "selesai": running,
        }[event.kind]
        if not allowed:
            raise ValueError(f"peristiwa {event.kind} pada {event.at.isoformat()} tidak sesuai urutan berkas")
        if event.kind in ("lengkap", "diajukan_ulang"):
            runs.append(_Run(event.at, None))
        elif event.kind == "dikembalikan":
            runs[-1] = _Run(runs[-1].start, event.at)
        else:
            finish = event.at
    return runs, finish


def _cumulative(stages: Sequence[tuple[str, int]]) -> list[int]:
    total, bounds = 0, []
    for _, days in stages:
        total += days
        bounds.append(total)
    return bounds


def _every_day(_: date) -> bool:
    return True


# --- day units: each run is (day 0, last counted day or None while running) --------------------


def _day_runs(runs: list[_Run], calendar: WorkCalendar, tz: tzinfo, closes: time) -> list[tuple[date, date | None]]:
    days: list[tuple[date, date | None]] = []
    for run in runs:
        first = receipt_day(run.start, calendar, tz, closes)
        last = None if run.stop is None else max(first, run.stop.astimezone(tz).date())
        days.append((first, last))
    return days


def _nth_day(days: list[tuple[date, date | None]], n: int, counts: Callable[[date], bool]) -> date | None:
    left = n
    for first, last in days:
        day = first
        while last is None or day < last:
            day += timedelta(days=1)
            if counts(day):
                left -= 1
                if left == 0:
                    return day
    return None


def _count(after: date, upto: date, counts: Callable[[date], bool]) -> int:
    return sum(counts(after + timedelta(days=i)) for i in range(1, (upto - after).days + 1))


def _days(days: list[tuple[date, date | None]], today: date, counts: Callable[[date], bool]) -> tuple[int, int]:
    used = paused = 0
    for i, (first, last) in enumerate(days):
        used += _count(first, min(last or today, today), counts)
        if last is not None:
            resumed = days[i + 1][0] if i + 1 < len(days) else today
            paused += _count(last, min(resumed, today), counts)
    return used, paused


# --- hours -------------------------------------------------------------------------------------


def _nth_hour(runs: list[_Run], n: int) -> datetime | None:
    left = n * _HOUR
    for run in runs:
        if run.stop is None or left <= run.stop - run.start:
            return run.start + left
        left -= run.stop - run.start
    return None


def _hours(runs: list[_Run], as_of: datetime) -> tuple[int, int]:
    used = paused = timedelta()
    for i, run in enumerate(runs):
        used += max(timedelta(), min(run.stop or as_of, as_of) - run.start)
        if run.stop is not None:
            resumed = runs[i + 1].start if i + 1 < len(runs) else as_of
            paused += max(timedelta(), min(resumed, as_of) - run.stop)
    return used // _HOUR, paused // _HOUR
