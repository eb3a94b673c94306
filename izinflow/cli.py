"""The `izinflow` command: check bundles, run the intake once, make samples, render the catalogue."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _quiet_prefect(verbose: bool) -> None:
    # Prefect reads its settings at import: set them before anything imports it.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def cmd_check(args: argparse.Namespace) -> int:
    _quiet_prefect(args.verbose)
    from izinflow.checking import check_bundles
    from izinflow.tables import decisions_table

    paths = [Path(p) for p in args.bundles]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print("izinflow: berkas tidak ditemukan: " + ", ".join(missing), file=sys.stderr)
        return 2
    reports = check_bundles(args.bundles, progress=sys.stderr.isatty())
    if args.json:
        for report in reports:
            print(json.dumps(report.as_contract(), ensure_ascii=False), flush=True)
    else:
        decisions_table(reports, details=True)
    return 0


def cmd_intake(args: argparse.Namespace) -> int:
    _quiet_prefect(args.verbose)
    from flows.intake import intake_flow
    from flows.runtime import embedded_prefect
    from izinflow.tables import decisions_table

    with embedded_prefect():
        reports = intake_flow()
    decisions_table(reports, details=False)
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from izinflow.samples import generate_samples

    for info in generate_samples(Path(args.outdir), args.n, args.seed):
        print(f"{info.path}\t{info.office}/{info.variant}\t{info.decision}")
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from checklists.load import ChecklistError, load_catalogue
    from renderers.catalogue import write_catalogue

    try:
        catalogue = load_catalogue()
    except ChecklistError as exc:
        print(f"izinflow: {exc}", file=sys.stderr)
        return 2
    for path in write_catalogue(catalogue, Path(args.outdir)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="izinflow", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="tampilkan log Prefect")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="verifikasi berkas (folder atau .zip) dan cetak keputusannya")
    check.add_argument("bundles", nargs="+", metavar="BUNDLE")
    check.add_argument("--json", action="store_true", help="satu objek JSON per berkas, per baris")
    check.set_defaults(func=cmd_check)

    intake = sub.add_parser("intake", help="ambil semua berkas di inbox dan verifikasi")
    intake.set_defaults(func=cmd_intake)

    samples = sub.add_parser("samples", help="buat berkas contoh sintetis dengan kunci jawaban")
    samples.add_argument("outdir")
    samples.add_argument("--n", type=int, default=8)
    samples.add_argument("--seed", type=int, default=1)
    samples.set_defaults(func=cmd_samples)

    catalogue = sub.add_parser("catalogue", help="cetak standar pelayanan setiap kantor (HTML dan PDF)")
    catalogue.add_argument("outdir")
    catalogue.set_defaults(func=cmd_catalogue)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
