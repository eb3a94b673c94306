"""How Indonesian official documents write numbers, days, times, statuses and standard sentences."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from checklists.model import OfficeProfile, ServiceChecklist
from izinflow.domain import RequirementStatus
from renderers.dates import BULAN

_SATUAN = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
           "sebelas")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ZONA = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
_SLA_UNIT = {"hari_kerja": "hari kerja", "hari": "hari", "jam": "jam"}
_CHANNEL_LABEL = {
    "email": "Surel", "telepon": "Telepon", "sms": "SMS", "faksimile": "Faksimile", "website": "Laman",
    "aplikasi": "Aplikasi", "whatsapp": "WhatsApp",
}

# A requirement's status as the checking officer writes it in a berita acara.
STATUS_LABEL = {
    RequirementStatus.met: "Sesuai",
    RequirementStatus.missing: "Tidak ada",
    RequirementStatus.invalid: "Tidak sesuai",
    RequirementStatus.review: "Perlu diperiksa petugas",
    RequirementStatus.not_required: "Tidak dipersyaratkan",
}


def terbilang(n: int) -> str:
    """Whole numbers in Indonesian words (0 < n < 1 000 000): "4 (empat) hari kerja", the year
    "dua ribu dua puluh enam" of a berita acara."""
    if not 0 < n < 1_000_000:
        raise ValueError(f"di luar rentang: {n}")
    return _words(n)


def _words(n: int) -> str:
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_SATUAN[n - 10]} belas"
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{_SATUAN[tens]} puluh" + (f" {_SATUAN[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_SATUAN[hundreds]} ratus"
    else:
        thousands, rest = divmod(n, 1000)
        head = "seribu" if thousands == 1 else f"{_words(thousands)} ribu"
    return head + (f" {_words(rest)}" if rest else "")


def hari(d: date) -> str:
    return HARI[d.weekday()]


def tanggal_terbilang(d: date) -> str:
    """The opening of a berita acara: "Senin tanggal dua puluh tiga bulan November tahun dua ribu
    dua puluh enam"."""
    return f"{hari(d)} tanggal {terbilang(d.day)} bulan {BULAN[d.month - 1]} tahun {terbilang(d.year)}"


def local_time(at: datetime, office: OfficeProfile) -> datetime:
    """``at`` on the office's clock (a naive time is taken as already the office's)."""
    zone = ZoneInfo(office.timezone)
    return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)


def pukul(at: datetime, office: OfficeProfile) -> str:
    """"pukul 09.15 WITA", on the office's clock."""
    local = local_time(at, office)
    zone = _ZONA.get(office.timezone, "")
    return f"pukul {local:%H.%M}" + (f" {zone}" if zone else "")


def persen(value: float) -> str:
    """84.6 -> "84,6"; 75.0 -> "75" (a decimal comma, as Indonesian numbers are written)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def sla_text(checklist: ServiceChecklist) -> str:
    """"4 (empat) hari kerja"."""
    days = checklist.sla.days
    words = f" ({terbilang(days)})" if days < 100 else ""
    return f"{days}{words} {_SLA_UNIT[checklist.sla.unit]}"


def fee_sentence(fee: str) -> str:
    """What follows "Layanan ini ...": "tidak dipungut biaya (gratis)"."""
    text = fee.strip().rstrip(".")
    if text.lower().startswith("gratis"):
        return "tidak dipungut biaya (gratis)"
    return text[:1].lower() + text[1:]


def complaint_footer(office: OfficeProfile) -> str:
    channels = [
        f"{_CHANNEL_LABEL[c.kind]} {c.value}" for c in office.complaint_channels if c.kind in _CHANNEL_LABEL
    ]
    return "Pengaduan, saran dan masukan: " + "  ·  ".join(channels) if channels else ""


def complaint_channels(office: OfficeProfile, checklist: ServiceChecklist) -> str:
    """The service's complaint channels in one phrase ("Telepon 0548-20594, Surel ...")."""
    channels = checklist.complaints.channels or office.complaint_channels
    return ", ".join(
        f"{_CHANNEL_LABEL[c.kind]} {c.value}" for c in channels if c.kind in _CHANNEL_LABEL and c.value
    )


def sentence(text: str) -> str:
    """Capitalised, with one full stop."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text
