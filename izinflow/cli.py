"""The `izinflow` command: check bundles, run the intake once, make samples, render the catalogue, record
field visits, verify and revoke issued documents, bring case runs up to the recorded decisions."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from izinflow.config import quiet_prefect

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from checklists.model import FieldVisitSheet
    from store.issuance import VerificationView
    from store.repository import ApplicationRecord


def cmd_check(args: argparse.Namespace) -> int:
    quiet_prefect(verbose=args.verbose)
    from izinflow.checking import check_bundles
    from izinflow.tables import decisions_table

    paths = [Path(p) for p in args.bundles]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print("izinflow: berkas tidak ditemukan: " + ", ".join(missing), file=sys.stderr)
        return 2
    reports = check_bundles(args.bundles, progress=sys.stderr.isatty())
    if args.json:
        for report in reports:
            print(json.dumps(report.as_contract(), ensure_ascii=False), flush=True)
    else:
        decisions_table(reports, details=True)
    return 0


def cmd_intake(args: argparse.Namespace) -> int:
    quiet_prefect(verbose=args.verbose)
    from flows.intake import intake_flow
    from flows.runtime import embedded_prefect
    from izinflow.tables import decisions_table

    with embedded_prefect():
        reports = intake_flow()
    decisions_table(reports, details=False)
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from izinflow.samples import generate_samples

    for info in generate_samples(Path(args.outdir), args.n, args.seed):
        print(f"{info.path}\t{info.office}/{info.variant}\t{info.decision}")
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from checklists.load import ChecklistError, load_catalogue
    from renderers.catalogue import write_catalogue

    try:
        catalogue = load_catalogue()
    except ChecklistError as exc:
        print(f"izinflow: {exc}", file=sys.stderr)
        return 2
    for path in write_catalogue(catalogue, Path(args.outdir)):
        print(path)
    return 0


def _refuse(*reasons: str) -> int:
    for reason in reasons:
        print(f"izinflow: {reason}", file=sys.stderr)
    return 2


def _default_actor() -> str:
    import getpass

    try:
        return f"petugas:{getpass.getuser()}"
    except (KeyError, OSError):
        return "petugas"


def _visit_case(session: Session, nomor: str) -> tuple[ApplicationRecord, FieldVisitSheet] | str:
    """The application and its service's field visit sheet, or why there is none."""
    from checklists.load import ChecklistError, load_service
    from store.repository import get_application

    application = get_application(session, nomor)
    if application is None:
        return f"nomor permohonan {nomor} tidak dikenal"
    try:
        checklist = load_service(application.office, application.service)
    except (ChecklistError, ValueError) as exc:
        return f"layanan {application.office}/{application.service} tidak dapat dibaca: {exc}"
    if checklist.field_visit is None:
        return f"layanan {application.office}/{application.service} tidak memiliki kunjungan lapangan"
    return application, checklist.field_visit


def cmd_visitasi_catat(args: argparse.Namespace) -> int:
    quiet_prefect(verbose=args.verbose)
    from datetime import date

    import yaml

    from checklists.visit import FieldVisit, parse_team, read_score_file, recap
    from flows.runtime import engine
    from store.db import session_scope
    from store.repository import record_field_visit

    try:
        visited_on = date.fromisoformat(args.tanggal)
    except ValueError:
        return _refuse(f"tanggal kunjungan {args.tanggal!r} bukan tanggal yang sah (tulis TTTT-BB-HH, mis. 2026-12-01)")
    team, team_reasons = parse_team(args.tim or [])
    try:
        data = yaml.safe_load(Path(args.skor).read_text(encoding="utf-8"))
    except OSError as exc:
        return _refuse(*team_reasons, f"berkas skor {args.skor} tidak dapat dibaca: {exc.strerror}")
    except yaml.YAMLError as exc:
        return _refuse(*team_reasons, f"berkas skor {args.skor} bukan YAML yang sah: {exc}")

    with session_scope(engine()) as session:
        case = _visit_case(session, args.nomor_permohonan)
        if isinstance(case, str):
            return _refuse(case)
        application, sheet = case
        scores, notes, score_reasons = read_score_file(sheet, data)
        if team_reasons or score_reasons:
            return _refuse(*team_reasons, *score_reasons)
        visit = FieldVisit(application.id, visited_on, team, scores, notes)
        record = record_field_visit(session, application.id, visit, args.petugas or _default_actor())
    result = recap(sheet, visit.scores)
    print(
        f"Kunjungan lapangan {application.nomor_permohonan} tanggal {visited_on.isoformat()} dicatat "
        f"(nomor catatan {record.id}): {len(visit.scores)} dari {len(sheet.items)} butir dinilai, "
        f"{_persen(result.percentage)}, {result.conclusion}"
        + ("" if result.final else " (belum final)")
    )
    return 0


