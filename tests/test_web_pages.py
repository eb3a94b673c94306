"""The review app's pages: the office's work queue, the case page, page images and issued documents."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from web_support import QUICK_HASHER, Clock, login, make_user

from checklists.calendar import load_calendar
from checklists.load import load_office
from checklists.model import StageDocument
from izinflow.domain import (
    BundleFile,
    Decision,
    DocType,
    Document,
    Manifest,
    PageClass,
    PageRef,
    PageText,
    Pemohon,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from store import accounts, casework, repository
from store.db import session_scope
from store.issuance import documents_of, issue_document
from web import create_app

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=WIB)  # a Thursday
NIK = "1407015203900002"
NIK_MASKED = "1407********0002"
NAMA = "SITI AMINAH"


@dataclass(frozen=True)
class Cases:
    late: int  # rokan-hilir, complete since 23 November: overdue on NOW
    fresh: int  # rokan-hilir, complete since 9 December: due next week
    review: int  # rokan-hilir, waiting for a person's check: no clock yet, received first of all
    received: int  # rokan-hilir, not verified yet
    other_office: int  # bontang
    late_pages: dict[str, int]  # file name -> page id (first page)
    late_document: int
    other_page: int
    other_document: int
    tampered_document: int
    files_dir: Path


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)


def _bundle(folder: Path, office: str, service: str, variant: str) -> Path:
    """A bundle folder as the portal leaves it: the form, a two-page letter (PDF) and an ID photo lying on its side."""
    folder.mkdir(parents=True)
    (folder / "application.json").write_text(json.dumps({
        "office": office, "service": service, "variant": variant, "submitted_at": "2026-11-23T09:00:00+07:00",
        "applicant": {"nama": NAMA, "nik": NIK},
    }), encoding="utf-8")
    pages = []
    for number in (1, 2):
        page = Image.new("RGB", (300, 420), "white")
        ImageDraw.Draw(page).text((40, 40), f"SURAT PERMOHONAN hlm {number}", fill="black")
        pages.append(page)
    pages[0].save(folder / "surat.pdf", format="PDF", save_all=True, append_images=pages[1:], resolution=72)
    Image.new("RGB", (160, 100), (200, 210, 230)).save(folder / "ktp.png")
    return folder


def _manifest(office: str, service: str, variant: str, submitted_at: datetime) -> Manifest:
    return Manifest(office=office, service=service, variant=variant, submitted_at=submitted_at,
                    pemohon=Pemohon(nama=NAMA, nik=NIK), tempat_praktik=TempatPraktik())


def _register(s: Session, label: str, manifest: Manifest, original: Path, prefix: str, received_at: datetime) -> int:
    record, _ = repository.register_application(
        s, bundle_sha256=(label.encode().hex() + "0" * 64)[:64], manifest=manifest, original_path=str(original),
        office_prefix=prefix, received_at=received_at,
    )
    return record.id


def _verify(s: Session, application_id: int, decision: Decision) -> None:
    pdf, png = PageRef("surat.pdf", 1), PageRef("ktp.png", 1)
    pages = [
        PageText(pdf, "SURAT PERMOHONAN", ocr=False, content_sha256=f"{application_id:04d}" + "a" * 60),
        PageText(PageRef("surat.pdf", 2), "SURAT PERMOHONAN", ocr=False,
                 content_sha256=f"{application_id:04d}" + "b" * 60),
        PageText(png, f"NIK {NIK}", ocr=True, rotation=90, ocr_confidence=81.0,
                 content_sha256=f"{application_id:04d}" + "c" * 60),
    ]
    classes = [PageClass(pdf, DocType.surat_permohonan, 0.93), PageClass(png, DocType.ktp, 0.88)]
    documents = [
        Document(DocType.surat_permohonan, [pdf, PageRef("surat.pdf", 2)], 0.93, ocr=False,
                 fields={"nama": NAMA, "tanggal": "20-11-2026"}),
        Document(DocType.ktp, [png], 0.88, ocr=True, fields={"nik": NIK, "nama": NAMA}),
    ]
    verdict = Verdict(decision, (
        RequirementResult("surat_permohonan", RequirementStatus.met, (), (pdf,)),
        RequirementResult("ktp", RequirementStatus.review,
                          (f"NIK pada KTP ({NIK}) terbaca dengan keyakinan rendah",), (png,)),
        RequirementResult("ijazah", RequirementStatus.missing, ("ijazah tidak ditemukan di berkas",), ()),
    ))
    files = [BundleFile("surat.pdf", b"%PDF", "pdf"), BundleFile("ktp.png", b"png", "image")]
    repository.save_verification(s, application_id, pages=pages, classes=classes, documents=documents,
                                 verdict=verdict, rejected=[], files=files)


def _issue(s: Session, application_id: int, office: str, kind: StageDocument, files_dir: Path) -> int:
    record = issue_document(
        s, application_id=application_id, office=load_office(office), kind=kind, tanggal=date(2026, 11, 24),
        render=lambda ticket: b"%PDF-1.7\n% " + ticket.nomor_surat.encode() + b"\n%%EOF\n",
        files_dir=files_dir, holder=NAMA,
    )
    return record.id


@pytest.fixture(scope="module")
def cases(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Cases:
    root = tmp_path_factory.mktemp("web-cases")
    rhl = _bundle(root / "rhl", "rokan-hilir", "sip-perekam-medis", "baru")
    btg = _bundle(root / "btg", "bontang", "sip-perekam-medis", "fasyankes")
    files_dir = root / "arsip"
    rhl_form = ("rokan-hilir", "sip-perekam-medis", "baru")
    with session_scope(engine) as s:
        review = _register(s, "web-review", _manifest(*rhl_form, datetime(2026, 11, 19, 8, 0, tzinfo=WIB)), rhl, "WRH",
                           datetime(2026, 11, 19, 1, 0, tzinfo=UTC))
        late = _register(s, "web-late", _manifest(*rhl_form, datetime(2026, 11, 23, 9, 0, tzinfo=WIB)), rhl, "WRH",
                         datetime(2026, 11, 23, 2, 5, tzinfo=UTC))
        received = _register(s, "web-received", _manifest(*rhl_form, datetime(2026, 11, 30, 9, 0, tzinfo=WIB)), rhl,
                             "WRH", datetime(2026, 11, 30, 2, 5, tzinfo=UTC))
        fresh = _register(s, "web-fresh", _manifest(*rhl_form, datetime(2026, 12, 9, 9, 0, tzinfo=WIB)), rhl, "WRH",
                          datetime(2026, 12, 9, 2, 5, tzinfo=UTC))
        other = _register(s, "web-other", _manifest("bontang", "sip-perekam-medis", "fasyankes",
                                                    datetime(2026, 11, 20, 9, 0, tzinfo=WITA)), btg, "WBT",
                          datetime(2026, 11, 20, 1, 5, tzinfo=UTC))
        for application_id, decision in ((review, Decision.review), (late, Decision.complete),
                                         (fresh, Decision.complete), (other, Decision.complete)):
            _verify(s, application_id, decision)
        repository.append_event(s, late, "berkas_diterima", "izinflow", {"catatan": f"NIK {NIK} dicatat"},
                                at=datetime(2026, 11, 23, 2, 6, tzinfo=UTC))
        late_document = _issue(s, late, "rokan-hilir", StageDocument.tanda_terima_berkas, files_dir)
        tampered = _issue(s, fresh, "rokan-hilir", StageDocument.tanda_terima_berkas, files_dir)
        other_document = _issue(s, other, "bontang", StageDocument.tanda_terima_berkas, files_dir)
        late_pages = {p.file_name: p.id for p in reversed(casework.latest_pages(s, late))}
        other_page = casework.latest_pages(s, other)[0].id
        tampered_path = next(d.path for d in documents_of(s, fresh) if d.id == tampered)
    tampered_path.write_bytes(tampered_path.read_bytes() + b"% diubah\n")
    return Cases(late, fresh, review, received, other, late_pages, late_document, other_page, other_document,
                 tampered, files_dir)


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-home")


def client_for(engine: Engine, home: Path, role: str, office: str = "rokan-hilir") -> Iterator[TestClient]:
    clock = Clock(NOW.astimezone(UTC))
    with TestClient(create_app(engine, home, clock=clock)) as client:
        assert login(client, make_user(engine, role, office)).status_code == 303
        yield client


@pytest.fixture
def staff(engine: Engine, app_home: Path, cases: Cases) -> Iterator[TestClient]:
    yield from client_for(engine, app_home, "back_office")


@pytest.fixture
def operator(engine: Engine, app_home: Path, cases: Cases) -> Iterator[TestClient]:
    yield from client_for(engine, app_home, "operator")


@pytest.fixture
def other_office(engine: Engine, app_home: Path, cases: Cases) -> Iterator[TestClient]:
    yield from client_for(engine, app_home, "back_office", "bontang")


def queue_rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


def nomor(engine: Engine, application_id: int) -> str:
    with session_scope(engine) as s:
        record = repository.get_application(s, application_id)
    assert record is not None
    return record.nomor_permohonan


def working_days_late(due: date, today: date) -> int:
    calendar = load_calendar("rokan-hilir")
    return sum(calendar.is_working_day(due + timedelta(days=i)) for i in range(1, (today - due).days + 1))


# --- the work queue -------------------------------------------------------------------------------


def test_queue_puts_the_oldest_deadline_first_and_marks_the_overdue(engine: Engine, cases: Cases,
                                                                    staff: TestClient) -> None:
    page = staff.get("/?lihat=semua")
    assert page.status_code == 200
    rows = queue_rows(page.text)
    numbers = [re.search(r"W[A-Z]{2}-\d{4}-\d{6}", row).group(0) for row in rows]  # type: ignore[union-attr]
    # Running clocks by due date, then those without one by reception (the review case came in first).
    assert numbers == [nomor(engine, i) for i in (cases.late, cases.fresh, cases.review, cases.received)]
    late_row, fresh_row, review_row, _ = rows
    # 23 November (Mon) is day 0; four working days make 27 November the due date.
    assert "27 November 2026" in late_row and 'class="is-late"' in late_row
    assert f"terlambat {working_days_late(date(2026, 11, 27), NOW.date())} hari kerja" in late_row
    assert "terlambat" not in fresh_row and "is-late" not in fresh_row
    assert "mulai setelah berkas dinyatakan lengkap" in review_row
    assert "1 terlambat" in page.text
    # The applicant's name for the staff, the NIK masked only.
    assert NAMA in late_row and NIK_MASKED in late_row and NIK not in page.text
    assert "Izin Praktik Perekam Medis" in late_row and "Permohonan Baru" in late_row


def test_queue_shows_only_the_office_own_cases(engine: Engine, cases: Cases, staff: TestClient,
                                              other_office: TestClient) -> None:
    assert nomor(engine, cases.other_office) not in staff.get("/?lihat=semua").text
    theirs = other_office.get("/?lihat=semua").text
    assert [nomor(engine, cases.other_office)] == re.findall(r"W[A-Z]{2}-\d{4}-\d{6}", theirs)[:1]
    assert nomor(engine, cases.late) not in theirs


def test_queue_filters_by_status(engine: Engine, cases: Cases, staff: TestClient) -> None:
    received = staff.get("/?status=received").text
    assert [nomor(engine, cases.received)] == list(dict.fromkeys(re.findall(r"W[A-Z]{2}-\d{4}-\d{6}", received)))
    verified = staff.get("/?status=verified").text
    assert nomor(engine, cases.received) not in verified and nomor(engine, cases.late) in verified
    assert 'href="/?status=verified" class="chip on"' in verified


# --- the case page --------------------------------------------------------------------------------


def test_case_page_shows_requirements_documents_pages_and_history(engine: Engine, cases: Cases,
                                                                  staff: TestClient) -> None:
    page = staff.get(f"/permohonan/{cases.late}")
    assert page.status_code == 200
    html = page.text
    assert nomor(engine, cases.late) in html and "Izin Praktik Perekam Medis" in html and "Permohonan Baru" in html
    assert "27 November 2026" in html and "terlambat" in html
    # Each requirement with its status and reason, as the service names it.
    assert "Foto Copy KTP" in html and "perlu diperiksa" in html and "terpenuhi" in html and "tidak ada" in html
    assert f"NIK pada KTP ({NIK_MASKED}) terbaca dengan keyakinan rendah" in html
    assert "ijazah tidak ditemukan di berkas" in html
    # What was read, beside the page images; the NIK masked everywhere, history included.
    assert "keyakinan 88%" in html and NIK_MASKED in html and NAMA in html
    assert NIK not in html
    for page_id in cases.late_pages.values():
        assert f'src="/berkas/halaman/{page_id}.png"' in html
    assert "Dokumen diterbitkan" in html and "Berkas diterima" in html
    assert f'href="/dokumen/{cases.late_document}.pdf"' in html and "Tanda terima berkas" in html


def test_another_office_case_page_and_files_are_not_found(cases: Cases, staff: TestClient,
                                                         other_office: TestClient) -> None:
    for path in (f"/permohonan/{cases.late}", f"/berkas/halaman/{cases.late_pages['ktp.png']}.png",
                 f"/dokumen/{cases.late_document}.pdf"):
        response = other_office.get(path)
        assert response.status_code == 404, path
        assert NAMA not in response.text
    for path in (f"/permohonan/{cases.other_office}", f"/berkas/halaman/{cases.other_page}.png",
                 f"/dokumen/{cases.other_document}.pdf", "/permohonan/999999", "/dokumen/999999.pdf"):
        assert staff.get(path).status_code == 404, path
    assert staff.get("/permohonan/satu").status_code == 400


# --- files ----------------------------------------------------------------------------------------


def test_page_image_is_drawn_from_the_original_upright(cases: Cases, staff: TestClient) -> None:
    response = staff.get(f"/berkas/halaman/{cases.late_pages['ktp.png']}.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"].startswith("private")
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (100, 160)  # the 160x100 photo, turned as the reader turned it (90 degrees)

    pdf_page = Image.open(io.BytesIO(staff.get(f"/berkas/halaman/{cases.late_pages['surat.pdf']}.png").content))
    width, height = pdf_page.size  # the 300x420 pt page at 100 dpi
    assert abs(width - 300 * 100 / 72) <= 1 and abs(height - 420 * 100 / 72) <= 1


def test_issued_document_downloads_by_id_for_staff(cases: Cases, staff: TestClient) -> None:
    response = staff.get(f"/dokumen/{cases.late_document}.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"503.1/" in response.content
    assert response.headers["content-disposition"].startswith('attachment; filename="tanda_terima_berkas_503.1-')
    assert response.headers["cache-control"].startswith("private")
    # A file changed in the archive since it was issued is not handed out.
    assert staff.get(f"/dokumen/{cases.tampered_document}.pdf").status_code == 409


def test_operator_watches_the_queue_but_opens_no_files(engine: Engine, cases: Cases, operator: TestClient) -> None:
    assert nomor(engine, cases.late) in operator.get("/").text
    case = operator.get(f"/permohonan/{cases.late}")
    assert case.status_code == 200 and "Foto Copy KTP" in case.text
    assert "/berkas/halaman/" not in case.text and "/dokumen/" not in case.text
    assert operator.get(f"/berkas/halaman/{cases.late_pages['ktp.png']}.png").status_code == 403
    assert operator.get(f"/dokumen/{cases.late_document}.pdf").status_code == 403
