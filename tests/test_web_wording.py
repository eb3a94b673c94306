"""The case page's event log in words a clerk reads: each kind of event on one line, personal numbers
masked, the permit by the service's name, and an unknown event shown as stored rather than lost."""

from __future__ import annotations

from web.wording import actor_name, document_name, event_line

TITLES = {"pas_foto": "Pas photo 4 X 6 (4 lembar)"}
RHL = {"office": "rokan-hilir", "service": "sip-perekam-medis"}


def test_each_kind_of_event_reads_as_a_sentence() -> None:
    assert event_line("berkas_diterima", {"berkas": "unggah-20261126T015824-f00953383e13.zip",
                                          "sha256": "2c53a42c229c64d9b62d5d9b99f746480eb8c84e8f"}) == (
        "berkas unggah-20261126T015824-f00953383e13.zip · sidik SHA-256 2c53a42c229c…")
    resubmitted = {"berkas": "unggah-20261127T091500-0a1b2c3d4e5f.zip", "sha256": "f07ca7b1610991a2e29a300d2f29f0c1",
                   "perbaikan": 1}
    assert event_line("berkas_perbaikan_diterima", resubmitted) == (
        "berkas unggah-20261127T091500-0a1b2c3d4e5f.zip · sidik SHA-256 f07ca7b16109… · perbaikan ke-1")
    assert event_line("berkas_perbaikan_ditolak", {
        "berkas": "perbaikan.zip", "sha256": "ab", "nomor_permohonan": "RHL-2026-000005",
        "alasan": "permohonan RHL-2026-000005 tidak sedang dikembalikan kepada pemohon (telah selesai)"}) == (
        "berkas perbaikan.zip untuk permohonan RHL-2026-000005 · alasan: permohonan RHL-2026-000005 tidak sedang "
        "dikembalikan kepada pemohon (telah selesai)")
    assert event_line("verifikasi", {"decision": "review"}) == "hasil: perlu diperiksa petugas"
    assert event_line("verifikasi", {"decision": "complete", "perbaikan": 1}) == (
        "hasil: lengkap · berkas perbaikan ke-1")
    koreksi = {"code": "pas_foto", "status": "met", "alasan": "Asli diserahkan di loket", "oleh": "Rina"}
    assert event_line("koreksi_persyaratan", {"attempt": 1, "decision_id": "x", "koreksi": koreksi}, TITLES) == (
        "Pas photo 4 X 6 (4 lembar): terpenuhi — Asli diserahkan di loket")
    transition = {"action": "tandatangani", "role": "kepala_dinas", "decision_id": "x", "reason": "",
                  "from": {"status": "diproses", "step": 8, "signed": False, "version": 4},
                  "to": {"status": "diproses", "step": 9, "signed": True, "version": 5}, "documents": ["izin"]}
    assert event_line("transisi", transition, TITLES, **RHL) == (
        "Tandatangani: langkah 8 → langkah 9 · Izin Praktik Perekam Medis")
    returned = {**transition, "action": "kembalikan", "reason": "Ijazah belum dilegalisir",
                "to": {"status": "dikembalikan", "step": 4}, "documents": ["surat_pengembalian_berkas"]}
    assert event_line("transisi", returned, TITLES, **RHL) == (
        "Kembalikan ke pemohon: langkah 8 → dikembalikan ke pemohon · alasan: Ijazah belum dilegalisir · "
        "Surat pengembalian berkas")
    assert event_line("dokumen_diterbitkan", {"document_id": 3, "kind": "izin", "round": 1,
                                              "nomor_surat": "503.446/0001/DPMPTSP/XI/2026"}, **RHL) == (
        "Izin Praktik Perekam Medis Nomor 503.446/0001/DPMPTSP/XI/2026")


def test_personal_numbers_are_masked_and_unknown_events_are_shown_as_stored() -> None:
    line = event_line("transisi_ditolak", {"action": "teruskan", "reason": "NIK 1407015203900002 tidak sesuai"})
    assert line == "Teruskan tidak diterima: NIK 1407********0002 tidak sesuai"
    assert event_line("peristiwa_baru", {"perbaikan": 2, "decision_id": "abc", "nested": {"a": 1}}) == "perbaikan: 2"
    assert event_line("verifikasi", {"hasil": "lain"}) == "hasil: lain"  # a key the wording does not know


def test_names_of_documents_and_actors() -> None:
    assert document_name("izin", "rokan-hilir", "sip-perekam-medis") == "Izin Praktik Perekam Medis"
    assert document_name("izin", "tidak-ada", "tidak-ada") == "Produk pelayanan"
    assert document_name("tanda_terima_berkas", "rokan-hilir", "sip-perekam-medis") == "Tanda terima berkas"
    assert actor_name("izinflow") == "sistem" and actor_name("rina.kartika") == "rina.kartika"
