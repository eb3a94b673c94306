"""The checklist files: they load, they say what the seeds say, and a typo is caught with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklists.load import (
    DATA_ROOT,
    ChecklistError,
    is_known_service,
    load_catalogue,
    load_office,
    load_service,
)
from checklists.model import NikRegencyNot
from checklists.names import NameComparison, compare_names, names_match

SERVICE = "sip-perekam-medis"
RHL_FILE = Path("services/rokan-hilir/sip-perekam-medis.yaml")


def test_every_file_loads_into_the_catalogue() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.offices) >= {"rokan-hilir", "bontang"}
    assert set(catalogue.services["rokan-hilir"]) >= {SERVICE}
    assert set(catalogue.services["bontang"]) >= {SERVICE}


def test_office_profiles_carry_the_letterhead_and_signatory() -> None:
    rhl = load_office("rokan-hilir")
    assert rhl.name == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Rokan Hilir"
    assert rhl.government == "PEMERINTAH KABUPATEN ROKAN HILIR"
    assert (rhl.city, rhl.regency_code, rhl.application_prefix) == ("Bagansiapiapi", "14.07", "RHL")
    assert rhl.signatory.nama == "CICI SULASTRI, SKM, M.Si"
    assert rhl.signatory.nip == "19780321 200212 2 002"
    assert not rhl.signatory.demo
    assert any(c.value == "0823 8231 9831" for c in rhl.complaint_channels)

    btg = load_office("bontang")
    assert (btg.city, btg.regency_code, btg.application_prefix) == ("Bontang", "64.74", "BTG")
    assert btg.signatory.demo, "the invented Bontang signatory must be marked as demo data"
    assert "signatory" in btg.demo_fields


def _codes(office: str, variant: str) -> list[str]:
    return [r.code.value for r in load_service(office, SERVICE).requirements_for(variant)]


def test_variants_list_the_seed_requirements() -> None:
    baru = [
        "surat_permohonan", "meterai", "ktp", "surat_keterangan_domisili", "ijazah", "npwp", "str",
        "surat_keterangan_sehat", "pas_foto", "surat_keterangan_tempat_praktik",
    ]
    assert _codes("rokan-hilir", "baru") == baru
    assert sorted(_codes("rokan-hilir", "perpanjangan")) == sorted([*baru, "bukti_skp", "sip_lama"])
    fasyankes = [
        "ktp", "ijazah", "str", "surat_keterangan_sehat", "pas_foto", "rekomendasi_organisasi_profesi",
    ]
    assert sorted(_codes("bontang", "fasyankes")) == sorted(fasyankes)
    assert sorted(_codes("bontang", "mandiri")) == sorted(
        [*fasyankes, "sop_praktik", "mou_limbah_medis", "daftar_alat_kesehatan", "denah_lokasi"]
    )


def test_service_facts_and_seed_wording() -> None:
    rhl = load_service("rokan-hilir", SERVICE)
    btg = load_service("bontang", SERVICE)
    assert (rhl.sla.days, rhl.sla.unit) == (4, "hari_kerja")
    assert (btg.sla.days, btg.sla.unit) == (7, "hari_kerja")
    assert rhl.requirement("surat_permohonan").title == "Permohonan bermaterai Rp.10.000,-"
    domisili = rhl.requirement("surat_keterangan_domisili").condition
    assert isinstance(domisili, NikRegencyNot) and domisili.regency == "14.07"
    rekomendasi = btg.requirement("rekomendasi_organisasi_profesi")
    assert rekomendasi.title.startswith("Surat Rekomendasi Dari Organisasi")
    str_rules = {r.kind for r in rhl.requirement("str").rules}
    assert str_rules == {"document_present", "name_matches_form", "not_expired"}


def test_is_known_service() -> None:
    assert is_known_service("rokan-hilir", SERVICE, "perpanjangan")
    assert is_known_service("bontang", SERVICE, "mandiri")
    assert not is_known_service("bontang", SERVICE, "baru")
    assert not is_known_service("rokan-hilir", "izin-hotel", "baru")
    assert not is_known_service("atlantis", SERVICE, "baru")
    assert not is_known_service("..", "offices/rokan-hilir", "baru")  # form codes are not paths


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA_ROOT / "offices", tmp_path / "offices")
    shutil.copytree(DATA_ROOT / "services", tmp_path / "services")
    return tmp_path


def _break(root: Path, relative: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) and return the 1-based line where it was."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "mentions"),
    [
        ("      - kind: legalised_or_qr\n", "      - kind: legalized_or_qr\n", "legalized_or_qr"),
        ("  - code: npwp\n", "  - code: npwpp\n", "requirements.5.code"),
        ("    label: NPWP\n", "    lable: NPWP\n", "lable"),
        ("      - sip_lama\n", "      - sip_lamaa\n", "variants.1.requirements"),
        ('      regency: "14.07"\n', "      regency: 14.07\n", "regency"),
    ],
)
def test_a_typo_is_a_load_error_with_file_and_line(
    data_copy: Path, old: str, new: str, mentions: str
) -> None:
    line = _break(data_copy, RHL_FILE, old, new)
    with pytest.raises(ChecklistError) as caught:
        load_service("rokan-hilir", SERVICE, root=data_copy)
    error = caught.value
    assert error.path == data_copy / RHL_FILE
    assert error.line == line
    assert f"sip-perekam-medis.yaml:{line}:" in str(error)
    assert mentions in str(error)


def test_unknown_key_in_an_office_profile_names_its_line(data_copy: Path) -> None:
    relative = Path("offices/bontang.yaml")
    line = _break(data_copy, relative, "  pangkat: Pembina", "  pangkatt: Pembina")
    with pytest.raises(ChecklistError) as caught:
        load_office("bontang", root=data_copy)
    assert (caught.value.path, caught.value.line) == (data_copy / relative, line)
    assert "pangkatt" in str(caught.value)


def test_a_variant_naming_an_undefined_requirement_is_caught(data_copy: Path) -> None:
    text = (data_copy / RHL_FILE).read_text(encoding="utf-8")
    block = text[text.index("  - code: bukti_skp\n") : text.index("  - code: sip_lama\n")]
    (data_copy / RHL_FILE).write_text(text.replace(block, ""), encoding="utf-8")
    lines = (data_copy / RHL_FILE).read_text(encoding="utf-8").splitlines()
    with pytest.raises(ChecklistError) as caught:
        load_service("rokan-hilir", SERVICE, root=data_copy)
    assert "bukti_skp" in str(caught.value)
    assert lines[caught.value.line - 1].strip() == "- bukti_skp"


def test_duplicate_key_and_yaml_syntax_errors_name_the_line(data_copy: Path) -> None:
    line = _break(data_copy, RHL_FILE, "sla: {days: 4,", "sla: {days: 4, days: 5,")
    with pytest.raises(ChecklistError) as caught:
        load_service("rokan-hilir", SERVICE, root=data_copy)
    assert caught.value.line == line and "days" in str(caught.value)

    relative = Path("services/bontang/sip-perekam-medis.yaml")
    line = _break(data_copy, relative, "    label: STR\n", "    label: [STR\n")
    with pytest.raises(ChecklistError) as caught:
        load_service("bontang", SERVICE, root=data_copy)
    assert caught.value.path == data_copy / relative
    assert line <= caught.value.line <= line + 2


def test_a_letter_number_template_with_an_unknown_placeholder_is_refused(data_copy: Path) -> None:
    line = _break(data_copy, Path("offices/rokan-hilir.yaml"), "{tahun}", "{taun}")
    with pytest.raises(ChecklistError) as caught:
        load_office("rokan-hilir", root=data_copy)
    assert caught.value.line == line and "letter_number" in str(caught.value)


def test_a_file_for_another_office_is_refused(data_copy: Path) -> None:
    line = _break(data_copy, RHL_FILE, "office: rokan-hilir\n", "office: bontang\n")
    with pytest.raises(ChecklistError) as caught:
        load_service("rokan-hilir", SERVICE, root=data_copy)
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SITI AMINAH", "SITI AMINAH, A.Md.RMIK"),
        ("siti  aminah", "SITI AMINAH."),
        ("CICI SULASTRI, SKM, M.Si", "Cici Sulastri"),
        ("dr. Budi Santoso, Sp.PD", "BUDI SANTOSO"),
        ("Hj. Nur'aini, S.Tr.Kes", "NURAINI"),
        ("DEWI LESTARI, A.Md. RMIK", "Dewi Lestari"),
        ("Ns. Andi Pratama, S.Kep", "ANDI PRATAMA"),
        ("RINA SUSANTI, S.K.M., M.Kes", "RINA SUSANTI"),
        ("S1TI AMINAH", "SITI AMINAH"),  # OCR read a 1 for an I
        ("SITI AMINAH", "SITI AMINAM"),  # one misread letter in a long word
        ("MUHAMMAD RIZKY PRATAMA", "MUHAMMAD RIZKY PRATAMI"),
    ],
)
def test_names_that_match(a: str, b: str) -> None:
    assert names_match(a, b)
    assert names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SITI AMINAH", "SITI RAHMAH"),
        ("RINA SUSANTI", "RINI SUSANTI"),  # first names differ
        ("ANI", "ANA"),
        ("SITI AMINAH", "AMINAH"),
        ("SITI AMINAH", "NUR AMINAH"),
        ("SITI AMINAH", ""),
        ("A.Md.RMIK", "S.Tr.Kes"),  # titles only: no name at all
    ],
)
def test_names_that_do_not_match(a: str, b: str) -> None:
    assert not names_match(a, b)
    assert not names_match(b, a)


def test_near_misses_are_close_not_different() -> None:
    assert compare_names("RINA SUSANTI", "RINI SUSANTI") is NameComparison.close
    assert compare_names("SITI AMINAH", "SITI RAHMAH") is NameComparison.different
