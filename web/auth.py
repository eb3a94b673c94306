"""Signing in and out, the CSRF check of every unsafe request, and the role checks of routes.

The login form has no session yet: its CSRF token is a random value in a cookie scoped to
``/login`` that the form posts back (double submit). Once signed in, every form carries the
session's own token.
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRouter

from store import accounts
from store.db import session_scope
from web.context import COOKIE, app_context, render, signed_in, signed_in_of

LOGIN_CSRF_COOKIE = "izinflow_masuk"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Every role but the operator's may open applicants' files.
FILE_ROLES: frozenset[str] = frozenset(r.value for r in accounts.STAFF_ROLES)
CSRF_REFUSED = "Formulir tidak sah atau sudah kedaluwarsa. Muat ulang halaman, lalu coba lagi."

router = APIRouter()


async def csrf_guard(request: Request) -> None:
    """Dependency of the whole app: an unsafe request without the right CSRF token gets 403."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if request.url.path == "/login":
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    else:
        current = signed_in_of(request)
        expected = current.csrf_token if current else ""
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)


def require_roles(roles: Iterable[str]) -> Callable[[Request], accounts.SignedIn]:
    """Dependency factory: the signed-in user when their role is one of ``roles``, else 403."""
    allowed = frozenset(roles)

    def check(request: Request) -> accounts.SignedIn:
        current = signed_in(request)
        if current.user.role not in allowed:
            raise HTTPException(status_code=403, detail="Peran Anda tidak berwenang untuk ini.")
        return current

    return check


def may_see_files(current: accounts.SignedIn) -> bool:
    return current.user.role in FILE_ROLES


def secure_cookies(request: Request) -> bool:
    configured = app_context(request).settings.secure_cookies
    return request.url.scheme == "https" if configured is None else configured


def _safe_next(target: str) -> str:
    # Only a path of this app: "//host" or "/\\host" would leave it.
    if not target.startswith("/") or target.startswith(("//", "/\\", "/login", "/logout")):
        return "/"
    return target


def _login_page(request: Request, *, next_path: str, message: str = "", username: str = "",
                status_code: int = 200) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", {
        "login_csrf": token, "next_path": _safe_next(next_path), "message": message, "username": username,
    }, status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, path="/login", httponly=True, samesite="lax",
                        secure=secure_cookies(request))
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if signed_in_of(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_path=next)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    context = app_context(request)
    now = context.clock()
    with session_scope(context.engine) as s:
        result = accounts.authenticate(s, username, password, now=now)
        opened = None
        if result.user is not None:
            old = request.cookies.get(COOKIE)
            if old:
                accounts.close_session(s, old)
            accounts.purge_sessions(s, now=now, idle=context.settings.idle_timeout)
            opened = accounts.open_session(s, result.user.id, now=now, absolute=context.settings.absolute_timeout)
    if result.locked_until is not None:
        minutes = max(1, math.ceil((result.locked_until - now) / timedelta(minutes=1)))
        message = (f"Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. "
                   f"Demi keamanan, coba lagi dalam {minutes} menit.")
        return _login_page(request, next_path=next, message=message, username=username, status_code=429)
    if opened is None:
        return _login_page(request, next_path=next, message="Nama pengguna atau kata sandi salah.",
                           username=username, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, opened.token, path="/", httponly=True, samesite="lax", secure=secure_cookies(request))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, current: Annotated[accounts.SignedIn, Depends(signed_in)]) -> Response:
    context = app_context(request)
    with session_scope(context.engine) as s:
        accounts.close_session(s, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
