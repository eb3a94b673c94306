"""Signed documents: the visible signature sits on the signature block, and any change is caught."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pdfplumber
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from checklists.load import load_catalogue, load_office
from checklists.model import OfficeProfile
from izinflow.pki import (
    PkiError,
    SigningMaterial,
    ensure_demo_pki,
    ensure_demo_pki_for_catalogue,
    load_signing_material,
    signing_material,
    trust_roots,
)
from renderers.signing import ANCHOR, find_signature_placement, sign_pdf, validate_pdf

LETTER = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><style>
  @page {{ size: A4; margin: 20mm 18mm 14mm 25mm; }}
  html {{ font-family: "DejaVu Serif"; font-size: 10pt; }}
  .signature {{ margin-left: 88mm; margin-top: 6mm; text-align: center; }}
  .space {{ height: 13mm; font-size: 7.5pt; font-style: italic; display: flex; align-items: center;
            justify-content: center; }}
</style></head><body>
  <p>Nomor: 503/0007/DPMPTSP/XI/2026</p>
  {body}
  <div class="signature">
    <div><b>KEPALA DINAS,</b></div>
    <div class="space">{note}</div>
    <div><b><u>{nama}</u></b></div>
    <div>NIP. 19700101 199003 1 001</div>
  </div>
</body></html>"""


def _letter(office: OfficeProfile, *, paragraphs: int = 3, note: str = ANCHOR, variant: str | None = None) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>Paragraf {i + 1}: surat ini diterbitkan untuk pemohon.</p>" for i in range(paragraphs))
    html = LETTER.format(body=body, note=note, nama=office.signatory.nama)
    return HTML(string=html).write_pdf(pdf_variant=variant)


@pytest.fixture(autouse=True)
def _demo_signing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo PKI unless a test configures a production directory itself."""
    monkeypatch.delenv("IZINFLOW_SIGNING_DIR", raising=False)


@pytest.fixture(scope="module")
def office() -> OfficeProfile:
    return load_office("rokan-hilir")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def material(home: Path, office: OfficeProfile) -> SigningMaterial:
    return ensure_demo_pki(home, office)


@pytest.fixture(scope="module")
def letter(office: OfficeProfile) -> bytes:
    return _letter(office, variant="pdf/a-3b")


@pytest.fixture(scope="module")
def signed(letter: bytes, material: SigningMaterial) -> bytes:
    return sign_pdf(letter, material.signer, reason="Penerbitan surat", location="Bagansiapiapi")


def _anchor_box(pdf: bytes, page: int = -1) -> tuple[float, float, float, float]:
    """The anchor words' box in PDF user space (x0, y0, x1, y1)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        p = document.pages[page]
        hits = p.search(ANCHOR)
        assert hits, "the anchor words are on the page"
        hit = hits[-1]
        return hit["x0"], p.height - hit["bottom"], hit["x1"], p.height - hit["top"]


def _widget(pdf: bytes) -> tuple[int, list[float]]:
    """Page index and /Rect of the signature widget."""
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Widget" and annot.get("/FT", annot.get("/Parent", {}).get("/FT")) == "/Sig":
                assert "/AP" in annot, "a visible signature has an appearance"
                return index, [float(v) for v in annot["/Rect"]]
    raise AssertionError("no signature widget")


def _ink_inside(pdf: bytes, page: int, rect: list[float], tmp_path: Path, inset: float = 0.0) -> int:
    """Blue pixels (the signature's ink; the letters are black) inside the rectangle, rendered at 72 dpi."""
    prefix = tmp_path / f"page{page}"
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", str(page + 1), "-l", str(page + 1), "-singlefile",
                    str(source), str(prefix)], check=True)
    image = Image.open(f"{prefix}.png").convert("RGB")
    x0, y0, x1, y1 = rect
    height = image.height
    box = (int(x0 + inset), int(height - y1 + inset), int(x1 - inset), int(height - y0 - inset))
    return sum(1 for r, g, b in image.crop(box).getdata() if b > r + 40 and b > 80)


# --- signing and a clean validation --------------------------------------------------------------


def test_signed_letter_validates_as_intact_unchanged_and_trusted(
    signed: bytes, home: Path, office: OfficeProfile
) -> None:
    check = validate_pdf(signed, trust_roots(home))
    assert (check.valid, check.intact, check.unchanged, check.trusted) == (True, True, True, True)
    assert check.signer == office.signatory.nama
    assert check.signed_at is not None and abs(datetime.now(UTC) - check.signed_at) < timedelta(minutes=5)
    assert "sah" in check.reason and office.signatory.nama in check.reason


