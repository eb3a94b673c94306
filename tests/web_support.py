"""Helpers of the review app's tests: a clock the test moves, accounts, signing in through the form."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from store import accounts
from store.db import session_scope

PASSWORD = "kata-sandi-kantor-1"
# The app's hasher costs a quarter second a hash: the tests sign in dozens of times with this one.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_user(engine: Engine, role: str = "back_office", office: str = "rokan-hilir", nama: str = "Budi Santoso",
              *, now: datetime | None = None) -> str:
    """A new account with ``PASSWORD`` and a unique username, returned."""
    username = f"{role.replace('_', '')[:20]}.{uuid.uuid4().hex[:8]}"
    with session_scope(engine) as s:
        accounts.create_user(s, username=username, nama=nama, office=office, role=role, password=PASSWORD, now=now)
    return username


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    """Sign in through the form as a browser does: GET the form, POST it with its token."""
    form = client.get("/login")
    assert form.status_code == 200
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
                       follow_redirects=False)
