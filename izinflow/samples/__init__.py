"""Synthetic application bundles (berkas) with ground truth, and one bundle per kind of bad input.

``generate_samples`` writes realistic bundles of every service with a bundle: SIP Perekam Medis for Rokan
Hilir and Bontang, Izin Klinik Utama for Bekasi and the clinic's Sertifikat Standar for Batang. Born-digital
and scanned documents in several layouts, merged/split/misnamed files, and seeded defects. The truth of
each bundle is written beside it as ``<bundle-id>.truth.json``, never inside it; list documents (staff,
facilities, equipment, self-assessment) carry their table rows as ``rows`` beside ``fields``.
"""

from izinflow.samples.bad_inputs import generate_bad_inputs
from izinflow.samples.generate import SampleInfo, generate_samples

__all__ = ["SampleInfo", "generate_bad_inputs", "generate_samples"]
