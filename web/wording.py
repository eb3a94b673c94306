"""How the case page words the store's records for a clerk: each event of the log on one Indonesian
line (not the stored detail's keys), and an issued document by its name in the service.

Pure functions over the events' details; a kind or a key they do not know is shown as stored, so a
new event never breaks the page. Every line passes through ``redact`` (NIK-like numbers masked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from checklists.lifecycle import ACTION_LABEL, Action
from checklists.load import ChecklistError, load_service
from izinflow.privacy import redact
from web.labels import DECISION_LABEL, DOCUMENT_LABEL, REQUIREMENT_STATUS_LABEL, STATUS_LABEL, label

SYSTEM_ACTOR = "izinflow"
_SHORT_HASH = 12

Titles = Mapping[str, str]  # requirement code -> the service's title of it


@dataclass(frozen=True)
class _Names:
    titles: Titles
    office: str
    service: str

    def document(self, kind: str) -> str:
        return document_name(kind, self.office, self.service)


def actor_name(actor: str) -> str:
    return "sistem" if actor == SYSTEM_ACTOR else actor


def event_line(kind: str, detail: Mapping[str, Any], titles: Titles | None = None, *, office: str = "",
               service: str = "") -> str:
    """One event's detail as a clerk reads it; ``titles`` name the requirements, ``office`` and
    ``service`` the permit."""
    wording = _WORDING.get(kind)
    try:
        text = wording(detail, _Names(titles or {}, office, service)) if wording else ""
    except (KeyError, TypeError, ValueError, AttributeError):
        text = ""
    return redact(text or _as_stored(detail))


def document_name(kind: str, office: str, service: str) -> str:
    """The issued document's name: the permit by the service's product (``Izin Praktik ...``)."""
    if kind == "izin":
        product = _product(office, service)
        if product:
            return product
    return label(DOCUMENT_LABEL, kind)


# --- each kind ----------------------------------------------------------------------------------------


def _received(detail: Mapping[str, Any], names: _Names) -> str:
    parts = [f"berkas {detail['berkas']}"]
    if detail.get("sha256"):
        parts.append(f"sidik SHA-256 {str(detail['sha256'])[:_SHORT_HASH]}…")
    if detail.get("perbaikan"):
        parts.append(f"perbaikan ke-{detail['perbaikan']}")
    return " · ".join(parts)


def _refused_resubmission(detail: Mapping[str, Any], names: _Names) -> str:
    return f"berkas {detail['berkas']} untuk permohonan {detail['nomor_permohonan']} · alasan: {detail['alasan']}"


def _checked(detail: Mapping[str, Any], names: _Names) -> str:
    text = f"hasil: {label(DECISION_LABEL, detail['decision'])}"
    return text + (f" · berkas perbaikan ke-{detail['perbaikan']}" if detail.get("perbaikan") else "")


def _override(detail: Mapping[str, Any], names: _Names) -> str:
    return _koreksi(detail["koreksi"], names.titles)


def _accepted(detail: Mapping[str, Any], names: _Names) -> str:
    parts = [_koreksi(k, names.titles) for k in detail.get("koreksi", ())]
    if detail.get("catatan"):
        parts.append(f"catatan: {detail['catatan']}")
    return "; ".join(parts)


def _transition(detail: Mapping[str, Any], names: _Names) -> str:
    text = f"{_action(detail['action'])}: {_where(detail['from'])} → {_where(detail['to'])}"
    if detail.get("reason"):
        text += f" · alasan: {detail['reason']}"
    documents = [names.document(d) for d in detail.get("documents", ())]
    return text + (f" · {', '.join(documents)}" if documents else "")


def _refused(detail: Mapping[str, Any], names: _Names) -> str:
    return f"{_action(detail['action'])} tidak diterima: {detail['reason']}"


def _issued(detail: Mapping[str, Any], names: _Names) -> str:
    return f"{names.document(detail['kind'])} Nomor {detail['nomor_surat']}"


def _revoked(detail: Mapping[str, Any], names: _Names) -> str:
    return f"{names.document(detail['kind'])} Nomor {detail['nomor_surat']} dicabut"


def _visit(detail: Mapping[str, Any], names: _Names) -> str:
    return f"tim {detail['team_size']} orang · {detail['scored_items']} butir dinilai"


_WORDING: dict[str, Callable[[Mapping[str, Any], _Names], str]] = {
    "berkas_diterima": _received,
    "berkas_diterima_ulang": _received,
    "berkas_perbaikan_diterima": _received,
    "berkas_perbaikan_diterima_ulang": _received,
    "berkas_perbaikan_ditolak": _refused_resubmission,
    "verifikasi": _checked,
    "koreksi_persyaratan": _override,
    "keputusan_petugas": _accepted,
    "transisi": _transition,
    "transisi_ditolak": _refused,
    "dokumen_diterbitkan": _issued,
    "dokumen_dicabut": _revoked,
    "kunjungan_lapangan_dicatat": _visit,
}


# --- helpers -----------------------------------------------------------------------------------------


def _koreksi(koreksi: Mapping[str, Any], titles: Titles) -> str:
    title = titles.get(koreksi["code"]) or koreksi["code"].replace("_", " ")
    text = f"{title}: {label(REQUIREMENT_STATUS_LABEL, koreksi['status'])}"
    return text + (f" — {koreksi['alasan']}" if koreksi.get("alasan") else "")


def _action(code: str) -> str:
    try:
        return ACTION_LABEL[Action(code)]
    except ValueError:
        return code.replace("_", " ")


def _where(state: Mapping[str, Any]) -> str:
    if state.get("status") == "diproses" and state.get("step") is not None:
        return f"langkah {state['step']}"
    return label(STATUS_LABEL, state.get("status"))


def _as_stored(detail: Mapping[str, Any]) -> str:
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in detail.items()
                     if not isinstance(value, dict | list) and key != "decision_id")


@lru_cache(maxsize=64)
def _product(office: str, service: str) -> str:
    try:
        return load_service(office, service).product
    except (ChecklistError, ValueError):
        return ""
