"""What goes into one synthetic bundle: applicant, documents, layouts, defects and the truth (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from stdnum import luhn

from izinflow.samples.clinic import other_klinik_name, random_klinik
from izinflow.samples.people import HOME_REGIONS, Person, malformed_nik, other_name, random_person

SIP_SERVICE = "sip-perekam-medis"
SERVICES = {
    "rokan-hilir": SIP_SERVICE,
    "bontang": SIP_SERVICE,
    "bekasi": "izin-klinik-utama",
    "batang": "sertifikat-standar-fasyankes",
}
SIP_VARIANTS: tuple[tuple[str, str], ...] = (
    ("rokan-hilir", "baru"),
    ("rokan-hilir", "perpanjangan"),
    ("bontang", "fasyankes"),
    ("bontang", "mandiri"),
)
CLINIC_VARIANTS: tuple[tuple[str, str], ...] = (("bekasi", "baru"), ("batang", "klinik"))
VARIANTS = SIP_VARIANTS + CLINIC_VARIANTS
PREFIX = {"rokan-hilir": "RHL", "bontang": "BTG", "bekasi": "BKS", "batang": "BTA"}
# A bundle is topped up with other papers (lainnya, kosong) to at least this many pages.
MIN_PAGES = {SIP_SERVICE: 8, "izin-klinik-utama": 7, "sertifikat-standar-fasyankes": 4}
_ROHIL_BARU = (
    "surat_permohonan",
    "meterai",
    "ktp",
    "surat_keterangan_domisili",
    "ijazah",
    "npwp",
    "str",
    "surat_keterangan_sehat",
    "pas_foto",
    "surat_keterangan_tempat_praktik",
)
_BONTANG = ("ktp", "ijazah", "str", "surat_keterangan_sehat", "pas_foto", "rekomendasi_organisasi_profesi")
REQUIREMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("rokan-hilir", "baru"): _ROHIL_BARU,
    ("rokan-hilir", "perpanjangan"): (*_ROHIL_BARU, "bukti_skp", "sip_lama"),
    ("bontang", "fasyankes"): _BONTANG,
    ("bontang", "mandiri"): (
        *_BONTANG,
        "sop_praktik",
        "mou_limbah_medis",
        "daftar_alat_kesehatan",
        "denah_lokasi",
    ),
    ("bekasi", "baru"): (
        "notifikasi_dinkes",
        "profil_klinik",
        "daftar_sdm",
        "daftar_sarana_prasarana",
        "daftar_peralatan",
    ),
    ("batang", "klinik"): ("self_assessment", "daftar_sdm"),
}
# Number of layouts of each document type (layout ids are "a", "b", "c", ...).
LAYOUTS: dict[str, int] = {
    "surat_permohonan": 2,
    "ktp": 2,
    "surat_keterangan_domisili": 2,
    "ijazah": 2,
    "npwp": 2,
    "str": 2,
    "surat_keterangan_sehat": 2,
    "pas_foto": 3,
    "surat_keterangan_tempat_praktik": 2,
    "bukti_skp": 2,
    "sip_lama": 2,
    "rekomendasi_organisasi_profesi": 2,
    "sop_praktik": 2,
    "mou_limbah_medis": 2,
    "daftar_alat_kesehatan": 2,
    "denah_lokasi": 2,
    "notifikasi_dinkes": 2,
    "profil_klinik": 2,
    "daftar_sdm": 2,
    "daftar_sarana_prasarana": 2,
    "daftar_peralatan": 2,
    "self_assessment": 2,
    "lainnya": 5,
    "kosong": 1,
}
NAMED_DOCS = (
    "str",
    "ijazah",
    "npwp",
    "surat_keterangan_sehat",
    "sip_lama",
    "bukti_skp",
    "surat_permohonan",
    "ktp",
)
DEFECTS = (
    "missing_document",
    "str_expired",
    "name_mismatch",
    "ktp_nik_mismatch",
    "no_meterai",
    "ijazah_not_legalised",
    "domisili_missing",
    "form_nik_malformed",
    "clinic_name_mismatch",
)
CLINIC_NAMED_DOCS = ("profil_klinik", "notifikasi_dinkes")
# Other papers: a CV, receipt or leaflet in SIP bundles; a leaflet, organisation chart or statement of
# compliance in clinic bundles.
LAINNYA_SIP = "abc"
LAINNYA_CLINIC = "cde"

PRACTICES = {
    "rokan-hilir": (
        ("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"),
        ("RS Awal Bros Ujung Batu", "Jl. Sudirman No. 22, Bagan Batu"),
        ("Klinik Pratama Mutiara Bunda", "Jl. Pelita No. 5, Bagansiapiapi"),
        ("Puskesmas Bagan Punak", "Jl. Perwira, Bagan Punak"),
    ),
    "bontang": (
        ("RSUD Taman Husada Bontang", "Jl. Letjend S. Parman No. 1, Bontang"),
        ("RS Pupuk Kaltim", "Jl. Oksigen, Bontang Utara"),
        ("Klinik Pratama Bontang Sehat", "Jl. Ahmad Yani No. 17, Bontang"),
        ("Praktik Mandiri Perekam Medis", "Jl. Bhayangkara No. 8, Bontang Selatan"),
    ),
}


@dataclass
class DocPlan:
    doc_type: str
    layout: str
    scanned: bool
    ctx: dict[str, object]
    fields: dict[str, str]
    rows: list[dict[str, str]] | None = None  # the table's rows, for documents that are lists


@dataclass
class SamplePlan:
    bundle_id: str
    office: str
    variant: str
    person: Person
    submitted_at: datetime
    application: dict[str, object]
    docs: list[DocPlan]
    defects: list[str]
    requirements: dict[str, str]
    as_zip: bool
    seed: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def decision(self) -> str:
        return "incomplete" if self.defects else "complete"

    @property
    def service(self) -> str:
        return SERVICES[self.office]


def npwp_lama(rng: random.Random) -> str:
    body = f"{rng.randint(1, 99):02d}{rng.randint(100000, 999999)}"
    num = body + luhn.calc_check_digit(body) + f"{rng.randint(100, 999)}000"
    return f"{num[:2]}.{num[2:5]}.{num[5:8]}.{num[8]}-{num[9:12]}.{num[12:]}"


def _pick_defects(
    rng: random.Random, office: str, person_outside: bool, required: tuple[str, ...]
) -> list[str]:
    if rng.random() < 0.4:
        return []
    pool = [
        "missing_document",
        "str_expired",
        "name_mismatch",
        "ktp_nik_mismatch",
        "ijazah_not_legalised",
        "form_nik_malformed",
    ]
    if office == "rokan-hilir":
        pool.append("no_meterai")
        if person_outside:
            pool += ["domisili_missing", "domisili_missing"]
    first = rng.choice(pool)
    chosen = [first]
    if rng.random() < 0.35:
        second = rng.choice([d for d in pool if d != first])
        nik_pair = {"ktp_nik_mismatch", "form_nik_malformed"}
        if not ({first, second} <= nik_pair):
            chosen.append(second)
    return chosen


def _letter_date(rng: random.Random, submitted: datetime, lo: int = 2, hi: int = 40) -> date:
    return (submitted - timedelta(days=rng.randint(lo, hi))).date()


def plan_sample(rng: random.Random, index: int, office: str, variant: str, as_zip: bool) -> SamplePlan:
    if SERVICES[office] != SIP_SERVICE:
        return plan_clinic_sample(rng, index, office, variant, as_zip)
    home, others = HOME_REGIONS[office]
    outside = rng.random() < 0.3
    person = random_person(rng, rng.choice(others) if outside else home)
    outside = person.kode_wilayah != "1407"
    required = REQUIREMENTS[(office, variant)]
    defects = _pick_defects(rng, office, outside, required)
    tz = timezone(timedelta(hours=7 if office == "rokan-hilir" else 8))
    submitted = datetime(
        2026,
        rng.randint(9, 12),
        rng.randint(1, 28),
        rng.randint(8, 15),
        rng.choice((0, 15, 30, 45)),
        tzinfo=tz,
    )
    practice = rng.choice(PRACTICES[office][:3] if variant != "mandiri" else PRACTICES[office][3:])
    form_nik = malformed_nik(rng, person.nik) if "form_nik_malformed" in defects else person.nik
    local = person.nama.split()[0].lower()
    application: dict[str, object] = {
        "office": office,
        "service": SIP_SERVICE,
        "variant": variant,
        "submitted_at": submitted.isoformat(),
        "applicant": {
            "nama": person.nama if rng.random() < 0.7 else person.nama_judul,
            "nik": form_nik,
            "email": f"{local}{rng.randint(1, 99)}@example.org",
            "telepon": f"08{rng.randint(1100000000, 2299999999)}",
        },
        "practice": {"nama": practice[0], "alamat": practice[1]},
    }
    present = [c for c in required if c != "meterai"]
    if office == "rokan-hilir" and (not outside or "domisili_missing" in defects):
        present.remove("surat_keterangan_domisili")
    missing: str | None = None
    if "missing_document" in defects:
        cands = [c for c in present if c != "surat_keterangan_domisili"]
        missing = rng.choice(cands)
        present.remove(missing)
    mismatch_doc: str | None = None
    if "name_mismatch" in defects:
        cands = [c for c in NAMED_DOCS if c in present]
        mismatch_doc = rng.choice(cands)
    if "str_expired" in defects and "str" not in present:
        defects.remove("str_expired")
    if "ijazah_not_legalised" in defects and "ijazah" not in present:
        defects.remove("ijazah_not_legalised")
    if "no_meterai" in defects and "surat_permohonan" not in present:
        defects.remove("no_meterai")
    if "ktp_nik_mismatch" in defects and "ktp" not in present:
        defects.remove("ktp_nik_mismatch")
    if "form_nik_malformed" in defects and "ktp" not in present:
        application["applicant"]["nik"] = person.nik  # type: ignore[index]
        defects.remove("form_nik_malformed")

    ctx_common: dict[str, object] = {
        "p": person,
        "office": office,
        "variant": variant,
        "practice_nama": practice[0],
        "practice_alamat": practice[1],
        "submitted": submitted.date(),
        "other_name": other_name(rng, person),
    }
    docs: list[DocPlan] = []
    for code in present:
        docs.append(_doc(rng, code, ctx_common, submitted, defects, mismatch_doc == code))
    for _ in range(rng.choice((0, 1, 1, 2))):
        docs.append(_doc(rng, "lainnya", ctx_common, submitted, defects, False, LAINNYA_SIP))
    if rng.random() < 0.3:
        docs.append(_doc(rng, "kosong", ctx_common, submitted, defects, False))
    while sum(estimated_pages(d) for d in docs) < MIN_PAGES[SIP_SERVICE]:
        filler = "kosong" if rng.random() < 0.25 else "lainnya"
        layouts = LAINNYA_SIP if filler == "lainnya" else None
        docs.append(_doc(rng, filler, ctx_common, submitted, defects, False, layouts))

    requirements: dict[str, str] = {}
    invalid = {"str": "str_expired", "ijazah": "ijazah_not_legalised"}
    nik_defect = bool({"ktp_nik_mismatch", "form_nik_malformed"} & set(defects))
    for code in required:
        if code == "surat_keterangan_domisili" and office == "rokan-hilir" and not outside:
            requirements[code] = "not_required"
        elif code == "meterai":
            if "surat_permohonan" not in present:
                requirements[code] = "missing"
            else:
                requirements[code] = "invalid" if "no_meterai" in defects else "met"
        elif code not in present:
            requirements[code] = "missing"
        elif code == mismatch_doc or invalid.get(code) in defects or (code == "ktp" and nik_defect):
            requirements[code] = "invalid"
        else:
            requirements[code] = "met"
    return SamplePlan(
        bundle_id=f"{PREFIX[office]}-{submitted:%Y%m%d}-{index:04d}",
        office=office,
        variant=variant,
        person=person,
        submitted_at=submitted,
        application=application,
        docs=docs,
        defects=sorted(defects),
        requirements=requirements,
        as_zip=as_zip,
        extra={"missing": missing, "mismatch_doc": mismatch_doc},
    )


def _doc(
    rng: random.Random,
    code: str,
    common: dict[str, object],
    submitted: datetime,
    defects: list[str],
    wrong_name: bool,
    layouts: str | None = None,
) -> DocPlan:
    from izinflow.samples.content import doc_content

    choices = layouts or "abcde"[: LAYOUTS[code]]
    layout = choices[rng.randrange(len(choices))]
    scan_p = {
        "ktp": 0.7,
        "ijazah": 0.7,
        "str": 0.5,
        "pas_foto": 0.5,
        "npwp": 0.5,
        "sip_lama": 0.5,
        "kosong": 0.6,
        "lainnya": 0.4,
        "notifikasi_dinkes": 0.4,
        "daftar_sdm": 0.35,
        "daftar_sarana_prasarana": 0.35,
        "daftar_peralatan": 0.35,
        "self_assessment": 0.35,
    }.get(code, 0.3)
    scanned = rng.random() < scan_p
    ctx, fields = doc_content(rng, code, layout, common, submitted, defects, wrong_name)
    layout = str(ctx.pop("layout", layout))
    rows = ctx.pop("truth_rows", None)
    return DocPlan(doc_type=code, layout=layout, scanned=scanned, ctx=ctx, fields=fields, rows=rows)  # type: ignore[arg-type]


def _pick_clinic_defects(rng: random.Random, office: str) -> list[str]:
    if rng.random() < 0.4:
        return []
    if office != "bekasi":
        return ["missing_document"]
    chosen = [rng.choice(("missing_document", "clinic_name_mismatch"))]
    if rng.random() < 0.3:
        chosen = ["missing_document", "clinic_name_mismatch"]
    return chosen


def plan_clinic_sample(rng: random.Random, index: int, office: str, variant: str, as_zip: bool) -> SamplePlan:
    """A clinic's bundle: the applicant is the clinic's responsible doctor, the practice is the clinic."""
    home, others = HOME_REGIONS[office]
    person = random_person(rng, rng.choice(others) if rng.random() < 0.3 else home)
    required = REQUIREMENTS[(office, variant)]
    defects = _pick_clinic_defects(rng, office)
    submitted = datetime(
        2026,
        rng.randint(9, 12),
        rng.randint(1, 28),
        rng.randint(8, 15),
        rng.choice((0, 15, 30, 45)),
        tzinfo=timezone(timedelta(hours=7)),
    )
    klinik = random_klinik(rng, office, person, submitted.date())
    present = list(required)
    missing: str | None = None
    if "missing_document" in defects:
        missing = rng.choice(present)
        present.remove(missing)
    mismatch_doc: str | None = None
    if "clinic_name_mismatch" in defects:
        mismatch_doc = rng.choice([c for c in CLINIC_NAMED_DOCS if c in present])
    local = person.nama.split()[0].lower()
    application: dict[str, object] = {
        "office": office,
        "service": SERVICES[office],
        "variant": variant,
        "submitted_at": submitted.isoformat(),
        "applicant": {
            "nama": person.nama if rng.random() < 0.5 else klinik.penanggung_jawab,
            "nik": person.nik,
            "email": klinik.email if rng.random() < 0.5 else f"{local}{rng.randint(1, 99)}@example.org",
            "telepon": f"08{rng.randint(1100000000, 2299999999)}",
        },
        "practice": {"nama": klinik.nama, "alamat": klinik.alamat},
    }
    common: dict[str, object] = {
        "p": person,
        "office": office,
        "variant": variant,
        "practice_nama": klinik.nama,
        "practice_alamat": klinik.alamat,
        "submitted": submitted.date(),
        "klinik": klinik,
        "other_klinik": other_klinik_name(rng, klinik),
    }
    docs = [_doc(rng, code, common, submitted, defects, code == mismatch_doc) for code in present]
    for _ in range(rng.choice((0, 1, 1, 2))):
        docs.append(_doc(rng, "lainnya", common, submitted, defects, False, LAINNYA_CLINIC))
    if rng.random() < 0.3:
        docs.append(_doc(rng, "kosong", common, submitted, defects, False))
    while sum(estimated_pages(d) for d in docs) < MIN_PAGES[SERVICES[office]]:
        filler = "kosong" if rng.random() < 0.25 else "lainnya"
        layouts = LAINNYA_CLINIC if filler == "lainnya" else None
        docs.append(_doc(rng, filler, common, submitted, defects, False, layouts))
    requirements = {
        code: "missing" if code not in present else "invalid" if code == mismatch_doc else "met" for code in required
    }
    return SamplePlan(
        bundle_id=f"{PREFIX[office]}-{submitted:%Y%m%d}-{index:04d}",
        office=office,
        variant=variant,
        person=person,
        submitted_at=submitted,
        application=application,
        docs=docs,
        defects=sorted(defects),
        requirements=requirements,
        as_zip=as_zip,
        extra={"missing": missing, "mismatch_doc": mismatch_doc, "klinik": klinik},
    )


# Number of table rows from which a list document surely runs over two pages (fewer: counted as one).
TWO_PAGES_FROM = {
    ("daftar_sdm", "a"): 16,
    ("daftar_sdm", "b"): 13,
    ("daftar_sarana_prasarana", "b"): 20,
    ("daftar_peralatan", "b"): 17,
    ("self_assessment", "a"): 1,
    ("self_assessment", "b"): 13,
}


def estimated_pages(doc: DocPlan) -> int:
    if doc.doc_type == "sop_praktik":
        return len(doc.ctx["topics"])  # type: ignore[arg-type]
    if doc.doc_type == "profil_klinik":
        return 2 if doc.layout == "a" else 1
    if doc.rows is not None:
        return 2 if len(doc.rows) >= TWO_PAGES_FROM.get((doc.doc_type, doc.layout), 99) else 1
    return 2 if doc.doc_type == "mou_limbah_medis" and doc.layout == "a" else 1
