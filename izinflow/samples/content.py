"""The words and numbers printed on each synthetic document, and the truth fields they carry (pure)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from izinflow.samples.people import Person, tanggal_id

ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
KAMPUS = (
    ("POLITEKNIK KESEHATAN KEMENKES RIAU", "Pekanbaru"),
    ("SEKOLAH TINGGI ILMU KESEHATAN HANG TUAH PEKANBARU", "Pekanbaru"),
    ("POLITEKNIK KESEHATAN KEMENKES KALIMANTAN TIMUR", "Samarinda"),
    ("UNIVERSITAS DIAN NUSWANTORO", "Semarang"),
    ("POLITEKNIK KESEHATAN KEMENKES SEMARANG", "Semarang"),
)
DOKTER = (
    "dr. Hendra Gunawan",
    "dr. Rika Amelia",
    "dr. Syafrizal, M.Kes",
    "dr. Nurul Hasanah",
    "dr. Bambang Irawan",
)
DIREKTUR = (
    "dr. Muhammad Ilyas, M.Kes",
    "dr. Wahyu Hidayat, Sp.PD",
    "drg. Lina Marlina, MARS",
    "dr. Agus Salim",
)
ALAT = (
    "Komputer/PC",
    "Printer",
    "Scanner dokumen",
    "Lemari arsip (filing cabinet)",
    "Rak penyimpanan rekam medis",
    "Meja kerja",
    "Kursi kerja",
    "Kursi tunggu pasien",
    "APAR (alat pemadam api ringan)",
    "UPS",
    "Tracer / out guide",
    "Map rekam medis",
    "Wastafel cuci tangan",
    "Tempat sampah medis bertutup",
    "Hand sanitizer",
    "Label warna (color coding)",
)
LIMBAH = ("PT. Borneo Enviro Lestari", "PT. Kaltim Limbah Medika", "CV. Bontang Bersih Mandiri")


def _no_surat(rng: random.Random, kode: str, d: date) -> str:
    return f"{kode}/{rng.randint(1, 999):03d}/{ROMAWI[d.month - 1]}/{d.year}"


def _umur(p: Person, d: date) -> int:
    return d.year - p.tanggal_lahir.year - ((d.month, d.day) < (p.tanggal_lahir.month, p.tanggal_lahir.day))


def doc_content(
    rng: random.Random,
    code: str,
    layout: str,
    common: dict[str, object],
    submitted: datetime,
    defects: list[str],
    wrong_name: bool,
) -> tuple[dict[str, object], dict[str, str]]:
    if "klinik" in common:
        from izinflow.samples.clinic_docs import clinic_content

        return clinic_content(rng, code, layout, common, submitted, wrong_name)
    p: Person = common["p"]  # type: ignore[assignment]
    sub = submitted.date()
    nama_ktp = str(common["other_name"]) if wrong_name else p.nama
    gelar = p.gelar
    nama_gelar = f"{nama_ktp}, {gelar}"
    nama_judul = " ".join(w.capitalize() for w in nama_ktp.split())
    tgl = sub - timedelta(days=rng.randint(2, 40))
    ctx: dict[str, object] = dict(common)
    ctx.update(
        nama=nama_ktp,
        nama_gelar=nama_gelar,
        nama_judul=nama_judul,
        tanggal=tanggal_id(tgl),
        lahir=tanggal_id(p.tanggal_lahir),
        umur=_umur(p, sub),
        jk="PEREMPUAN" if p.perempuan else "LAKI-LAKI",
    )
    fields: dict[str, str] = {}
    if code == "surat_permohonan":
        kind = "none" if "no_meterai" in defects else rng.choice(("tempel", "elektronik"))
        printed = rng.choice((p.nama, nama_judul, nama_gelar)) if not wrong_name else nama_ktp
        ctx.update(
            printed=printed,
            meterai=kind,
            perpanjangan=common["variant"] == "perpanjangan",
            kota=rng.choice(("Bagansiapiapi", p.kota)),
        )
        fields = {"nama": printed, "nik": p.nik, "tanggal_surat": tgl.isoformat(), "meterai": kind}
    elif code == "ktp":
        nik = p.nik
        if "ktp_nik_mismatch" in defects:
            nik = nik[:12] + f"{(int(nik[12:]) + rng.randint(3, 40)) % 10000:04d}"
        terbit = date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        ctx.update(
            nik=nik,
            terbit=terbit.strftime("%d-%m-%Y"),
            lahir_ktp=p.tanggal_lahir.strftime("%d-%m-%Y"),
            pekerjaan=rng.choice(("KARYAWAN SWASTA", "PEGAWAI NEGERI SIPIL (PNS)", "KARYAWAN HONORER")),
        )
        fields = {
            "nik": nik,
            "nama": nama_ktp,
            "tempat_lahir": p.tempat_lahir,
            "tanggal_lahir": p.tanggal_lahir.isoformat(),
            "jenis_kelamin": str(ctx["jk"]),
            "alamat": p.alamat,
        }
    elif code == "str":
        expired = "str_expired" in defects
        lifetime = layout == "b" and not expired
        if expired:
            layout = "a"
            until = sub - timedelta(days=rng.randint(5, 500))
        else:
            until = sub + timedelta(days=rng.randint(200, 1500))
        terbit = (
            until.replace(year=until.year - 5) if not lifetime else sub - timedelta(days=rng.randint(30, 600))
        )
        nomor = (
            f"KT{rng.randint(10, 99)}{rng.randint(10**11, 10**12 - 1)}"
            if layout == "a"
            else f"{rng.randint(10**15, 10**16 - 1)}"
        )
        ctx.update(
            layout=layout,
            nomor=nomor,
            berlaku=("Seumur Hidup" if lifetime else tanggal_id(until)),
            terbit=tanggal_id(terbit),
        )
        fields = {
            "nama": nama_gelar,
            "nomor_str": nomor,
            "berlaku_sampai": "seumur hidup" if lifetime else until.isoformat(),
            "tempat_lahir": p.tempat_lahir,
            "tanggal_lahir": p.tanggal_lahir.isoformat(),
        }
    elif code == "ijazah":
        kampus, kota = rng.choice(KAMPUS)
        lulus = date(
            rng.randint(max(p.tanggal_lahir.year + 21, 1998), 2024),
            rng.choice((8, 9, 10)),
            rng.randint(1, 28),
        )
        legal = ("stempel", "stempel", "qr")
        sah = "tidak ada" if "ijazah_not_legalised" in defects else rng.choice(legal)
        nomor = (
            f"{rng.randint(10**14, 10**15 - 1)}"
            if layout == "a"
            else f"{rng.randint(10, 999)}/D3-RMIK/{lulus.year}"
        )
        ctx.update(
            kampus=kampus,
            kampus_kota=kota,
            lulus=tanggal_id(lulus),
            nomor=nomor,
            sah=sah,
            nim=f"{str(lulus.year - 3)[2:]}{rng.randint(10000, 99999)}",
            legal_kind=rng.choice(("asli", "legal")),
            prodi="D-III Rekam Medis dan Informasi Kesehatan"
            if layout == "b"
            else "Diploma Tiga Rekam Medis dan Informasi Kesehatan",
            qr_payload=f"https://pddikti.kemdiktisaintek.go.id/ijazah/{nomor}",
        )
        printed = nama_ktp if layout == "a" else nama_judul
        fields = {
            "nama": printed,
            "nomor_ijazah": nomor,
            "program_studi": str(ctx["prodi"]),
            "tempat_lahir": p.tempat_lahir,
            "tanggal_lahir": p.tanggal_lahir.isoformat(),
            "legalisasi": sah,
        }
    elif code == "npwp":
        from izinflow.samples.plan import npwp_lama

        npwp = npwp_lama(rng) if layout == "a" or rng.random() < 0.4 else p.nik
        ctx.update(
            npwp=npwp,
            kpp=rng.choice(("KPP PRATAMA DUMAI", "KPP PRATAMA BONTANG", "KPP PRATAMA PEKANBARU SENAPELAN")),
            terdaftar=tanggal_id(date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))),
            no_skt=f"PEM-{rng.randint(10000, 99999)}/WPJ.02/KP.{rng.randint(1000, 9999)}/"
            f"{rng.randint(2015, 2024)}",
        )
        fields = {"npwp": npwp, "nama": nama_ktp}
    elif code == "surat_keterangan_sehat":
        nomor = _no_surat(rng, "445", tgl)
        printed = rng.choice((nama_ktp, nama_judul, nama_gelar))
        ctx.update(
            nomor=nomor,
            printed=printed,
            dokter=rng.choice(DOKTER),
            sip_dokter=f"503/SIP-DU/{rng.randint(100, 999)}/DPMPTSP/{rng.randint(2019, 2025)}",
            tb=rng.randint(150, 180),
            bb=rng.randint(45, 85),
            td=f"{rng.randint(105, 130)}/{rng.randint(70, 85)}",
            nadi=rng.randint(64, 92),
            faskes=rng.choice(
                (
                    "PUSKESMAS BAGAN BATU",
                    "KLINIK PRATAMA SEHAT SENTOSA",
                    "RSUD TAMAN HUSADA",
                    "KLINIK UTAMA MEDIKA",
                )
            ),
        )
        fields = {"nama": printed, "nomor_surat": nomor, "tanggal_surat": tgl.isoformat()}
    elif code == "surat_keterangan_domisili":
        nomor = _no_surat(rng, "470", tgl)
        kec = rng.choice(("BANGKO", "BAGAN SINEMBAH", "KUBU", "TANAH PUTIH"))
        jalan = rng.choice(("Jl. Perdagangan", "Jl. Bahagia", "Jl. Lintas Riau-Sumut"))
        alamat = f"{jalan} No. {rng.randint(1, 99)}"
        ctx.update(
            nomor=nomor,
            kec=kec,
            alamat_dom=alamat,
            pejabat=rng.choice(("ZULKIFLI, S.Sos", "H. ABDUL RAHMAN, S.IP")),
        )
        fields = {
            "nama": nama_ktp,
            "nik": p.nik,
            "alamat": alamat,
            "nomor_surat": nomor,
            "tanggal_surat": tgl.isoformat(),
        }
    elif code == "surat_keterangan_tempat_praktik":
        nomor = _no_surat(rng, "800", tgl)
        printed = rng.choice((nama_gelar, nama_judul))
        ctx.update(
            nomor=nomor,
            printed=printed,
            direktur=rng.choice(DIREKTUR),
            sejak=tanggal_id(date(rng.randint(2016, 2024), rng.randint(1, 12), 1)),
        )
        fields = {"nama": printed, "nomor_surat": nomor, "tanggal_surat": tgl.isoformat()}
    elif code == "bukti_skp":
        rows = [
            ("Pembelajaran", round(rng.uniform(5, 15), 1)),
            ("Pelayanan", round(rng.uniform(5, 15), 1)),
            ("Pengabdian Masyarakat", round(rng.uniform(1, 5), 1)),
            ("Publikasi Ilmiah", round(rng.uniform(0, 4), 1)),
            ("Pengembangan Profesi", round(rng.uniform(1, 6), 1)),
        ]
        total = round(sum(v for _, v in rows), 1)
        printed = rng.choice((nama_gelar, nama_ktp))
        ctx.update(
            rows=rows,
            total=f"{total:.1f}".replace(".", ","),
            printed=printed,
            nomor=_no_surat(rng, "SKP", tgl),
        )
        fields = {"nama": printed, "total_skp": str(ctx["total"])}
    elif code == "sip_lama":
        until = sub + timedelta(days=rng.randint(-40, 60))
        nomor = f"503/DPMPTSP/SIPPM/{until.year - 5}/{rng.randint(1, 300):03d}"
        printed = nama_gelar
        ctx.update(
            nomor=nomor,
            berlaku=tanggal_id(until),
            printed=printed,
            terbit=tanggal_id(until.replace(year=until.year - 5)),
            str_no=f"KT{rng.randint(10, 99)}{rng.randint(10**11, 10**12 - 1)}",
        )
        fields = {"nama": printed, "nomor_surat": nomor, "berlaku_sampai": until.isoformat()}
    elif code == "rekomendasi_organisasi_profesi":
        nomor = _no_surat(rng, "REK/PORMIKI-BTG", tgl)
        ctx.update(
            nomor=nomor,
            ketua=rng.choice(("ERNA WATI, S.Tr.RMIK", "MUHAMMAD YUSUF, A.Md.PK", "SRI HARTATI, SKM")),
            anggota=f"{rng.randint(10, 99)}.{rng.randint(1000, 9999)}.{rng.randint(100, 999)}",
        )
        fields = {"nama": nama_gelar, "nomor_surat": nomor, "tanggal_surat": tgl.isoformat()}
    elif code == "sop_praktik":
        ctx.update(
            topics=rng.sample(
                (
                    "Pendaftaran Pasien",
                    "Penyimpanan Berkas Rekam Medis",
                    "Pelepasan Informasi Medis",
                    "Pengkodean Diagnosis (ICD-10)",
                    "Peminjaman Berkas Rekam Medis",
                    "Pemusnahan Rekam Medis",
                ),
                rng.randint(2, 3),
            ),
            no_dok=f"SOP/PM-RMIK/{rng.randint(1, 50):03d}",
        )
        fields = {"nama": nama_gelar}
    elif code == "mou_limbah_medis":
        nomor = _no_surat(rng, "PKS", tgl)
        ctx.update(
            nomor=nomor,
            mitra=rng.choice(LIMBAH),
            direktur_mitra=rng.choice(("Ir. Sugeng Riyadi", "Hj. Mardiana, S.E.")),
            hari=rng.choice(("Senin", "Selasa", "Rabu", "Kamis", "Jumat")),
            biaya=rng.choice(("350.000", "500.000", "750.000")),
        )
        fields = {"nama": nama_gelar, "nomor_surat": nomor, "tanggal_surat": tgl.isoformat()}
    elif code == "daftar_alat_kesehatan":
        items = rng.sample(ALAT, rng.randint(7, 12))
        ctx.update(
            items=[(it, rng.randint(1, 4), rng.choice(("Baik", "Baik", "Baik", "Cukup"))) for it in items]
        )
        fields = {"nama": nama_gelar}
    elif code == "denah_lokasi":
        ctx.update(
            jalan1=rng.choice(("Jl. Bhayangkara", "Jl. Ahmad Yani", "Jl. Imam Bonjol")),
            jalan2=rng.choice(("Jl. Cut Nyak Dien", "Jl. Pupuk Raya", "Gg. Mawar")),
            landmark=rng.sample(
                ("Masjid Al-Ikhlas", "Indomaret", "SDN 003", "Apotek Kimia Farma", "Bank BRI"), 3
            ),
        )
    elif code == "pas_foto":
        ctx.update(
            bg=rng.choice(("merah", "merah", "biru")) if common["office"] == "rokan-hilir" else "merah"
        )
        fields = {"latar": str(ctx["bg"])}
    elif code == "lainnya":
        ctx.update(
            kind={"a": "cv", "b": "kwitansi", "c": "brosur"}[layout],
            jumlah=rng.choice(("150.000", "75.000", "250.000")),
            no=rng.randint(100, 999),
        )
    return ctx, fields
