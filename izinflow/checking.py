"""`izinflow check`: admit each bundle as the intake does, then run the same verification flow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from izinflow.domain import Decision
from izinflow.report import CheckReport, unreadable_report


def check_one(source: str) -> CheckReport:
    from flows.admission import admit_bundle
    from flows.intake import already_checked, stored_report
    from flows.verification import verification_flow

    admission = admit_bundle(Path(source), move=False)
    if admission.application_id is None or admission.nomor_permohonan is None:
        return unreadable_report(source, admission.reason or "berkas tidak dapat dibuka")
    if admission.resubmission_id is not None and not admission.created and already_checked(admission):
        stored = stored_report(admission.application_id, source)  # a resubmission is checked once
        if stored is not None:
            return stored
    try:
        report = verification_flow(admission.application_id, admission.nomor_permohonan,
                                   resubmission_id=admission.resubmission_id)
    except Exception as exc:  # a crash of one bundle must not cost the others their decision
        return CheckReport(
            bundle=source,
            decision=Decision.review,
            manifest=admission.manifest,
            verdict=None,
            reasons=(f"verifikasi otomatis gagal ({type(exc).__name__}); periksa secara manual",),
            nomor_permohonan=admission.nomor_permohonan,
        )
    return replace(report, bundle=source)


def check_bundles(sources: Sequence[str], *, progress: bool = False) -> list[CheckReport]:
    from flows.read_ahead import reading_ahead
    from flows.runtime import embedded_prefect

    with embedded_prefect(), reading_ahead(sources) as wait_for_pages:
        return _check_all(sources, progress=progress, wait_for_pages=wait_for_pages)


def _check_all(
    sources: Sequence[str], *, progress: bool, wait_for_pages: Callable[[str], None]
) -> list[CheckReport]:
    def check(source: str) -> CheckReport:
        wait_for_pages(source)
        return check_one(source)

    if not progress:
        return [check(s) for s in sources]
    reports: list[CheckReport] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        job = bar.add_task("memeriksa berkas", total=len(sources))
        for source in sources:
            bar.update(job, description=f"memeriksa {Path(source).name}")
            reports.append(check(source))
            bar.advance(job)
    return reports
