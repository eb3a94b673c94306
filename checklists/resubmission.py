"""A resubmission's check: the applicant's new files read alone, merged with what earlier attempts accepted.

Pure. The earlier check is the newest attempt as it stands after the officers' decisions (each attempt
already holds what came before it). The rules:

- A requirement met before (by the check or accepted by an officer) stays met, with its pages: the
  documents behind it are carried into the new attempt without being read again.
- The new documents and the carried ones are checked together (so a new KTP decides, for instance,
  whether a domicile letter is needed).
- A requirement found invalid or left to a person before, for which the new files bring nothing, keeps
  that finding and its reasons: the applicant sent nothing to change it. Its documents are carried
  along for the record, but do not take part in the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from checklists.evaluate import decide, document_types, evaluate
from checklists.model import ServiceChecklist
from izinflow.domain import (
    Document,
    Manifest,
    PageRef,
    PageText,
    RejectedFile,
    RequirementResult,
    RequirementStatus,
    Verdict,
)

S = RequirementStatus
_STANDS = frozenset({S.invalid, S.review})


@dataclass(frozen=True)
class EarlierCheck:
    """The newest earlier attempt: its documents and its requirements' results after the officers' decisions."""

    documents: Sequence[Document]
    results: Sequence[RequirementResult]

    def met(self) -> frozenset[str]:
        return frozenset(r.code for r in self.results if r.status is S.met)


def check_resubmission(
    checklist: ServiceChecklist,
    variant: str,
    manifest: Manifest,
    earlier: EarlierCheck,
    new_documents: Sequence[Document],
    *,
    unread: Sequence[RejectedFile] = (),
    page_errors: Sequence[PageText] = (),
) -> tuple[list[Document], Verdict]:
    """The documents the new attempt holds (the new ones first, then those carried) and its verdict."""
    before = {r.code: r for r in earlier.results}
    accepted = _backing(earlier.documents, [r for r in earlier.results if r.status is S.met])
    fresh = evaluate(checklist, variant, manifest, [*new_documents, *accepted], unread=unread,
                     page_errors=page_errors)
    brought = {str(d.doc_type) for d in new_documents}
    results: list[RequirementResult] = []
    standing: list[RequirementResult] = []  # the earlier results kept: their documents are carried
    for requirement, result in zip(checklist.requirements_for(variant), fresh.requirements, strict=True):
        earlier_result = before.get(result.code)
        if earlier_result is not None and earlier_result.status is S.met:
            result = replace(earlier_result, reasons=())
            standing.append(result)
        elif (earlier_result is not None and earlier_result.status in _STANDS and result.status is S.missing
              and requirement.condition is None and not brought & document_types(requirement)):
            result = earlier_result
            standing.append(result)
        results.append(result)
    verdict = Verdict(decision=decide(results), requirements=tuple(results), reasons=fresh.reasons)
    return [*new_documents, *_backing(earlier.documents, standing)], verdict


def _backing(documents: Sequence[Document], results: Sequence[RequirementResult]) -> list[Document]:
    """The documents whose pages the ``results`` stand on, in their order."""
    pages: set[PageRef] = {p for r in results for p in r.pages}
    return [d for d in documents if pages & set(d.pages)]
