"""Synthetic clinics: name, address, owner, services and staff of a klinik (pure, seeded by the caller)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from izinflow.samples.people import Person, random_nama

JENIS_UTAMA = "Klinik Utama"
JENIS_PRATAMA = "Klinik Pratama"

# Core words of clinic names; two clinics of one office never share a word of their core.
CORES = (
    "Medika",
    "Sentosa Husada",
    "Bina Sehat",
    "Permata Bunda",
    "Insan Mulia",
    "Karya Husada",
    "Amanah",
    "Asy-Syifa",
    "Citra Keluarga",
    "Budi Luhur",
    "Rahayu",
    "Mutiara Hati",
)
# (place in the clinic name, street, desa/kelurahan, kecamatan)
PLACES = {
    "bekasi": (
        ("Cikarang", "Jl. Raya Industri No. {n}", "Desa Pasirsari", "Kecamatan Cikarang Selatan"),
        ("Cikarang", "Jl. RE Martadinata No. {n}", "Desa Karangasih", "Kecamatan Cikarang Utara"),
        ("Tambun", "Jl. Sultan Hasanudin No. {n}", "Desa Tambun", "Kecamatan Tambun Selatan"),
        ("Cibitung", "Jl. Raya Sukadanau No. {n}", "Desa Sukadanau", "Kecamatan Cikarang Barat"),
        ("Setu", "Jl. Raya Setu No. {n}", "Desa Lubangbuaya", "Kecamatan Setu"),
        ("Babelan", "Jl. Raya Babelan No. {n}", "Desa Kebalen", "Kecamatan Babelan"),
        ("Serang Baru", "Jl. Raya Serang-Cibarusah No. {n}", "Desa Sukasari", "Kecamatan Serang Baru"),
    ),
    "batang": (
        ("Batang", "Jl. Jend. Sudirman No. {n}", "Kelurahan Kauman", "Kecamatan Batang"),
        ("Batang", "Jl. Dr. Wahidin No. {n}", "Kelurahan Proyonanggan Utara", "Kecamatan Batang"),
        ("Gringsing", "Jl. Raya Gringsing No. {n}", "Desa Gringsing", "Kecamatan Gringsing"),
        ("Limpung", "Jl. Raya Limpung No. {n}", "Desa Limpung", "Kecamatan Limpung"),
        ("Warungasem", "Jl. Raya Warungasem No. {n}", "Desa Warungasem", "Kecamatan Warungasem"),
        ("Subah", "Jl. Raya Subah No. {n}", "Desa Subah", "Kecamatan Subah"),
    ),
}
KABUPATEN = {"bekasi": "Kabupaten Bekasi", "batang": "Kabupaten Batang"}
KOTA_SURAT = {"bekasi": "Cikarang", "batang": "Batang"}
KODE_TELEPON = {"bekasi": "021", "batang": "0285"}
BADAN = ("PT", "PT", "CV", "Yayasan")

# (gelar, profesi as printed, pelayanan it brings)
SPESIALIS = (
    ("Sp.PD", "Dokter Spesialis Penyakit Dalam", "Pelayanan medik spesialis penyakit dalam"),
    ("Sp.A", "Dokter Spesialis Anak", "Pelayanan medik spesialis anak"),
    ("Sp.OG", "Dokter Spesialis Obstetri dan Ginekologi", "Pelayanan medik spesialis obstetri dan ginekologi"),
    ("Sp.M", "Dokter Spesialis Mata", "Pelayanan medik spesialis mata"),
    ("Sp.THT-KL", "Dokter Spesialis THT-KL", "Pelayanan medik spesialis telinga hidung tenggorok"),
    ("Sp.DVE", "Dokter Spesialis Dermatologi dan Venereologi", "Pelayanan medik spesialis kulit dan kelamin"),
    ("Sp.N", "Dokter Spesialis Neurologi", "Pelayanan medik spesialis neurologi"),
    ("Sp.KFR", "Dokter Spesialis Kedokteran Fisik dan Rehabilitasi", "Pelayanan rehabilitasi medik"),
)
# profesi -> (category, title prefix, title suffixes, women only, SIP code)
TENAGA = {
    "Dokter Umum": ("Tenaga Medis", "dr.", ("", "", ", M.Kes"), False, "SIP-DU"),
    "Dokter Gigi": ("Tenaga Medis", "drg.", ("",), False, "SIP-DG"),
    "Perawat": ("Tenaga Kesehatan", "", (", A.Md.Kep", ", A.Md.Kep", ", S.Kep, Ns."), False, "SIPP"),
    "Bidan": ("Tenaga Kesehatan", "", (", A.Md.Keb", ", S.Tr.Keb"), True, "SIPB"),
    "Apoteker": ("Tenaga Kesehatan", "apt. ", (", S.Farm", ", S.Farm., M.Farm"), False, "SIPA"),
    "Tenaga Teknis Kefarmasian": ("Tenaga Kesehatan", "", (", A.Md.Farm",), False, "SIPTTK"),
    "Perekam Medis": ("Tenaga Kesehatan", "", (", A.Md.RMIK", ", S.Tr.RMIK"), False, "SIP-PM"),
    "Analis Kesehatan": ("Tenaga Kesehatan", "", (", A.Md.AK", ", A.Md.Kes"), False, "SIP-ATLM"),
    "Radiografer": ("Tenaga Kesehatan", "", (", A.Md.Rad",), False, "SIPR"),
    "Fisioterapis": ("Tenaga Kesehatan", "", (", A.Md.Ftr", ", S.Ft"), False, "SIPF"),
    "Nutrisionis": ("Tenaga Kesehatan", "", (", S.Gz", ", A.Md.Gz"), False, "SIP-TGz"),
}
# Other names a clinic may print for a profession
LABELS = {
    "Analis Kesehatan": ("Ahli Teknologi Laboratorium Medik", "Pranata Laboratorium Kesehatan"),
    "Perekam Medis": ("Perekam Medis dan Informasi Kesehatan",),
    "Nutrisionis": ("Ahli Gizi",),
}
STATUS = ("Tetap", "Tetap", "Tetap", "Kontrak", "Kontrak", "Paruh waktu")
JAM = (
    "Senin - Sabtu, 08.00 - 21.00 WIB",
    "Senin - Jumat 07.00 - 20.00 WIB; Sabtu 07.00 - 14.00 WIB",
    "Setiap hari, 08.00 - 22.00 WIB",
    "Senin - Sabtu pukul 07.30 - 20.30 WIB, Minggu pukul 08.00 - 12.00 WIB",
)


@dataclass(frozen=True)
class Staff:
    nama: str  # as printed, with titles
    profesi: str
    kategori: str  # "Tenaga Medis" | "Tenaga Kesehatan"
    nomor_str: str
    nomor_sip: str
    status: str


@dataclass(frozen=True)
class Klinik:
    office: str
    nama: str  # "Klinik Utama Medika Cikarang"
    core: str
    jenis: str
    alamat: str  # one line, as on the form
    desa: str
    kecamatan: str
    kabupaten: str
    kota_surat: str
    telepon: str
    email: str
    pemilik: str
    nib: str
    penanggung_jawab: str  # the applicant, with titles
    jam: str
    pelayanan: tuple[str, ...]
    staff: tuple[Staff, ...]
    berdiri: int  # year


def _judul(nama: str) -> str:
    return " ".join(w.capitalize() for w in nama.split())


def _str_number(rng: random.Random, profesi: str) -> str:
    if profesi.startswith("Dokter") or rng.random() < 0.5:
        return f"{rng.choice((31, 32, 33, 34))}{rng.randint(10**13, 10**14 - 1)}"
    return f"KT{rng.randint(10, 99)}{rng.randint(10**11, 10**12 - 1)}"


def _sip_number(rng: random.Random, office: str, code: str, year: int) -> str:
    if office == "bekasi":
        return f"503/{code}/{rng.randint(100, 2999):04d}/DPMPTSP/{year}"
    return f"446/{rng.randint(10, 999):03d}/{code}/DINKES/{year}"


def _staff(rng: random.Random, office: str, nama: str, profesi: str, kategori: str, code: str, year: int) -> Staff:
    return Staff(
        nama=nama,
        profesi=profesi,
        kategori=kategori,
        nomor_str=_str_number(rng, profesi),
        nomor_sip=_sip_number(rng, office, code, rng.randint(year - 4, year)),
        status=rng.choice(STATUS) if profesi.startswith("Dokter Spesialis") else rng.choice(STATUS[:5]),
    )


def _titled(rng: random.Random, profesi: str, taken: set[str]) -> tuple[str, str, str]:
    kategori, prefix, suffixes, women, code = TENAGA[profesi]
    while True:
        perempuan = women or rng.random() < 0.6
        base = _judul(random_nama(rng, perempuan))
        if base not in taken:
            taken.add(base)
            break
    suffix = rng.choice(suffixes)
    if prefix.startswith("dr") or prefix.startswith("apt"):
        return f"{prefix}{' ' if prefix.endswith('.') else ''}{base}{suffix}", kategori, code
    if suffix == ", S.Kep, Ns.":
        return f"Ns. {base}, S.Kep", kategori, code
    return f"{base}{suffix}", kategori, code


def doctor_title(rng: random.Random, utama: bool) -> tuple[str, str, str]:
    """(gelar, profesi, pelayanan) of a clinic's responsible doctor."""
    if utama:
        return rng.choice(SPESIALIS)
    return rng.choice(("", "", "M.Kes", "MMR")), "Dokter Umum", "Pelayanan medik dasar (umum)"


