"""Officers' decisions in the review app: a Rokan Hilir case walked to its signed permit by four
officers, each role refused what it may not do, decisions taken once, a bundle returned."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, update
from web_support import QUICK_HASHER, Clock, csrf_of, login, make_user

from checklists.lifecycle import ACTION_LABEL, Action, CaseStatus, allowed_actions
from checklists.load import load_service
from checklists.model import StageDocument
from flows.decisions import REPEATED, may_override, start_case
from izinflow.demo_case import DEMO_PEMERIKSA
from izinflow.demo_case import label as document_label
from izinflow.domain import (
    Decision,
    DocType,
    Document,
    Manifest,
    PageRef,
    Pemohon,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from store import accounts, cases, models, repository
from store.db import make_engine, migrate, session_scope
from store.issuance import documents_of
from web import create_app

S = RequirementStatus
WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
NAMA = "SITI AMINAH, A.Md.RMIK"
NIK = "1407015203900002"
RHL = load_service("rokan-hilir", "sip-perekam-medis")
REQUIREMENTS = [r.code for r in RHL.requirements_for("baru")]
LEFT_TO_A_PERSON = REQUIREMENTS[-1]
TITLE = {r.code: r.title for r in RHL.requirements}
OVERRIDE_REASON = "Dokumen asli diperlihatkan pemohon di loket dan sesuai"
BACK_OFFICE_NIP = "19920314 201801 2 004"
_FORM = re.compile(r'<form method="post" action="(/permohonan/\d+/(?:tindakan|persyaratan))"[^>]*>(.*?)</form>', re.S)
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """SQLite only: these tests are about the app (PostgreSQL's locking is tested with the store)."""
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('actions-db') / 'izinflow.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@dataclass
class Office:
    engine: Engine
    home: Path
    clients: dict[str, TestClient]  # role -> a signed-in officer of that role
    names: dict[str, str]  # role -> the officer's name


@pytest.fixture(scope="module")
def office(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    home = tmp_path_factory.mktemp("actions-home")
    app = create_app(engine, home, clock=Clock(NOW.astimezone(UTC)))
    clients, names = {}, {}
    with pytest.MonkeyPatch.context() as patch:  # a module's fixture runs before the autouse one
        patch.setattr(accounts, "HASHER", QUICK_HASHER)
        for role in accounts.ACCOUNT_ROLES:
            names[role] = f"Uji {role.replace('_', ' ').title()}"  # no role's label: a name a document prints
            client = TestClient(app)
            username = make_user(engine, role, nama=names[role])
            if role == "back_office":
                with session_scope(engine) as s:
                    s.execute(update(models.User).where(models.User.username == username).values(nip=BACK_OFFICE_NIP))
            assert login(client, username).status_code == 303
            clients[role] = client
        yield Office(engine, home, clients, names)


def register(engine: Engine, label: str, *, office: str = "rokan-hilir", service: str = "sip-perekam-medis",
             decision: Decision = Decision.review) -> int:
    """A received, checked application whose case has started: every requirement met but the last,
    left to a person; its STR read as valid for life."""
    manifest = Manifest(
        office=office, service=service, variant="baru", submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=WIB),
        pemohon=Pemohon(nama=NAMA, nik=NIK),
        tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"),
    )
    codes = [r.code for r in load_service(office, service).requirements_for("baru")]
    requirements = tuple(RequirementResult(c, S.met) for c in codes[:-1])
    last = S.review if decision == Decision.review else S.met
    if decision == Decision.incomplete:
        last = S.missing
    requirements += (RequirementResult(codes[-1], last, ("cap legalisasi kurang jelas",)),)
    str_document = Document(DocType.str, [PageRef("str.pdf", 1)], 0.95, False,
                            fields={"nama": NAMA, "nomor_str": "PM00001452360817", "berlaku_sampai": "seumur hidup"})
    with session_scope(engine) as s:
        record, _ = repository.register_application(
            s, bundle_sha256=hashlib.sha256(label.encode()).hexdigest(), manifest=manifest,
            original_path=f"/var/originals/{label}", office_prefix="ACT",
            received_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        )
        repository.save_verification(s, record.id, pages=[], classes=[], documents=[str_document],
                                     verdict=Verdict(decision, requirements), rejected=[])
        start_case(s, record.id)
    return record.id


@dataclass(frozen=True)
class Snapshot:
    status: str
    version: int
    events: int
    documents: int


def snapshot(engine: Engine, app: int) -> Snapshot:
    with session_scope(engine) as s:
        record = repository.get_application(s, app)
        assert record is not None
        return Snapshot(record.status, cases.case_state(s, app, RHL).version, len(repository.events_of(s, app)),
                        len(documents_of(s, app)))


def forms(html: str) -> dict[str, dict[str, str]]:
    """The page's decision forms: by action (or "persyaratan:<code>"), their hidden fields."""
    found = {}
    for url, body in _FORM.findall(html):
        fields = dict(_FIELD.findall(body))
        key = fields["action"] if url.endswith("tindakan") else f"persyaratan:{fields['code']}"
        found[key] = fields
    return found


def flash_of(html: str) -> str:
    found = re.search(r'<p class="flash (flash-\w+)" role="status">(.*?)</p>', html, re.S)
    assert found is not None, "the page shows no message"
    return f"{found.group(1)}: {found.group(2)}"


def post_action(client: TestClient, app: int, fields: dict[str, str], reason: str = "") -> str:
    """Send a decision form as the browser does; the message of the page the answer leads to."""
    response = client.post(f"/permohonan/{app}/tindakan", data={**fields, "reason": reason}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/permohonan/{app}"
    return flash_of(client.get(f"/permohonan/{app}").text)


def override(client: TestClient, app: int, code: str, status: S, reason: str) -> str:
    fields = forms(client.get(f"/permohonan/{app}").text)[f"persyaratan:{code}"]
    response = client.post(f"/permohonan/{app}/persyaratan", data={**fields, "status": status.value, "reason": reason},
                           follow_redirects=False)
    assert response.status_code == 303
    return flash_of(client.get(f"/permohonan/{app}").text)


def assert_everyone_else_refused(office: Office, app: int) -> None:
    """Every role posting every decision it may not make now: 403, and the case exactly as it was."""
    with session_scope(office.engine) as s:
        state = cases.case_state(s, app, RHL)
    allowed = allowed_actions(RHL, state)
    before = snapshot(office.engine, app)
    for role, client in office.clients.items():
        token = csrf_of(client.get("/").text)
        for action in Action:
            if allowed.get(action) is not None and allowed[action].value == role:
                continue
            response = client.post(f"/permohonan/{app}/tindakan", follow_redirects=False, data={
                "csrf_token": token, "action": action.value, "decision_id": str(uuid.uuid4()),
                "seen_version": str(state.version), "reason": "coba",
            })
            assert response.status_code == 403, (role, action, response.text)
        if not may_override(RHL, state, role):
            response = client.post(f"/permohonan/{app}/persyaratan", follow_redirects=False, data={
                "csrf_token": token, "code": LEFT_TO_A_PERSON, "status": "met", "decision_id": str(uuid.uuid4()),
                "reason": "coba",
            })
            assert response.status_code == 403, (role, "persyaratan")
    assert snapshot(office.engine, app) == before


def pdf_text(data: bytes) -> str:
    """The PDF's words in the order they were written (a table cell's lines stay together)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


# --- the walk ----------------------------------------------------------------------------------------


def test_a_case_walks_to_its_signed_permit_and_every_other_role_is_refused_on_the_way(office: Office) -> None:
    app = register(office.engine, "walk")
    back_office = office.clients["back_office"]
    page = back_office.get(f"/permohonan/{app}").text
    # Where the case waits, by whom, and what the back office may do.
    assert "Langkah 4:" in page and "diperiksa kelengkapan berkas melalui aplikasi SILASTRI RV" in page
    assert set(forms(page)) >= {"teruskan", "kembalikan", "tolak", f"persyaratan:{LEFT_TO_A_PERSON}"}
    assert 'name="reason" rows="2" required' in page  # returning or refusing asks for the reason
    ahli_muda = office.clients["penata_perizinan_ahli_muda"].get(f"/permohonan/{app}").text
    assert forms(ahli_muda) == {} and "permohonan menunggu Petugas Back Office" in ahli_muda

    assert_everyone_else_refused(office, app)
    # The requirement the check left to a person must be decided before the bundle moves on.
    refused = post_action(back_office, app, forms(page)["teruskan"])
    assert refused.startswith("flash-error") and TITLE[LEFT_TO_A_PERSON] in refused
    assert snapshot(office.engine, app).version == 0
    assert "Alasan wajib diisi" in override(back_office, app, LEFT_TO_A_PERSON, S.met, "  ")
    assert "tersimpan" in override(back_office, app, LEFT_TO_A_PERSON, S.met, OVERRIDE_REASON)
    page = back_office.get(f"/permohonan/{app}").text
    row = re.search(rf'<tr class="req-review" id="req-{LEFT_TO_A_PERSON}">(.*?)</tr>', page, re.S)
    assert row is not None and OVERRIDE_REASON in row.group(1) and office.names["back_office"] in row.group(1)

    walk = [("back_office", Action.teruskan, [StageDocument.tanda_terima_berkas]),
            ("penata_perizinan_ahli_muda", Action.teruskan, [StageDocument.berita_acara_pemeriksaan_berkas]),
            ("penata_perizinan_ahli_madya", Action.setujui, []),
            ("back_office", Action.beri_nomor, []),
            ("kepala_dinas", Action.tandatangani, [StageDocument.izin])]
    for number, (role, action, produced) in enumerate(walk):
        if number:
            assert_everyone_else_refused(office, app)
        client = office.clients[role]
        before = snapshot(office.engine, app)
        message = post_action(client, app, forms(client.get(f"/permohonan/{app}").text)[action.value])
        assert message.startswith("flash-ok"), message
        after = snapshot(office.engine, app)
        assert after.version == before.version + 1 and after.documents == before.documents + len(produced)
        with session_scope(office.engine) as s:
            issued = documents_of(s, app)[before.documents:]
        assert [d.kind for d in issued] == produced
        assert all(d.nomor_surat in message for d in issued)

    assert snapshot(office.engine, app).status == "terbit"
    with session_scope(office.engine) as s:
        issued = {d.kind: d for d in documents_of(s, app)}
        assert cases.case_state(s, app, RHL).signed
    # The berita acara of the check prints the officer's correction with its reason.
    berita_acara = back_office.get(f"/dokumen/{issued[StageDocument.berita_acara_pemeriksaan_berkas].id}.pdf")
    text = pdf_text(berita_acara.content)
    assert f"Diubah dari hasil sistem oleh {office.names['back_office']}" in text
    assert "Dokumen asli diperlihatkan" in text
    # It names the officers who checked the bundle (the back office, then the Ahli Muda), not the demo's.
    checked_by = text.split("kami petugas pada", 1)[1].split("telah melakukan pemeriksaan", 1)[0]
    back_office_at = checked_by.find(office.names["back_office"])
    ahli_muda_at = checked_by.find(office.names["penata_perizinan_ahli_muda"])
    assert 0 <= back_office_at < ahli_muda_at and f"NIP. {BACK_OFFICE_NIP}" in checked_by
    assert "Petugas Back Office" in checked_by and "Penata Perizinan Ahli Muda" in checked_by
    assert office.names["penata_perizinan_ahli_madya"] not in text
    assert not any(demo.nama in text for demo in DEMO_PEMERIKSA["rokan-hilir"])
    # The permit, downloadable by its id.
    permit = back_office.get(f"/dokumen/{issued[StageDocument.izin].id}.pdf")
    assert permit.status_code == 200 and permit.headers["content-type"] == "application/pdf"
    assert permit.content.startswith(b"%PDF-") and issued[StageDocument.izin].nomor_surat in pdf_text(permit.content)

    page = back_office.get(f"/permohonan/{app}").text
    assert "izin terbit" in page
    history = page.split('id="riwayat-keputusan"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", history.split("<tbody>", 1)[1], re.S)
    assert len(rows) == len(walk)
    for row, (role, action, produced) in zip(rows, walk, strict=True):
        assert office.names[role] in row and ACTION_LABEL[action] in row
        assert all(document_label(kind, RHL) in row for kind in produced)
    assert "langkah 4 (Petugas Back Office)" in rows[0] and "langkah 5" in rows[0]
    assert "Tanda terima berkas" in rows[0] and "Tandatangani" in rows[-1] and "langkah 9" in rows[-1]


def test_a_decision_sent_twice_takes_effect_once_and_a_stale_view_is_refused(office: Office) -> None:
    app = register(office.engine, "twice", decision=Decision.complete)
    back_office = office.clients["back_office"]
    form = forms(back_office.get(f"/permohonan/{app}").text)["teruskan"]
    assert post_action(back_office, app, form).startswith("flash-ok")
    after = snapshot(office.engine, app)
    assert post_action(back_office, app, form) == f"flash-ok: {REPEATED}"
    assert snapshot(office.engine, app) == after
    assert 'class="flash' not in back_office.get(f"/permohonan/{app}").text  # a message is shown once

    # Two Ahli Muda open the case; the first forwards it; the second's decision, on what they saw, is refused.
    ahli_muda = office.clients["penata_perizinan_ahli_muda"]
    first = forms(ahli_muda.get(f"/permohonan/{app}").text)["teruskan"]
    second = forms(ahli_muda.get(f"/permohonan/{app}").text)["teruskan"]
    assert first["decision_id"] != second["decision_id"]
    assert post_action(ahli_muda, app, first).startswith("flash-ok")
    ahli_madya = office.clients["penata_perizinan_ahli_madya"]
    stale = {**forms(ahli_madya.get(f"/permohonan/{app}").text)["setujui"], "seen_version": "1"}
    message = post_action(ahli_madya, app, stale)
    assert message.startswith("flash-error") and "diproses petugas lain" in message
    assert snapshot(office.engine, app).version == 2


def test_posts_without_the_form_token_or_a_session_change_nothing(office: Office, engine: Engine) -> None:
    app = register(office.engine, "csrf", decision=Decision.complete)
    back_office = office.clients["back_office"]
    fields = forms(back_office.get(f"/permohonan/{app}").text)["teruskan"]
    before = snapshot(engine, app)
    without = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert back_office.post(f"/permohonan/{app}/tindakan", data=without, follow_redirects=False).status_code == 403
    wrong = {**fields, "csrf_token": "x" * 43}
    assert back_office.post(f"/permohonan/{app}/tindakan", data=wrong, follow_redirects=False).status_code == 403
    anonymous = TestClient(back_office.app)
    assert anonymous.post(f"/permohonan/{app}/tindakan", data=fields, follow_redirects=False).status_code == 401
    assert snapshot(engine, app) == before


def test_a_returned_bundle_gets_its_letter_and_waits_for_the_applicant(office: Office) -> None:
    app = register(office.engine, "return")
    back_office = office.clients["back_office"]
    page = forms(back_office.get(f"/permohonan/{app}").text)
    # Nothing found missing yet: no return letter to write, so the return is refused and undone.
    before = snapshot(office.engine, app)
    message = post_action(back_office, app, page["kembalikan"], reason="berkas kurang")
    assert message.startswith("flash-error") and "tandai dahulu persyaratan" in message
    after = snapshot(office.engine, app)
    assert (after.version, after.documents, after.status) == (before.version, before.documents, before.status)
    with session_scope(office.engine) as s:
        assert repository.events_of(s, app)[-1].kind == cases.REFUSED

    reason = "Legalisasi ijazah tidak terbaca; unggah ulang hasil pindai yang jelas"
    assert "tersimpan" in override(back_office, app, LEFT_TO_A_PERSON, S.invalid, reason)
    page = forms(back_office.get(f"/permohonan/{app}").text)
    message = post_action(back_office, app, page["kembalikan"], reason="")
    assert message.startswith("flash-error") and "alasan wajib diisi" in message.lower()
    page = forms(back_office.get(f"/permohonan/{app}").text)
    message = post_action(back_office, app, page["kembalikan"], reason="Persyaratan belum sesuai")
    assert message.startswith("flash-ok") and "Surat pengembalian berkas Nomor" in message

    assert snapshot(office.engine, app).status == CaseStatus.dikembalikan.value
    with session_scope(office.engine) as s:
        [letter] = documents_of(s, app)
    assert letter.kind == StageDocument.surat_pengembalian_berkas
    text = pdf_text(back_office.get(f"/dokumen/{letter.id}.pdf").content)
    assert "Legalisasi ijazah tidak terbaca" in text and letter.nomor_surat in text
    case_page = back_office.get(f"/permohonan/{app}").text
    assert "menunggu berkas perbaikan dari pemohon" in case_page and forms(case_page) == {}
    assert_everyone_else_refused(office, app)


def test_a_service_handled_in_oss_shows_no_office_steps(office: Office, engine: Engine) -> None:
    app = register(engine, "bekasi", office="bekasi", service="izin-klinik-utama", decision=Decision.complete)
    bekasi = TestClient(office.clients["back_office"].app)
    assert login(bekasi, make_user(engine, "back_office", "bekasi")).status_code == 303
    page = bekasi.get(f"/permohonan/{app}").text
    assert "diproses di OSS" in page and forms(page) == {}
    with session_scope(engine) as s:
        assert repository.get_application(s, app).status == "verified"  # type: ignore[union-attr]
    response = bekasi.post(f"/permohonan/{app}/tindakan", follow_redirects=False, data={
        "csrf_token": csrf_of(page), "action": "teruskan", "decision_id": str(uuid.uuid4()), "seen_version": "0",
    })
    assert response.status_code == 403


def test_only_a_bundle_handed_to_the_office_starts_its_case(engine: Engine) -> None:
    started = register(engine, "started", decision=Decision.review)
    returned = register(engine, "incomplete", decision=Decision.incomplete)
    with session_scope(engine) as s:
        assert repository.get_application(s, started).status == "diproses"  # type: ignore[union-attr]
        assert repository.get_application(s, returned).status == "verified"  # type: ignore[union-attr]
        assert not start_case(s, returned)


def test_a_refusal_states_the_officials_grounds_and_ends_the_case(office: Office) -> None:
    app = register(office.engine, "refuse", decision=Decision.complete)
    back_office = office.clients["back_office"]
    message = post_action(back_office, app, forms(back_office.get(f"/permohonan/{app}").text)["tolak"], reason=" ")
    assert message.startswith("flash-error") and "alasan wajib diisi" in message.lower()
    grounds = "Tempat praktik belum memiliki izin operasional rumah sakit"
    message = post_action(back_office, app, forms(back_office.get(f"/permohonan/{app}").text)["tolak"], grounds)
    assert message.startswith("flash-ok") and "Surat penolakan Nomor" in message
    assert snapshot(office.engine, app).status == CaseStatus.ditolak.value
    with session_scope(office.engine) as s:
        [letter] = documents_of(s, app)
    assert letter.kind == StageDocument.surat_penolakan
    assert grounds in pdf_text(back_office.get(f"/dokumen/{letter.id}.pdf").content)
    page = back_office.get(f"/permohonan/{app}").text
    assert "Permohonan ditolak." in page and forms(page) == {} and grounds in page
    assert_everyone_else_refused(office, app)
