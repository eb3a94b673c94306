"""python -m izinflow.samples OUTDIR --n N --seed S [--zip-share F] [--bad-inputs]"""

from __future__ import annotations

import argparse
from pathlib import Path

from izinflow.samples import generate_bad_inputs, generate_samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m izinflow.samples",
        description="Tulis berkas sintetis beserta kebenaran dasarnya (truth).",
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--n", type=int, default=10, help="jumlah berkas")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--zip-share", type=float, default=0.2, help="bagian berkas yang ditulis sebagai .zip"
    )
    parser.add_argument("--bad-inputs", action="store_true", help="tulis juga masukan rusak ke OUTDIR/bad")
    args = parser.parse_args(argv)
    for info in generate_samples(args.outdir, args.n, args.seed, zip_share=args.zip_share):
        print(f"{info.path}\t{info.office}\t{info.variant}\t{info.decision}")
    if args.bad_inputs:
        for key, path in generate_bad_inputs(args.outdir / "bad").items():
            print(f"{path}\t{key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