def responsible_name(person: Person, gelar: str) -> str:
    base = f"dr. {person.nama_judul}"
    return f"{base}, {gelar}" if gelar else base


def _team(
    rng: random.Random, office: str, utama: bool, pj: Staff, pj_pelayanan: str, year: int
) -> tuple[tuple[Staff, ...], tuple[str, ...]]:
    taken = {pj.nama.split(",")[0].removeprefix("dr. ")}
    staff = [pj]
    pelayanan = [pj_pelayanan]
    if utama:
        others = [s for s in SPESIALIS if s[1] != pj.profesi]
        for gelar, profesi, layanan in rng.sample(others, rng.randint(1, 3)):
            nama, _, _ = _titled(rng, "Dokter Umum", taken)
            nama = nama.replace(", M.Kes", "") + f", {gelar}"
            staff.append(_staff(rng, office, nama, profesi, "Tenaga Medis", "SIP-DS", year))
            pelayanan.append(layanan)
        pelayanan.append("Pelayanan medik umum")
    plan = ["Dokter Umum"] * rng.randint(1, 3)
    if rng.random() < 0.4:
        plan.append("Dokter Gigi")
        pelayanan.append("Pelayanan kesehatan gigi dan mulut")
    plan += ["Perawat"] * rng.randint(1, 5) + ["Bidan"] * rng.randint(0, 2)
    plan += ["Apoteker"] + ["Tenaga Teknis Kefarmasian"] * rng.randint(0, 2) + ["Perekam Medis"]
    pelayanan.append("Pelayanan kefarmasian")
    if utama or rng.random() < 0.7:
        plan.append("Analis Kesehatan")
        pelayanan.append("Pelayanan laboratorium klinik")
    for extra in ("Radiografer", "Fisioterapis", "Nutrisionis"):
        if rng.random() < (0.3 if utama else 0.1):
            plan.append(extra)
    if "Radiografer" in plan:
        pelayanan.append("Pelayanan radiologi")
    if "Fisioterapis" in plan:
        pelayanan.append("Pelayanan fisioterapi")
    if "Bidan" in plan:
        pelayanan.append("Pelayanan kesehatan ibu dan anak (KIA/KB)")
    # 6-18 people: drop nurses and pharmacy technicians first when the list is too long
    while len(plan) + len(staff) > 18:
        for victim in ("Perawat", "Tenaga Teknis Kefarmasian", "Bidan", "Dokter Umum"):
            if plan.count(victim) > (0 if victim == "Bidan" else 1):
                plan.remove(victim)
                break
    while len(plan) + len(staff) < 6:
        plan.insert(len(plan) // 2, "Perawat")
    labels = {p: rng.choice(names) for p, names in LABELS.items() if rng.random() < 0.4}
    for profesi in plan:
        nama, kategori, code = _titled(rng, profesi, taken)
        staff.append(_staff(rng, office, nama, labels.get(profesi, profesi), kategori, code, year))
    return tuple(staff), tuple(pelayanan)


def random_klinik(rng: random.Random, office: str, person: Person, submitted: date) -> Klinik:
    utama = office == "bekasi" or rng.random() < 0.3
    jenis = JENIS_UTAMA if utama else JENIS_PRATAMA
    core = rng.choice(CORES)
    place, street, desa, kecamatan = rng.choice(PLACES[office])
    alamat = f"{street.format(n=rng.randint(1, 250))}, {desa}, {kecamatan}, {KABUPATEN[office]}"
    gelar, profesi, pj_pelayanan = doctor_title(rng, utama)
    year = submitted.year
    pj = Staff(
        nama=responsible_name(person, gelar),
        profesi=profesi,
        kategori="Tenaga Medis",
        nomor_str=_str_number(rng, profesi),
        nomor_sip=_sip_number(rng, office, "SIP-DS" if utama else "SIP-DU", rng.randint(year - 3, year)),
        status="Tetap",
    )
    staff, pelayanan = _team(rng, office, utama, pj, pj_pelayanan, year)
    slug = "".join(ch for ch in f"{core}{place}".lower() if ch.isalpha())
    return Klinik(
        office=office,
        nama=f"{jenis} {core} {place}",
        core=core,
        jenis=jenis,
        alamat=alamat,
        desa=desa,
        kecamatan=kecamatan,
        kabupaten=KABUPATEN[office],
        kota_surat=KOTA_SURAT[office],
        telepon=f"({KODE_TELEPON[office]}) {rng.randint(200, 899)}{rng.randint(1000, 9999)}",
        email=f"klinik{slug}@gmail.com",
        pemilik=f"{rng.choice(BADAN)} {core} {rng.choice(('Sejahtera', 'Mandiri', 'Abadi', 'Nusantara'))}",
        nib=f"{rng.randint(10**12, 10**13 - 1)}",
        penanggung_jawab=pj.nama,
        jam=rng.choice(JAM),
        pelayanan=pelayanan,
        staff=staff,
        berdiri=rng.randint(2008, year - 1),
    )


def other_klinik_name(rng: random.Random, klinik: Klinik) -> str:
    """Another clinic's name: same kind and place, a core sharing no word with this clinic's."""
    words = set(klinik.core.split())
    core = rng.choice([c for c in CORES if not words & set(c.split())])
    place = klinik.nama.removeprefix(f"{klinik.jenis} {klinik.core} ")
    return f"{klinik.jenis} {core} {place}"
