"""The words, numbers and table rows printed on a clinic's documents, and their truth (pure)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from izinflow.samples.clinic import Klinik, Staff
from izinflow.samples.people import tanggal_id

CLINIC_DOCS = (
    "notifikasi_dinkes",
    "profil_klinik",
    "daftar_sdm",
    "daftar_sarana_prasarana",
    "daftar_peralatan",
    "self_assessment",
)
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
KEPALA_DINKES_BEKASI = (
    ("dr. H. ASEP SUPRIATNA, M.KM", "19700512 199803 1 004"),
    ("dr. Hj. NUR HIDAYAH, M.Kes", "19750821 200501 2 009"),
)
RUANG = (
    "Ruang pendaftaran dan rekam medis",
    "Ruang tunggu pasien",
    "Ruang periksa dokter umum",
    "Ruang tindakan",
    "Ruang farmasi",
    "Ruang laboratorium",
    "Ruang sterilisasi",
    "Ruang administrasi",
    "Ruang laktasi",
    "Ruang KIA/KB",
    "Ruang gawat darurat",
    "Ruang penyimpanan rekam medis",
    "Gudang umum",
    "Toilet pasien",
    "Toilet penyandang disabilitas",
    "Toilet karyawan",
    "Ruang cuci (spoelhoek)",
    "Mushola",
    "Pantry",
)
PRASARANA = (
    "Instalasi listrik",
    "Genset cadangan",
    "Instalasi air bersih",
    "Instalasi pengolahan air limbah (IPAL)",
    "Tempat penyimpanan sementara limbah B3",
    "Alat pemadam api ringan (APAR)",
    "Sistem tata udara (AC)",
    "Ambulans",
    "Area parkir",
    "Ramp untuk kursi roda",
    "Papan nama klinik",
    "Jalur evakuasi dan rambu keselamatan",
    "CCTV",
)
SATUAN = {"Instalasi": "unit", "Genset": "unit", "Alat": "tabung", "Sistem": "unit", "Ambulans": "unit",
          "Area": "lokasi", "Ramp": "unit", "Papan": "buah", "Jalur": "paket", "CCTV": "titik", "Tempat": "unit"}
ALAT_UMUM = (
    "Tensimeter digital",
    "Stetoskop",
    "Termometer digital",
    "Timbangan badan dewasa",
    "Pengukur tinggi badan",
    "Tempat tidur periksa",
    "Lampu periksa",
    "Pulse oximeter",
    "Tabung oksigen dan regulator",
    "Nebulizer",
    "Suction pump",
    "EKG 12 lead",
    "Glukometer",
    "Autoclave",
    "Minor surgery set",
    "Emergency kit (trolley emergensi)",
    "Kursi roda",
    "Brankar",
    "Lemari obat",
    "Lemari pendingin obat/vaksin",
    "Sentrifus",
    "Mikroskop binokuler",
    "Hematology analyzer",
    "AED (automated external defibrillator)",
)
ALAT_SPESIALIS = {
    "Sp.OG": ("USG 4 dimensi", "Doppler fetal", "Meja ginekologi", "CTG (kardiotokografi)"),
    "Sp.A": ("Timbangan bayi", "Infant warmer", "Nebulizer anak"),
    "Sp.PD": ("Spirometer", "Holter monitor"),
    "Sp.M": ("Slit lamp", "Autorefraktometer", "Tonometer", "Snellen chart"),
    "Sp.THT-KL": ("Head lamp", "Otoskop", "Set pemeriksaan THT", "Nasoendoskop"),
    "Sp.DVE": ("Dermatoskop", "Elektrokauter", "Lampu Wood"),
    "Sp.N": ("Palu refleks", "EEG"),
    "Sp.KFR": ("TENS", "Ultrasound terapi", "Treadmill"),
}
ALAT_NON_MEDIS = ("Komputer", "Printer", "Lemari arsip", "Meja kerja", "Kursi tunggu", "AC split", "Dispenser air")
MERK = ("Omron", "GEA", "Riester", "Onemed", "Mindray", "Philips", "Yuwell", "Lokal", "Littmann", "Sharp", "Lenovo")
KONDISI = ("Baik", "Baik", "Baik", "Baik", "Baik", "Rusak ringan")
VISI = (
    "Menjadi klinik pilihan masyarakat dengan pelayanan yang profesional, ramah dan terjangkau",
    "Terwujudnya pelayanan kesehatan yang bermutu, aman dan berorientasi pada keselamatan pasien",
    "Menjadi klinik terpercaya dan unggul dalam pelayanan kesehatan di {kabupaten}",
)
MISI = (
    "Memberikan pelayanan kesehatan yang cepat, tepat dan ramah",
    "Meningkatkan kompetensi sumber daya manusia secara berkesinambungan",
    "Menyediakan sarana dan peralatan kesehatan yang memadai sesuai standar",
    "Mengutamakan keselamatan pasien dan kepuasan pelanggan",
    "Menjalin kerja sama dengan fasilitas kesehatan rujukan dan BPJS Kesehatan",
)
# Self-assessment groups: heading -> statements of the standard
STANDAR = (
    (
        "Persyaratan Lokasi dan Bangunan",
        (
            "Klinik memiliki Nomor Induk Berusaha (NIB) yang masih berlaku",
            "Lokasi klinik sesuai dengan rencana tata ruang wilayah",
            "Bangunan klinik bersifat permanen dan tidak bergabung dengan tempat tinggal",
            "Tersedia papan nama yang memuat nama klinik, jenis klinik dan nomor izin",
            "Bangunan memenuhi aspek aksesibilitas bagi penyandang disabilitas dan lansia",
            "Ruang tunggu memiliki pencahayaan dan sirkulasi udara yang cukup",
        ),
    ),
    (
        "Prasarana",
        (
            "Tersedia instalasi listrik dengan daya memadai dan sumber listrik cadangan",
            "Tersedia air bersih yang memenuhi syarat kesehatan",
            "Limbah medis dikelola sendiri atau bekerja sama dengan pihak ketiga berizin",
            "Tersedia alat pemadam api ringan (APAR) yang masih berlaku",
            "Tersedia sistem tata udara dan ventilasi yang baik",
            "Tersedia jalur evakuasi dan rambu keselamatan",
        ),
    ),
    (
        "Sumber Daya Manusia",
        (
            "Penanggung jawab klinik adalah tenaga medis yang memiliki STR dan SIP",
            "Seluruh tenaga medis memiliki STR dan SIP yang masih berlaku",
            "Seluruh tenaga kesehatan memiliki STR dan SIP yang masih berlaku",
            "Tersedia apoteker penanggung jawab pelayanan kefarmasian",
            "Tersedia tenaga perekam medis",
            "Jumlah tenaga sesuai dengan jenis dan volume pelayanan",
        ),
    ),
    (
        "Peralatan",
        (
            "Peralatan medis tersedia sesuai jenis pelayanan",
            "Peralatan medis telah dikalibrasi oleh institusi penguji yang berwenang",
            "Tersedia daftar inventaris peralatan medis dan nonmedis",
            "Tersedia peralatan kegawatdaruratan (emergency kit)",
            "Tersedia sterilisator dan prosedur sterilisasi alat",
        ),
    ),
    (
        "Kefarmasian dan Laboratorium",
        (
            "Tersedia ruang farmasi dengan lemari penyimpanan obat sesuai standar",
            "Tersedia lemari khusus penyimpanan narkotika dan psikotropika",
            "Pencatatan dan pelaporan penggunaan obat dilakukan secara rutin",
            "Pelayanan laboratorium sederhana tersedia sesuai standar",
        ),
    ),
    (
        "Administrasi dan Manajemen",
        (
            "Tersedia struktur organisasi klinik",
            "Tersedia standar prosedur operasional (SPO) pelayanan",
            "Rekam medis diselenggarakan sesuai ketentuan",
            "Pencatatan dan pelaporan dikirim rutin ke Dinas Kesehatan",
            "Tersedia program peningkatan mutu dan keselamatan pasien",
            "Tersedia mekanisme penanganan pengaduan pasien",
        ),
    ),
)
KETERANGAN = {2: ("Ada, lengkap", "Tersedia", "Sesuai"), 1: ("Ada, belum lengkap", "Dalam proses"),
              0: ("Belum ada", "Tidak tersedia")}


def _count(n: float) -> str:
    """'87.5' for 87.5, '86.67' for 86.666…, '100' for 100."""
    return f"{round(n, 2):.2f}".rstrip("0").rstrip(".")


def _notifikasi(rng: random.Random, ctx: dict[str, object], k: Klinik, tgl: date, layout: str) -> dict[str, str]:
    nama = str(ctx["nama_klinik"])
    if layout == "a":
        nomor = f"440/{rng.randint(1000, 9999)}/Dinkes/{ROMAWI[tgl.month - 1]}/{tgl.year}"
    else:
        nomor = f"503.5/{rng.randint(100, 999)}-Yankes/{tgl.year}"
    kepala, nip = rng.choice(KEPALA_DINKES_BEKASI)
    ctx.update(
        nomor=nomor,
        kepala=kepala,
        nip=nip,
        visitasi=tanggal_id(tgl - timedelta(days=rng.randint(3, 14))),
        no_permohonan=f"I-{tgl.year}{rng.randint(10**8, 10**9 - 1)}",
        qr_payload=f"https://oss.go.id/informasi/verifikasi-notifikasi?no={nomor}",
        stamp_text=("DINAS KESEHATAN * KABUPATEN BEKASI *", "PEMERINTAH\nKAB. BEKASI"),
    )
    return {"nomor_surat": nomor, "tanggal_surat": tgl.isoformat(), "nama_klinik": nama}


def _profil(rng: random.Random, ctx: dict[str, object], k: Klinik) -> dict[str, str]:
    medis = [s for s in k.staff if s.kategori == "Tenaga Medis"]
    hari = ("Senin - Rabu", "Selasa & Kamis", "Senin - Jumat", "Rabu & Jumat", "Sabtu", "Senin - Sabtu")
    jam = ("08.00 - 12.00", "16.00 - 20.00", "09.00 - 14.00", "13.00 - 17.00", "18.00 - 21.00")
    rekap: dict[str, int] = {}
    for s in k.staff:
        rekap[s.profesi] = rekap.get(s.profesi, 0) + 1
    ctx.update(
        visi=rng.choice(VISI).format(kabupaten=k.kabupaten),
        misi=rng.sample(MISI, rng.randint(3, 5)),
        jadwal=[(s.nama, s.profesi, rng.choice(hari), rng.choice(jam)) for s in medis],
        rekap=list(rekap.items()),
        luas_tanah=rng.choice((250, 320, 400, 520, 600, 750)),
        luas_bangunan=rng.choice((180, 240, 300, 360, 450)),
        bpjs=rng.random() < 0.6,
    )
    return {"nama_klinik": str(ctx["nama_klinik"]), "alamat": k.alamat, "penanggung_jawab": k.penanggung_jawab}


def _sdm(ctx: dict[str, object], k: Klinik) -> dict[str, str]:
    groups: list[tuple[str, list[tuple[int, Staff]]]] = []
    for n, s in enumerate(k.staff, start=1):
        if not groups or groups[-1][0] != s.kategori:
            groups.append((s.kategori, []))
        groups[-1][1].append((n, s))
    ctx.update(staff=list(k.staff), groups=groups)
    ctx["truth_rows"] = [{"nama": s.nama, "profesi": s.profesi, "nomor_str": s.nomor_str} for s in k.staff]
    return {"jumlah_sdm": str(len(k.staff))}


def _sarana(rng: random.Random, ctx: dict[str, object], k: Klinik) -> dict[str, str]:
    ruang = [r for r in RUANG if rng.random() < 0.6 or r.startswith(("Ruang tunggu", "Ruang pendaftaran"))]
    ruang.insert(2, "Ruang konsultasi dokter spesialis" if k.jenis == "Klinik Utama" else "Ruang periksa umum 2")
    prasarana = [p for p in PRASARANA if rng.random() < 0.55 or p.startswith(("Instalasi listrik", "Alat"))]
    while len(ruang) + len(prasarana) > 22:
        (ruang if len(ruang) > len(prasarana) else prasarana).pop(-2)

    def item(nama: str, banyak: tuple[int, ...]) -> dict[str, str]:
        return {"nama": nama, "jumlah": str(rng.choice(banyak)), "kondisi": rng.choice(KONDISI)}

    rooms = [item(r, (1, 1, 1, 2) if not r.startswith(("Toilet", "Ruang periksa", "Ruang konsultasi")) else (1, 2, 3))
             for r in ruang]
    infra = [item(p, (1,) if not p.startswith(("Alat", "CCTV", "Sistem")) else (2, 3, 4, 6, 8)) for p in prasarana]
    satuan = [SATUAN.get(r["nama"].split()[0], "unit") for r in infra]
    ctx.update(
        rooms=rooms,
        infra=list(zip(infra, satuan, strict=True)),
        daya=rng.choice(("10.600 VA", "13.200 VA", "16.500 VA", "23.000 VA")),
        air=rng.choice(("PDAM", "sumur bor", "PDAM dan sumur bor")),
    )
    ctx["truth_rows"] = rooms + infra
    return {}


def _peralatan(rng: random.Random, ctx: dict[str, object], k: Klinik) -> dict[str, str]:
    gelar = [s.nama.rsplit(", ", 1)[-1] for s in k.staff if s.profesi.startswith("Dokter Spesialis")]
    khusus = [a for g in gelar for a in ALAT_SPESIALIS.get(g, ())]
    medis = rng.sample(ALAT_UMUM, rng.randint(8, 14)) + khusus[: rng.randint(2, 6)]
    non_medis = rng.sample(ALAT_NON_MEDIS, rng.randint(2, 5))
    medis = medis[: 25 - len(non_medis)]

    def item(nama: str) -> dict[str, str]:
        banyak = (1, 1, 1, 2)
        if nama.startswith(("Stetoskop", "Tensimeter", "Termometer", "Komputer", "Kursi", "Meja", "AC")):
            banyak = (2, 3, 4, 5)
        return {"nama": nama, "jumlah": str(rng.choice(banyak)), "kondisi": rng.choice(KONDISI)}

    med_rows = [item(a) for a in medis]
    non_rows = [item(a) for a in non_medis]
    kalibrasi = (ctx["submitted"] - timedelta(days=rng.randint(60, 400))).strftime("%m/%Y")  # type: ignore[operator]
    ctx.update(
        medis=[(r, rng.choice(MERK), kalibrasi if rng.random() < 0.7 else "-") for r in med_rows],
        non_medis=[(r, rng.choice(MERK[-3:]), "-") for r in non_rows],
    )
    ctx["truth_rows"] = med_rows + non_rows
    return {}


def _self_assessment(rng: random.Random, ctx: dict[str, object], layout: str) -> dict[str, str]:
    chosen = sorted(rng.sample(range(len(STANDAR)), rng.randint(3, 6)))
    groups: list[tuple[str, list[str]]] = []
    for gi in chosen:
        heading, items = STANDAR[gi]
        keep = sorted(rng.sample(range(len(items)), rng.randint(min(3, len(items)), len(items))))
        groups.append((heading, [items[i] for i in keep]))
    while sum(len(items) for _, items in groups) < 12:
        extra = next(i for i in range(len(STANDAR)) if i not in chosen)
        chosen.append(extra)
        groups.append((STANDAR[extra][0], list(STANDAR[extra][1])))
    unit = 1 if layout == "a" else 5
    weak = rng.choice((0.0, 0.05, 0.1, 0.2, 0.3))
    table: list[tuple[str, str, list[tuple[str, str, int, str]]]] = []
    truth: list[dict[str, str]] = []
    total = count = 0
    for gi, (heading, items) in enumerate(groups):
        letter = "ABCDEFGH"[gi]
        rows = []
        for k, uraian in enumerate(items, start=1):
            count += 1
            level = 2 if rng.random() >= weak else rng.choice((1, 1, 0))
            nomor = str(count) if layout == "a" else f"{letter}.{k}"
            rows.append((nomor, uraian, level, rng.choice(KETERANGAN[level])))
            total += level * unit
            truth.append({"nomor": nomor, "uraian": uraian, "skor": str(level * unit)})
        table.append((letter, heading, rows))
    maksimal = count * 2 * unit
    persen = _count(100 * total / maksimal)
    ctx.update(table=table, unit=unit, total=total, maksimal=maksimal, persen=persen.replace(".", ","))
    ctx["truth_rows"] = truth
    return {"total_skor": str(total), "skor_maksimal": str(maksimal), "persentase": persen}


def clinic_content(
    rng: random.Random, code: str, layout: str, common: dict[str, object], submitted: datetime, wrong_name: bool
) -> tuple[dict[str, object], dict[str, str]]:
    """Context for a clinic bundle's document template and the truth fields it prints.

    ``wrong_name``: the document names another clinic than the form. Table rows are returned in the
    context under ``truth_rows``.
    """
    k: Klinik = common["klinik"]  # type: ignore[assignment]
    tgl = submitted.date() - timedelta(days=rng.randint(3, 45))
    ctx: dict[str, object] = dict(common)
    ctx.update(
        k=k,
        nama_klinik=str(common["other_klinik"]) if wrong_name else k.nama,
        tanggal=tanggal_id(tgl),
        stamp_text=(f"{k.nama} * {k.kabupaten} *", k.jenis.replace(" ", "\n")),
    )
    fields: dict[str, str] = {}
    if code == "notifikasi_dinkes":
        fields = _notifikasi(rng, ctx, k, tgl, layout)
    elif code == "profil_klinik":
        fields = _profil(rng, ctx, k)
    elif code == "daftar_sdm":
        fields = _sdm(ctx, k)
    elif code == "daftar_sarana_prasarana":
        fields = _sarana(rng, ctx, k)
    elif code == "daftar_peralatan":
        fields = _peralatan(rng, ctx, k)
    elif code == "self_assessment":
        fields = _self_assessment(rng, ctx, layout)
    elif code == "lainnya":
        apoteker = next((s.nama for s in k.staff if s.profesi == "Apoteker"), "-")
        perawat = next((s.nama for s in k.staff if s.profesi == "Perawat"), "-")
        rm = next((s.nama for s in k.staff if s.profesi == "Perekam Medis"), "-")
        umum = next((s.nama for s in k.staff if s.profesi == "Dokter Umum"), k.penanggung_jawab)
        ctx.update(
            direktur=f"{'H. ' if rng.random() < 0.4 else ''}{rng.choice(('Budi Santoso', 'Ahmad Fauzi', 'Hartono'))}"
            f"{rng.choice(('', ', S.E.', ', S.H.', ', M.M.'))}",
            struktur=[
                ("Koordinator Pelayanan Medis", umum),
                ("Koordinator Keperawatan", perawat),
                ("Penanggung Jawab Kefarmasian", apoteker),
                ("Koordinator Rekam Medis", rm),
            ],
        )
    return ctx, fields
