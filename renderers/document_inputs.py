"""What each document is made from: plain data the lead fills from the store, the checklists and the
officers' input, and ``renderers.documents.document_html`` renders.

One ``DocumentInput`` per document: the office, the service, the application (``Permohonan``), the
number and date the register gave it, its verification URL, and ``content``, one dataclass per document
kind (the permit has one per service type: ``IzinPraktik``, ``IzinKlinik``, ``SertifikatStandar``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from checklists.model import OfficeProfile, ServiceChecklist, StageDocument
from checklists.visit import FieldVisit
from izinflow.domain import Manifest, RequirementStatus, Verdict

# --- what every document is about ---------------------------------------------------------------


@dataclass(frozen=True)
class Permohonan:
    """The application as documents print it. No NIK: no document prints it."""

    nomor_permohonan: str
    tanggal_permohonan: date
    variant: str  # the service's variant code ("baru", "mandiri", "klinik")
    pemohon_nama: str  # as typed in the form, with academic titles
    tempat_praktik: str = ""  # the place of practice, the clinic or the health facility
    alamat_tempat_praktik: str = ""


def permohonan_of(manifest: Manifest, nomor_permohonan: str) -> Permohonan:
    return Permohonan(
        nomor_permohonan=nomor_permohonan,
        tanggal_permohonan=manifest.submitted_at.date(),
        variant=manifest.variant,
        pemohon_nama=manifest.pemohon.nama,
        tempat_praktik=manifest.tempat_praktik.nama,
        alamat_tempat_praktik=manifest.tempat_praktik.alamat,
    )


@dataclass(frozen=True)
class Petugas:
    """An officer named in a document (examiner, visiting team member)."""

    nama: str
    jabatan: str
    pangkat: str = ""  # "Penata (III/c)"
    nip: str = ""


@dataclass(frozen=True)
class Rujukan:
    """An earlier document a later one rests on ("Berita Acara ... Nomor ... tanggal ...")."""

    nomor: str
    tanggal: date


@dataclass(frozen=True)
class Koreksi:
    """An officer's decision on a requirement that differs from the automatic check's."""

    code: str  # requirement code
    status: RequirementStatus  # the officer's result
    alasan: str
    oleh: str  # the officer's name


# --- one content type per document ---------------------------------------------------------------


@dataclass(frozen=True)
class TandaTerima:
    """Tanda terima berkas: the bundle was received complete (requirements met or under review)."""

    diterima_pada: datetime
    verdict: Verdict
    perkiraan_selesai: date | None = None  # the due date (checklists.deadlines)


@dataclass(frozen=True)
class Pengembalian:
    """Surat pengembalian berkas: each missing or invalid requirement, with its reason."""

    verdict: Verdict


@dataclass(frozen=True)
class Penolakan:
    """Surat penolakan: the application is refused, on these grounds."""

    alasan: tuple[str, ...]  # Indonesian sentences
    dasar: tuple[str, ...] = ()  # what the refusal rests on ("Rekomendasi ... Nomor ... tanggal ...")


@dataclass(frozen=True)
class BeritaAcaraPemeriksaan:
    """Berita acara pemeriksaan berkas: who checked, when, each requirement's result."""

    diperiksa_pada: datetime
    pemeriksa: tuple[Petugas, ...]
    verdict: Verdict  # the automatic check's result
    koreksi: tuple[Koreksi, ...] = ()  # the officers' overrides, each with its reason


@dataclass(frozen=True)
class SuratTugas:
    """Surat tugas visitasi: the team sent to verify the facility on the spot."""

    tim: tuple[Petugas, ...]
    tanggal_visitasi: date


@dataclass(frozen=True)
class BeritaAcaraVisitasi:
    """Berita acara hasil visitasi, with the recap of the assessment sheet."""

    kunjungan: FieldVisit
    surat_tugas: Rujukan | None = None
    pendamping: Petugas | None = None  # the facility's person who accompanied the team


