"""The officers a case's documents name, from what the case's history records (pure).

Who checked the bundle: the officers who acted at the procedure's check steps (a stage
``pemeriksaan_berkas``), by forwarding, returning or refusing the case there or by deciding one of
its requirements, in the order they acted, each once. Only the last round counts: a resubmission
brings a new bundle, which the officers check again. Acts of the online system or the applicant,
and of names that are no officer's account, name no one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from checklists.lifecycle import Action, role_label
from checklists.model import Role, ServiceChecklist, Stage
from renderers.catalogue import ROLE_LABEL
from renderers.document_inputs import Petugas

_NOT_OFFICERS = frozenset({Role.sistem, Role.pemohon})


@dataclass(frozen=True)
class CaseAct:
    """One entry of a case's history, in the order the store recorded it: a transition (``action``,
    the role it was made as, the step the case waited at) or an officer's decision on one requirement
    of the bundle's check (``action`` None; made at the check step the case waited at)."""

    at: datetime
    actor: str  # the account's username
    action: Action | None = None
    role: Role | None = None
    from_step: int | None = None  # None: the case waited at no office step (returned to the applicant)


@dataclass(frozen=True)
class Pemeriksaan:
    """The officers who checked the bundle and when the last of them decided (None: no officer acted)."""

    pemeriksa: tuple[Petugas, ...]
    diperiksa_pada: datetime | None


def petugas_of(nama: str, role: str, nip: str | None) -> Petugas:
    """An officer's account as documents name them: the role's label as their position (no rank:
    accounts do not record one)."""
    try:
        jabatan = ROLE_LABEL.get(Role(role)) or role_label(Role(role))
    except ValueError:
        jabatan = role.replace("_", " ").title()
    return Petugas(" ".join(nama.split()), jabatan, "", (nip or "").strip())


def pemeriksaan_berkas(checklist: ServiceChecklist, acts: Sequence[CaseAct],
                       petugas: Mapping[str, Petugas]) -> Pemeriksaan:
    """Who checked the bundle of the case whose history is ``acts`` (``petugas``: the officers'
    accounts by username), in the order they first acted, and the time of the last check-step act."""
    check_steps = {s.number for s in checklist.procedure if s.stage == Stage.pemeriksaan_berkas}
    resubmitted = [n for n, act in enumerate(acts) if act.action == Action.ajukan_ulang]
    this_round = acts[resubmitted[-1] + 1:] if resubmitted else acts
    named: dict[str, Petugas] = {}
    last: datetime | None = None
    for act in this_round:
        if act.role in _NOT_OFFICERS or (act.action is not None and act.from_step not in check_steps):
            continue
        officer = petugas.get(act.actor)
        if officer is None:
            continue
        named.setdefault(act.actor, officer)
        last = act.at
    return Pemeriksaan(tuple(named.values()), last)
