"""The Indonesian words the pages show for the codes the store keeps."""

from __future__ import annotations

from renderers.catalogue import DOCUMENT_LABEL as _DOCUMENT_LABEL
from renderers.catalogue import ROLE_LABEL as _ROLE_LABEL
from store.accounts import OPERATOR

# The catalogue's words for the seeds' roles and the stage documents, plus the app's own operator.
ROLE_LABEL: dict[str, str] = {**{str(role): text for role, text in _ROLE_LABEL.items()},
                              OPERATOR: "Operator (pemantauan)"}
DOCUMENT_LABEL: dict[str, str] = {str(kind): text for kind, text in _DOCUMENT_LABEL.items()}

STATUS_LABEL = {
    "received": "diterima",
    "verified": "diverifikasi",
    "diproses": "diproses petugas",
    "dikembalikan": "dikembalikan ke pemohon",
    "ditolak": "ditolak",
    "terbit": "izin terbit",
    "selesai": "selesai",
}

DECISION_LABEL = {
    "complete": "lengkap",
    "incomplete": "tidak lengkap",
    "review": "perlu diperiksa petugas",
    "unreadable": "tidak terbaca",
}

REQUIREMENT_STATUS_LABEL = {
    "met": "terpenuhi",
    "missing": "tidak ada",
    "invalid": "tidak sesuai",
    "review": "perlu diperiksa",
    "not_required": "tidak diperlukan",
}

EVENT_LABEL = {
    "berkas_diterima": "Berkas diterima",
    "berkas_diterima_ulang": "Berkas diterima ulang",
    "berkas_perbaikan_diterima": "Berkas perbaikan diterima",
    "berkas_perbaikan_diterima_ulang": "Berkas perbaikan diterima ulang",
    "berkas_perbaikan_ditolak": "Berkas perbaikan ditolak",
    "verifikasi": "Verifikasi otomatis",
    "kunjungan_lapangan_dicatat": "Kunjungan lapangan dicatat",
    "dokumen_diterbitkan": "Dokumen diterbitkan",
    "dokumen_dicabut": "Dokumen dicabut",
    "transisi": "Perpindahan tahap",  # an officer's decision, the system's return or the applicant's resubmission
    "transisi_ditolak": "Keputusan tidak diterima",
    "keputusan_petugas": "Berkas dinyatakan lengkap",
    "koreksi_persyaratan": "Keputusan atas persyaratan",
}


def label(table: dict[str, str], code: str | None) -> str:
    """The word for ``code``, or the code made readable when the table does not know it yet."""
    if code is None:
        return "-"
    return table.get(code) or code.replace("_", " ")
