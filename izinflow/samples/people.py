"""Synthetic applicants: Indonesian names, birth data and valid NIKs (pure, seeded by the caller)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# Kemendagri codes: (province, regency) -> (province name, regency name, capital/town, districts)
WILAYAH: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "1407": (
        "RIAU",
        "KABUPATEN ROKAN HILIR",
        "Bagansiapiapi",
        ("BANGKO", "KUBU", "RIMBA MELINTANG", "BAGAN SINEMBAH", "TANAH PUTIH", "PUJUD"),
    ),
    "1471": ("RIAU", "KOTA PEKANBARU", "Pekanbaru", ("SUKAJADI", "TAMPAN", "MARPOYAN DAMAI", "SAIL")),
    "1406": ("RIAU", "KABUPATEN ROKAN HULU", "Pasir Pengaraian", ("RAMBAH", "TAMBUSAI", "KEPENUHAN")),
    "1403": ("RIAU", "KABUPATEN BENGKALIS", "Bengkalis", ("BENGKALIS", "BANTAN", "MANDAU")),
    "6474": (
        "KALIMANTAN TIMUR",
        "KOTA BONTANG",
        "Bontang",
        ("BONTANG UTARA", "BONTANG SELATAN", "BONTANG BARAT"),
    ),
    "6472": (
        "KALIMANTAN TIMUR",
        "KOTA SAMARINDA",
        "Samarinda",
        ("SAMARINDA ULU", "SUNGAI KUNJANG", "PALARAN"),
    ),
    "6471": ("KALIMANTAN TIMUR", "KOTA BALIKPAPAN", "Balikpapan", ("BALIKPAPAN KOTA", "BALIKPAPAN UTARA")),
    "6408": ("KALIMANTAN TIMUR", "KABUPATEN KUTAI TIMUR", "Sangatta", ("SANGATTA UTARA", "BENGALON")),
    "1271": ("SUMATERA UTARA", "KOTA MEDAN", "Medan", ("MEDAN BARU", "MEDAN JOHOR", "MEDAN TEMBUNG")),
    "3374": ("JAWA TENGAH", "KOTA SEMARANG", "Semarang", ("SEMARANG TENGAH", "BANYUMANIK", "TEMBALANG")),
    "3171": ("DKI JAKARTA", "KOTA ADM. JAKARTA SELATAN", "Jakarta", ("KEBAYORAN BARU", "TEBET", "CILANDAK")),
    "3216": (
        "JAWA BARAT",
        "KABUPATEN BEKASI",
        "Cikarang",
        ("TARUMAJAYA", "BABELAN", "SUKAWANGI", "TAMBELANG", "TAMBUN UTARA", "TAMBUN SELATAN", "CIBITUNG",
         "CIKARANG BARAT", "CIKARANG UTARA", "KARANG BAHAGIA"),
    ),
    "3275": ("JAWA BARAT", "KOTA BEKASI", "Bekasi", ("BEKASI TIMUR", "BEKASI BARAT", "BEKASI UTARA", "RAWALUMBU")),
    "3201": ("JAWA BARAT", "KABUPATEN BOGOR", "Cibinong", ("CIBINONG", "GUNUNG PUTRI", "CILEUNGSI")),
    "3325": (
        "JAWA TENGAH",
        "KABUPATEN BATANG",
        "Batang",
        ("WONOTUNGGAL", "BANDAR", "BLADO", "REBAN", "BAWANG", "TERSONO", "GRINGSING", "LIMPUNG", "SUBAH",
         "TULIS", "BATANG", "WARUNGASEM"),
    ),
    "3326": ("JAWA TENGAH", "KABUPATEN PEKALONGAN", "Kajen", ("KAJEN", "WIRADESA", "KEDUNGWUNI")),
    "3375": ("JAWA TENGAH", "KOTA PEKALONGAN", "Pekalongan", ("PEKALONGAN BARAT", "PEKALONGAN TIMUR")),
}

HOME_REGIONS = {
    "rokan-hilir": ("1407", ("1471", "1406", "1403", "1271", "3374")),
    "bontang": ("6474", ("6472", "6471", "6408", "3374", "3171")),
    "bekasi": ("3216", ("3275", "3201", "3171", "3374")),
    "batang": ("3325", ("3326", "3375", "3374")),
}

DESA = (
    "BAGAN BATU",
    "BAGAN HULU",
    "SUNGAI PANJI",
    "LABUHAN TANGGA",
    "BELADAN",
    "API-API",
    "TANJUNG LAUT",
    "GUNUNG ELAI",
    "LOK TUAN",
    "BELIMBING",
    "SIMPANG BARU",
    "TANJUNG REJO",
    "SEKARAN",
    "SUKAMAJU",
)
JALAN = (
    "Jl. Perwira",
    "Jl. Merdeka",
    "Jl. Sudirman",
    "Jl. Pelita",
    "Jl. Kesehatan",
    "Jl. Cendrawasih",
    "Jl. Mawar",
    "Jl. KH. Ahmad Dahlan",
    "Jl. Pattimura",
    "Jl. Ahmad Yani",
    "Jl. Hasanuddin",
)

GIVEN_F = (
    "SITI",
    "NUR",
    "DEWI",
    "RINA",
    "PUTRI",
    "INDAH",
    "FITRI",
    "WULAN",
    "AYU",
    "RATNA",
    "LESTARI",
    "YULI",
    "NOVITA",
    "MEGA",
    "ANISA",
    "RISKA",
    "DIAN",
    "SRI",
    "EKA",
    "TRI",
)
SECOND_F = (
    "AMINAH",
    "RAHMAH",
    "HALIMAH",
    "KARTIKA",
    "PERTIWI",
    "WAHYUNI",
    "HANDAYANI",
    "SARI",
    "LESTARI",
    "FITRIANI",
    "MARLINA",
    "ANGGRAINI",
    "SUSANTI",
    "NURHAYATI",
    "RAMADHANI",
    "AULIA",
)
GIVEN_M = (
    "MUHAMMAD",
    "AHMAD",
    "RIZKY",
    "FAJAR",
    "ANDI",
    "BUDI",
    "HENDRA",
    "DEDI",
    "ARIF",
    "YUDI",
    "RAHMAT",
    "IRWAN",
    "AGUS",
    "ILHAM",
    "FIRMAN",
    "DONI",
    "RENDI",
    "BAYU",
)
SECOND_M = (
    "HIDAYAT",
    "SAPUTRA",
    "PRATAMA",
    "SETIAWAN",
    "NUGROHO",
    "KURNIAWAN",
    "FIRDAUS",
    "HASIBUAN",
    "SIREGAR",
    "NASUTION",
    "WIJAYA",
    "RAMADHAN",
    "SYAHPUTRA",
    "HAKIM",
    "LUBIS",
    "GUNAWAN",
)
TITLES = ("A.Md.RMIK", "A.Md.Kes", "S.Tr.RMIK", "S.Tr.Kes", "S.KM")
AGAMA = ("ISLAM", "ISLAM", "ISLAM", "KRISTEN", "KATHOLIK", "BUDDHA", "HINDU")
GOL_DARAH = ("A", "B", "AB", "O", "-")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class Person:
    nama: str  # as on the KTP, upper case, no titles
    gelar: str  # professional title printed after the name on STR, letters, SIP
    perempuan: bool
    nik: str
    tempat_lahir: str
    tanggal_lahir: date
    agama: str
    gol_darah: str
    alamat: str
    rt_rw: str
    desa: str
    kecamatan: str
    kode_wilayah: str  # 4 digits: province + regency
    kawin: str

    @property
    def nama_gelar(self) -> str:
        return f"{self.nama}, {self.gelar}"

    @property
    def nama_judul(self) -> str:
        """Name in title case, as many letters print it."""
        return " ".join(w.capitalize() for w in self.nama.split())

    @property
    def provinsi(self) -> str:
        return WILAYAH[self.kode_wilayah][0]

    @property
    def kabupaten(self) -> str:
        return WILAYAH[self.kode_wilayah][1]

    @property
    def kota(self) -> str:
        return WILAYAH[self.kode_wilayah][2]


def make_nik(kode_wilayah: str, kecamatan_no: int, lahir: date, perempuan: bool, serial: int) -> str:
    day = lahir.day + (40 if perempuan else 0)
    return f"{kode_wilayah}{kecamatan_no:02d}{day:02d}{lahir.month:02d}{lahir.year % 100:02d}{serial:04d}"


def tanggal_id(d: date) -> str:
    """'12 Maret 1990'."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def random_nama(rng: random.Random, perempuan: bool) -> str:
    """An upper-case Indonesian name of two or three words."""
    if perempuan:
        nama = f"{rng.choice(GIVEN_F)} {rng.choice(SECOND_F)}"
    else:
        nama = f"{rng.choice(GIVEN_M)} {rng.choice(SECOND_M)}"
    if rng.random() < 0.2:
        nama += " " + rng.choice(SECOND_F if perempuan else SECOND_M)
    return nama