def cmd_visitasi_rekap(args: argparse.Namespace) -> int:
    quiet_prefect(verbose=args.verbose)
    from checklists.visit import recap, validate_scores
    from flows.runtime import engine
    from store.db import session_scope
    from store.repository import latest_field_visit

    with session_scope(engine()) as session:
        case = _visit_case(session, args.nomor_permohonan)
        if isinstance(case, str):
            return _refuse(case)
        application, sheet = case
        record = latest_field_visit(session, application.id)
    if record is None:
        return _refuse(f"belum ada kunjungan lapangan yang dicatat untuk {application.nomor_permohonan}")
    for reason in validate_scores(sheet, record.visit.scores):
        print(f"izinflow: peringatan: {reason} (lembar penilaian berubah sejak kunjungan dicatat)", file=sys.stderr)
    result = recap(sheet, record.visit.scores)
    if args.json:
        case_data = {
            "nomor_permohonan": application.nomor_permohonan,
            "visited_on": record.visit.visited_on.isoformat(),
            "recorded_at": record.recorded_at.isoformat(),
        }
        print(json.dumps({**case_data, **result.as_dict()}, ensure_ascii=False))
        return 0

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Rekap penilaian kesesuaian {application.nomor_permohonan}",
                  caption=f"kunjungan lapangan {record.visit.visited_on.isoformat()}")
    table.add_column("kelompok")
    table.add_column("uraian")
    table.add_column("nilai", justify="right")
    table.add_column("maksimum", justify="right")
    for group in result.by_group:
        table.add_row(group.group, group.title, str(group.total), str(group.maximum))
    table.add_section()
    table.add_row("", "Jumlah", str(result.total), str(result.maximum), style="bold")
    console = Console(width=None if os.isatty(1) else 120)
    console.print(table)
    colour = "green" if result.passed else "red"
    console.print(f"Persentase {_persen(result.percentage)} (batas lulus {_persen(result.pass_mark)}): "
                  f"[bold {colour}]{result.conclusion}[/]")
    if not result.final:
        console.print(f"Belum final: {len(result.unscored)} butir belum dinilai ({', '.join(result.unscored)})")
    return 0


def _store_engine() -> Engine:
    """The workspace's database, migrated; without Prefect, which these commands do not need."""
    from izinflow.config import load_settings
    from store.db import make_engine, migrate

    eng = make_engine(load_settings().database_url)
    migrate(eng)
    return eng


def cmd_verify(args: argparse.Namespace) -> int:
    from store.db import session_scope
    from store.issuance import find_by_token, token_from

    token = token_from(args.token)
    eng = _store_engine()
    try:
        with session_scope(eng) as session:
            view = find_by_token(session, token)
    finally:
        eng.dispose()
    if view is None:
        if args.json:
            print(json.dumps({"status": "tidak_dikenal"}))
        else:
            print("TIDAK DIKENAL: tidak ada dokumen yang diterbitkan dengan token ini. Periksa kembali tokennya; "
                  "dokumen yang memuatnya mungkin bukan dokumen asli.")
        return 1
    return _print_verification(view, args.json)


def _print_verification(view: VerificationView, as_json: bool) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from checklists.load import ChecklistError, load_office, load_service
    from checklists.model import StageDocument
    from renderers.catalogue import DOCUMENT_LABEL
    from renderers.dates import format_tanggal
    from store.issuance import DocumentStatus

    try:
        office = load_office(view.office)
        office_name, zone = office.name, ZoneInfo(office.timezone)
    except (ChecklistError, ValueError):
        office_name, zone = view.office, ZoneInfo("Asia/Jakarta")
    label = DOCUMENT_LABEL[view.kind]
    if view.kind is StageDocument.izin:
        with contextlib.suppress(ChecklistError, ValueError):
            label = load_service(view.office, view.service).product
    status = view.status(datetime.now(zone).date())
    revoked_on = view.revoked_at.astimezone(zone).date() if view.revoked_at else None
    if as_json:
        print(json.dumps({
            "status": status.value,
            "jenis": view.kind.value,
            "nama_dokumen": label,
            "nomor_surat": view.nomor_surat,
            "penerbit": office_name,
            "atas_nama": view.holder,
            "tanggal": view.tanggal.isoformat(),
            "berlaku_sampai": view.valid_until.isoformat() if view.valid_until else None,
            "dicabut_pada": revoked_on.isoformat() if revoked_on else None,
            "alasan_pencabutan": view.revoked_reason,
        }, ensure_ascii=False))
    else:
        headline = {
            DocumentStatus.berlaku: "ASLI dan BERLAKU: dokumen ini diterbitkan oleh kantor di bawah dan tidak dicabut.",
            DocumentStatus.kedaluwarsa: "ASLI, tetapi TIDAK BERLAKU LAGI: masa berlakunya telah habis.",
            DocumentStatus.dicabut: "ASLI, tetapi TELAH DICABUT: dokumen ini tidak berlaku lagi.",
        }[status]
        rows = [
            ("Jenis dokumen", label),
            ("Nomor surat", view.nomor_surat),
            ("Diterbitkan oleh", office_name),
            ("Atas nama", view.holder),
            ("Tanggal", format_tanggal(view.tanggal)),
            ("Berlaku sampai", format_tanggal(view.valid_until) if view.valid_until else "tidak dibatasi"),
        ]
        if revoked_on is not None:
            rows += [("Dicabut pada", format_tanggal(revoked_on)), ("Alasan pencabutan", view.revoked_reason or "-")]
        print(headline)
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"  {name.ljust(width)} : {value}")
    return 0 if status is DocumentStatus.berlaku else 1


