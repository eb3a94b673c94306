"""Applying a service checklist to the documents found in a bundle (CONTRACT section 6).

Pure: the checklist, the form and the documents in, a Verdict out. Each rule kind of
``checklists.model`` has one function here; a document passes a requirement when every rule
passes. A rule that cannot be decided (a field not read, a low-confidence document) gives
``review``, never a guessed ``met``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from checklists.model import (
    ClinicNameMatchesForm,
    DocumentPresent,
    LegalisedOrQr,
    MeteraiOn,
    NameMatchesForm,
    NikRegencyIs,
    NikRegencyNot,
    NikValidAndMatchesForm,
    NotExpired,
    Requirement,
    RowsRead,
    ServiceChecklist,
)
from checklists.names import NameComparison, compare_names, looks_like_name
from extractors.fields.nik import InvalidNik, parse_nik
from izinflow.domain import (
    Decision,
    DocType,
    Document,
    Manifest,
    PageText,
    RejectedFile,
    RequirementResult,
    RequirementStatus,
    Verdict,
)
from izinflow.privacy import redact
from renderers.dates import format_tanggal

MIN_CONFIDENCE = 0.6
NOT_FOUND = "dokumen tidak ditemukan"
_NEGATIVE = frozenset({"tidak ada", "tidak", "none", "no", "false", "0"})

Outcome = Literal["ok", "invalid", "review", "skip"]


@dataclass(frozen=True)
class _Context:
    manifest: Manifest
    submitted: date
    regency: str | None  # the applicant's regency code from the KTP (or the form), when known


@dataclass(frozen=True)
class _Check:
    outcome: Outcome
    reason: str = ""


def evaluate(
    checklist: ServiceChecklist,
    variant: str,
    manifest: Manifest,
    documents: Sequence[Document],
    *,
    unread: Sequence[RejectedFile] = (),
    page_errors: Sequence[PageText] = (),
) -> Verdict:
    """Check every requirement of ``variant`` and decide the bundle (KeyError: unknown variant)."""
    context = _Context(
        manifest=manifest,
        submitted=manifest.submitted_at.date(),
        regency=_applicant_regency(manifest, documents),
    )
    results = [_evaluate_requirement(req, documents, context) for req in checklist.requirements_for(variant)]

    unread_reasons = [redact(f"berkas {f.name} tidak dapat dibaca: {f.reason}") for f in unread]
    unread_reasons += [
        redact(f"halaman {p.ref.page} pada berkas {p.ref.file} tidak dapat dibaca: {p.error}")
        for p in page_errors
        if p.error
    ]
    if unread_reasons:
        results = [_unsure_when_unread(r) for r in results]
    return Verdict(decision=decide(results), requirements=tuple(results), reasons=tuple(unread_reasons))


def decide(results: Sequence[RequirementResult]) -> Decision:
    """The bundle's decision from its requirements' results (CONTRACT section 4)."""
    statuses = {r.status for r in results}
    if statuses & {RequirementStatus.missing, RequirementStatus.invalid}:
        return Decision.incomplete
    if RequirementStatus.review in statuses:
        return Decision.review
    return Decision.complete


def _unsure_when_unread(result: RequirementResult) -> RequirementResult:
    if result.status is not RequirementStatus.missing:
        return result
    return RequirementResult(
        code=result.code,
        status=RequirementStatus.review,
        reasons=(*result.reasons, "mungkin terdapat pada berkas atau halaman yang tidak dapat dibaca"),
        pages=result.pages,
    )


# --- one requirement ---------------------------------------------------------------------------


def _evaluate_requirement(
    req: Requirement, documents: Sequence[Document], ctx: _Context
) -> RequirementResult:
    code = req.code.value
    types = document_types(req)
    candidates = [d for d in documents if d.doc_type.value in types]
    pages_of_all = tuple(p for d in candidates for p in d.pages)

    applies = _condition_applies(req, ctx)
    if applies is False:
        return RequirementResult(code, RequirementStatus.not_required, (_not_required_reason(req),), ())
    if not candidates:
        if applies is None:
            reason = f"tidak dapat dipastikan apakah {req.title} diperlukan karena NIK tidak terbaca"
            return RequirementResult(code, RequirementStatus.review, (NOT_FOUND, reason), ())
        reasons = (NOT_FOUND, _required_reason(req)) if req.condition else (NOT_FOUND,)
        return RequirementResult(code, RequirementStatus.missing, reasons, ())

    outcomes = [(doc, _check_document(req, doc, ctx)) for doc in candidates]
    for doc, (status, _reasons) in outcomes:
        if status is RequirementStatus.met:
            return RequirementResult(code, RequirementStatus.met, (), tuple(doc.pages))
    status = (
        RequirementStatus.review
        if any(s is RequirementStatus.review for _, (s, _r) in outcomes)
        else RequirementStatus.invalid
    )
    reasons = tuple(dict.fromkeys(r for _, (_s, rs) in outcomes for r in rs))
    return RequirementResult(code, status, reasons, pages_of_all)


def document_types(req: Requirement) -> frozenset[str]:
    """The document types that may satisfy ``req``: its own, and for a meterai the stamped document."""
    types = {req.code.value} | {r.document.value for r in req.rules if isinstance(r, MeteraiOn)}
    if any(isinstance(r, MeteraiOn) for r in req.rules):
        types.add(DocType.meterai.value)
    return frozenset(types)


def _check_document(
    req: Requirement, doc: Document, ctx: _Context
) -> tuple[RequirementStatus, tuple[str, ...]]:
    checks = [_RULES[type(rule)](rule, req, doc, ctx) for rule in req.rules]
    reasons = [c.reason for c in checks if c.outcome in ("invalid", "review") and c.reason]
    if doc.confidence < MIN_CONFIDENCE:
        reasons.append(
            f"{req.short} kurang jelas terbaca (keyakinan {round(doc.confidence * 100)}%), "
            "perlu diperiksa petugas"
        )
        return RequirementStatus.review, tuple(reasons)
    if any(c.outcome == "invalid" for c in checks):
        return RequirementStatus.invalid, tuple(reasons)
    if any(c.outcome == "review" for c in checks):
        return RequirementStatus.review, tuple(reasons)
    return RequirementStatus.met, ()


# --- conditions --------------------------------------------------------------------------------


def _condition_applies(req: Requirement, ctx: _Context) -> bool | None:
    condition = req.condition
    if condition is None:
        return True
    if ctx.regency is None:
        return None
    if isinstance(condition, NikRegencyNot):
        return ctx.regency != condition.regency
    return ctx.regency == condition.regency


def _not_required_reason(req: Requirement) -> str:
    condition = req.condition
    if isinstance(condition, NikRegencyNot):
        return f"tidak diperlukan karena KTP dari {condition.regency_name}"
    if isinstance(condition, NikRegencyIs):
        return f"tidak diperlukan karena KTP bukan dari {condition.regency_name}"
    return "tidak diperlukan"


def _required_reason(req: Requirement) -> str:
    condition = req.condition
    if isinstance(condition, NikRegencyNot):
        return f"{req.title} wajib karena KTP bukan dari {condition.regency_name}"
    if isinstance(condition, NikRegencyIs):
        return f"{req.title} wajib karena KTP dari {condition.regency_name}"
    return f"{req.title} wajib"


def _applicant_regency(manifest: Manifest, documents: Sequence[Document]) -> str | None:
    """The regency of the KTP's NIK (CONTRACT rule 4); the form's NIK when no KTP NIK is valid."""
    ktp_niks = [d.fields.get("nik", "") for d in documents if d.doc_type is DocType.ktp]
    for value in [*ktp_niks, manifest.pemohon.nik]:
        digits = _digits(value)
        if not digits:
            continue
        try:
            return parse_nik(digits).regency_code
        except InvalidNik:
            continue
    return None


# --- rules -------------------------------------------------------------------------------------


def _document_present(rule: DocumentPresent, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    return _Check("ok")


def _meterai_on(rule: MeteraiOn, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    if doc.doc_type is DocType.meterai:
        return _Check("ok")
    label = rule.document.value.replace("_", " ")
    return _evidence(
        doc.fields.get("meterai"), rule.accepted,
        unsure=f"meterai pada {label} tidak dapat dipastikan",
        absent=f"{label} tidak bermeterai",
        unknown=f"meterai pada {label} tidak dikenali",
    )


def _nik_valid_and_matches_form(
    rule: NikValidAndMatchesForm, req: Requirement, doc: Document, ctx: _Context
) -> _Check:
    form_nik = _digits(ctx.manifest.pemohon.nik)
    try:
        parse_nik(form_nik)
    except InvalidNik as exc:
        return _Check("invalid", redact(f"NIK pada formulir tidak valid: {exc.reason}"))
    doc_nik = _digits(doc.fields.get("nik", ""))
    if not doc_nik:
        return _Check("review", f"NIK pada {req.short} tidak terbaca")
    if doc_nik == form_nik:
        return _Check("ok")
    try:
        parse_nik(doc_nik)
    except InvalidNik as exc:
        if doc.ocr:
            return _Check("review", f"NIK pada {req.short} tidak terbaca dengan pasti")
        return _Check("invalid", redact(f"NIK pada {req.short} tidak valid: {exc.reason}"))
    if doc.ocr and "nik" not in doc.confirmed and one_digit_apart(doc_nik, form_nik):
        return _Check("review", f"NIK pada {req.short} berbeda satu angka dengan formulir, "
                                "perlu diperiksa petugas")
    return _Check("invalid", f"NIK pada {req.short} tidak sama dengan NIK pada formulir")


def _name_matches_form(rule: NameMatchesForm, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    nama = " ".join(doc.fields.get("nama", "").split())
    if not nama:
        if rule.if_unread == "skip":
            return _Check("skip")
        return _Check("review", f"nama pada {req.short} tidak terbaca")
    if not looks_like_name(nama):
        return _Check("review", f"nama pada {req.short} tidak terbaca dengan pasti ({nama})")
    return _compared(compare_names(nama, ctx.manifest.pemohon.nama), f"nama pada {req.short} ({nama})")


def _compared(comparison: NameComparison, what: str, form: str = "") -> _Check:
    """A name read from a document against the form's: the same, close (a person looks), or another."""
    if comparison is NameComparison.match:
        return _Check("ok")
    if comparison is NameComparison.close:
        return _Check("review", f"{what} mirip tetapi tidak sama dengan formulir, perlu diperiksa petugas")
    return _Check("invalid", f"{what} tidak sesuai dengan formulir" + (f" ({form})" if form else ""))


