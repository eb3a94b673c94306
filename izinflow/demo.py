"""`make demo`: drop a few generated bundles (and one broken one) into the inbox, run the intake
and verification flows on the embedded defaults, and print the decisions with the PDFs' paths."""

from __future__ import annotations

import os
import shutil
import sys

DEMO_SEED = 2026
DEMO_BUNDLES = 6


def main() -> int:
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows import runtime
    from flows.intake import intake_flow
    from izinflow.samples import generate_bad_inputs, generate_samples
    from izinflow.tables import decisions_table

    ws = runtime.workspace().ensure()
    samples_dir = ws.root / "demo-samples"
    if not samples_dir.exists():
        print(f"membuat {DEMO_BUNDLES} berkas contoh di {samples_dir} …", file=sys.stderr)
        generate_samples(samples_dir, DEMO_BUNDLES, DEMO_SEED)
        bad = generate_bad_inputs(samples_dir / "rusak")
        shutil.copy2(bad["corrupt_zip"], samples_dir / "berkas-rusak.zip")
    for entry in sorted(samples_dir.iterdir()):
        if entry.name.endswith(".truth.json") or entry.name == "rusak":
            continue
        target = ws.inbox / entry.name
        if not target.exists():
            (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target)
    print(f"berkas diletakkan di {ws.inbox}; menjalankan intake dan verifikasi …", file=sys.stderr)
    with runtime.embedded_prefect():
        reports = intake_flow()
    decisions_table(reports, details=True)
    print(f"\nBerkas asli: {ws.originals}   karantina: {ws.quarantine}   surat: {ws.outputs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
