"""Synthetic application bundles (berkas) with ground truth, and one bundle per kind of bad input.

``generate_samples`` writes realistic SIP Perekam Medis bundles for Rokan Hilir and Bontang: born-digital
and scanned documents in several layouts, merged/split/misnamed files, and seeded defects. The truth of
each bundle is written beside it as ``<bundle-id>.truth.json``, never inside it.
"""

from izinflow.samples.bad_inputs import generate_bad_inputs
from izinflow.samples.generate import SampleInfo, generate_samples

__all__ = ["SampleInfo", "generate_bad_inputs", "generate_samples"]
