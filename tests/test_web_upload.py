"""The counter's upload page: a bundle lands in the inbox under a name the app makes, whole or not at all;
anything else is refused with a sentence the clerk can act on; only the counter's roles may upload."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from web_support import QUICK_HASHER, Clock, csrf_of, login, make_user

from store import accounts
from store.db import make_engine, migrate
from store.inbox import Workspace, claim_all, is_candidate
from web import create_app
from web.settings import WebSettings
from web.upload import RECEIVED, UPLOAD_ROLES

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
GENERATED = re.compile(r"^unggah-20261124T030000-[0-9a-f]{12}\.zip$")
MANIFEST = {"office": "rokan-hilir", "service": "sip-perekam-medis", "variant": "baru",
            "submitted_at": "2026-11-20T09:15:00+07:00",
            "applicant": {"nama": "SITI AMINAH", "nik": "1407015203900002"},
            "practice": {"nama": "RSUD Dr. R.M. Pratomo", "alamat": "Jl. Utama, Bagansiapiapi"}}


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('upload-db') / 'izinflow.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "rumah"


def signed_in(engine: Engine, home: Path, role: str = "back_office", *, max_mb: float = 50) -> TestClient:
    settings = WebSettings(max_upload_bytes=round(max_mb * 1024 * 1024))
    client = TestClient(create_app(engine, home, settings=settings, clock=Clock(NOW)))
    assert login(client, make_user(engine, role)).status_code == 303
    return client


def bundle_zip(*, manifest: bool = True, folder: str = "", padding: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if manifest:
            archive.writestr(f"{folder}application.json", json.dumps(MANIFEST))
        archive.writestr(f"{folder}ktp.pdf", b"%PDF-1.4\n" + b"0" * padding)
    return buffer.getvalue()


def upload(client: TestClient, name: str, data: bytes, *, token: str | None = None) -> tuple[int, str]:
    token = csrf_of(client.get("/unggah").text) if token is None else token
    response = client.post("/unggah", data={"csrf_token": token}, files={"berkas": (name, data, "application/zip")},
                           follow_redirects=True)
    return response.status_code, response.text


def inbox_of(home: Path) -> list[str]:
    folder = Workspace(home).inbox
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_bundle_lands_in_the_inbox_under_a_generated_name_and_the_clerk_is_told(engine: Engine,
                                                                                   home: Path) -> None:
    client = signed_in(engine, home)
    assert 'href="/unggah"' in client.get("/").text  # the menu offers the page to the counter's roles
    data = bundle_zip(folder="berkas-siti/")
    status, page = upload(client, "../../etc/Berkas Siti (final).zip", data)
    assert status == 200 and RECEIVED in page and 'href="/"' in page
    [name] = inbox_of(home)
    assert GENERATED.match(name) and name.removesuffix(".zip") in page  # the clerk's reference
    assert (Workspace(home).inbox / name).read_bytes() == data
    assert not (home.parent / "etc").exists()
    assert RECEIVED not in client.get("/unggah").text  # the message is shown once
    # The intake takes it like any bundle dropped in the inbox.
    [claim] = claim_all(Workspace(home))
    assert claim.name == name


@pytest.mark.parametrize(("name", "data", "says"), [
    ("berkas.pdf", b"%PDF-1.4 a loose document", "Hanya berkas .zip"),
    ("berkas.zip", b"%PDF-1.4 renamed", "bukan .zip"),
    ("berkas.zip", b"PK\x03\x04 cut short", "rusak"),
    ("berkas.zip", bundle_zip(manifest=False), "tidak ada application.json"),
    ("berkas.zip", b"", "kosong"),
])
def test_what_is_not_a_bundle_is_refused_with_its_reason_and_nothing_is_left(engine: Engine, home: Path, name: str,
                                                                             data: bytes, says: str) -> None:
    client = signed_in(engine, home)
    status, page = upload(client, name, data)
    assert status in (400, 415) and says in page and RECEIVED not in page
    assert inbox_of(home) == []


def test_no_file_chosen_is_refused(engine: Engine, home: Path) -> None:
    client = signed_in(engine, home)
    token = csrf_of(client.get("/unggah").text)
    response = client.post("/unggah", data={"csrf_token": token}, files={"berkas": ("", b"", "application/zip")})
    assert response.status_code == 400 and "Pilih berkas .zip" in response.text
    assert inbox_of(home) == []


def test_a_bundle_over_the_limit_is_refused_before_it_is_stored(engine: Engine, home: Path) -> None:
    client = signed_in(engine, home, max_mb=0.25)
    status, page = upload(client, "besar.zip", bundle_zip(padding=400 * 1024))
    assert status == 200 and "Berkas terlalu besar: paling besar 0,25 MB" in page and RECEIVED not in page
    # Just over the limit but within the form's allowance: the page itself counts and refuses.
    status, page = upload(client, "besar.zip", bundle_zip(padding=260 * 1024))
    assert status == 413 and "Berkas terlalu besar" in page
    assert inbox_of(home) == []
    assert all(not is_candidate(p) for p in Workspace(home).inbox.iterdir())


def test_only_the_counters_roles_may_upload_and_every_post_needs_the_form_token(engine: Engine, home: Path) -> None:
    assert {"front_office", "back_office", "petugas_loket"} == UPLOAD_ROLES
    for role in accounts.ACCOUNT_ROLES:
        client = signed_in(engine, home, role)
        if role in UPLOAD_ROLES:
            assert client.get("/unggah").status_code == 200
            continue
        assert client.get("/unggah").status_code == 403
        assert 'href="/unggah"' not in client.get("/").text
        token = csrf_of(client.get("/").text)
        status, _ = upload(client, "berkas.zip", bundle_zip(), token=token)
        assert status == 403
    client = signed_in(engine, home, "front_office")
    status, _ = upload(client, "berkas.zip", bundle_zip(), token="x" * 43)
    assert status == 403
    anonymous = TestClient(client.app)
    response = anonymous.post("/unggah", files={"berkas": ("berkas.zip", bundle_zip(), "application/zip")},
                              follow_redirects=False)
    assert response.status_code == 401
    assert inbox_of(home) == []
