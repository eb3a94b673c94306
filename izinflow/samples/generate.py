"""Write synthetic bundles with their ground truth beside them (the side-effect edge of the generator)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from izinflow.samples.assemble import group_files, name_files, truth_of, write_bundle, write_files
from izinflow.samples.plan import CLINIC_VARIANTS, SIP_SERVICE, SIP_VARIANTS, plan_sample
from izinflow.samples.render import render_doc


@dataclass(frozen=True)
class SampleInfo:
    path: Path  # the bundle directory or .zip
    truth_path: Path  # <bundle-id>.truth.json beside it
    office: str
    service: str
    variant: str
    decision: str  # expected: "complete" | "incomplete"


def _variant_order(seed: int, n: int) -> list[tuple[str, str]]:
    """Each block of six samples holds all six variants in a seeded order: the four SIP variants first,
    so that a corpus of four is still one bundle of each SIP variant, then the two clinic services."""
    rng = random.Random(f"izinflow-variants:{seed}")
    out: list[tuple[str, str]] = []
    while len(out) < n:
        for group in (SIP_VARIANTS, CLINIC_VARIANTS):
            block = list(group)
            rng.shuffle(block)
            out.extend(block)
    return out[:n]


def generate_one(
    outdir: Path, seed: int, index: int, office: str, variant: str, zip_share: float
) -> SampleInfo:
    rng = random.Random(f"izinflow-sample:{seed}:{index}")
    as_zip = rng.random() < zip_share
    plan = plan_sample(rng, index, office, variant, as_zip)
    docs = [render_doc(rng, d) for d in plan.docs]
    files = group_files(rng, docs)
    name_files(rng, files, docs, plan.submitted_at.isoformat(), clinic=plan.service != SIP_SERVICE)
    payload, facts = write_files(rng, files, docs)
    path = write_bundle(outdir, plan, payload)
    truth = truth_of(plan, path.name, files, docs, facts)
    truth_path = outdir / f"{plan.bundle_id}.truth.json"
    truth_path.write_text(json.dumps(truth, indent=2, ensure_ascii=False))
    return SampleInfo(path, truth_path, office, plan.service, variant, plan.decision)


def generate_samples(outdir: Path, n: int, seed: int, *, zip_share: float = 0.2) -> list[SampleInfo]:
    """Write ``n`` bundles into ``outdir``; the same seed gives the same bundles, byte for byte."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return [
        generate_one(outdir, seed, i, office, variant, zip_share)
        for i, (office, variant) in enumerate(_variant_order(seed, n))
    ]