def test_signature_is_pades_certification_and_keeps_the_original_bytes(signed: bytes, letter: bytes) -> None:
    assert signed.startswith(letter), "signing appends an incremental update"
    reader = PdfReader(io.BytesIO(signed))
    fields = reader.get_fields() or {}
    value = next(f["/V"].get_object() for f in fields.values() if f.get("/FT") == "/Sig")
    assert value["/SubFilter"] == "/ETSI.CAdES.detached"
    assert value["/Reason"] == "Penerbitan surat" and value["/Location"] == "Bagansiapiapi"
    assert "/Perms" in reader.trailer["/Root"], "a certification signature locks the document"


def test_visible_signature_sits_over_the_signature_block(signed: bytes, tmp_path: Path) -> None:
    with pdfplumber.open(io.BytesIO(signed)) as document:
        assert ANCHOR in (document.pages[-1].extract_text() or ""), "the block's words stay readable"
    page, rect = _widget(signed)
    assert page == 0
    ax0, ay0, ax1, ay1 = _anchor_box(signed)
    assert rect[0] <= ax0 and rect[1] <= ay0 and rect[2] >= ax1 and rect[3] >= ay1
    assert rect[3] - rect[1] <= 45, "the field stays within the block's free space"
    assert _ink_inside(signed, page, rect, tmp_path) > 50, "the frame is drawn"


def test_field_grows_only_into_free_space(signed: bytes) -> None:
    page, rect = _widget(signed)
    with pdfplumber.open(io.BytesIO(signed)) as document:
        p = document.pages[page]
        others = [w for w in p.extract_words() if w["text"] in ("KEPALA", "DINAS,", "NIP.")]
        for word in others:
            y0, y1 = p.height - word["bottom"], p.height - word["top"]
            assert y1 <= rect[1] or y0 >= rect[3], f"{word['text']} is not covered"


def test_block_on_the_last_page_of_a_long_letter(office: OfficeProfile, material: SigningMaterial,
                                                 home: Path) -> None:
    pdf = _letter(office, paragraphs=60)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2
    signed = sign_pdf(pdf, material.signer, reason="r", location="l")
    assert _widget(signed)[0] == pages - 1
    assert validate_pdf(signed, trust_roots(home)).valid


def test_capitalised_block_preferred_over_a_sentence_mentioning_it() -> None:
    from weasyprint import HTML

    html = ("<p>Ditandatangani secara elektronik</p>"
            "<p>Catatan: dokumen ini ditandatangani secara elektronik dan sah tanpa cap basah.</p>")
    placement = find_signature_placement(HTML(string=html).write_pdf())
    assert placement.over_anchor
    with pdfplumber.open(io.BytesIO(HTML(string=html).write_pdf())) as document:
        page = document.pages[0]
        first = page.search(ANCHOR)[0]
        assert placement.box[3] >= page.height - first["bottom"] >= placement.box[1]


def test_without_a_block_the_field_carries_the_words_at_the_lower_right(
    office: OfficeProfile, material: SigningMaterial, home: Path, tmp_path: Path
) -> None:
    pdf = _letter(office, note="", paragraphs=1)
    assert not find_signature_placement(pdf).over_anchor
    signed = sign_pdf(pdf, material.signer, reason="r", location="l")
    page, rect = _widget(signed)
    width, height = (float(v) for v in PdfReader(io.BytesIO(signed)).pages[page].mediabox[2:])
    assert rect[0] > width / 2 and rect[3] < height / 4
    assert _ink_inside(signed, page, rect, tmp_path, inset=4) > 100, "the words are drawn inside the frame"
    assert validate_pdf(signed, trust_roots(home)).valid


# --- tampering ----------------------------------------------------------------------------------


def test_a_flipped_byte_inside_the_signed_range_is_caught(signed: bytes, letter: bytes, home: Path) -> None:
    tampered = bytearray(signed)
    start = letter.index(b"stream", letter.index(b"/Length")) + len(b"stream\n") + 10  # inside a page stream
    tampered[start] ^= 0x20
    check = validate_pdf(bytes(tampered), trust_roots(home))
    assert not check.valid and not check.intact
    assert "berubah" in check.reason


