"""Outgoing document numbers follow the office's format, per kind of document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checklists.load import ChecklistError, load_office
from checklists.model import StageDocument
from renderers.numbering import letter_number, verify_url


def test_the_twelfth_permit_of_november_2026_at_rokan_hilir() -> None:
    office = load_office("rokan-hilir")
    assert letter_number(office, StageDocument.izin, 12, date(2026, 11, 22)) == "503.446/0012/DPMPTSP/XI/2026"
    assert (
        letter_number(office, StageDocument.surat_penolakan, 3, date(2027, 1, 4)) == "503.3/0003/DPMPTSP/I/2027"
    )


def test_batang_numbers_its_visit_assignment_with_its_own_code() -> None:
    office = load_office("batang")
    number = letter_number(office, StageDocument.surat_tugas_visitasi, 1, date(2026, 3, 2))
    assert number == "800.1.11.1/0001/DINKES/III/2026"


def test_a_sequence_starts_at_one() -> None:
    with pytest.raises(ValueError):
        letter_number(load_office("bekasi"), StageDocument.izin, 0, date(2026, 1, 1))


def test_the_verification_url_carries_the_token() -> None:
    assert verify_url(load_office("bontang"), "abc_DEF-123").endswith("/verifikasi/abc_DEF-123")


def test_an_unknown_document_kind_in_letter_codes_is_refused_with_its_line(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "checklists"
    shutil.copytree(Path(__file__).resolve().parents[1] / "checklists", root)
    path = root / "offices" / "bekasi.yaml"
    text = path.read_text()
    path.write_text(text.replace('  izin: "503.445"', '  izn: "503.445"'))
    with pytest.raises(ChecklistError) as caught:
        load_office("bekasi", root=root)
    assert "izn" in str(caught.value)


def test_every_kind_an_office_issues_runs_its_own_sequence() -> None:
    """Numbers run per archive code (store.issuance.numbering_series); each kind an office issues has
    a code of its own, so each kind is numbered 0001, 0002, … without another kind's numbers between."""
    from checklists.load import load_catalogue
    from store.issuance import numbering_series

    catalogue = load_catalogue()
    generic = {StageDocument.tanda_terima_berkas, StageDocument.surat_pengembalian_berkas,
               StageDocument.surat_penolakan, StageDocument.berita_acara_pemeriksaan_berkas, StageDocument.izin}
    for code, office in catalogue.offices.items():
        services = catalogue.services.get(code, {}).values()
        produced = {s.produces for svc in services for s in svc.procedure if s.produces}
        kinds = (generic | produced) - {StageDocument.lembar_penilaian_kesesuaian, StageDocument.rekap_penilaian}
        series = [numbering_series(office, kind) for kind in kinds]
        assert len(set(series)) == len(series), code
