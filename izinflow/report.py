"""The contract's section 5 output: one JSON-able object per bundle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from izinflow.domain import Decision, Document, Manifest, Verdict


@dataclass(frozen=True)
class CheckReport:
    """What one verification produced, in memory; never handed to Prefect's storage."""

    bundle: str
    decision: Decision
    manifest: Manifest | None
    verdict: Verdict | None
    documents: Sequence[Document] = ()
    outputs: Sequence[str] = ()
    reasons: Sequence[str] = ()
    nomor_permohonan: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_contract(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "bundle": self.bundle,
            "decision": str(self.decision),
            "office": m.office if m else None,
            "service": m.service if m else None,
            "variant": m.variant if m else None,
            "nomor_permohonan": self.nomor_permohonan,
            "reasons": list(self.reasons),
            "requirements": [
                {
                    "code": r.code,
                    "status": str(r.status),
                    "reasons": list(r.reasons),
                    "pages": [p.as_dict() for p in r.pages],
                }
                for r in (self.verdict.requirements if self.verdict else ())
            ],
            "documents": [
                {
                    "type": str(d.doc_type),
                    "pages": [p.as_dict() for p in d.pages],
                    "confidence": round(min(max(d.confidence, 0.0), 1.0), 3),
                    "ocr": d.ocr,
                    "fields": dict(d.fields),
                    **({"rows": [dict(row) for row in d.rows]} if d.rows else {}),
                }
                for d in self.documents
            ],
            "outputs": list(self.outputs),
        }


def unreadable_report(bundle: str, reason: str, manifest: Manifest | None = None) -> CheckReport:
    return CheckReport(
        bundle=bundle, decision=Decision.unreadable, manifest=manifest, verdict=None, reasons=(reason,)
    )
