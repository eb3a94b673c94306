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


Rule = Annotated[
    DocumentPresent | MeteraiOn | NikValidAndMatchesForm | NameMatchesForm | NotExpired | LegalisedOrQr,
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


class Sla(Strict):
    days: int = Field(gt=0)
    unit: Literal["hari_kerja", "hari", "jam"]


class ServiceChecklist(Strict):
    office: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    sla: Sla
    fee: str
    product: str
    source: str = ""
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    variants: tuple[Variant, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> ServiceChecklist:
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


class ComplaintChannel(Strict):
    kind: Literal["kotak_pengaduan", "email", "telepon", "sms", "faksimile", "website", "aplikasi",
                  "formulir_skm", "langsung"]
    value: str = ""


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
    letter_number: str  # template: {nomor_permohonan}, {bulan_romawi}, {tahun}
    signatory: Signatory
    complaint_channels: tuple[ComplaintChannel, ...] = ()
    demo_fields: tuple[str, ...] = ()  # fields invented for the demo, not from the office's standard

    @field_validator("letter_number")
    @classmethod
    def _letter_number_template(cls, value: str) -> str:
        try:
            value.format(nomor_permohonan="X", bulan_romawi="XI", tahun=2026)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                "hanya {nomor_permohonan}, {bulan_romawi} dan {tahun} yang boleh dipakai"
            ) from exc
        return value


class Catalogue(Strict):
    offices: dict[str, OfficeProfile]
    services: dict[str, dict[str, ServiceChecklist]]  # office -> service code -> checklist

    def service(self, office: str, service: str) -> ServiceChecklist:
        return self.services[office][service]


def fields_needed(checklist: ServiceChecklist, variant: str) -> dict[str, frozenset[str]]:
    """For each document type of ``variant``, the fields its rules read (``nama``, ``nik``,
    ``berlaku_sampai``, ``legalisasi``, ``meterai``): what a reading must find for a decision."""
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
    return {code: frozenset(fields) for code, fields in needed.items()}