def cmd_dokumen_cabut(args: argparse.Namespace) -> int:
    from store.db import session_scope
    from store.issuance import DocumentAlreadyRevoked, revoke, token_from

    if not args.alasan.strip():
        return _refuse("alasan pencabutan tidak boleh kosong")
    eng = _store_engine()
    try:
        with session_scope(eng) as session:
            record = revoke(session, token_from(args.token), args.alasan, args.petugas or _default_actor())
    except LookupError:
        return _refuse("tidak ada dokumen yang diterbitkan dengan token ini")
    except DocumentAlreadyRevoked:
        return _refuse("dokumen ini sudah dicabut sebelumnya; pencabutan tidak diubah")
    finally:
        eng.dispose()
    print(f"Dokumen {record.nomor_surat} ({record.kind.value}) dicabut: {record.revoked_reason}")
    return 0


def _read_new_password(from_stdin: bool) -> str | None:
    """The new account's password: one line of stdin, or typed twice at a hidden prompt."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        return None
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from checklists.load import ChecklistError, load_office
    from store.accounts import AccountError, create_user
    from store.db import session_scope

    try:
        load_office(args.kantor)
    except (ChecklistError, ValueError):
        return _refuse(f"kantor {args.kantor!r} tidak dikenal (lihat checklists/offices)")
    password = _read_new_password(args.password_stdin)
    if password is None:
        return _refuse("kedua kata sandi tidak sama; pengguna tidak dibuat")
    eng = _store_engine()
    try:
        with session_scope(eng) as session:
            user = create_user(session, username=args.username, nama=args.nama, office=args.kantor,
                               role=args.peran, password=password, nip=args.nip)
    except AccountError as exc:
        return _refuse(f"{exc}; pengguna tidak dibuat")
    finally:
        eng.dispose()
    print(f"Pengguna {user.username} ({user.nama}) dibuat: peran {user.role}, kantor {user.office}")
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    import uvicorn

    from web import create_app

    print(f"izinflow: aplikasi petugas di http://{args.host}:{args.port}/login · Ctrl-C untuk berhenti")
    uvicorn.run(create_app(), host=args.host, port=args.port, proxy_headers=True, server_header=False,
                log_level="warning")
    return 0


def cmd_kasus_lanjutkan(args: argparse.Namespace) -> int:
    quiet_prefect(verbose=args.verbose)
    from flows.case_runs import resume_moved_cases, served

    if not served():
        print("izinflow: tidak ada server Prefect (PREFECT_API_URL); run kasus hanya ada pada `make serve`",
              file=sys.stderr)
        return 2
    eng = _store_engine()
    try:
        done = resume_moved_cases(eng)
    finally:
        eng.dispose()
    for nomor, action in done:
        print(f"{nomor}\t{action}")
    if not done:
        print("Semua run kasus sesuai dengan keputusan yang tercatat.")
    return 0


def _persen(value: float) -> str:
    return f"{value:g}".replace(".", ",") + "%"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="izinflow", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="tampilkan log Prefect")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="verifikasi berkas (folder atau .zip) dan cetak keputusannya")
    check.add_argument("bundles", nargs="+", metavar="BUNDLE")
    check.add_argument("--json", action="store_true", help="satu objek JSON per berkas, per baris")
    check.set_defaults(func=cmd_check)

    intake = sub.add_parser("intake", help="ambil semua berkas di inbox dan verifikasi")
    intake.set_defaults(func=cmd_intake)

    samples = sub.add_parser("samples", help="buat berkas contoh sintetis dengan kunci jawaban")
    samples.add_argument("outdir")
    samples.add_argument("--n", type=int, default=8)
    samples.add_argument("--seed", type=int, default=1)
    samples.set_defaults(func=cmd_samples)

    catalogue = sub.add_parser("catalogue", help="cetak standar pelayanan setiap kantor (HTML dan PDF)")
    catalogue.add_argument("outdir")
    catalogue.set_defaults(func=cmd_catalogue)

    visitasi = sub.add_parser("visitasi", help="kunjungan lapangan: catat penilaian tim dan cetak rekapnya")
    visitasi_sub = visitasi.add_subparsers(dest="visitasi_command", required=True)
    catat = visitasi_sub.add_parser("catat", help="catat kunjungan lapangan: tanggal, tim dan skor tiap butir")
    catat.add_argument("nomor_permohonan", metavar="NOMOR_PERMOHONAN")
    catat.add_argument("--tanggal", required=True, help="tanggal kunjungan, TTTT-BB-HH")
    catat.add_argument("--tim", action="append", metavar="NAMA|JABATAN", help="anggota tim (boleh berulang)")
    catat.add_argument("--skor", required=True, metavar="FILE.yaml",
                       help="kode butir -> skor, atau kode butir -> {skor, catatan}")
    catat.add_argument("--petugas", help="yang mencatat (bawaan: petugas:<nama pengguna>)")
    catat.set_defaults(func=cmd_visitasi_catat)
    rekap = visitasi_sub.add_parser("rekap", help="rekap penilaian kunjungan lapangan terakhir")
    rekap.add_argument("nomor_permohonan", metavar="NOMOR_PERMOHONAN")
    rekap.add_argument("--json", action="store_true", help="rekap sebagai satu objek JSON")
    rekap.set_defaults(func=cmd_visitasi_rekap)

    verify = sub.add_parser("verify", help="periksa keaslian dokumen dari token atau URL pada kode QR-nya")
    verify.add_argument("token", metavar="TOKEN", help="token dokumen, atau URL verifikasi lengkap")
    verify.add_argument("--json", action="store_true", help="hasil pemeriksaan sebagai satu objek JSON")
    verify.set_defaults(func=cmd_verify)

    dokumen = sub.add_parser("dokumen", help="dokumen yang telah diterbitkan")
    dokumen_sub = dokumen.add_subparsers(dest="dokumen_command", required=True)
    cabut = dokumen_sub.add_parser("cabut", help="cabut dokumen yang telah diterbitkan")
    cabut.add_argument("token", metavar="TOKEN", help="token dokumen, atau URL verifikasi lengkap")
    cabut.add_argument("--alasan", required=True, help="alasan pencabutan (ditampilkan pada verifikasi)")
    cabut.add_argument("--petugas", help="yang mencabut (bawaan: petugas:<nama pengguna>)")
    cabut.set_defaults(func=cmd_dokumen_cabut)

    user = sub.add_parser("user", help="akun petugas aplikasi web")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    user_add = user_sub.add_parser("add", help="buat akun petugas (kata sandi diminta dua kali)")
    user_add.add_argument("username", metavar="USERNAME", help="nama pengguna untuk masuk")
    user_add.add_argument("--nama", required=True, help="nama lengkap petugas")
    user_add.add_argument("--peran", required=True, metavar="PERAN",
                          help="peran di kantor, mis. front_office, back_office, penata_perizinan_ahli_muda, "
                               "kepala_dinas; operator untuk pemantauan saja")
    user_add.add_argument("--kantor", required=True, metavar="KANTOR", help="kode kantor, mis. rokan-hilir")
    user_add.add_argument("--nip", help="NIP petugas (boleh kosong)")
    user_add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari satu baris stdin")
    user_add.set_defaults(func=cmd_user_add)

    kasus = sub.add_parser("kasus", help="run Prefect tiap kasus (menunggu keputusan petugas)")
    kasus_sub = kasus.add_subparsers(dest="kasus_command", required=True)
    lanjutkan = kasus_sub.add_parser(
        "lanjutkan", help="lanjutkan run kasus yang tertinggal dari keputusan yang tercatat; buat run yang hilang")
    lanjutkan.set_defaults(func=cmd_kasus_lanjutkan)

    web = sub.add_parser("web", help="jalankan aplikasi web petugas (halaman masuk di /login)")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8000)
    web.set_defaults(func=cmd_web)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
