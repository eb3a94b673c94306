"""The closed schema of the checklist files: office profiles and service checklists.

Every model forbids unknown keys and every code is a StrEnum, so a typo in a YAML file is a load
error naming the file and line (see ``checklists.load``), never a requirement silently skipped.
Rules and conditions are small named kinds (a discriminated union on ``kind``); the evaluator in
``checklists.evaluate`` implements each kind, the data only selects them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from izinflow.domain import DocType

# The contract's requirement codes (CONTRACT section 2): every document type but the two that
# never satisfy a requirement, so that the two lists cannot drift apart.
RequirementCode = StrEnum(  # type: ignore[misc]
    "RequirementCode",
    {t.name: t.value for t in DocType if t not in (DocType.lainnya, DocType.kosong)},
)


class VariantCode(StrEnum):
    baru = "baru"
    perpanjangan = "perpanjangan"
    fasyankes = "fasyankes"
    mandiri = "mandiri"
    klinik = "klinik"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rules -------------------------------------------------------------------------------------


class DocumentPresent(Strict):
    """At least one document of the requirement's type is in the bundle."""

    kind: Literal["document_present"]


class MeteraiOn(Strict):
    """The named document carries a meterai (field ``meterai``: tempel or elektronik)."""

    kind: Literal["meterai_on"]
    document: RequirementCode = RequirementCode.surat_permohonan
    accepted: tuple[str, ...] = ("tempel", "elektronik")


class NikValidAndMatchesForm(Strict):
    """The NIK on the document is well formed and equals the NIK typed into the form."""

    kind: Literal["nik_valid_and_matches_form"]


class NameMatchesForm(Strict):
    """The name on the document is the applicant's (CONTRACT rule 8).

    ``if_unread``: what an unreadable name means: ``review`` (a person looks) or ``skip``
    (the rule is not applied; for documents whose name is a secondary check).
    """

    kind: Literal["name_matches_form"]
    if_unread: Literal["review", "skip"] = "review"


class NotExpired(Strict):
    """The date in ``field`` (ISO, or "seumur hidup") is not before the submission date."""

    kind: Literal["not_expired"]
    field: str = "berlaku_sampai"


class LegalisedOrQr(Strict):
    """A copy is legalised (wet stamp) or carries a barcode/QR (field ``legalisasi``)."""

    kind: Literal["legalised_or_qr"]
    accepted: tuple[str, ...] = ("stempel", "qr")


class ClinicNameMatchesForm(Strict):
    """The clinic named on the document (field ``nama_klinik``) is the one named in the form."""

    kind: Literal["clinic_name_matches_form"]
    if_unread: Literal["review", "skip"] = "review"


class RowsRead(Strict):
    """A list document (staff, facilities, equipment, self-assessment) was read into rows."""

    kind: Literal["rows_read"]
    minimum: int = Field(default=1, ge=1)


Rule = Annotated[
    DocumentPresent | MeteraiOn | NikValidAndMatchesForm | NameMatchesForm | NotExpired | LegalisedOrQr
    | ClinicNameMatchesForm | RowsRead,
    Field(discriminator="kind"),
]


# --- conditions --------------------------------------------------------------------------------


class NikRegencyNot(Strict):
    """Applies when the applicant's NIK is NOT from ``regency`` (e.g. "14.07")."""

    kind: Literal["nik_regency_not"]
    regency: str = Field(pattern=r"^\d{2}\.\d{2}$")
    regency_name: str


class NikRegencyIs(Strict):
    """Applies when the applicant's NIK IS from ``regency``."""

    kind: Literal["nik_regency_is"]
    regency: str = Field(pattern=r"^\d{2}\.\d{2}$")
    regency_name: str


Condition = Annotated[NikRegencyNot | NikRegencyIs, Field(discriminator="kind")]


# --- service checklist -------------------------------------------------------------------------


class Requirement(Strict):
    code: RequirementCode
    title: str = Field(min_length=3)
    label: str = ""  # short name used inside sentences ("STR", "KTP"); defaults to the title
    note: str = ""
    rules: tuple[Rule, ...] = Field(min_length=1)
    condition: Condition | None = None

    @property
    def short(self) -> str:
        return self.label or self.title


class Variant(Strict):
    code: VariantCode
    name: str
    requirements: tuple[RequirementCode, ...] = Field(min_length=1)


class ComplaintChannel(Strict):
    kind: Literal["kotak_pengaduan", "email", "telepon", "sms", "faksimile", "website", "aplikasi",
                  "formulir_skm", "langsung", "whatsapp", "media_sosial", "petugas"]
    value: str = ""


