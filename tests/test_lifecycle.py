"""The case lifecycle follows each service's procedure: the step's role acts, nobody else."""

from __future__ import annotations

import pytest

from checklists.lifecycle import (
    Action,
    CaseStatus,
    IllegalTransition,
    allowed_actions,
    apply,
    initial_state,
    replay,
)
from checklists.load import load_service
from checklists.model import Role, StageDocument

RHL = load_service("rokan-hilir", "sip-perekam-medis")
BTG = load_service("bontang", "sip-perekam-medis")
BTA = load_service("batang", "sertifikat-standar-fasyankes")

RHL_TO_ISSUED = [
    (Action.teruskan, Role.back_office),
    (Action.teruskan, Role.penata_perizinan_ahli_muda),
    (Action.setujui, Role.penata_perizinan_ahli_madya),
    (Action.beri_nomor, Role.back_office),
    (Action.tandatangani, Role.kepala_dinas),
]


def test_a_rokan_hilir_case_goes_from_check_to_signature_by_the_seed_roles() -> None:
    state = initial_state(RHL)
    assert state.step == 4 and allowed_actions(RHL, state) == {
        Action.teruskan: Role.back_office, Action.kembalikan: Role.back_office, Action.tolak: Role.back_office,
        Action.kembalikan_otomatis: Role.sistem}  # the system's check returns an incomplete bundle here
    produced = []
    for action, role in RHL_TO_ISSUED:
        transition = apply(RHL, state, action, role)
        produced.append(transition.produces)
        state = transition.to_state
    assert produced == [None, None, None, None, StageDocument.izin]
    assert state.signed and state.status == CaseStatus.diproses and state.version == 5
    state = replay(RHL, [*RHL_TO_ISSUED, (Action.serahkan, Role.back_office), (Action.serahkan, Role.petugas_loket)])
    assert state.status == CaseStatus.selesai and state.step is None and allowed_actions(RHL, state) == {}


def test_every_role_but_the_steps_own_is_refused_every_action() -> None:
    state = initial_state(RHL)
    for step_action, step_role in RHL_TO_ISSUED:
        for role in Role:
            for action in Action:
                if (action, role) in allowed_actions(RHL, state).items():
                    continue
                with pytest.raises(IllegalTransition):
                    apply(RHL, state, action, role)
        state = apply(RHL, state, step_action, step_role).to_state


def test_the_refusal_names_who_may_act() -> None:
    with pytest.raises(IllegalTransition, match="Kepala Dinas"):
        apply(RHL, replay(RHL, RHL_TO_ISSUED[:4]), Action.tandatangani, Role.back_office)


def test_a_returned_bundle_waits_for_the_applicant_and_comes_back_to_the_first_check() -> None:
    later = replay(BTG, [(Action.teruskan, Role.front_office)])
    assert later.step == 6
    back = apply(BTG, later, Action.kembalikan, Role.back_office)
    assert back.produces == StageDocument.surat_pengembalian_berkas
    assert back.to_state.status == CaseStatus.dikembalikan
    assert allowed_actions(BTG, back.to_state) == {Action.ajukan_ulang: Role.pemohon}
    with pytest.raises(IllegalTransition):
        apply(BTG, back.to_state, Action.teruskan, Role.back_office)
    again = apply(BTG, back.to_state, Action.ajukan_ulang, Role.pemohon).to_state
    assert again.status == CaseStatus.diproses and again.step == 4


def test_bontang_asks_the_dinas_kesehatan_for_its_recommendation_before_approval() -> None:
    state = replay(BTG, [(Action.teruskan, Role.front_office), (Action.teruskan, Role.back_office),
                         (Action.teruskan, Role.kepala_seksi), (Action.teruskan, Role.tim_teknis_dinkes)])
    transition = apply(BTG, state, Action.rekomendasikan, Role.dinas_kesehatan)
    assert transition.produces == StageDocument.rekomendasi_dinkes


def test_a_refusal_is_final_and_issues_the_rejection_letter() -> None:
    state = replay(BTA, [(Action.teruskan, Role.petugas)])
    refused = apply(BTA, state, Action.tolak, Role.petugas)
    assert refused.produces == StageDocument.surat_penolakan
    assert refused.to_state.status == CaseStatus.ditolak and allowed_actions(BTA, refused.to_state) == {}


def test_batang_visit_steps_belong_to_the_visit_team() -> None:
    state = replay(BTA, [(Action.teruskan, Role.petugas)])
    assert apply(BTA, state, Action.teruskan, Role.petugas).produces == StageDocument.surat_tugas_visitasi
    at_visit = replay(BTA, [(Action.teruskan, Role.petugas)] * 2)
    assert allowed_actions(BTA, at_visit)[Action.teruskan] == Role.tim_visitasi


def test_a_service_run_entirely_in_oss_has_no_office_lifecycle() -> None:
    with pytest.raises(IllegalTransition, match="tidak memiliki langkah petugas"):
        initial_state(load_service("bekasi", "izin-klinik-utama"))
