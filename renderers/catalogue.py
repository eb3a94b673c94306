"""The public catalogue: every office's *Standar Pelayanan*, as HTML and as PDF, from checklists/.

``standar_pelayanan_html`` is pure (the catalogue in, a page out); ``write_catalogue`` is the edge
that writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checklists.model import Catalogue, OfficeProfile, Role, ServiceChecklist, StageDocument
from renderers.letters import environment, terbilang

ROLE_LABEL: dict[Role, str] = {
    Role.pemohon: "Pemohon",
    Role.sistem: "Sistem (aplikasi)",
    Role.front_office: "Petugas Front Office",
    Role.back_office: "Petugas Back Office",
    Role.petugas_loket: "Petugas Loket",
    Role.petugas: "Petugas",
    Role.penata_perizinan_ahli_muda: "Penata Perizinan Ahli Muda",
    Role.penata_perizinan_ahli_madya: "Penata Perizinan Ahli Madya",
    Role.kepala_seksi: "Kepala Seksi",
    Role.kepala_bidang: "Kepala Bidang",
    Role.kepala_dinas: "Kepala Dinas",
    Role.tim_teknis_dinkes: "Tim Teknis Dinas Kesehatan",
    Role.dinas_kesehatan: "Dinas Kesehatan",
    Role.tim_visitasi: "Tim Visitasi",
    Role.kepala_dinas_kesehatan: "Kepala Dinas Kesehatan",
    Role.petugas_pengaduan: "Petugas Pengaduan",
    Role.petugas_psc: "Petugas PSC 119",
}

DOCUMENT_LABEL: dict[StageDocument, str] = {
    StageDocument.tanda_terima_berkas: "Tanda terima berkas",
    StageDocument.surat_pengembalian_berkas: "Surat pengembalian berkas",
    StageDocument.surat_penolakan: "Surat penolakan",
    StageDocument.berita_acara_pemeriksaan_berkas: "Berita acara pemeriksaan berkas",
    StageDocument.surat_tugas_visitasi: "Surat tugas visitasi",
    StageDocument.lembar_penilaian_kesesuaian: "Lembar penilaian kesesuaian",
    StageDocument.rekap_penilaian: "Rekap hasil penilaian",
    StageDocument.berita_acara_visitasi: "Berita acara visitasi",
    StageDocument.rekomendasi_teknis: "Rekomendasi teknis",
    StageDocument.rekomendasi_dinkes: "Rekomendasi Dinas Kesehatan",
    StageDocument.izin: "Produk pelayanan",
}

CHANNEL_LABEL = {
    "kotak_pengaduan": "Kotak pengaduan", "email": "Surel", "telepon": "Telepon", "sms": "SMS",
    "faksimile": "Faksimile", "website": "Laman", "aplikasi": "Aplikasi", "formulir_skm": "Formulir SKM",
    "langsung": "Langsung", "whatsapp": "WhatsApp", "media_sosial": "Media sosial", "petugas": "Petugas",
}
_SLA_UNIT = {"hari_kerja": "hari kerja", "hari": "hari", "jam": "jam"}


@dataclass(frozen=True)
class OfficePage:
    office: OfficeProfile
    services: tuple[ServiceChecklist, ...]


def completion_time(service: ServiceChecklist) -> str:
    """"4 (empat) hari kerja", "14 (empat belas) hari", "24 (dua puluh empat) jam"."""
    days = service.sla.days
    words = f" ({terbilang(days)})" if days < 100 else ""
    return f"{days}{words} {_SLA_UNIT[service.sla.unit]}"


def office_pages(catalogue: Catalogue) -> list[OfficePage]:
    return [
        OfficePage(office, tuple(catalogue.services.get(code, {}).values()))
        for code, office in sorted(catalogue.offices.items())
    ]


def standar_pelayanan_html(page: OfficePage) -> str:
    """One office's services laid out as a published Standar Pelayanan (components table per service)."""
    return environment().get_template("standar_pelayanan.html").render(
        office=page.office,
        services=page.services,
        completion_time=completion_time,
        role_label=ROLE_LABEL,
        document_label=DOCUMENT_LABEL,
        channel_label=CHANNEL_LABEL,
    )


def index_html(pages: list[OfficePage]) -> str:
    return environment().get_template("katalog_index.html").render(pages=pages, completion_time=completion_time)


def write_catalogue(catalogue: Catalogue, outdir: Path) -> list[Path]:
    """Write ``index.html`` and, per office, ``<office>.html`` and ``<office>.pdf`` into ``outdir``."""
    from weasyprint import HTML  # heavy import, paid only when rendering

    outdir.mkdir(parents=True, exist_ok=True)
    pages = office_pages(catalogue)
    written = []
    index = outdir / "index.html"
    index.write_text(index_html(pages), encoding="utf-8")
    written.append(index)
    for page in pages:
        html = standar_pelayanan_html(page)
        html_path = outdir / f"{page.office.code}.html"
        html_path.write_text(html, encoding="utf-8")
        pdf_path = outdir / f"{page.office.code}.pdf"
        pdf_path.write_bytes(HTML(string=html, base_url=str(outdir)).write_pdf())
        written.extend([html_path, pdf_path])
    return written
