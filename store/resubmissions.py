"""Resubmissions in the store: the bundles an applicant sent to complete a returned application.

A resubmission is registered once per bundle (by its hash, like an application) and is checked by one
verification attempt. Its files are stored under names of their own (``perbaikan-<n>/<name>``), so
the pages of every attempt of an application are told apart by name, whatever the applicant called
the files; ``name_in_bundle`` gives the name back to find the file in the kept bundle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import models

_PREFIX = "perbaikan-{}/"


@dataclass(frozen=True)
class ResubmissionRecord:
    id: int
    application_id: int
    sequence: int  # 1 for the application's first resubmission
    bundle_sha256: str
    original_path: str
    submitted_at: datetime
    received_at: datetime
    verification_id: int | None  # the attempt that checked it; None while it waits

    def stored_name(self, name: str) -> str:
        return stored_name(self.sequence, name)


def stored_name(sequence: int, name: str) -> str:
    """The name a file of the ``sequence``-th resubmission is stored and shown under."""
    return _PREFIX.format(sequence) + name


def name_in_bundle(sequence: int, stored: str) -> str:
    return stored.removeprefix(_PREFIX.format(sequence))


def register_resubmission(
    s: Session,
    application_id: int,
    *,
    bundle_sha256: str,
    original_path: str,
    submitted_at: datetime,
    received_at: datetime | None = None,
) -> tuple[ResubmissionRecord, bool]:
    """Record a resubmission of the application, or find the one recorded with the same hash; returns
    it and whether it was created now. The caller holds the application's lock (``store.cases.lock``)."""
    existing = find_by_sha256(s, bundle_sha256)
    if existing is not None:
        return existing, False
    sequence = 1 + (s.execute(
        select(func.max(models.Resubmission.sequence)).where(models.Resubmission.application_id == application_id)
    ).scalar_one_or_none() or 0)
    row = models.Resubmission(
        application_id=application_id, sequence=sequence, bundle_sha256=bundle_sha256, original_path=original_path,
        submitted_at=submitted_at, received_at=received_at or datetime.now(UTC),
    )
    try:
        with s.begin_nested():
            s.add(row)
            s.flush()
    except IntegrityError:
        # The same bundle registered meanwhile by another transaction.
        existing = find_by_sha256(s, bundle_sha256)
        if existing is None:
            raise
        return existing, False
    return _record(row), True


def find_by_sha256(s: Session, bundle_sha256: str) -> ResubmissionRecord | None:
    row = s.execute(
        select(models.Resubmission).where(models.Resubmission.bundle_sha256 == bundle_sha256)
    ).scalar_one_or_none()
    return None if row is None else _record(row)


def get_resubmission(s: Session, resubmission_id: int) -> ResubmissionRecord | None:
    row = s.get(models.Resubmission, resubmission_id)
    return None if row is None else _record(row)


def resubmissions_of(s: Session, application_id: int) -> list[ResubmissionRecord]:
    rows = s.execute(
        select(models.Resubmission).where(models.Resubmission.application_id == application_id)
        .order_by(models.Resubmission.sequence)
    ).scalars()
    return [_record(r) for r in rows]


def waiting(s: Session, application_id: int) -> ResubmissionRecord | None:
    """A resubmission of the application received but not checked yet."""
    return next((r for r in resubmissions_of(s, application_id) if r.verification_id is None), None)


def set_original_path(s: Session, resubmission_id: int, original_path: str) -> None:
    _row(s, resubmission_id).original_path = original_path


def mark_checked(s: Session, resubmission_id: int, verification_id: int) -> None:
    _row(s, resubmission_id).verification_id = verification_id
    s.flush()


def checked_by(s: Session, verification_id: int) -> ResubmissionRecord | None:
    """The resubmission the verification attempt read; None for an attempt of the application's own bundle."""
    row = s.execute(
        select(models.Resubmission).where(models.Resubmission.verification_id == verification_id)
    ).scalar_one_or_none()
    return None if row is None else _record(row)


def _row(s: Session, resubmission_id: int) -> models.Resubmission:
    row = s.get(models.Resubmission, resubmission_id)
    if row is None:
        raise LookupError(f"no resubmission with id {resubmission_id}")
    return row


def _record(row: models.Resubmission) -> ResubmissionRecord:
    return ResubmissionRecord(
        id=row.id, application_id=row.application_id, sequence=row.sequence, bundle_sha256=row.bundle_sha256,
        original_path=row.original_path, submitted_at=row.submitted_at, received_at=row.received_at,
        verification_id=row.verification_id,
    )
