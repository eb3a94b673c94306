"""The documents of one case and what each is made from (pure): which documents a complete case of a
service gets, in procedure order, and the content of each from what the store knows of the case
(``CaseFacts``) plus the officers' own inputs.

Who checked the bundle comes from the case's history when officers acted on it in the review app
(``izinflow.petugas``). The officers' other inputs (the visiting team and its scores, what a clerk
types from OSS), and the examiners of a case no officer acted on (`make demo`, the bench, the CLI),
have no source in izinflow yet: here they are DEMO DATA, marked as such below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from checklists.calendar import MissingCalendarYear, load_calendar
from checklists.deadlines import CaseEvent, compute_deadline
from checklists.model import OfficeProfile, ServiceChecklist, StageDocument
from checklists.visit import FieldVisit, VisitTeamMember
from izinflow.domain import Decision, RequirementStatus, Verdict
from renderers.catalogue import DOCUMENT_LABEL
from renderers.document_inputs import (
    BeritaAcaraPemeriksaan,
    BeritaAcaraVisitasi,
    Content,
    IzinKlinik,
    IzinPraktik,
    Koreksi,
    Pengembalian,
    Permohonan,
    Petugas,
    RekomendasiDinkes,
    RekomendasiTeknis,
    Rujukan,
    SertifikatStandar,
    SuratTugas,
    TandaTerima,
)
from renderers.documents import DocumentError

S = RequirementStatus
IZIN_YEARS = 5  # a SIP (UU 17/2023) and a clinic's permit run five years; a Sertifikat Standar has no end

# --- DATA DEMO -----------------------------------------------------------------------------------
# Petugas pemeriksa berkas dan tim visitasi di bawah ini DIKARANG untuk demonstrasi: nama, pangkat
# dan NIP bukan orang sebenarnya (NIP berakhiran 000). Kantor menggantinya dengan petugasnya sendiri.
DEMO_PEMERIKSA: dict[str, tuple[Petugas, ...]] = {
    "rokan-hilir": (
        Petugas("RAHMAT HIDAYAT, S.H.", "Penata Perizinan Ahli Muda", "Penata Tk. I (III/d)", "19840211 200902 1 000"),
        Petugas("NURUL HASANAH, S.Kom", "Petugas Back Office"),
    ),
    "bontang": (
        Petugas("ANDI MUHAMMAD FAJAR, S.Sos", "Petugas Front Office", "Penata Muda Tk. I (III/b)",
                "19900305 201503 1 000"),
        Petugas("SRI RAHAYU, S.E.", "Petugas Back Office"),
    ),
    "bekasi": (
        Petugas("DEDI KURNIAWAN, S.T.", "Penata Perizinan Ahli Muda", "Penata (III/c)", "19860917 201001 1 000"),
        Petugas("RINA AGUSTINA, S.AP", "Penata Perizinan Ahli Pertama"),
    ),
    "batang": (
        Petugas("TRI WAHYUNI, S.KM", "Administrator Kesehatan Ahli Muda", "Penata Tk. I (III/d)",
                "19830426 200801 2 000"),
        Petugas("BAGUS PRASETYO, A.Md", "Pengelola Perizinan"),
    ),
}
DEMO_TIM_VISITASI: dict[str, tuple[Petugas, ...]] = {
    "batang": (
        Petugas("dr. LESTARI WULANDARI", "Kepala Seksi Pelayanan Kesehatan Rujukan", "Pembina (IV/a)",
                "19800412 200604 2 000"),
        Petugas("AGUS SANTOSO, S.KM", "Sanitarian Ahli Muda", "Penata Tk. I (III/d)", "19850620 200901 1 000"),
        Petugas("apt. NUR AINI, S.Farm", "Apoteker Ahli Pertama"),
    ),
}
# What a clerk types from the OSS record of a clinic (not in the bundle), and the demo visit's findings.
DEMO_JENIS_PELAYANAN = "Pelayanan medik spesialistik, pelayanan medik dasar dan pelayanan kefarmasian"
DEMO_VISIT_FINDINGS = 4  # items scored one below their maximum, each with a note
DEMO_VISIT_NOTE = "belum sepenuhnya sesuai; diperbaiki dalam 30 hari (catatan demo)"
DEMO_DECISION_NOTE = "keputusan petugas (demo): diperiksa pada berkas asli dan dinyatakan sesuai"
# --- akhir DATA DEMO -----------------------------------------------------------------------------

# Documents the case's own data cannot make: a refusal needs an official's grounds; the sheet and its
# recap are printed inside the berita acara of the visit.
_NOT_FROM_CASE = frozenset({
    StageDocument.surat_pengembalian_berkas, StageDocument.surat_penolakan,
    StageDocument.lembar_penilaian_kesesuaian, StageDocument.rekap_penilaian,
})
_INTAKE = (StageDocument.tanda_terima_berkas, StageDocument.berita_acara_pemeriksaan_berkas)
# Documents about the facility rather than the person: issued in the facility's name.
FACILITY_CONTENT = (SuratTugas, BeritaAcaraVisitasi, RekomendasiTeknis, IzinKlinik, SertifikatStandar)


@dataclass(frozen=True)
class CaseFacts:
    """What the store knows of one application, as its documents need it. Holds personal data (the
    applicant's name, what was read from the bundle): never a Prefect parameter, log or artifact."""

    office: OfficeProfile
    checklist: ServiceChecklist
    application_id: int
    permohonan: Permohonan
    received_at: datetime
    verdict: Verdict | None  # the newest automatic check
    checked_at: datetime | None
    fields: Mapping[str, Mapping[str, str]]  # document type -> fields read from the bundle
    officer_decided: bool = False  # an officer decided the case after the check (a `review` needs one)
    koreksi: tuple[Koreksi, ...] = ()  # that decision's corrections of the automatic check
    pemeriksa: tuple[Petugas, ...] = ()  # the officers who acted at the check steps (none: the demo's)
    diperiksa_pada: datetime | None = None  # the last of their acts
    field_visit: FieldVisit | None = None
    issued: Mapping[StageDocument, Rujukan] = field(default_factory=dict)  # in force, the newest of each kind


def document_set(checklist: ServiceChecklist) -> tuple[StageDocument, ...]:
    """The documents a complete case gets, in order: the receipt and the berita acara of the bundle's
    check, what the procedure's steps produce, and the service's product (izin) last."""
    kinds = list(_INTAKE)
    for step in checklist.procedure:
        if step.produces is not None and step.produces not in _NOT_FROM_CASE and step.produces not in kinds:
            kinds.append(step.produces)
    if StageDocument.izin in kinds:
        kinds.remove(StageDocument.izin)
    return (*kinds, StageDocument.izin)


def needs_field_visit(kind: StageDocument, checklist: ServiceChecklist) -> bool:
    """Documents that print the visit's recorded result, so are issued after the team's visit."""
    if kind is StageDocument.izin:
        return checklist.field_visit is not None
    return kind in (StageDocument.berita_acara_visitasi, StageDocument.rekomendasi_teknis)


def label(kind: StageDocument, checklist: ServiceChecklist) -> str:
    return checklist.product if kind is StageDocument.izin else DOCUMENT_LABEL[kind]


# --- the officers' demo inputs ----------------------------------------------------------------------


def demo_pemeriksa(office: OfficeProfile) -> tuple[Petugas, ...]:
    return DEMO_PEMERIKSA.get(office.code) or (Petugas("PETUGAS PEMERIKSA (DEMO)", "Petugas Back Office"),)


def tim_visitasi(office: OfficeProfile) -> tuple[Petugas, ...]:
    return DEMO_TIM_VISITASI.get(office.code) or demo_pemeriksa(office)


def demo_field_visit(checklist: ServiceChecklist, office: OfficeProfile, application_id: int,
                     visited_on: date) -> FieldVisit:
    """The demo team's visit: every item at its maximum but a few, one below, each with a note."""
    sheet = checklist.field_visit
    if sheet is None:
        raise DocumentError(f"Layanan {checklist.name} tidak memiliki visitasi lapangan.")
    items = sheet.items
    step = max(1, len(items) // DEMO_VISIT_FINDINGS)
    lowered = {item.code for item in items[step - 1::step][:DEMO_VISIT_FINDINGS]}
    return FieldVisit(
        application_id=application_id,
        visited_on=visited_on,
        team=tuple(VisitTeamMember(p.nama, p.jabatan) for p in tim_visitasi(office)),
        scores={item.code: item.max - (item.code in lowered) for item in items},
        notes={code: DEMO_VISIT_NOTE for code in sorted(lowered)},
    )


def demo_decision(verdict: Verdict, office: OfficeProfile) -> tuple[Koreksi, ...]:
    """The demo officer's decision on a `review`: each requirement left to a person is found met."""
    oleh = demo_pemeriksa(office)[0].nama
    return tuple(Koreksi(r.code, S.met, DEMO_DECISION_NOTE, oleh) for r in verdict.requirements if r.status == S.review)


# --- content of each document -----------------------------------------------------------------------


def content_for(kind: StageDocument, case: CaseFacts, tanggal: date) -> Content:
    """The content of ``kind`` for the case, dated ``tanggal``; DocumentError (an Indonesian
    sentence) when the case is not at the stage where it is issued."""
    build = _BUILDERS.get(kind)
    if build is None:
        raise DocumentError(f"{label(kind, case.checklist)} tidak dibuat dari data permohonan saja; "
                            "diperlukan keputusan pejabat yang berwenang.")
    return build(case, tanggal)


def final_verdict(case: CaseFacts) -> Verdict:
    """The check's verdict with the officer's corrections applied."""
    verdict = _verdict(case)
    by_code = {k.code: k for k in case.koreksi}
    return replace(verdict, requirements=tuple(
        replace(r, status=by_code[r.code].status) if r.code in by_code else r for r in verdict.requirements
    ))


def _verdict(case: CaseFacts) -> Verdict:
    if case.verdict is None:
        raise DocumentError("Berkas permohonan belum diperiksa; dokumen belum dapat diterbitkan.")
    return case.verdict


def _accepted(case: CaseFacts, kind: StageDocument) -> Verdict:
    """The final verdict of a bundle accepted as complete (by the check, or by an officer after `review`)."""
    verdict = _verdict(case)
    what = label(kind, case.checklist)
    if verdict.decision == Decision.review and not case.officer_decided:
        raise DocumentError(f"Berkas masih menunggu keputusan petugas; {what} belum dapat diterbitkan.")
    final = final_verdict(case)
    if verdict.decision == Decision.incomplete or any(r.status in (S.missing, S.invalid) for r in final.requirements):
        raise DocumentError(
            f"Berkas belum lengkap dan benar: pemohon menerima surat pengembalian berkas, bukan {what}."
        )
    return final


def _tanda_terima(case: CaseFacts, tanggal: date) -> TandaTerima:
    verdict = _accepted(case, StageDocument.tanda_terima_berkas)
    return TandaTerima(case.received_at, verdict, perkiraan_selesai=due_date(case))


def _pengembalian(case: CaseFacts, tanggal: date) -> Pengembalian:
    """The check's findings with the officers' corrections: a requirement an officer found missing or
    invalid is listed with the officer's reason."""
    verdict = _verdict(case)
    by_code = {k.code: k for k in case.koreksi}
    final = replace(verdict, requirements=tuple(
        replace(r, status=by_code[r.code].status, reasons=(by_code[r.code].alasan,)) if r.code in by_code else r
        for r in verdict.requirements
    ))
    if verdict.decision != Decision.incomplete and not any(r.status in (S.missing, S.invalid)
                                                           for r in final.requirements):
        raise DocumentError("Surat pengembalian hanya diterbitkan untuk berkas yang belum lengkap: tandai dahulu "
                            "persyaratan yang tidak ada atau tidak sesuai, beserta alasannya.")
    return Pengembalian(final)


def _berita_acara_pemeriksaan(case: CaseFacts, tanggal: date) -> BeritaAcaraPemeriksaan:
    """Checked by the officers who acted at the check steps, when the last of them decided; by the
    demo examiners, when the automatic check ended, for a case no officer acted on."""
    verdict = _verdict(case)
    if case.pemeriksa:
        return BeritaAcaraPemeriksaan(case.diperiksa_pada or case.checked_at or case.received_at, case.pemeriksa,
                                      verdict, case.koreksi)
    return BeritaAcaraPemeriksaan(case.checked_at or case.received_at, demo_pemeriksa(case.office), verdict,
                                  case.koreksi)


def _surat_tugas(case: CaseFacts, tanggal: date) -> SuratTugas:
    _accepted(case, StageDocument.surat_tugas_visitasi)
    planned = case.field_visit.visited_on if case.field_visit else tanggal
    return SuratTugas(tim_visitasi(case.office), max(planned, tanggal))


def _visit(case: CaseFacts, kind: StageDocument) -> FieldVisit:
    _accepted(case, kind)
    if case.field_visit is None:
        raise DocumentError(f"Hasil visitasi lapangan belum dicatat; {label(kind, case.checklist)} "
                            "belum dapat diterbitkan.")
    return case.field_visit


def _issued(case: CaseFacts, needed: StageDocument, kind: StageDocument) -> Rujukan:
    found = case.issued.get(needed)
    if found is None:
        raise DocumentError(f"{label(needed, case.checklist)} belum diterbitkan; {label(kind, case.checklist)} "
                            "merujuk kepadanya.")
    return found


def _berita_acara_visitasi(case: CaseFacts, tanggal: date) -> BeritaAcaraVisitasi:
    visit = _visit(case, StageDocument.berita_acara_visitasi)
    pendamping = Petugas(_penanggung_jawab(case), f"Penanggung Jawab {_jenis_fasyankes(case)}")
    return BeritaAcaraVisitasi(visit, case.issued.get(StageDocument.surat_tugas_visitasi), pendamping)


def _rekomendasi_teknis(case: CaseFacts, tanggal: date) -> RekomendasiTeknis:
    kind = StageDocument.rekomendasi_teknis
    visit = _visit(case, kind)
    berita_acara = _issued(case, StageDocument.berita_acara_visitasi, kind)
    return RekomendasiTeknis(visit, berita_acara, _jenis_fasyankes(case), _penanggung_jawab(case))


def _rekomendasi_dinkes(case: CaseFacts, tanggal: date) -> RekomendasiDinkes:
    _accepted(case, StageDocument.rekomendasi_dinkes)
    nomor_str, str_until = _str_of(case)
    return RekomendasiDinkes("penerbitan", nomor_str, str_until, diverifikasi_pada=tanggal)


def _izin(case: CaseFacts, tanggal: date) -> Content:
    """The service's product: a Sertifikat Standar after a field visit, a practice permit for a
    health worker (who holds an STR), else a clinic's permit."""
    kind = StageDocument.izin
    _accepted(case, kind)
    if case.checklist.field_visit is not None:
        visit = _visit(case, kind)
        berita_acara = _issued(case, StageDocument.berita_acara_visitasi, kind)
        return SertifikatStandar(visit, berita_acara, _jenis_fasyankes(case), _penanggung_jawab(case))
    five_years = _plus_years(tanggal, IZIN_YEARS)
    if any(r.code == "str" for r in case.checklist.requirements):
        nomor_str, str_until = _str_of(case)
        if str_until is not None and str_until <= tanggal:
            raise DocumentError(f"STR pemohon sudah tidak berlaku; {label(kind, case.checklist)} tidak diterbitkan.")
        rekomendasi = None
        if StageDocument.rekomendasi_dinkes in document_set(case.checklist):
            rekomendasi = _issued(case, StageDocument.rekomendasi_dinkes, kind)
        until = min(five_years, str_until) if str_until else five_years
        return IzinPraktik(nomor_str, str_until, until, rekomendasi=rekomendasi)
    notifikasi = case.fields.get("notifikasi_dinkes", {})
    rujukan = None
    if notifikasi.get("nomor_surat") and _iso_date(notifikasi.get("tanggal_surat", "")):
        rujukan = Rujukan(notifikasi["nomor_surat"], _iso_date(notifikasi["tanggal_surat"]))  # type: ignore[arg-type]
    # The owner and the services are in the OSS record, not in the bundle: the applicant and demo text.
    return IzinKlinik(DEMO_JENIS_PELAYANAN, pemilik=" ".join(case.permohonan.pemohon_nama.split()),
                      penanggung_jawab=_penanggung_jawab(case), berlaku_sampai=five_years,
                      jenis_klinik=_jenis_fasyankes(case, "Klinik Utama"), notifikasi=rujukan)


_BUILDERS = {
    StageDocument.tanda_terima_berkas: _tanda_terima,
    StageDocument.surat_pengembalian_berkas: _pengembalian,
    StageDocument.berita_acara_pemeriksaan_berkas: _berita_acara_pemeriksaan,
    StageDocument.surat_tugas_visitasi: _surat_tugas,
    StageDocument.berita_acara_visitasi: _berita_acara_visitasi,
    StageDocument.rekomendasi_teknis: _rekomendasi_teknis,
    StageDocument.rekomendasi_dinkes: _rekomendasi_dinkes,
    StageDocument.izin: _izin,
}


# --- small helpers ---------------------------------------------------------------------------------


def due_date(case: CaseFacts) -> date | None:
    """When the office must finish, counted from the bundle's receipt (None without a calendar year)."""
    checklist = case.checklist
    try:
        deadline = compute_deadline(
            checklist.sla, [(str(s.stage), s.days) for s in checklist.stages],
            [CaseEvent("lengkap", case.received_at)], now=case.received_at,
            calendar=load_calendar(case.office.code), tz=ZoneInfo(case.office.timezone),
        )
    except MissingCalendarYear:
        return None
    return deadline.due_date


def _str_of(case: CaseFacts) -> tuple[str, date | None]:
    """The STR's number and validity as read from the bundle (None: valid for life)."""
    read = case.fields.get("str", {})
    nomor = read.get("nomor_str", "").strip()
    if not nomor:
        raise DocumentError("Nomor STR pemohon tidak terbaca dari berkas; petugas perlu mengisinya.")
    berlaku = read.get("berlaku_sampai", "").strip()
    if berlaku.lower() == "seumur hidup":
        return nomor, None
    until = _iso_date(berlaku)
    if until is None:
        raise DocumentError("Masa berlaku STR pemohon tidak terbaca dari berkas; petugas perlu mengisinya.")
    return nomor, until


def _penanggung_jawab(case: CaseFacts) -> str:
    """The facility's responsible person: as the clinic profile names them, else the applicant."""
    named = case.fields.get("profil_klinik", {}).get("penanggung_jawab", "")
    return " ".join((named or case.permohonan.pemohon_nama).split())


def _jenis_fasyankes(case: CaseFacts, default: str = "Klinik Pratama") -> str:
    name = case.permohonan.tempat_praktik.lower()
    for jenis in ("Klinik Utama", "Klinik Pratama"):
        if name.startswith(jenis.lower()):
            return jenis
    return default


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