class Sla(Strict):
    days: int = Field(gt=0)  # with unit "jam": hours
    unit: Literal["hari_kerja", "hari", "jam"]
    text: str = ""  # as the standard words it ("Maksimal 4 (Empat) Hari Kerja")


class Role(StrEnum):
    """Who performs a procedure step, as the seeds name them."""

    pemohon = "pemohon"
    sistem = "sistem"  # the office's online system (SILASTRI RV, Perizinan Digital, OSS)
    front_office = "front_office"
    back_office = "back_office"
    petugas_loket = "petugas_loket"
    petugas = "petugas"  # the Dinas Kesehatan's officer (Batang)
    penata_perizinan_ahli_muda = "penata_perizinan_ahli_muda"
    penata_perizinan_ahli_madya = "penata_perizinan_ahli_madya"
    kepala_seksi = "kepala_seksi"
    kepala_bidang = "kepala_bidang"
    kepala_dinas = "kepala_dinas"
    tim_teknis_dinkes = "tim_teknis_dinkes"
    dinas_kesehatan = "dinas_kesehatan"
    tim_visitasi = "tim_visitasi"
    kepala_dinas_kesehatan = "kepala_dinas_kesehatan"
    petugas_pengaduan = "petugas_pengaduan"
    petugas_psc = "petugas_psc"


class Stage(StrEnum):
    """Stages of a case that the deadline clock gives a due date each."""

    pendaftaran = "pendaftaran"  # the applicant registers and uploads (before the clock starts)
    pemeriksaan_berkas = "pemeriksaan_berkas"  # administrative check of the bundle
    verifikasi_teknis = "verifikasi_teknis"  # technical verification or field visit
    rekomendasi = "rekomendasi"
    persetujuan = "persetujuan"
    penomoran = "penomoran"
    penandatanganan = "penandatanganan"
    penyerahan = "penyerahan"  # printing, handing over, archiving (after the product is signed)


class StageDocument(StrEnum):
    """Documents a procedure step produces (rendered by ``renderers``)."""

    tanda_terima_berkas = "tanda_terima_berkas"
    surat_pengembalian_berkas = "surat_pengembalian_berkas"
    surat_penolakan = "surat_penolakan"
    berita_acara_pemeriksaan_berkas = "berita_acara_pemeriksaan_berkas"
    surat_tugas_visitasi = "surat_tugas_visitasi"
    lembar_penilaian_kesesuaian = "lembar_penilaian_kesesuaian"
    rekap_penilaian = "rekap_penilaian"
    berita_acara_visitasi = "berita_acara_visitasi"
    rekomendasi_teknis = "rekomendasi_teknis"
    rekomendasi_dinkes = "rekomendasi_dinkes"
    izin = "izin"  # the service's product (SIP, Surat Izin Klinik Utama, Sertifikat Standar)


class Step(Strict):
    number: int = Field(gt=0)
    text: str = Field(min_length=3)  # as the standard words it
    role: Role
    stage: Stage
    produces: StageDocument | None = None


class StageBudget(Strict):
    """The share of the completion time the office gives one stage (internal allocation)."""

    stage: Stage
    days: int = Field(gt=0)


class Complaints(Strict):
    channels: tuple[ComplaintChannel, ...] = ()
    steps: tuple[str, ...] = ()  # the complaint procedure, as the standard words it
    follow_up: tuple[str, ...] = ()  # "Mediasi", "Koordinasi dan cek lokasi", ...
    answer_days: int = Field(default=7, gt=0)  # every office answers a complaint within 7 days


class Enactment(Strict):
    """Where and when the standard was set, and by which decree."""

    decree: str = ""  # "No. SK : 000.8.3.2/101/2024"
    place: str = ""
    date: str = ""  # as written ("18 Maret 2024")
    by: str = ""


class SheetItem(Strict):
    """One line of the assessment sheet (lembar penilaian kesesuaian), scored 0..``max``."""

    code: str = Field(pattern=r"^[A-Z][0-9]{1,2}$")  # "A1": the group's letter and a number
    text: str = Field(min_length=3)
    max: int = Field(ge=1, le=10)


class SheetGroup(Strict):
    group: str = Field(pattern=r"^[A-Z]$")
    title: str = Field(min_length=3)
    items: tuple[SheetItem, ...] = Field(min_length=1)


class FieldVisitSheet(Strict):
    """The field visit of a service: the assessment sheet and the percentage that passes it."""

    pass_mark: float = Field(gt=0, le=100)
    sheet: tuple[SheetGroup, ...] = Field(min_length=1)

    @property
    def items(self) -> tuple[SheetItem, ...]:
        return tuple(item for group in self.sheet for item in group.items)

    @property
    def maximum(self) -> int:
        return sum(item.max for item in self.items)