def _not_expired(rule: NotExpired, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    raw = " ".join(doc.fields.get(rule.field, "").split())
    if not raw:
        return _Check("review", f"masa berlaku {req.short} tidak terbaca")
    if raw.lower().replace("-", " ") == "seumur hidup":
        return _Check("ok")
    try:
        until = date.fromisoformat(raw[:10])
    except ValueError:
        return _Check("review", f"masa berlaku {req.short} tidak terbaca dengan pasti")
    if until < ctx.submitted:
        return _Check("invalid", f"{req.short} sudah tidak berlaku sejak {format_tanggal(until)}")
    return _Check("ok")


def _legalised_or_qr(rule: LegalisedOrQr, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    return _evidence(
        doc.fields.get("legalisasi"), rule.accepted,
        unsure=f"legalisasi {req.short} tidak dapat dipastikan",
        absent=f"fotokopi {req.short} tidak dilegalisir dan tidak memuat barcode/QR",
        unknown=f"legalisasi {req.short} tidak dikenali",
    )


def _clinic_name_matches_form(rule: ClinicNameMatchesForm, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    nama = " ".join(doc.fields.get("nama_klinik", "").split())
    if not nama:
        if rule.if_unread == "skip":
            return _Check("skip")
        return _Check("review", f"nama klinik pada {req.short} tidak terbaca")
    form = ctx.manifest.tempat_praktik.nama
    if not form.strip():
        return _Check("review", "nama klinik tidak diisi pada formulir")
    return _compared(compare_clinic_names(nama, form), f"nama klinik pada {req.short} ({nama})", form.strip())


_CLINIC_WORDS = re.compile(r"\b(KLINIK|UTAMA|PRATAMA)\b")


def compare_clinic_names(a: str, b: str) -> NameComparison:
    """Clinic names compared like people's names, the words "Klinik", "Utama", "Pratama" aside."""
    return compare_names(_CLINIC_WORDS.sub(" ", a.upper()), _CLINIC_WORDS.sub(" ", b.upper()))


def _rows_read(rule: RowsRead, req: Requirement, doc: Document, ctx: _Context) -> _Check:
    if len(doc.rows) >= rule.minimum:
        return _Check("ok")
    return _Check("review", f"isi {req.short} tidak terbaca sebagai daftar, perlu diperiksa petugas")


def _evidence(raw: str | None, accepted: Sequence[str], *, unsure: str, absent: str, unknown: str) -> _Check:
    """A mark read from the document (a meterai, a legalisation): accepted, explicitly absent
    (invalid), unread (review) or something the checklist does not know (review)."""
    if raw is None or not raw.strip():
        return _Check("review", unsure)
    value = raw.strip().lower()
    if value in accepted:
        return _Check("ok")
    if value in _NEGATIVE:
        return _Check("invalid", absent)
    return _Check("review", f"{unknown} ({raw.strip()})")


_RULES: dict[type, Callable[..., _Check]] = {
    DocumentPresent: _document_present,
    MeteraiOn: _meterai_on,
    NikValidAndMatchesForm: _nik_valid_and_matches_form,
    NameMatchesForm: _name_matches_form,
    NotExpired: _not_expired,
    LegalisedOrQr: _legalised_or_qr,
    ClinicNameMatchesForm: _clinic_name_matches_form,
    RowsRead: _rows_read,
}


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def one_digit_apart(a: str, b: str) -> bool:
    """Two numbers of one length differing in one digit: what one OCR slip makes of a number."""
    a, b = _digits(a), _digits(b)
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
