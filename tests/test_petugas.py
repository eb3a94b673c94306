"""Who the berita acara of the bundle's check names: the officers who acted at the check steps, from the
case's history, in the order they acted, each once; the demo's examiners only when no officer acted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from checklists.lifecycle import Action
from checklists.load import load_office, load_service
from checklists.model import Role, StageDocument
from izinflow.demo_case import DEMO_PEMERIKSA, CaseFacts, content_for
from izinflow.domain import Decision, RequirementResult, RequirementStatus, Verdict
from izinflow.petugas import CaseAct, Pemeriksaan, pemeriksaan_berkas, petugas_of
from renderers.document_inputs import BeritaAcaraPemeriksaan, Koreksi, Permohonan

RHL = load_service("rokan-hilir", "sip-perekam-medis")  # steps 4 (back office) and 5 (Ahli Muda) check
START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
OFFICERS = {
    "bo.nurul": petugas_of("NURUL  AINI, S.Kom", "back_office", " 19900101 201501 2 001 "),
    "bo.yusuf": petugas_of("YUSUF HAKIM", "back_office", None),
    "am.rahmat": petugas_of("RAHMAT FAUZI, S.H.", "penata_perizinan_ahli_muda", "19840211 200902 1 002"),
    "amd.sari": petugas_of("SARI DEWI, S.E.", "penata_perizinan_ahli_madya", None),
    "sistem": petugas_of("AKUN BERNAMA SISTEM", "back_office", None),
}


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def transition(minutes: int, actor: str, action: Action, role: Role, from_step: int | None) -> CaseAct:
    return CaseAct(at(minutes), actor, action, role, from_step)


def override(minutes: int, actor: str) -> CaseAct:
    return CaseAct(at(minutes), actor)


def test_an_account_is_named_by_its_name_the_roles_label_and_its_nip() -> None:
    assert OFFICERS["bo.nurul"].nama == "NURUL AINI, S.Kom"
    assert OFFICERS["bo.nurul"].jabatan == "Petugas Back Office" and OFFICERS["bo.nurul"].pangkat == ""
    assert OFFICERS["bo.nurul"].nip == "19900101 201501 2 001"
    assert OFFICERS["am.rahmat"].jabatan == "Penata Perizinan Ahli Muda" and OFFICERS["bo.yusuf"].nip == ""
    assert petugas_of("OPERATOR KANTOR", "operator", None).jabatan == "Operator"


def test_the_officers_of_the_check_steps_in_the_order_they_acted_each_once() -> None:
    acts = [
        override(0, "bo.yusuf"),
        override(5, "bo.nurul"),
        override(6, "bo.yusuf"),
        transition(10, "bo.nurul", Action.teruskan, Role.back_office, 4),
        transition(30, "am.rahmat", Action.teruskan, Role.penata_perizinan_ahli_muda, 5),
        transition(60, "amd.sari", Action.setujui, Role.penata_perizinan_ahli_madya, 6),  # not a check step
        transition(90, "bo.nurul", Action.beri_nomor, Role.back_office, 7),
    ]
    checked = pemeriksaan_berkas(RHL, acts, OFFICERS)
    assert checked == Pemeriksaan((OFFICERS["bo.yusuf"], OFFICERS["bo.nurul"], OFFICERS["am.rahmat"]), at(30))


def test_only_the_round_after_the_last_resubmission_counts() -> None:
    acts = [
        override(0, "bo.yusuf"),
        transition(5, "bo.yusuf", Action.kembalikan, Role.back_office, 4),
        transition(60, "pemohon", Action.ajukan_ulang, Role.pemohon, None),
        transition(70, "bo.nurul", Action.teruskan, Role.back_office, 4),
    ]
    assert pemeriksaan_berkas(RHL, acts, OFFICERS) == Pemeriksaan((OFFICERS["bo.nurul"],), at(70))
    # Returned again and not yet checked since: no one has checked the newest bundle.
    returned = [*acts, transition(80, "sistem", Action.kembalikan_otomatis, Role.sistem, 4),
                transition(90, "pemohon", Action.ajukan_ulang, Role.pemohon, None)]
    assert pemeriksaan_berkas(RHL, returned, OFFICERS) == Pemeriksaan((), None)


def test_the_system_the_applicant_and_names_without_an_account_name_no_one() -> None:
    acts = [
        transition(0, "sistem", Action.kembalikan_otomatis, Role.sistem, 4),  # an account of that name or not
        transition(10, "bo-tanpa-akun", Action.teruskan, Role.back_office, 4),
        override(20, "petugas-demo"),
    ]
    assert pemeriksaan_berkas(RHL, acts, OFFICERS) == Pemeriksaan((), None)
    assert pemeriksaan_berkas(RHL, [], OFFICERS) == Pemeriksaan((), None)


def test_the_berita_acara_names_the_officers_who_acted_else_the_demos_examiners() -> None:
    office = load_office("rokan-hilir")
    code = RHL.requirements_for("baru")[-1].code
    koreksi = (Koreksi(code, RequirementStatus.met, "asli diperlihatkan", "YUSUF HAKIM"),)
    case = CaseFacts(
        office=office, checklist=RHL, application_id=1,
        permohonan=Permohonan("RHL-1", date(2026, 11, 20), "baru", "SITI AMINAH"),
        received_at=at(-600),
        verdict=Verdict(Decision.review, tuple(RequirementResult(r.code, RequirementStatus.met)
                                               for r in RHL.requirements_for("baru"))),
        checked_at=at(-500), fields={}, officer_decided=True, koreksi=koreksi,
    )
    demo = content_for(StageDocument.berita_acara_pemeriksaan_berkas, case, date(2026, 11, 24))
    assert isinstance(demo, BeritaAcaraPemeriksaan)
    assert demo.pemeriksa == DEMO_PEMERIKSA["rokan-hilir"] and demo.diperiksa_pada == at(-500)

    acted = replace(case, pemeriksa=(OFFICERS["bo.yusuf"],), diperiksa_pada=at(10))
    real = content_for(StageDocument.berita_acara_pemeriksaan_berkas, acted, date(2026, 11, 24))
    assert isinstance(real, BeritaAcaraPemeriksaan)
    assert real.pemeriksa == (OFFICERS["bo.yusuf"],) and real.diperiksa_pada == at(10) and real.koreksi == koreksi
