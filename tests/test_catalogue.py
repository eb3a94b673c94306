"""The public catalogue: every office's Standar Pelayanan rendered from checklists/, as HTML and PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pdfplumber
import pytest

from checklists.load import load_catalogue
from izinflow.cli import main
from renderers.catalogue import CHANNEL_LABEL, completion_time, office_pages, standar_pelayanan_html


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {p.office.code: _plain(standar_pelayanan_html(p)) for p in office_pages(load_catalogue())}


def test_every_office_and_every_service_of_the_contract_is_in_the_catalogue(pages: dict[str, str]) -> None:
    assert set(pages) == {"rokan-hilir", "bontang", "bekasi", "batang"}
    for office, name in (("rokan-hilir", "Izin Praktik Perekam Medis"), ("bontang", "Izin Praktik Perekam Medis"),
                         ("bekasi", "Izin Klinik Utama"), ("batang", "Sertifikat Standar"), ("batang", "PSC 119")):
        assert name.lower() in pages[office].lower(), (office, name)


def test_each_standard_shows_its_requirements_steps_time_fee_product_and_complaint_channels(
    pages: dict[str, str],
) -> None:
    catalogue = load_catalogue()
    for office, services in catalogue.services.items():
        text = pages[office]
        for service in services.values():
            for req in service.requirements:
                assert " ".join(req.title.split()) in text, (office, req.code)
            for item in service.requirements_text:
                assert item in text
            for step in service.procedure:
                assert " ".join(step.text.split()) in text, (office, service.code, step.number)
            assert completion_time(service) in text
            assert " ".join(service.fee.split()) in text and " ".join(service.product.split()) in text
            for channel in service.complaints.channels or catalogue.offices[office].complaint_channels:
                assert f"{CHANNEL_LABEL[channel.kind]}" in text and " ".join(channel.value.split()) in text
            for item in (*service.legal_basis, *service.facilities, *service.guarantees, *service.evaluation):
                assert " ".join(item.split()) in text


def test_seed_facts_appear_as_the_published_standards_word_them(pages: dict[str, str]) -> None:
    facts = {
        "rokan-hilir": ["Maksimal 4 (Empat) Hari Kerja", "(0764) 8001035", "Izin Praktik Perekam Medis",
                        "Penata Perizinan Ahli Madya",
                        "Kepala Dinas menandatangani izin melalui Tanda Tangan Elektronik"],
        "bontang": ["7 (tujuh) hari kerja", "Tidak dipungut biaya", "0548-20594", "dpmptsp@bontangkota.go.id",
                    "Tim Teknis Dinas Kesehatan melakukan verifikasi teknis"],
        "bekasi": ["5 (lima) hari kerja", "Surat Izin Klinik Utama", "081284878010", "Notifikasi Dinas Kesehatan"],
        "batang": ["14 (empat belas) hari", "Sertifikat Standar", "085877315028", "Menghubungi 119",
                   "24 (dua puluh empat) jam", "Pelayanan kegawatdaruratan", "Self assessment Klinik"],
    }
    for office, wanted in facts.items():
        for fact in wanted:
            assert fact.lower() in pages[office].lower(), (office, fact)


def test_catalogue_command_writes_html_and_a_pdf_per_office(tmp_path: Path) -> None:
    assert main(["catalogue", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").is_file()
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for office in ("rokan-hilir", "bontang", "bekasi", "batang"):
        assert f'href="{office}.pdf"' in index
        with pdfplumber.open(tmp_path / f"{office}.pdf") as pdf:
            assert len(pdf.pages) >= 1
            text = _squeezed(" ".join(page.extract_text() or "" for page in pdf.pages))
        assert _squeezed("STANDAR PELAYANAN") in text
        service = next(iter(load_catalogue().services[office].values()))
        assert _squeezed(service.product) in text and _squeezed(service.fee) in text