class ServiceChecklist(Strict):
    office: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    sla: Sla
    fee: str
    product: str
    source: str = ""
    bundle: bool = True  # False: no documents are submitted (PSC 119): catalogue and complaints only
    service_hours: str = ""  # "24 jam" for an emergency line; else the office's hours
    enactment: Enactment = Enactment()
    legal_basis: tuple[str, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    requirements_text: tuple[str, ...] = ()  # requirements of a service without a bundle, as worded
    variants: tuple[Variant, ...] = ()
    procedure: tuple[Step, ...] = ()
    stages: tuple[StageBudget, ...] = ()
    complaints: Complaints = Complaints()
    facilities: tuple[str, ...] = ()
    competence: tuple[str, ...] = ()
    supervision: tuple[str, ...] = ()
    staff: str = ""  # "Jumlah personil sebanyak 6 (enam) orang"
    guarantees: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    evaluation: tuple[str, ...] = ()
    field_visit: FieldVisitSheet | None = None  # services whose procedure visits the facility
    demo_fields: tuple[str, ...] = ()  # fields set by izinflow where the standard is silent

    @model_validator(mode="after")
    def _references(self) -> ServiceChecklist:
        if self.bundle and not (self.requirements and self.variants):
            raise PydanticCustomError(
                "no_requirements", "layanan dengan berkas harus memuat requirements dan variants", {"loc": ()}
            )
        for i, step in enumerate(self.procedure):
            if step.number != i + 1:
                raise PydanticCustomError(
                    "step_number", "langkah ke-{i} bernomor {n}; nomor langkah harus urut dari 1",
                    {"i": i + 1, "n": step.number, "loc": ("procedure", i, "number")},
                )
        budget = sum(s.days for s in self.stages)
        if self.stages and budget != self.sla.days:
            raise PydanticCustomError(
                "stage_budget", "jumlah hari tahapan ({budget}) harus sama dengan waktu penyelesaian ({sla})",
                {"budget": budget, "sla": self.sla.days, "loc": ("stages",)},
            )
        seen: set[RequirementCode] = set()
        for i, req in enumerate(self.requirements):
            if req.code in seen:
                raise PydanticCustomError(
                    "duplicate_requirement",
                    "persyaratan {code} didefinisikan dua kali",
                    {"code": req.code.value, "loc": ("requirements", i, "code")},
                )
            seen.add(req.code)
        variant_codes: set[VariantCode] = set()
        for i, variant in enumerate(self.variants):
            if variant.code in variant_codes:
                raise PydanticCustomError(
                    "duplicate_variant",
                    "varian {code} didefinisikan dua kali",
                    {"code": variant.code.value, "loc": ("variants", i, "code")},
                )
            variant_codes.add(variant.code)
            for j, code in enumerate(variant.requirements):
                if code not in seen:
                    raise PydanticCustomError(
                        "unknown_requirement",
                        "varian {variant} memuat {code}, yang tidak ada pada daftar requirements",
                        {"variant": variant.code.value, "code": code.value,
                         "loc": ("variants", i, "requirements", j)},
                    )
        return self

    @model_validator(mode="after")
    def _sheet_codes(self) -> ServiceChecklist:
        if self.field_visit is None:
            return self
        groups: set[str] = set()
        items: set[str] = set()
        for i, group in enumerate(self.field_visit.sheet):
            if group.group in groups:
                raise PydanticCustomError(
                    "duplicate_group", "kelompok {group} didefinisikan dua kali",
                    {"group": group.group, "loc": ("field_visit", "sheet", i, "group")},
                )
            groups.add(group.group)
            for j, item in enumerate(group.items):
                loc = ("field_visit", "sheet", i, "items", j, "code")
                if item.code in items:
                    raise PydanticCustomError(
                        "duplicate_item", "butir {code} didefinisikan dua kali", {"code": item.code, "loc": loc}
                    )
                if not item.code.startswith(group.group):
                    raise PydanticCustomError(
                        "item_group", "butir {code} harus berawalan huruf kelompoknya ({group})",
                        {"code": item.code, "group": group.group, "loc": loc},
                    )
                items.add(item.code)
        return self

    def variant(self, code: str) -> Variant:
        for variant in self.variants:
            if variant.code == code:
                return variant
        raise KeyError(f"layanan {self.office}/{self.code} tidak memiliki varian {code!r}")

    def requirement(self, code: str) -> Requirement:
        for req in self.requirements:
            if req.code == code:
                return req
        raise KeyError(f"layanan {self.office}/{self.code} tidak memiliki persyaratan {code!r}")

    def requirements_for(self, variant: str) -> tuple[Requirement, ...]:
        return tuple(self.requirement(code) for code in self.variant(variant).requirements)


# --- office profile ----------------------------------------------------------------------------


class Signatory(Strict):
    jabatan: str  # "KEPALA DINAS ... KABUPATEN ROKAN HILIR"
    nama: str
    pangkat: str = ""
    nip: str = Field(default="", pattern=r"^(\d{8} \d{6} \d \d{3})?$")
    demo: bool = False  # invented for demonstration, not the real office holder


def _check_letter_number(value: str) -> str:
    try:
        value.format(kode="503", nomor="0001", bulan_romawi="XI", tahun=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError("hanya {kode}, {nomor}, {bulan_romawi} dan {tahun} yang boleh dipakai") from exc
    if "{nomor}" not in value:
        raise ValueError("nomor surat harus memuat {nomor}")
    return value


class DinasKesehatan(Strict):
    """The health office that issues its own document on the office's case (Bontang's rekomendasi
    penerbitan/penolakan izin): its letterhead, number format and signatory."""

    name: str
    government: str
    address: str
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    letter_number: str  # placeholders as OfficeProfile.letter_number; {kode} from the office's letter_codes
    signatory: Signatory

    @field_validator("letter_number")
    @classmethod
    def _letter_number_template(cls, value: str) -> str:
        return _check_letter_number(value)


class OfficeProfile(Strict):
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    short_name: str
    government: str  # first line of the letterhead
    address: str
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    city: str  # where letters are dated ("Bagansiapiapi, 22 November 2026")
    regency_code: str = Field(pattern=r"^\d{2}\.\d{2}$")
    regency_name: str
    timezone: str
    online_portal: str  # where applicants upload ("aplikasi SILASTRI RV")
    application_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    # The number of every outgoing document: {kode} (the archive classification code of the
    # document's kind, from ``letter_codes``), {nomor} (the office's running number for that kind
    # and year, four digits), {bulan_romawi}, {tahun}.
    letter_number: str
    letter_codes: dict[str, str] = Field(default_factory=lambda: {"default": "503"})
    # Where an issued document's QR code leads; {token} is the document's unguessable token.
    verify_url: str = Field(pattern=r"^https://[^\s]*\{token\}[^\s]*$")
    signatory: Signatory
    complaint_channels: tuple[ComplaintChannel, ...] = ()
    dinas_kesehatan: DinasKesehatan | None = None  # a health office issuing a recommendation on the permit
    demo_fields: tuple[str, ...] = ()  # fields invented for the demo, not from the office's standard

    @field_validator("letter_number")
    @classmethod
    def _letter_number_template(cls, value: str) -> str:
        return _check_letter_number(value)

    @field_validator("letter_codes")
    @classmethod
    def _letter_code_kinds(cls, value: dict[str, str]) -> dict[str, str]:
        known = {kind.value for kind in StageDocument} | {"default"}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"jenis dokumen tidak dikenal: {', '.join(unknown)}")
        if "default" not in value:
            raise ValueError("letter_codes harus memuat 'default'")
        return value

    def letter_code(self, kind: StageDocument) -> str:
        return self.letter_codes.get(kind.value, self.letter_codes["default"])


class Catalogue(Strict):
    offices: dict[str, OfficeProfile]
    services: dict[str, dict[str, ServiceChecklist]]  # office -> service code -> checklist

    def service(self, office: str, service: str) -> ServiceChecklist:
        return self.services[office][service]


def fields_needed(checklist: ServiceChecklist, variant: str) -> dict[str, frozenset[str]]:
    """For each document type of ``variant``, the fields its rules read (``nama``, ``nik``,
    ``berlaku_sampai``, ``legalisasi``, ``meterai``, ``nama_klinik``; ``rows`` for a list read as
    rows): what a reading must find for a decision."""
    needed: dict[str, set[str]] = {}
    for req in checklist.requirements_for(variant):
        for rule in req.rules:
            if isinstance(rule, NameMatchesForm):
                needed.setdefault(str(req.code), set()).add("nama")
            elif isinstance(rule, NikValidAndMatchesForm):
                needed.setdefault(str(req.code), set()).add("nik")
            elif isinstance(rule, NotExpired):
                needed.setdefault(str(req.code), set()).add(rule.field)
            elif isinstance(rule, LegalisedOrQr):
                needed.setdefault(str(req.code), set()).add("legalisasi")
            elif isinstance(rule, MeteraiOn):
                needed.setdefault(str(rule.document), set()).add("meterai")
            elif isinstance(rule, ClinicNameMatchesForm):
                needed.setdefault(str(req.code), set()).add("nama_klinik")
            elif isinstance(rule, RowsRead):
                needed.setdefault(str(req.code), set()).add("rows")
    return {code: frozenset(fields) for code, fields in needed.items()}
