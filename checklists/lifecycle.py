"""The case lifecycle, read from a service's procedure: who may do what to a case, and what follows.

A case waits at one step of the procedure at a time: the next step an office role performs
(steps of the applicant and of the online system are not waited on). The step's role may finish
it with the action its stage calls for (forward a checked bundle, recommend, approve, number,
sign, hand over); at a check the bundle may go back to the applicant, and at a check, a technical
verification, a recommendation or an approval the case may be refused. The state is never stored
as such: it is the fold of the case's transitions, which the store keeps as append-only events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from checklists.model import Role, ServiceChecklist, Stage, StageDocument, Step

# Roles whose steps are the applicant's or the online system's: the office does not wait on them.
_NOT_OFFICE = frozenset({Role.pemohon, Role.sistem})


class CaseStatus(StrEnum):
    diproses = "diproses"  # with the office, waiting at a procedure step
    dikembalikan = "dikembalikan"  # back with the applicant to complete the bundle (the clock stops)
    ditolak = "ditolak"
    selesai = "selesai"  # every office step done: the product handed over and archived


class Action(StrEnum):
    teruskan = "teruskan"  # the check or verification is done: on to the next step
    rekomendasikan = "rekomendasikan"
    setujui = "setujui"
    beri_nomor = "beri_nomor"
    tandatangani = "tandatangani"
    serahkan = "serahkan"  # printed, handed over, archived
    kembalikan = "kembalikan"  # to the applicant, with the return letter
    kembalikan_otomatis = "kembalikan_otomatis"  # the system's check finds the bundle incomplete: the same
    ajukan_ulang = "ajukan_ulang"  # the applicant sent the missing documents
    tolak = "tolak"


ACTION_LABEL = {
    Action.teruskan: "Teruskan",
    Action.rekomendasikan: "Rekomendasikan",
    Action.setujui: "Setujui",
    Action.beri_nomor: "Beri nomor",
    Action.tandatangani: "Tandatangani",
    Action.serahkan: "Serahkan dan arsipkan",
    Action.kembalikan: "Kembalikan ke pemohon",
    Action.kembalikan_otomatis: "Dikembalikan oleh pemeriksaan sistem",
    Action.ajukan_ulang: "Berkas diajukan ulang",
    Action.tolak: "Tolak",
}

_FINISH = {
    Stage.pemeriksaan_berkas: Action.teruskan,
    Stage.verifikasi_teknis: Action.teruskan,
    Stage.rekomendasi: Action.rekomendasikan,
    Stage.persetujuan: Action.setujui,
    Stage.penomoran: Action.beri_nomor,
    Stage.penandatanganan: Action.tandatangani,
    Stage.penyerahan: Action.serahkan,
}
_MAY_REFUSE = frozenset({Stage.pemeriksaan_berkas, Stage.verifikasi_teknis, Stage.rekomendasi, Stage.persetujuan})
# Actions that change the case for good or speak for the office: a reason is part of the record.
NEEDS_REASON = frozenset({Action.kembalikan, Action.kembalikan_otomatis, Action.tolak})
# The bundle goes back to the applicant (with the return letter); the clock stops.
RETURNS = frozenset({Action.kembalikan, Action.kembalikan_otomatis})


class IllegalTransition(Exception):
    """An action the case's state or the actor's role does not allow; the message is for the clerk."""


@dataclass(frozen=True)
class CaseState:
    status: CaseStatus
    step: int | None  # the procedure step number the case waits at (None when it waits on no one)
    signed: bool = False  # the product is signed: issued
    version: int = 0  # transitions so far: a decision made on an older view of the case is refused


@dataclass(frozen=True)
class Transition:
    action: Action
    role: Role
    from_state: CaseState
    to_state: CaseState
    produces: StageDocument | None = None  # the document this step issues (rendered by renderers)


def office_steps(checklist: ServiceChecklist) -> list[Step]:
    return [s for s in checklist.procedure if s.role not in _NOT_OFFICE]


def initial_state(checklist: ServiceChecklist) -> CaseState:
    steps = office_steps(checklist)
    if not steps:
        raise IllegalTransition(f"layanan {checklist.name} tidak memiliki langkah petugas")
    return CaseState(CaseStatus.diproses, steps[0].number)


def current_step(checklist: ServiceChecklist, state: CaseState) -> Step | None:
    return next((s for s in checklist.procedure if s.number == state.step), None)


def allowed_actions(checklist: ServiceChecklist, state: CaseState) -> dict[Action, Role]:
    """What may be done to the case now, and by whom."""
    if state.status == CaseStatus.dikembalikan:
        return {Action.ajukan_ulang: Role.pemohon}
    step = current_step(checklist, state)
    if state.status != CaseStatus.diproses or step is None:
        return {}
    allowed = {_FINISH[step.stage]: step.role}
    if step.stage == Stage.pemeriksaan_berkas:
        allowed[Action.kembalikan] = step.role
    if step.stage in _MAY_REFUSE:
        allowed[Action.tolak] = step.role
    if step == office_steps(checklist)[0] and step.stage == Stage.pemeriksaan_berkas:
        # The online system's check sends an incomplete bundle back where the office's first check would.
        allowed[Action.kembalikan_otomatis] = Role.sistem
    return allowed


def apply(checklist: ServiceChecklist, state: CaseState, action: Action, role: Role) -> Transition:
    """The transition ``role`` makes with ``action``; raises ``IllegalTransition`` when not allowed."""
    allowed = allowed_actions(checklist, state)
    if action not in allowed:
        raise IllegalTransition(f"tindakan '{ACTION_LABEL[action]}' tidak dapat dilakukan pada tahap ini")
    if allowed[action] != role:
        raise IllegalTransition(
            f"tindakan '{ACTION_LABEL[action]}' pada tahap ini hanya oleh {role_label(allowed[action])}"
        )
    step = current_step(checklist, state)
    version = state.version + 1
    if action in RETURNS:
        to = CaseState(CaseStatus.dikembalikan, state.step, state.signed, version)
        return Transition(action, role, state, to, StageDocument.surat_pengembalian_berkas)
    if action == Action.tolak:
        to = CaseState(CaseStatus.ditolak, None, state.signed, version)
        return Transition(action, role, state, to, StageDocument.surat_penolakan)
    if action == Action.ajukan_ulang:
        first_check = next(s for s in office_steps(checklist))
        return Transition(action, role, state, CaseState(CaseStatus.diproses, first_check.number, False, version))
    assert step is not None
    later = [s for s in office_steps(checklist) if s.number > step.number]
    signed = state.signed or step.stage == Stage.penandatanganan
    to = (CaseState(CaseStatus.diproses, later[0].number, signed, version) if later
          else CaseState(CaseStatus.selesai, None, signed, version))
    # A check step "produces" its return letter only when it returns the bundle (above).
    produces = None if step.produces == StageDocument.surat_pengembalian_berkas else step.produces
    return Transition(action, role, state, to, produces)


def replay(checklist: ServiceChecklist, actions: Iterable[tuple[Action, Role]]) -> CaseState:
    """The state after ``actions`` (in order) from the start; each must have been allowed."""
    state = initial_state(checklist)
    for action, role in actions:
        state = apply(checklist, state, action, role).to_state
    return state


def role_label(role: Role) -> str:
    return role.value.replace("_", " ").title().replace("Dinkes", "Dinas Kesehatan")