def test_a_page_change_appended_after_signing_is_caught(signed: bytes, home: Path) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    overlay = b"BT /F1 12 Tf 100 100 Td (PALSU) Tj ET 1 0 0 rg 60 60 200 40 re f"
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=overlay)))
    out = io.BytesIO()
    writer.write(out)
    check = validate_pdf(out.getvalue(), trust_roots(home))
    assert check.intact, "the signed revision itself is untouched"
    assert not check.unchanged and not check.valid
    assert "diubah setelah ditandatangani" in check.reason


def test_even_an_added_annotation_fails_validation(signed: bytes, home: Path) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
        pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (300, 700, 500, 730)]),
        pdf_name("/Contents"): generic.TextStringObject("DIBATALKAN"),
        pdf_name("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
    })
    page["/Annots"] = generic.ArrayObject([*page.get("/Annots", []), writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    check = validate_pdf(out.getvalue(), trust_roots(home))
    assert not check.valid and not check.unchanged


def test_a_certificate_from_another_ca_is_not_trusted(letter: bytes, office: OfficeProfile, home: Path,
                                                      tmp_path: Path) -> None:
    stranger = ensure_demo_pki(tmp_path / "other-home", office)  # same names, another root key
    check = validate_pdf(sign_pdf(letter, stranger.signer, reason="r", location="l"), trust_roots(home))
    assert check.intact and not check.trusted and not check.valid
    assert "tidak diterbitkan oleh otoritas sertifikat yang dipercaya" in check.reason


def test_no_trust_roots_means_not_trusted(signed: bytes) -> None:
    assert not validate_pdf(signed, ()).trusted


def test_an_expired_certificate_is_reported(signed: bytes, home: Path) -> None:
    check = validate_pdf(signed, trust_roots(home), at=datetime.now(UTC) + timedelta(days=365 * 6))
    assert not check.valid and not check.trusted and "kedaluwarsa" in check.reason


def test_unsigned_and_unreadable_documents(letter: bytes, home: Path) -> None:
    assert validate_pdf(letter, trust_roots(home)).reason == "Dokumen tidak memuat tanda tangan elektronik."
    broken = validate_pdf(b"bukan pdf", trust_roots(home))
    assert not broken.valid and "tidak dapat dibaca" in broken.reason


# --- the demo PKI and production configuration ---------------------------------------------------


def test_demo_pki_is_created_once(home: Path, office: OfficeProfile, material: SigningMaterial) -> None:
    pki = home / "pki"
    before = {p.name: p.read_bytes() for p in pki.iterdir() if p.suffix == ".pem"}
    again = ensure_demo_pki(home, office)
    assert {p.name: p.read_bytes() for p in pki.iterdir() if p.suffix == ".pem"} == before
    assert again.signer is material.signer, "loaded key objects are reused"
    assert (pki / f"{office.code}.key.pem").stat().st_mode & 0o077 == 0, "the key is private"


def test_demo_certificate_names_the_signatory_and_office(home: Path, office: OfficeProfile) -> None:
    ensure_demo_pki(home, office)
    cert = x509.load_pem_x509_certificate((home / "pki" / f"{office.code}.cert.pem").read_bytes())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == office.signatory.nama
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == office.name
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    root = x509.load_pem_x509_certificate((home / "pki" / "roots.pem").read_bytes())
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "izinflow DEMO Root CA"
    cert.verify_directly_issued_by(root)


def test_new_signatory_gets_a_new_certificate_and_old_documents_stay_valid(
    tmp_path: Path, office: OfficeProfile, letter: bytes
) -> None:
    first = ensure_demo_pki(tmp_path, office)
    old_document = sign_pdf(letter, first.signer, reason="r", location="l")
    successor = office.model_copy(update={"signatory": office.signatory.model_copy(update={"nama": "H. PENGGANTI"})})
    second = ensure_demo_pki(tmp_path, successor)
    assert second.signer_name == "H. PENGGANTI"
    assert validate_pdf(sign_pdf(letter, second.signer, reason="r", location="l"), trust_roots(tmp_path)).valid
    assert validate_pdf(old_document, trust_roots(tmp_path)).valid, "the root did not change"


def test_every_catalogue_office_gets_a_signer_under_one_root(tmp_path: Path) -> None:
    materials = ensure_demo_pki_for_catalogue(tmp_path)
    offices = load_catalogue().offices
    with_dinkes = {f"{code}-dinkes" for code, office in offices.items() if office.dinas_kesehatan}
    assert with_dinkes, "the catalogue has a Dinas Kesehatan that signs its own recommendation"
    assert set(materials) == set(offices) | with_dinkes
    roots = trust_roots(tmp_path)
    assert len(roots) == 1
    for code, office in offices.items():
        assert materials[code].signer_name == office.signatory.nama
    for found in materials.values():
        assert [r.dump() for r in found.trust_roots] == [r.dump() for r in roots]


def test_dinas_kesehatan_signs_with_its_own_certificate(tmp_path: Path, letter: bytes) -> None:
    bontang = load_office("bontang")
    assert bontang.dinas_kesehatan is not None
    dinkes = signing_material(bontang, home=tmp_path, dinas_kesehatan=True)
    assert dinkes.signer_name == bontang.dinas_kesehatan.signatory.nama != bontang.signatory.nama
    organisation = dinkes.signer.signing_cert.subject.native["organization_name"]
    assert organisation == bontang.dinas_kesehatan.name
    check = validate_pdf(sign_pdf(letter, dinkes.signer, reason="r", location="Bontang"), trust_roots(tmp_path))
    assert check.valid and check.signer == bontang.dinas_kesehatan.signatory.nama
    with pytest.raises(PkiError, match="Dinas Kesehatan"):
        signing_material(load_office("bekasi"), home=tmp_path, dinas_kesehatan=True)


def test_trust_roots_of_an_empty_home_are_none(tmp_path: Path) -> None:
    assert trust_roots(tmp_path) == ()


def _ca_cert(name: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey]
             | None, *, ca: bool) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, issuer_key = (issuer[0].subject, issuer[1]) if issuer else (subject, key)
    now = datetime.now(UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture
def production_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, office: OfficeProfile) -> Path:
    """An office's own PKCS#12 (passphrase in the environment) under a root and an intermediate CA."""
    root_key, mid_key, key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _ca_cert("Root CA Uji", root_key, None, ca=True)
    mid = _ca_cert("CA Antara Uji", mid_key, (root, root_key), ca=True)
    cert = _ca_cert("PEJABAT PRODUKSI", key, (mid, mid_key), ca=False)
    directory = tmp_path / "signing"
    directory.mkdir()
    encryption = serialization.BestAvailableEncryption(b"rahasia")
    (directory / f"{office.code}.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"ttd", key, cert, None, encryption))
    (directory / "chain.pem").write_bytes(mid.public_bytes(serialization.Encoding.PEM))
    (directory / "roots.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setenv("IZINFLOW_SIGNING_DIR", str(directory))
    monkeypatch.setenv("IZINFLOW_SIGNING_PASSPHRASE_ROKAN_HILIR", "rahasia")
    return directory


def test_production_signing_directory_is_used(production_dir: Path, tmp_path: Path, office: OfficeProfile,
                                              letter: bytes, signed: bytes) -> None:
    own = signing_material(office, home=tmp_path / "home")
    assert own.signer_name == "PEJABAT PRODUKSI"
    assert not (tmp_path / "home" / "pki").exists(), "no demo PKI in production"
    roots = trust_roots(tmp_path / "home")
    check = validate_pdf(sign_pdf(letter, own.signer, reason="r", location="l"), roots)
    assert check.valid, check.reason  # the intermediate travels inside the signature
    assert not validate_pdf(signed, roots).trusted, "demo signatures are not trusted in production"


def test_production_wrong_passphrase_and_missing_files(production_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                       office: OfficeProfile) -> None:
    monkeypatch.setenv("IZINFLOW_SIGNING_PASSPHRASE_ROKAN_HILIR", "salah")
    with pytest.raises(PkiError, match="kata sandi salah"):
        load_signing_material(production_dir, office.code)
    with pytest.raises(PkiError, match="tidak ditemukan"):
        load_signing_material(production_dir, "bekasi")
    stray = ec.generate_private_key(ec.SECP256R1())
    (production_dir / "bekasi.key.pem").write_bytes(stray.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    other = _ca_cert("LAIN", ec.generate_private_key(ec.SECP256R1()), None, ca=False)
    (production_dir / "bekasi.cert.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(PkiError, match="tidak berpasangan"):
        load_signing_material(production_dir, "bekasi")
    (production_dir / "roots.pem").unlink()
    with pytest.raises(PkiError, match=r"roots\.pem"):
        trust_roots(production_dir)