def random_person(rng: random.Random, kode_wilayah: str) -> Person:
    perempuan = rng.random() < 0.6
    nama = random_nama(rng, perempuan)
    lahir = date(rng.randint(1975, 2002), rng.randint(1, 12), rng.randint(1, 28))
    _, _, kota, kecamatans = WILAYAH[kode_wilayah]
    kec_no = rng.randint(1, len(kecamatans))
    nik = make_nik(kode_wilayah, kec_no, lahir, perempuan, rng.randint(1, 60))
    return Person(
        nama=nama,
        gelar=rng.choice(TITLES),
        perempuan=perempuan,
        nik=nik,
        tempat_lahir=rng.choice((kota.upper(), kota.upper(), "DUMAI", "PADANG", "TARAKAN", "PALEMBANG")),
        tanggal_lahir=lahir,
        agama=rng.choice(AGAMA),
        gol_darah=rng.choice(GOL_DARAH),
        alamat=f"{rng.choice(JALAN).upper()} NO. {rng.randint(1, 120)}",
        rt_rw=f"{rng.randint(1, 15):03d}/{rng.randint(1, 9):03d}",
        desa=rng.choice(DESA),
        kecamatan=kecamatans[kec_no - 1],
        kode_wilayah=kode_wilayah,
        kawin=rng.choice(("BELUM KAWIN", "KAWIN", "KAWIN")),
    )


def other_name(rng: random.Random, person: Person) -> str:
    """A different person's name that looks close: same first word, another second word."""
    words = person.nama.split()
    pool = SECOND_F if person.perempuan else SECOND_M
    choices = [w for w in pool if w != words[1]]
    return " ".join([words[0], rng.choice(choices), *words[2:]])


def malformed_nik(rng: random.Random, nik: str) -> str:
    """A NIK a form might carry by mistake: 15 digits, or an impossible birth date."""
    if rng.random() < 0.5:
        cut = rng.randint(6, 15)
        return nik[:cut] + nik[cut + 1 :]
    return nik[:6] + "75" + "13" + nik[10:]
