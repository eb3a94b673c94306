"""The review app's accounts: users with argon2 password hashes, signed-in sessions, throttled sign-ins.

Repository-style functions over a Session; the caller owns the transaction (``store.db.session_scope``).
A session's cookie carries a random token; the table keeps only its sha256, so reading the table
opens no session. Every function takes ``now`` so that expiry and throttling can be tested by
moving a clock.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from checklists.model import Role
from store import models

# The office roles of the seeds' procedures that sign in to the review app.
STAFF_ROLES: tuple[Role, ...] = (
    Role.front_office,
    Role.back_office,
    Role.petugas_loket,
    Role.petugas,
    Role.penata_perizinan_ahli_muda,
    Role.penata_perizinan_ahli_madya,
    Role.kepala_seksi,
    Role.kepala_bidang,
    Role.kepala_dinas,
    Role.tim_teknis_dinkes,
    Role.dinas_kesehatan,
    Role.tim_visitasi,
    Role.kepala_dinas_kesehatan,
)
OPERATOR = "operator"  # watches the queues, reads no applicant's files
ACCOUNT_ROLES: tuple[str, ...] = (*(r.value for r in STAFF_ROLES), OPERATOR)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 10

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class AccountError(ValueError):
    """An account that cannot be created as asked; the message is an Indonesian sentence."""


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    nama: str
    nip: str | None
    office: str
    role: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class LoginResult:
    """``user`` when the password was right; ``locked_until`` when sign-ins of the name are refused."""

    user: UserRecord | None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class OpenedSession:
    token: str  # for the cookie only: the database keeps its hash
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedIn:
    user: UserRecord
    csrf_token: str
    expires_at: datetime


# argon2id with argon2-cffi's recommended parameters; tests may put a cheaper one here.
HASHER = PasswordHasher()


def _hasher() -> PasswordHasher:
    return HASHER


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Verified against when the name is unknown, so that an unknown name takes as long as a wrong password.
    return hasher.hash(secrets.token_urlsafe(16))


def normalise_username(username: str) -> str:
    return username.strip().lower()


def create_user(
    s: Session,
    *,
    username: str,
    nama: str,
    office: str,
    role: str,
    password: str,
    nip: str | None = None,
    now: datetime | None = None,
) -> UserRecord:
    """Add an active user; raises AccountError (Indonesian message) for a taken or malformed name,
    an unknown role or a short password."""
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise AccountError(
            "nama pengguna harus 3-64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung"
        )
    if not nama.strip():
        raise AccountError("nama lengkap pengguna tidak boleh kosong")
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"peran {role!r} tidak dikenal; pilih salah satu: {', '.join(ACCOUNT_ROLES)}")
    if not office.strip():
        raise AccountError("kode kantor tidak boleh kosong")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter")
    if find_user(s, username) is not None:
        raise AccountError(f"nama pengguna {username} sudah dipakai")
    row = models.User(
        username=username,
        nama=nama.strip(),
        nip=(nip or "").strip() or None,
        office=office.strip(),
        role=role,
        password_hash=_hasher().hash(password),
        active=True,
        created_at=now or datetime.now(UTC),
    )
    s.add(row)
    s.flush()
    return _user(row)


def find_user(s: Session, username: str) -> UserRecord | None:
    row = _user_row(s, normalise_username(username))
    return None if row is None else _user(row)


def authenticate(s: Session, username: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a sign-in. While the name is locked out, the password is not even checked.

    An unknown or inactive name costs the same hashing as a wrong password and answers the same.
    A refused password is recorded; the fifth within ``FAILURE_WINDOW`` locks the name for
    ``LOCKOUT``. A success clears the record and re-hashes the password when the hasher's
    parameters have changed since it was set.
    """
    now = now or datetime.now(UTC)
    username = normalise_username(username)[:64]
    locked = locked_until(s, username, now=now)
    if locked is not None:
        return LoginResult(None, locked)
    row = _user_row(s, username)
    hasher = _hasher()
    try:
        hasher.verify(row.password_hash if row is not None else _dummy_hash(hasher), password)
        right = row is not None
    except (VerificationError, InvalidHashError):
        right = False
    if not right or row is None or not row.active:
        s.add(models.LoginFailure(username=username, at=now))
        s.execute(delete(models.LoginFailure).where(
            models.LoginFailure.username == username, models.LoginFailure.at < now - FAILURE_WINDOW - LOCKOUT
        ))
        s.flush()
        return LoginResult(None, locked_until(s, username, now=now))
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hasher.hash(password)
    s.execute(delete(models.LoginFailure).where(models.LoginFailure.username == username))
    s.flush()
    return LoginResult(_user(row))


