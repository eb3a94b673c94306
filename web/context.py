"""What every route of the review app shares: the app's context, the signed-in user, pages and errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import HTTPException, Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from checklists.load import ChecklistError, load_office
from store import accounts
from web import labels
from web.settings import WebSettings

HERE = Path(__file__).resolve().parent
COOKIE = "izinflow_sesi"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    home: Path
    settings: WebSettings
    clock: Clock
    templates: Jinja2Templates

    @property
    def page_cache(self) -> Path:
        return self.home / "cache" / "halaman"


def app_context(request: Request) -> AppContext:
    return request.app.state.izinflow  # type: ignore[no-any-return]


def signed_in_of(request: Request) -> accounts.SignedIn | None:
    """The user the gate found for this request's cookie, or None."""
    return getattr(request.state, "signed_in", None)


def signed_in(request: Request) -> accounts.SignedIn:
    """Dependency: the signed-in user (the gate already turned everyone else away)."""
    found = signed_in_of(request)
    if found is None:
        raise HTTPException(status_code=401)
    return found


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not an image, a file or a form post)."""
    last = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    return request.method in ("GET", "HEAD") and "." not in last


_ERROR_TEXT = {
    400: "Permintaan tidak sah.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak berwenang membuka halaman ini.",
    404: "Halaman atau berkas tidak ditemukan.",
    405: "Permintaan tidak sah.",
}


def error_response(request: Request, status: int, detail: str = "") -> Response:
    message = detail if detail and detail != _default_detail(status) else _ERROR_TEXT.get(status, "Terjadi kesalahan.")
    if wants_page(request) and signed_in_of(request) is not None:
        return render(request, "galat.html", {"status": status, "message": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def _default_detail(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def render(request: Request, name: str, values: dict[str, Any], *, status_code: int = 200) -> Response:
    """A page with the layout's context: the signed-in user, the office, the CSRF token, the labels."""
    context = app_context(request)
    signed_in = signed_in_of(request)
    office_name, zone = "", ZoneInfo("Asia/Jakarta")
    if signed_in is not None:
        try:
            office = load_office(signed_in.user.office)
            office_name, zone = office.name, ZoneInfo(office.timezone)
        except (ChecklistError, ValueError):
            office_name = signed_in.user.office

    def waktu(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%d-%m-%Y %H:%M") if moment else "-"

    page = {
        "signed_in": signed_in,
        "user": signed_in.user if signed_in else None,
        "csrf_token": signed_in.csrf_token if signed_in else "",
        "office_name": office_name,
        "role_label": labels.label(labels.ROLE_LABEL, signed_in.user.role) if signed_in else "",
        "waktu": waktu,
        "now": context.clock(),
        "idle_minutes": round(context.settings.idle_timeout.total_seconds() / 60),
        **values,
    }
    return context.templates.TemplateResponse(request, name, page, status_code=status_code)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        label=labels.label,
        STATUS_LABEL=labels.STATUS_LABEL,
        DECISION_LABEL=labels.DECISION_LABEL,
        REQUIREMENT_STATUS_LABEL=labels.REQUIREMENT_STATUS_LABEL,
        EVENT_LABEL=labels.EVENT_LABEL,
        DOCUMENT_LABEL=labels.DOCUMENT_LABEL,
        ROLE_LABEL=labels.ROLE_LABEL,
    )
    env.filters["persen"] = lambda value: "-" if value is None else f"{round(float(value) * 100)}%"
    return env
