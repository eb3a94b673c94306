"""The review app's gate: sign-in, throttling, session expiry, logout, CSRF, and nothing for the anonymous."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from starlette.routing import BaseRoute
from web_support import PASSWORD, QUICK_HASHER, Clock, csrf_of, login, make_user

from izinflow.cli import main
from store import accounts, models
from store.db import make_engine, session_scope
from web import create_app
from web.settings import WebSettings

START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def client(engine: Engine, clock: Clock, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(engine, tmp_path, clock=clock)) as test_client:
        yield test_client


def sessions_of(engine: Engine, username: str) -> list[models.WebSession]:
    with session_scope(engine) as s:
        return list(s.execute(
            select(models.WebSession).join(models.User).where(models.User.username == username)
        ).scalars())


def test_right_password_opens_a_session_with_a_safe_cookie(engine: Engine, client: TestClient) -> None:
    username = make_user(engine, "penata_perizinan_ahli_muda", nama="Rina Marlina")
    response = login(client, username)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("izinflow_sesi="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie

    page = client.get("/")
    assert page.status_code == 200
    assert "Rina Marlina" in page.text and "Penata Perizinan Ahli Muda" in page.text
    assert "Rokan Hilir" in page.text
    # The table keeps the token's hash only, and the password only as an argon2 hash.
    token = client.cookies["izinflow_sesi"]
    [stored] = sessions_of(engine, username)
    assert stored.id == hashlib.sha256(token.encode()).hexdigest() != token
    with session_scope(engine) as s:
        user = s.execute(select(models.User).where(models.User.username == username)).scalar_one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_cookie_is_secure_over_https(engine: Engine, clock: Clock, tmp_path: Path) -> None:
    username = make_user(engine)
    with TestClient(create_app(engine, tmp_path, clock=clock), base_url="https://testserver") as https:
        cookies = login(https, username).headers.get_list("set-cookie")
    assert any(c.startswith("izinflow_sesi=") and "Secure" in c for c in cookies)
    # Forced off (a proxy that does not pass the scheme on), or on (see the login form's cookie).
    plain = create_app(engine, tmp_path, clock=clock, settings=WebSettings(secure_cookies=False))
    with TestClient(plain, base_url="https://testserver") as https:
        cookies = login(https, username).headers.get_list("set-cookie")
    assert any(c.startswith("izinflow_sesi=") and "Secure" not in c for c in cookies)
    forced = create_app(engine, tmp_path, clock=clock, settings=WebSettings(secure_cookies=True))
    with TestClient(forced) as http:
        assert "Secure" in http.get("/login").headers["set-cookie"]


def test_wrong_password_and_unknown_name_are_refused_alike(engine: Engine, client: TestClient) -> None:
    username = make_user(engine)
    wrong = login(client, username, "bukan-kata-sandinya")
    unknown = login(client, "tidak.ada", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah." in response.text
        assert not any(c.startswith("izinflow_sesi=") for c in response.headers.get_list("set-cookie"))
    assert sessions_of(engine, username) == []
    assert client.get("/", follow_redirects=False).status_code == 303


def test_five_failures_lock_the_name_for_fifteen_minutes(engine: Engine, client: TestClient, clock: Clock) -> None:
    username, other = make_user(engine), make_user(engine)
    for attempt in range(5):
        clock.advance(minutes=2)
        response = login(client, username, f"salah-{attempt}")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.text and "15 menit" in response.text

    clock.advance(minutes=5)
    refused = login(client, username)  # the right password, still refused while locked
    assert refused.status_code == 429 and "coba lagi dalam 10 menit" in refused.text
    assert sessions_of(engine, username) == []
    assert login(client, other).status_code == 303  # another name is not locked
    client.cookies.clear()

    clock.advance(minutes=10, seconds=1)
    assert login(client, username).status_code == 303


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(engine: Engine, client: TestClient,
                                                                    clock: Clock) -> None:
    username = make_user(engine)
    for attempt in range(5):
        clock.advance(minutes=4)
        assert login(client, username, f"salah-{attempt}").status_code == 401
    assert login(client, username).status_code == 303


def test_session_ends_after_thirty_idle_minutes(engine: Engine, client: TestClient, clock: Clock) -> None:
    username = make_user(engine)
    login(client, username)
    for _ in range(3):  # each visit moves the idle limit
        clock.advance(minutes=29)
        assert client.get("/").status_code == 200
    clock.advance(minutes=30)
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert 'izinflow_sesi=""' in response.headers["set-cookie"]
    assert sessions_of(engine, username) == []


def test_session_ends_twelve_hours_after_sign_in_however_active(engine: Engine, client: TestClient,
                                                                clock: Clock) -> None:
    username = make_user(engine)
    login(client, username)
    for _ in range(35):  # 11 h 40 min of steady work
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    clock.advance(minutes=20)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_timeouts_are_configurable(engine: Engine, clock: Clock, tmp_path: Path) -> None:
    username = make_user(engine)
    app = create_app(engine, tmp_path, clock=clock, settings=WebSettings(idle_timeout=timedelta(minutes=5)))
    with TestClient(app) as short:
        login(short, username)
        clock.advance(minutes=6)
        assert short.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_on_the_server(engine: Engine, client: TestClient) -> None:
    username = make_user(engine)
    login(client, username)
    token = client.cookies["izinflow_sesi"]
    response = client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert sessions_of(engine, username) == []
    client.cookies.set("izinflow_sesi", token)  # a copied cookie opens nothing any more
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_post_without_the_csrf_token_is_refused_and_changes_nothing(engine: Engine, client: TestClient) -> None:
    username = make_user(engine)
    login(client, username)
    for data in ({}, {"csrf_token": "tebakan"}):
        refused = client.post("/logout", data=data, follow_redirects=False)
        assert refused.status_code == 403 and "Formulir tidak sah" in refused.text
    assert len(sessions_of(engine, username)) == 1
    assert client.get("/").status_code == 200  # still signed in

    fresh = TestClient(client.app)
    fresh.get("/login")
    with session_scope(engine) as s:
        before = s.execute(select(func.count()).select_from(models.WebSession)).scalar_one()
    no_token = fresh.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert no_token.status_code == 403
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(models.WebSession)).scalar_one() == before


def api_routes(routes: Sequence[BaseRoute]) -> list[APIRoute]:
    """Every route of the app, those of included routers too (FastAPI 0.150 keeps them behind the router)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
    return found