def locked_until(s: Session, username: str, *, now: datetime | None = None) -> datetime | None:
    """Until when sign-ins of ``username`` are refused: ``LOCKOUT`` after the last of
    ``MAX_FAILURES`` refused passwords within ``FAILURE_WINDOW``; None when they are not."""
    now = now or datetime.now(UTC)
    failures = list(s.execute(
        select(models.LoginFailure.at)
        .where(
            models.LoginFailure.username == normalise_username(username),
            models.LoginFailure.at > now - FAILURE_WINDOW - LOCKOUT,
            models.LoginFailure.at <= now,
        )
        .order_by(models.LoginFailure.at)
    ).scalars())
    until: datetime | None = None
    for first, last in zip(failures, failures[MAX_FAILURES - 1:], strict=False):
        if last - first <= FAILURE_WINDOW:
            until = last + LOCKOUT
    return until if until is not None and now < until else None


def open_session(
    s: Session, user_id: int, *, now: datetime | None = None, absolute: timedelta = ABSOLUTE_TIMEOUT
) -> OpenedSession:
    """A new session for the user, ending at the latest ``absolute`` from now."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    row = models.WebSession(
        id=_token_hash(token),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + absolute,
        last_seen_at=now,
    )
    s.add(row)
    s.flush()
    return OpenedSession(token=token, csrf_token=row.csrf_token, expires_at=row.expires_at)


def session_user(
    s: Session, token: str, *, now: datetime | None = None, idle: timedelta = IDLE_TIMEOUT
) -> SignedIn | None:
    """The user signed in with ``token``, the session touched; None (and the session removed) when
    it has expired (``idle`` since it was last seen, or past its absolute end) or its user is inactive."""
    now = now or datetime.now(UTC)
    if not token or len(token) > 128:
        return None
    row = s.get(models.WebSession, _token_hash(token))
    if row is None:
        return None
    user = s.get(models.User, row.user_id)
    if now >= row.expires_at or now - row.last_seen_at >= idle or user is None or not user.active:
        s.delete(row)
        s.flush()
        return None
    row.last_seen_at = max(row.last_seen_at, now)
    s.flush()
    return SignedIn(user=_user(user), csrf_token=row.csrf_token, expires_at=row.expires_at)


def close_session(s: Session, token: str) -> None:
    """Sign out: the session is removed (nothing happens for an unknown token)."""
    if token:
        s.execute(delete(models.WebSession).where(models.WebSession.id == _token_hash(token)))


def purge_sessions(s: Session, *, now: datetime | None = None, idle: timedelta = IDLE_TIMEOUT) -> int:
    """Remove the sessions that have expired; returns how many."""
    now = now or datetime.now(UTC)
    result = s.execute(delete(models.WebSession).where(
        (models.WebSession.expires_at <= now) | (models.WebSession.last_seen_at <= now - idle)
    ))
    return int(getattr(result, "rowcount", 0) or 0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user_row(s: Session, username: str) -> models.User | None:
    return s.execute(select(models.User).where(models.User.username == username)).scalar_one_or_none()


def _user(row: models.User) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        nama=row.nama,
        nip=row.nip,
        office=row.office,
        role=row.role,
        active=row.active,
        created_at=row.created_at,
    )