@dataclass(frozen=True)
class RekomendasiTeknis:
    """Rekomendasi teknis from the Dinas Kesehatan to the DPMPTSP (after a passed visit)."""

    kunjungan: FieldVisit
    berita_acara: Rujukan
    jenis_fasyankes: str  # "Klinik Pratama"
    penanggung_jawab: str  # the facility's medical lead, with titles
    kepada: str = ""  # default: the head of the regency's DPMPTSP


@dataclass(frozen=True)
class RekomendasiDinkes:
    """Rekomendasi of the city's Dinas Kesehatan on a practice permit: to issue it or to refuse it."""

    rekomendasi: Literal["penerbitan", "penolakan"]
    nomor_str: str
    str_berlaku_sampai: date | None  # None: valid for life (STR under UU 17/2023)
    diverifikasi_pada: date  # the technical team's verification
    alasan: tuple[str, ...] = ()  # required for a refusal
    surat_permintaan: Rujukan | None = None  # the DPMPTSP's request, when it wrote one


@dataclass(frozen=True)
class IzinPraktik:
    """Surat Izin Praktik of a health worker (Perekam Medis)."""

    nomor_str: str
    str_berlaku_sampai: date | None  # None: valid for life
    berlaku_sampai: date
    profesi: str = "Perekam Medis"
    sip_ke: int = 1  # first, second or third place of practice
    rekomendasi: Rujukan | None = None  # the Dinas Kesehatan's recommendation (Bontang)


@dataclass(frozen=True)
class IzinKlinik:
    """Surat Izin Klinik Utama; the clinic is ``Permohonan.tempat_praktik``."""

    jenis_pelayanan: str  # "Pelayanan medik spesialistik penyakit dalam dan anak"
    pemilik: str  # the owning company or person
    penanggung_jawab: str  # the clinic's medical lead, with titles
    berlaku_sampai: date
    nib: str = ""
    jenis_klinik: str = "Klinik Utama"
    notifikasi: Rujukan | None = None  # the Dinas Kesehatan's notification


@dataclass(frozen=True)
class SertifikatStandar:
    """Sertifikat Standar of a health facility, after a passed visit (Batang)."""

    kunjungan: FieldVisit
    berita_acara: Rujukan
    jenis_fasyankes: str  # "Klinik Pratama"
    penanggung_jawab: str
    nib: str = ""
    kbli: str = ""
    berlaku_sampai: date | None = None  # None: as long as the facility meets the standard


Content = (
    TandaTerima | Pengembalian | Penolakan | BeritaAcaraPemeriksaan | SuratTugas | BeritaAcaraVisitasi
    | RekomendasiTeknis | RekomendasiDinkes | IzinPraktik | IzinKlinik | SertifikatStandar
)


@dataclass(frozen=True)
class DocumentInput:
    office: OfficeProfile
    checklist: ServiceChecklist
    permohonan: Permohonan
    nomor_surat: str
    tanggal: date
    verify_url: str  # where the QR code leads; "" only for a draft (no QR code is printed)
    content: Content

    @property
    def kind(self) -> StageDocument:
        return KINDS[type(self.content)]


KINDS: dict[type, StageDocument] = {
    TandaTerima: StageDocument.tanda_terima_berkas,
    Pengembalian: StageDocument.surat_pengembalian_berkas,
    Penolakan: StageDocument.surat_penolakan,
    BeritaAcaraPemeriksaan: StageDocument.berita_acara_pemeriksaan_berkas,
    SuratTugas: StageDocument.surat_tugas_visitasi,
    BeritaAcaraVisitasi: StageDocument.berita_acara_visitasi,
    RekomendasiTeknis: StageDocument.rekomendasi_teknis,
    RekomendasiDinkes: StageDocument.rekomendasi_dinkes,
    IzinPraktik: StageDocument.izin,
    IzinKlinik: StageDocument.izin,
    SertifikatStandar: StageDocument.izin,
}