def test_anonymous_user_sees_nothing_on_any_route(engine: Engine, client: TestClient) -> None:
    make_user(engine)
    routes = [r for r in api_routes(client.app.routes) if r.path != "/login"]
    assert {"/", "/permohonan/{application_id}", "/berkas/halaman/{page_id}.png", "/dokumen/{document_id}.pdf",
            "/logout"} <= {r.path for r in routes}
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        for method in route.methods:
            response = client.request(method, path, follow_redirects=False)
            if method == "GET" and not path.endswith((".png", ".pdf")):
                assert response.status_code == 303, path
                assert response.headers["location"].startswith("/login"), path
            else:
                assert response.status_code == 401, (method, path)
            assert len(response.content) < 64, (method, path)
    unknown = client.get("/tidak/ada", follow_redirects=False)
    assert unknown.status_code == 303  # not even whether a route exists
    login_page = client.get("/login")  # what is public: the form and its stylesheet
    assert login_page.headers["x-frame-options"] == "DENY" and "nosniff" in login_page.headers["x-content-type-options"]
    assert client.get("/static/izinflow.css").status_code == 200


def test_signed_in_user_is_sent_back_where_they_were_going(engine: Engine, client: TestClient) -> None:
    username = make_user(engine)
    assert client.get("/permohonan/5", follow_redirects=False).headers["location"] == "/login?next=/permohonan/5"
    form = client.get("/login?next=/permohonan/5")
    response = client.post("/login", data={
        "username": username, "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "/permohonan/5",
    }, follow_redirects=False)
    assert response.headers["location"] == "/permohonan/5"
    client.cookies.clear()
    form = client.get("/login")
    response = client.post("/login", data={
        "username": username, "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "//elsewhere.example",
    }, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_password_hash_is_upgraded_at_sign_in_when_the_parameters_changed(engine: Engine) -> None:
    username = make_user(engine)
    older = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=2).hash(PASSWORD)
    with session_scope(engine) as s:
        s.execute(models.User.__table__.update().where(models.User.username == username).values(password_hash=older))
    with session_scope(engine) as s:
        assert accounts.authenticate(s, username, PASSWORD).user is not None
    with session_scope(engine) as s:
        stored = s.execute(select(models.User.password_hash).where(models.User.username == username)).scalar_one()
    assert stored != older and not accounts.HASHER.check_needs_rehash(stored)
    with session_scope(engine) as s:
        assert accounts.authenticate(s, username, PASSWORD).user is not None


def test_inactive_user_cannot_sign_in(engine: Engine, client: TestClient) -> None:
    username = make_user(engine)
    with session_scope(engine) as s:
        s.execute(models.User.__table__.update().where(models.User.username == username).values(active=False))
    assert login(client, username).status_code == 401


# --- izinflow user add ----------------------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("IZINFLOW_DATABASE_URL", url)
    monkeypatch.setenv("IZINFLOW_HOME", str(tmp_path))
    eng = make_engine(url)
    yield eng
    eng.dispose()


def test_user_add_reads_the_password_from_stdin(cli_database: Engine, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-loket-2026\n"))
    code = main(["user", "add", "Siti.Loket", "--nama", "Siti Aminah", "--peran", "front_office",
                 "--kantor", "rokan-hilir", "--nip", "198705122010012003", "--password-stdin"])
    assert code == 0
    assert "siti.loket" in capsys.readouterr().out
    with session_scope(cli_database) as s:
        user = accounts.authenticate(s, "siti.loket", "sandi-loket-2026").user
    assert user is not None
    assert (user.nama, user.role, user.office, user.nip) == ("Siti Aminah", "front_office", "rokan-hilir",
                                                             "198705122010012003")

    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-lain-2026\n"))
    again = main(["user", "add", "siti.loket", "--nama", "X", "--peran", "front_office", "--kantor", "rokan-hilir",
                  "--password-stdin"])
    assert again == 2 and "sudah dipakai" in capsys.readouterr().err


@pytest.mark.parametrize(("arguments", "password", "reason"), [
    (["--peran", "lurah", "--kantor", "rokan-hilir"], "sandi-panjang-sekali", "peran 'lurah' tidak dikenal"),
    (["--peran", "operator", "--kantor", "atlantis"], "sandi-panjang-sekali", "kantor 'atlantis' tidak dikenal"),
    (["--peran", "operator", "--kantor", "bontang"], "pendek", "kata sandi minimal 10 karakter"),
])
def test_user_add_refuses_what_it_cannot_create(cli_database: Engine, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], arguments: list[str],
                                               password: str, reason: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(["user", "add", "andi", "--nama", "Andi", *arguments, "--password-stdin"]) == 2
    assert reason in capsys.readouterr().err


def test_user_add_asks_twice_and_refuses_different_passwords(cli_database: Engine, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    typed = iter(["sandi-pertama-1", "sandi-kedua-22"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert main(["user", "add", "andi", "--nama", "Andi", "--peran", "operator", "--kantor", "bontang"]) == 2
    assert "kedua kata sandi tidak sama" in capsys.readouterr().err
