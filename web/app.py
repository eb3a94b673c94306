"""The review app's factory: the store, the sign-in gate in front of every route, pages and errors.

Every request passes the gate (``_gate``): the session cookie is resolved to a user, and a request
without one reaches only ``/login`` and ``/static``. Pages then redirect to the login form; anything
else (images, files, posts) gets 401. Every unsafe request must carry the form's CSRF token
(``web.auth.csrf_guard``, a dependency of the whole app), so a route added later is covered too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from izinflow.config import load_settings
from store import accounts
from store.db import make_engine, migrate, session_scope
from web import actions, auth, cases, upload, wording
from web.context import COOKIE, HERE, AppContext, Clock, environment, error_response, wants_page
from web.settings import WebSettings, load_web_settings

PUBLIC_PATHS = frozenset({"/login"})
STATIC_PREFIX = "/static/"
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def create_app(
    engine: Engine | None = None,
    home: Path | str | None = None,
    *,
    settings: WebSettings | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The review app over ``engine`` (default: the workspace's database, migrated) with its page
    cache under ``home`` (default: ``IZINFLOW_HOME``). ``clock`` gives the time (tests move it)."""
    workspace = load_settings()
    home_path = Path(home).resolve() if home is not None else workspace.home
    if engine is None:
        engine = make_engine(workspace.database_url or f"sqlite:///{home_path / 'izinflow.db'}")
        migrate(engine)
    context = AppContext(
        engine=engine,
        home=home_path,
        settings=settings or load_web_settings(),
        clock=clock or (lambda: datetime.now(UTC)),
        templates=Jinja2Templates(env=environment()),
    )

    app = FastAPI(
        title="izinflow",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(auth.csrf_guard)],
    )
    app.state.izinflow = context
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(auth.router)
    app.include_router(cases.router)
    app.include_router(actions.router)
    app.include_router(upload.router)
    app.add_middleware(upload.UploadLimit, max_bytes=context.settings.max_upload_bytes)  # inside the gate
    context.templates.env.globals.update(
        UPLOAD_ROLES=upload.UPLOAD_ROLES, event_line=wording.event_line, actor_name=wording.actor_name,
        document_name=wording.document_name,
    )

    @app.middleware("http")
    async def _gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if path.startswith(STATIC_PREFIX):  # the stylesheet: public, no session needed
            response = await call_next(request)
            response.headers.setdefault("Cache-Control", "no-cache")
        else:
            response = await _signed_in_only(request, call_next)
            # Pages carry personal data: no shared cache keeps them, and Back does not show them after logout.
            response.headers.setdefault("Cache-Control", "no-store")
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _signed_in_only(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        token = request.cookies.get(COOKIE, "")
        signed_in = await run_in_threadpool(_resolve, context, token) if token else None
        request.state.signed_in = signed_in
        if signed_in is None and request.url.path not in PUBLIC_PATHS:
            response = _anonymous(request)
        else:
            response = await call_next(request)
        sets_cookie = any(c.startswith(f"{COOKIE}=") for c in response.headers.getlist("set-cookie"))
        if token and signed_in is None and not sets_cookie:
            response.delete_cookie(COOKIE, path="/")  # expired or unknown: the browser forgets it
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail) if exc.detail else "")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 400, "Permintaan tidak sah.")

    return app


def _resolve(context: AppContext, token: str) -> accounts.SignedIn | None:
    with session_scope(context.engine) as s:
        return accounts.session_user(s, token, now=context.clock(), idle=context.settings.idle_timeout)


def _anonymous(request: Request) -> Response:
    if wants_page(request):
        return RedirectResponse("/login" + (f"?next={request.url.path}" if request.url.path != "/" else ""),
                                status_code=303)
    return PlainTextResponse("Silakan masuk terlebih dahulu.", status_code=401)
