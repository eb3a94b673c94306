"""The five published service standards (seeds 000..004) are carried completely in checklists/.

Each seed's facts (requirements, procedure and who performs it, completion time, fee, product,
complaint channels) must be in the data; the wording of the procedure and of the other listed
components must be the seed's own; a role typo or a stage budget that does not add up is a load
error naming the file and line.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checklists.load import DATA_ROOT, ChecklistError, is_known_service, load_catalogue, load_office, load_service
from checklists.model import Role, ServiceChecklist

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@dataclass(frozen=True)
class Seed:
    number: str
    office: str
    service: str
    variant: str | None
    titles: dict[str, str]  # requirement code -> title as the standard words it
    steps: int
    roles: dict[int, Role]  # step number -> who performs it
    sla: tuple[int, str]
    fee: str
    product: str
    channels: tuple[str, ...]  # phone numbers, addresses, names as the standard gives them
    produces: dict[int, str] = field(default_factory=dict)


SEED_FACTS = [
    Seed(
        number="002", office="rokan-hilir", service="sip-perekam-medis", variant="perpanjangan",
        titles={
            "surat_permohonan": "Permohonan bermaterai Rp.10.000,-",
            "ktp": "Foto Copy KTP",
            "ijazah": "Foto copy ijazah legalisir basah, jika pakai barcode tidak perlu dilegis",
            "npwp": "Foto copy NPWP",
            "str": "STR Print Warna",
            "surat_keterangan_sehat": "Surat keterangan sehat dari dokter",
            "pas_foto": "Pas photo 4 X 6 (4 lembar)",
            "surat_keterangan_tempat_praktik": "Surat keterangan tempat praktik",
            "bukti_skp": "Bukti kecukupan SKP",
            "sip_lama": "Melampirkan SIP 1 dan 2",
        },
        steps=11,
        roles={1: Role.pemohon, 4: Role.back_office, 5: Role.penata_perizinan_ahli_muda,
               6: Role.penata_perizinan_ahli_madya, 8: Role.kepala_dinas, 11: Role.petugas_loket},
        produces={8: "izin"},
        sla=(4, "hari_kerja"), fee="Gratis", product="Izin Praktik Perekam Medis",
        channels=("Pengaduan@dpmptsp.RokanHilirkab.go.id", "(0764) 8001035", "0823 8231 9831",
                  "dpmptsp.RokanHilirkab.go.id/pengaduan"),
    ),
    Seed(
        number="003", office="bontang", service="sip-perekam-medis", variant="mandiri",
        titles={
            "ijazah": "Scan Ijazah yang dilegalisir",
            "str": "Scan Surat Tanda Registrasi (STR)",
            "ktp": "Scan KTP Asli",
            "pas_foto": "Pas Foto Berwarna (diutamakan latar merah)",
            "surat_keterangan_sehat": "Surat Keterangan Sehat Fisik",
            "rekomendasi_organisasi_profesi": "Surat Rekomendasi Dari Organisasi Profesi Sesuai Tempat Kerja",
            "sop_praktik": "SOP (Standar Operasional Prosedur) untuk Praktik Pribadi/Mandiri",
            "mou_limbah_medis": "MoU Pembuangan Sampah Medis (untuk Praktik Pribadi/Mandiri)",
            "daftar_alat_kesehatan": "Daftar Alat Kesehatan di Ruangan (untuk Praktik Pribadi/Mandiri)",
            "denah_lokasi": "Denah Lokasi Tempat Praktik (untuk praktik pribadi/mandiri)",
        },
        steps=17,
        roles={1: Role.pemohon, 4: Role.front_office, 6: Role.back_office, 7: Role.kepala_seksi,
               8: Role.tim_teknis_dinkes, 9: Role.dinas_kesehatan, 12: Role.kepala_bidang, 13: Role.kepala_dinas},
        produces={9: "rekomendasi_dinkes", 13: "izin"},
        sla=(7, "hari_kerja"), fee="Tidak dipungut biaya",
        product="Dokumen Surat Izin Praktik (SIP) Perekam Medis",
        channels=("0548-20594", "0548-20598", "http://dpmptsp.bontangkota.go.id", "pd.bontangkota.go.id",
                  "dpmptsp@bontangkota.go.id", "LAPOR!"),
    ),
    Seed(
        number="004", office="bekasi", service="izin-klinik-utama", variant="baru",
        titles={
            "notifikasi_dinkes": "Notifikasi Dinas Kesehatan Kabupaten Bekasi",
            "profil_klinik": "Profile klinik",
            "daftar_sdm": "Sumber daya manusia",
            "daftar_sarana_prasarana": "Sarana prasarana",
            "daftar_peralatan": "Peralatan",
        },
        steps=1,
        roles={1: Role.sistem},
        sla=(5, "hari_kerja"), fee="Rp. 0,- (nol rupiah)", product="Surat Izin Klinik Utama",
        channels=("081284878010", "dpmptsp@bekasikab.go.id", "082122263249", "Kotak Saran"),
    ),
    Seed(
        number="000", office="batang", service="sertifikat-standar-fasyankes", variant="klinik",
        titles={
            "self_assessment": "Self assessment Klinik",
            "daftar_sdm": "Daftar nama SDM yang ada di Klinik",
        },
        steps=10,
        roles={1: Role.sistem, 2: Role.petugas, 3: Role.petugas, 4: Role.tim_visitasi, 5: Role.tim_visitasi,
               7: Role.petugas, 9: Role.kepala_dinas_kesehatan, 10: Role.petugas},
        produces={2: "surat_pengembalian_berkas", 3: "surat_tugas_visitasi", 5: "lembar_penilaian_kesesuaian",
                  6: "rekap_penilaian", 7: "berita_acara_visitasi", 8: "rekomendasi_teknis"},
        sla=(14, "hari"), fee="Tidak dipungut biaya", product="Sertifikat Standar",
        channels=("085877315028", "dinkes@batangkab.go.id"),
    ),
    Seed(
        number="001", office="batang", service="psc-119", variant=None,
        titles={},
        steps=1,
        roles={1: Role.pemohon},
        sla=(24, "jam"), fee="Tidak dipungut biaya", product="Pelayanan kegawatdaruratan",
        channels=("KONLAPORBAE",),
    ),
]
BY_NUMBER = {seed.number: seed for seed in SEED_FACTS}


def _service(seed: Seed) -> ServiceChecklist:
    return load_catalogue().service(seed.office, seed.service)


@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: s.number)
def test_requirements_are_the_seed_lines(seed: Seed) -> None:
    checklist = _service(seed)
    titles = {r.code.value: r.title for r in checklist.requirements}
    assert titles.items() >= seed.titles.items()
    if seed.variant is not None:
        variant_codes = {r.code.value for r in checklist.requirements_for(seed.variant)}
        assert variant_codes >= set(seed.titles)


@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: s.number)
def test_procedure_has_every_step_with_its_role_and_document(seed: Seed) -> None:
    procedure = _service(seed).procedure
    assert len(procedure) == seed.steps
    assert {n: procedure[n - 1].role for n in seed.roles} == seed.roles
    produced = {step.number: step.produces.value for step in procedure if step.produces is not None}
    assert produced.items() >= seed.produces.items()


@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: s.number)
def test_completion_time_fee_and_product(seed: Seed) -> None:
    checklist = _service(seed)
    assert (checklist.sla.days, checklist.sla.unit) == seed.sla
    assert str(seed.sla[0]) in checklist.sla.text
    assert seed.fee in checklist.fee
    assert checklist.product == seed.product


@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: s.number)
def test_complaint_channels_as_the_seed_gives_them(seed: Seed) -> None:
    complaints = _service(seed).complaints
    values = [channel.value for channel in complaints.channels]
    for expected in seed.channels:
        assert any(expected in value for value in values), expected
    assert complaints.answer_days == 7


def test_rokan_hilir_carries_legal_basis_enactment_and_the_other_components() -> None:
    rhl = load_service("rokan-hilir", "sip-perekam-medis")
    assert len(rhl.legal_basis) == 7
    assert rhl.legal_basis[1] == "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"
    assert (rhl.enactment.place, rhl.enactment.date) == ("Bagansiapiapi", "18 Maret 2024")
    assert "CICI SULASTRI" in rhl.enactment.by
    assert len(rhl.facilities) == 24 and rhl.facilities[-1] == "Kamera (CCTV)"
    assert (len(rhl.competence), len(rhl.supervision), len(rhl.guarantees), len(rhl.safety)) == (3, 2, 5, 2)
    assert rhl.staff == "Jumlah personil sebanyak 6 (enam) orang"
    assert len(rhl.evaluation) == 2


def test_bontang_complaint_procedure_and_follow_up() -> None:
    btg = load_service("bontang", "sip-perekam-medis")
    assert len(btg.complaints.steps) == 6
    assert btg.complaints.steps[-1] == "Petugas/Seksi Pengaduan membuat laporan pengaduan dan melaporkan kepada atasan"
    assert btg.complaints.follow_up == ("Mediasi", "Koordinasi dan cek lokasi", "Sanksi")


def test_bekasi_and_batang_carry_their_standard() -> None:
    bks = load_service("bekasi", "izin-klinik-utama")
    assert len(bks.legal_basis) == 8
    assert bks.staff == "4 orang"
    assert bks.safety == ("Lembaga OSS",)
    fasyankes = load_service("batang", "sertifikat-standar-fasyankes")
    assert fasyankes.enactment.decree.endswith("000.8.3.2/101/2024")
    assert [v.code.value for v in fasyankes.variants] == ["klinik"]


def test_psc_119_is_a_catalogue_entry_without_bundle() -> None:
    psc = load_service("batang", "psc-119")
    assert psc.bundle is False
    assert (psc.requirements, psc.variants, psc.stages) == ((), (), ())
    assert psc.service_hours == "24 jam"
    assert not is_known_service("batang", "psc-119", "baru")
    assert len(psc.complaints.steps) == 12
    others = [s for office in load_catalogue().services.values() for s in office.values() if s.code != "psc-119"]
    assert others and all(s.bundle for s in others)


def test_stage_budgets_fill_the_completion_time_and_are_marked_invented() -> None:
    for office in load_catalogue().services.values():
        for checklist in office.values():
            if not checklist.bundle:
                continue
            assert sum(s.days for s in checklist.stages) == checklist.sla.days, checklist.code
            assert "stages" in checklist.demo_fields, checklist.code
            procedure_stages = {step.stage for step in checklist.procedure}
            assert procedure_stages, checklist.code


def test_new_offices_have_unique_prefixes_and_demo_signatories() -> None:
    catalogue = load_catalogue()
    prefixes = [office.application_prefix for office in catalogue.offices.values()]
    assert len(prefixes) == len(set(prefixes))
    bks, bta = load_office("bekasi"), load_office("batang")
    assert (bks.regency_code, bks.application_prefix) == ("32.16", "BKS")
    assert (bta.regency_code, bta.application_prefix) == ("33.25", "BTA")
    for office in (bks, bta):
        assert office.signatory.demo and "signatory" in office.demo_fields
        assert "letter_number" in office.demo_fields
    assert bta.address == "Jl. Jendral Sudirman No. 417 Batang 51214"
    assert any(c.value == "085877315028" for c in bta.complaint_channels)


# --- wording: the data says what the seed says ---------------------------------------------------


def _normalised(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).replace("^{RV}", " RV")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _seed_text(number: str) -> str:
    paths = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not paths:
        pytest.skip(f"naskah standar {number} tidak tersedia di {SEEDS}")
    return _normalised(paths[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEED_FACTS, ids=lambda s: s.number)
def test_components_are_worded_as_in_the_seed(seed: Seed) -> None:
    text = _seed_text(seed.number)
    checklist = _service(seed)
    worded = [
        *(step.text for step in checklist.procedure),
        *checklist.legal_basis, *checklist.facilities, *checklist.competence, *checklist.supervision,
        *checklist.guarantees, *checklist.safety, *checklist.evaluation, *checklist.complaints.follow_up,
        checklist.product, checklist.staff, checklist.sla.text,
    ]
    missing = [line for line in worded if line and _normalised(line).rstrip(".;") not in text]
    assert not missing


# --- a broken copy is a load error with file and line --------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA_ROOT / "offices", tmp_path / "offices")
    shutil.copytree(DATA_ROOT / "services", tmp_path / "services")
    return tmp_path


def _break(root: Path, relative: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) and return the 1-based line where it was."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_typo_in_a_step_role_names_the_file_and_line(data_copy: Path) -> None:
    relative = Path("services/batang/sertifikat-standar-fasyankes.yaml")
    line = _break(data_copy, relative, "    role: kepala_dinas_kesehatan\n", "    role: kepala_dinas_kesehatn\n")
    with pytest.raises(ChecklistError) as caught:
        load_service("batang", "sertifikat-standar-fasyankes", root=data_copy)
    assert (caught.value.path, caught.value.line) == (data_copy / relative, line)
    assert "procedure.8.role" in str(caught.value)


def test_a_stage_budget_that_does_not_add_up_names_the_file_and_line(data_copy: Path) -> None:
    relative = Path("services/bontang/sip-perekam-medis.yaml")
    _break(data_copy, relative, "{stage: verifikasi_teknis, days: 2}", "{stage: verifikasi_teknis, days: 3}")
    stages_line = (data_copy / relative).read_text(encoding="utf-8").splitlines().index("stages:") + 1
    with pytest.raises(ChecklistError) as caught:
        load_service("bontang", "sip-perekam-medis", root=data_copy)
    assert (caught.value.path, caught.value.line) == (data_copy / relative, stages_line)
    assert "(8)" in caught.value.message and "(7)" in caught.value.message
    with pytest.raises(ChecklistError):
        load_catalogue(root=data_copy)
