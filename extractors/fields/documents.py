"""Field extraction per document type, with the contract's field names.

Values are returned as printed (titles kept); dates as ISO 8601; ``berlaku_sampai`` may be
"seumur hidup". Labels are matched fuzzily, separators may be ':' ';' '.' or missing, and a value
may sit on the line after its label (table-like OCR). Evidence fields: ``legalisasi`` on an
ijazah ("stempel" | "qr") and ``meterai`` on an application letter ("tempel" | "elektronik").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from extractors.fields.dates import (
    NAMA_BULAN,
    SEUMUR_HIDUP,
    month_number,
    parse_tanggal,
    split_tempat_tanggal,
)
from extractors.fields.evidence import legalisasi, meterai
from extractors.fields.nik import nik_from_text
from extractors.fields.npwp import parse_npwp
from extractors.text import canonical_words, fix_ocr_word, fold, similar, vocabulary_of
from izinflow.domain import DocType, PageText

NAMA = ("NAMA", "NAMA LENGKAP", "NAMA PEMOHON", "NAMA WAJIB PAJAK", "NAMA PESERTA", "NAMA MAHASISWA",
        "NAMA PEMILIK")
TTL = ("TEMPAT TGL LAHIR", "TEMPAT TANGGAL LAHIR", "TEMPAT DAN TANGGAL LAHIR", "TEMPAT TGL LHR", "TTL",
       "TEMPAT LAHIR TANGGAL LAHIR")
TEMPAT_LAHIR = ("TEMPAT LAHIR",)
TANGGAL_LAHIR = ("TANGGAL LAHIR", "TGL LAHIR")
JENIS_KELAMIN = ("JENIS KELAMIN", "KELAMIN")
ALAMAT = ("ALAMAT", "ALAMAT RUMAH", "ALAMAT TEMPAT TINGGAL")
NIK = ("NIK", "NOMOR INDUK KEPENDUDUKAN", "NO KTP", "NOMOR KTP")
NOMOR_STR = ("NOMOR STR", "NO STR", "NOMOR REGISTRASI", "NO REGISTRASI", "NOMOR REGISTRASI STR")
NOMOR_IJAZAH = ("NOMOR IJAZAH", "NO IJAZAH", "NOMOR SERI IJAZAH", "NOMOR IJAZAH NASIONAL", "PIN",
                "NO SERI IJAZAH", "NOMOR SERI", "NOMOR SERI IJAZAH NASIONAL")
PROGRAM_STUDI = ("PROGRAM STUDI", "PRODI", "JURUSAN", "PROGRAM PENDIDIKAN")
NOMOR_SURAT = ("NOMOR", "NO", "NOMOR SURAT", "NO SURAT", "REG NO", "NO REG", "NOMOR REGISTER")
TANGGAL_SURAT = ("TANGGAL", "PADA TANGGAL", "TGL", "TANGGAL SURAT", "DIKELUARKAN TANGGAL")
BERLAKU = ("BERLAKU SAMPAI", "BERLAKU SAMPAI DENGAN", "BERLAKU S D", "BERLAKU HINGGA", "MASA BERLAKU",
           "BERLAKU SAMPAI DENGAN TANGGAL", "BERLAKU SAMPAI TANGGAL", "BERLAKU")
_ALL_LABELS = (NAMA + TTL + TEMPAT_LAHIR + TANGGAL_LAHIR + JENIS_KELAMIN + ALAMAT + NIK + NOMOR_STR
               + NOMOR_IJAZAH + PROGRAM_STUDI + NOMOR_SURAT + TANGGAL_SURAT + BERLAKU
               + ("AGAMA", "PEKERJAAN", "JABATAN", "GOL DARAH", "KEWARGANEGARAAN", "STATUS PERKAWINAN",
                  "RT RW", "KEL DESA", "KECAMATAN", "PERIHAL", "LAMPIRAN", "HAL", "SIFAT", "NIP", "NIM",
                  "PANGKAT", "UNIT KERJA", "INSTANSI", "TEMPAT PRAKTIK", "KOMPETENSI", "NO HP", "TELEPON",
                  "NOMOR POKOK WAJIB PAJAK", "NPWP", "KLASIFIKASI LAPANGAN USAHA", "TANGGAL TERDAFTAR",
                  "JENIS TENAGA KESEHATAN", "PROFESI", "TANGGAL TERBIT", "STATUS KAWIN", "KELURAHAN DESA",
                  "JENJANG", "GELAR", "TANGGAL LULUS", "NOMOR INDUK MAHASISWA", "LOKASI", "UMUR", "EMAIL")
               # a clinic's identity block (profil klinik, notifikasi, lists' headers)
               + ("NAMA KLINIK", "JENIS KLINIK", "NOMOR TELEPON", "PEMILIK", "PEMILIK BADAN HUKUM", "BADAN HUKUM",
                  "NAMA PEMILIK", "NOMOR INDUK BERUSAHA", "NOMOR INDUK BERUSAHA NIB", "NIB", "PENANGGUNG JAWAB",
                  "PENANGGUNG JAWAB KLINIK", "TAHUN BERDIRI", "LUAS TANAH BANGUNAN", "LUAS TANAH", "LUAS BANGUNAN",
                  "JAM PELAYANAN", "JAM BUKA", "KERJA SAMA BPJS KESEHATAN", "KERJASAMA BPJS", "NAMA FASYANKES",
                  "JENIS FASYANKES", "KEPEMILIKAN", "STATUS KEPEMILIKAN", "KODE FASKES", "JENIS PELAYANAN")
               # names that are not the person's: a list's column, a parent
               + ("NAMA ALAT", "NAMA ALAT KESEHATAN", "NAMA BARANG", "NAMA OBAT", "NAMA IBU KANDUNG", "NAMA AYAH",
                  "NAMA ORANG TUA"))
_VOCAB = vocabulary_of(_ALL_LABELS)
_LABEL_SET = frozenset(" ".join(lab.split()) for lab in _ALL_LABELS) | {"NAMA LENGKAP", "NOMOR INDUK MAHASISWA"}
_LABEL_WORDS = tuple(lab.split() for lab in _LABEL_SET)
_SEPARATOR = re.compile(r"\s*[:;=]\s*|\s+\.\s+|\s+-\s+")
_LEADING_PUNCT = re.compile(r"^[\s:;.=\-–_,]+")
_TAIL_LABEL = re.compile(r"\s+(GOL\.?\s*DARAH|RT\s*/\s*RW|AGAMA|KEWARGANEGARAAN)\b.*$", re.IGNORECASE)
_SALUTATION = re.compile(r"^(SDR[AI]?\.?(\s*/\s*I)?|SAUDARA(\s*/\s*I)?|SAUDARI|NY\.?|NYONYA|TN\.?|TUAN|"
                         r"NONA|NN\.?)\s+", re.IGNORECASE)


def _label_words(raw: str) -> list[str]:
    tokens = re.findall(r"[A-Z0-9]+", fold(raw))
    if len(tokens) >= 3 and all(len(t) == 1 for t in tokens):  # "N A M A" -> "NAMA"
        tokens = ["".join(tokens)]
    return canonical_words(tokens, _VOCAB)


@dataclass(frozen=True)
class Labelled:
    line: int
    label: str
    value: str


def _split_line(raw: str) -> tuple[str, str, bool]:
    """(label part, value part, had separator)."""
    m = _SEPARATOR.search(raw)
    if m and m.start() <= 45:
        return raw[: m.start()], raw[m.end():], True
    return raw, "", False


_LINE_JUNK = re.compile(r"^[\s|(\[{‘’'\"_~*•»«]+")
_EDGE_JUNK = re.compile(r"^(?:[\s:;.=\-–—_,+~*\"'‘’»«>$#]+\|?|\|(?=[\s:;.,+]|$))+")
_TAIL_JUNK = re.compile(r"[\s|_\[\]{}~*»«]+$")
_SEPARATOR_TOKEN = re.compile(r"^(?:[^\w\s]|[1-57il!|]|\d[.:;])$")


def _strip_separator_token(value: str) -> str:
    """'1 BUDI HASIBUAN' -> 'BUDI HASIBUAN': the ':' between label and value, read as a digit or symbol.

    A lone digit stays when it is the day of a date ('5 Maret 2020').
    """
    tokens = value.split()
    if len(tokens) < 2 or not _SEPARATOR_TOKEN.match(tokens[0]):
        return value
    nxt = tokens[1]
    if not tokens[0][0].isdigit() and tokens[0] not in ("i", "l"):
        return " ".join(tokens[1:])
    if re.match(r"[A-Za-z]{2}", nxt) and month_number(nxt.strip(".,")) is None:
        return " ".join(tokens[1:])
    if len(re.sub(r"\D", "", nxt)) >= 5:
        return " ".join(tokens[1:])
    return value


def _clean(value: str) -> str:
    value = _EDGE_JUNK.sub("", value)
    value = _strip_separator_token(" ".join(value.split()))
    value = _EDGE_JUNK.sub("", value)
    value = _TAIL_JUNK.sub("", value)
    return " ".join(value.split()).strip(" ,;")


def _label_hit(raw: str, wanted: dict[str, list[str]]) -> tuple[str, str] | None:
    """(label, inline value) when the line starts with one of the wanted labels."""
    head, value, had_sep = _split_line(raw)
    words = _label_words(head)
    if not words:
        return None
    if had_sep:
        hit = next((lab for lab, lw in wanted.items() if _same_label(words, lw)), None)
        return (hit, value) if hit else None
    for lab, lw in sorted(wanted.items(), key=lambda kv: -len(kv[1])):
        if words[: len(lw)] == lw:
            if any(len(other) > len(lw) and words[: len(other)] == other for other in _LABEL_WORDS):
                return None  # a longer label of something else ('Nama Alat', a list's column, is no 'Nama')
            raw_tokens = raw.split()
            take = 0
            while take < len(raw_tokens) and len(_label_words(" ".join(raw_tokens[:take]))) < len(lw):
                take += 1
            return lab, " ".join(raw_tokens[take:])
    return None


def _is_value_line(raw: str) -> bool:
    """': RATNA AULIA' — a value whose label stands in a column of its own."""
    return re.match(r"\s*[:;]\s*\S", raw) is not None


def _columns(lines: Sequence[str]) -> dict[int, str]:
    """Labels alone on their lines matched, in order, with the ': value' lines of the other column."""
    labels = [i for i, ln in enumerate(lines) if _is_label_line(ln) and not _split_line(ln)[1].strip()]
    values = [i for i, ln in enumerate(lines) if _is_value_line(ln)]
    return {li: _clean(lines[vi]) for li, vi in zip(labels, values, strict=False)}


Accept = Callable[[str], bool]


def _non_empty(value: str) -> bool:
    return bool(value) and re.search(r"[A-Za-z0-9]", value) is not None


def find_labelled(lines: Sequence[str], labels: Sequence[str], accept: Accept = _non_empty) -> list[Labelled]:
    """Every line that starts with one of the labels, with its value.

    The value is the rest of the line, else (labels in a column of their own) the value of the same
    rank in the column of ': value' lines, else the next line; the first that ``accept`` takes.
    """
    wanted = {lab: lab.split() for lab in labels}
    found: list[Labelled] = []
    columns: dict[int, str] | None = None
    for i, raw in enumerate(lines):
        hit = _label_hit(_LINE_JUNK.sub("", raw), wanted)
        if hit is None:
            continue
        label, inline = hit
        value = _clean(inline)
        candidates = [] if _is_label_line(value) else [value]
        if columns is None:
            columns = _columns(lines)
        if i in columns:
            candidates.append(columns[i])
        if i + 1 < len(lines) and not _is_label_line(lines[i + 1]):
            candidates.append(_clean(lines[i + 1]))
        value = next((c for c in candidates if c and accept(c)), "")
        if value:
            found.append(Labelled(i, label, value))
    return found


def _same_label(words: list[str], label: list[str]) -> bool:
    if words == label:
        return True
    a, b = " ".join(words), " ".join(label)
    return len(b) >= 8 and abs(len(a) - len(b)) <= 2 and similar(a, b) >= 0.88


_LABEL_KEYS = tuple(sorted({lab.replace(" ", "") for lab in _LABEL_SET if len(lab.replace(" ", "")) >= 6}))


def _is_label_line(raw: str) -> bool:
    """A line that is a label, with its separator or alone (labels in a column of their own)."""
    head, _, _ = _split_line(_LINE_JUNK.sub("", raw))
    words = _label_words(head)
    joined = " ".join(words)
    if joined in _LABEL_SET:
        return True
    key = "".join(words)
    if len(key) < 6 or len(key) > 30 or re.search(r"\d", key):
        return False
    return any(abs(len(key) - len(lab)) <= 2 and similar(key, lab) >= 0.85 for lab in _LABEL_KEYS)


def first_value(lines: Sequence[str], labels: Sequence[str], accept: Accept = _non_empty) -> str | None:
    hits = find_labelled(lines, labels, accept)
    return hits[0].value if hits else None


def _lines(pages: Sequence[PageText]) -> list[str]:
    return [ln.strip() for p in pages for ln in p.text.splitlines() if ln.strip()]


def _folded_lines(lines: Sequence[str]) -> list[str]:
    return [fold(ln) for ln in lines]


_PERSON_MARKERS = re.compile(r"MENERANGKAN|MENYATAKAN|DIBERIKAN KEPADA|DITERBITKAN (UNTUK|KEPADA)|"
                             r"MEREKOMENDASIKAN|KEPADA\s*[:;]|BAHWA\s*[:;]")
_SIGNER_MARKERS = re.compile(r"BERTANDA\s*TANGAN")
_INLINE_PERSON = re.compile(
    r"(?:(?:MENERANGKAN|MENYATAKAN)\s+(?:DENGAN\s+SEBENARNYA\s+)?BAHWA|DIBERIKAN\s+KEPADA|MEREKOMENDASIKAN)"
    r"\s*[:;,]?\s*(.{0,160})", re.IGNORECASE)
_NAME_STOP = re.compile(r"\s*(\(|,\s*(LAHIR|NIK|UMUR|TEMPAT|NOMOR|NO)\b|\b(ADALAH|YANG|LAHIR|BENAR|TELAH|TANGGAL|TGL|"
                        r"BERTEMPAT|BERALAMAT|NAMA|NIK|NIM|NIP|NOMOR|UMUR|PEKERJAAN|JABATAN|DENGAN|SEBAGAI|UNTUK|"
                        r"PADA)\b).*$", re.IGNORECASE)


_TITLE_TOKEN = re.compile(r"^(?:[A-Za-z]{1,4}\.\s?)+[A-Za-z]{0,5}\.?$|^(?:SKM|SST|SE|SH|MKM|MARS|Ns|Apt)\.?$")
_NAME_CUT = re.compile(r"\s*(\(|\b[A-Za-z]*\d{3,}).*$")
_MULTIWORD_LABELS = tuple(lab for lab in _LABEL_SET if " " in lab)


def _name_word(token: str) -> str:
    """'SIT!' -> 'SITI': in a word written in capitals OCR's '!' is an I; then the usual digit fixes."""
    if "!" in token and re.search(r"[A-Za-z]", token) and not re.search(r"[a-z]", token):
        token = token.replace("!", "I")
    return fix_ocr_word(token)


# A word cannot start with a doubled consonant: 'AN GGRAINI' is 'ANGGRAINI' broken in two by OCR.
_SPLIT_WORD = re.compile(r"(?<=[A-Za-z]{2}) (?=([B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z])\1[A-Za-z])")
# Titles OCR spaced or dashed: 'A-Md. RMIK' is 'A.Md.RMIK' (a degree's field follows it without a space).
_TITLE_DASH = re.compile(r"(?<![A-Za-z])([A-Z])-(?=[A-Z][a-z])")
_DEGREE_SPACE = re.compile(r"(?<![A-Za-z])(A\.\s?Md|S\.\s?Tr|Amd)\.\s+(?=[A-Za-z])")


def _repair_name(value: str) -> str:
    name, comma, titles = value.partition(",")
    name = _SPLIT_WORD.sub("", name)
    titles = _DEGREE_SPACE.sub(lambda m: re.sub(r"\s", "", m.group(1)) + ".", _TITLE_DASH.sub(r"\1.", titles))
    return name + comma + titles


def _name_value(value: str) -> str:
    value = _TAIL_LABEL.sub("", value)
    value = _NAME_CUT.sub("", value)
    value = _SALUTATION.sub("", value.strip())
    value = re.sub(r"[A-Za-z0-9|!]+", lambda m: _name_word(m.group(0)), value)
    return _repair_name(value.strip(" ,;:"))


def _is_name(value: str) -> bool:
    """Whether a value can be a person's name (not a date, a number, a label or a stray symbol)."""
    name = _name_value(value)
    if len(re.findall(r"[A-Za-z]", name)) < 3 or re.search(r"\d{2,}", name) or len(name.split()) > 8:
        return False
    if not re.search(r"[A-Za-z]{2}", name.split()[0]) and not _TITLE_TOKEN.match(name.split()[0]):
        return False
    joined = " ".join(_label_words(name))
    return not _is_label_line(name) and not any(joined.startswith(lab + " ") for lab in _MULTIWORD_LABELS)


_LOWER_IN_NAMES = frozenset({"bin", "binti", "van", "von", "der", "de", "da", "di", "al", "el", "dr", "drg", "apt",
                             "ns", "hj"})


def lost_word(name: str) -> bool:
    """'asa WIJAYA': a name written in capitals with a word in small letters, a word OCR misread
    ('ILHAM'). Titles before the name ('dr.') and particles ('bin') are small in capitals too."""
    tokens = [t for t in name.partition(",")[0].split() if not _TITLE_TOKEN.match(t)]
    words = [w for t in tokens for w in re.findall(r"[A-Za-z]+", t)]
    capitals = any(len(w) >= 2 and w.isupper() for w in words)
    return capitals and any(len(w) >= 2 and w.islower() and w not in _LOWER_IN_NAMES for w in words)


def _read_again(hits: Sequence[Labelled], chosen: Labelled) -> Labelled:
    """The same label read again (a second reading added to the page's text) where the chosen one lost
    a word of the name: 'asa WIJAYA' and, below, 'ILHAM WIJAYA'."""
    if not lost_word(chosen.value):
        return chosen
    kept = {w for w in re.findall(r"[A-Z]{3,}", chosen.value.partition(",")[0])}
    for hit in hits:
        if hit.label == chosen.label and not lost_word(hit.value) and kept & set(re.findall(r"[A-Z]{3,}", hit.value)):
            return hit
    return chosen


def _labelled_name(lines: Sequence[str], hit: Labelled) -> str:
    """A labelled name, with its titles when OCR put them on the next line ('IRWAN PRATAMA,' / 'S.Tr.RMIK')."""
    name = _name_value(hit.value)
    if name and all(_TITLE_TOKEN.match(t.strip(",")) for t in name.split()):
        # Only titles after the label: a wrapped table cell put the name itself above the label
        # ('YULI RAMADHANI ANGGRAINI,' / 'Nama Lengkap' / 'A.Md.RMIK').
        for above in lines[max(0, hit.line - 2): hit.line][::-1]:
            if above.rstrip().endswith(",") and _is_name(above.strip(" ,")):
                return f"{above.strip(' ,')}, {name}"
    raw = lines[hit.line].rstrip()
    if raw.endswith(",") and hit.line + 1 < len(lines):
        nxt = lines[hit.line + 1].strip()
        if nxt and all(_TITLE_TOKEN.match(t.strip(",")) for t in nxt.split()):
            name = f"{name}, {nxt.strip(' ,')}"
    return name


def _number_value(value: str | None) -> str | None:
    """'61 1 1 3 0 1 ...' -> '611130...': a number OCR spaced out is still one number."""
    if value and re.fullmatch(r"[\d\s]+", value):
        return re.sub(r"\s", "", value)
    return value


# Letters whose small form is their capital made smaller: OCR mixes them into words in capitals.
_CAPITAL_SHAPED = re.compile(r"[A-Z'’]*[cosvwxz][A-Zcosvwxz'’]*")


def _in_capitals(token: str) -> str | None:
    """The token in capitals when it is written in capitals ('PERTIwI' is 'PERTIWI'), else None."""
    if token.isupper():
        return token
    if _CAPITAL_SHAPED.fullmatch(token) and sum(c.isupper() for c in token) > len(token) / 2:
        return token.upper()
    return None


_MONTHS = frozenset(m.upper() for m in NAMA_BULAN)


def _upper_name_only(name: str) -> str:
    """'AGUS Padang' -> 'AGUS': a name in capitals ends where ordinary text (next line's) starts.

    After its comma only titles follow: a month there is a date's, run in from another column
    ('WULAN PERTIWI, November 1987')."""
    tokens = name.split()
    if not tokens or not tokens[0].isupper():
        return name
    for k, tok in enumerate(tokens[1:], start=1):
        if not re.fullmatch(r"[A-Za-z'’]{3,}", tok):
            continue
        capitals = _in_capitals(tok)
        after_comma = tokens[k - 1].endswith(",")
        if after_comma and tok.upper() in _MONTHS:
            return " ".join(tokens[:k]).strip(" ,")
        if capitals is not None:
            tokens[k] = capitals
        elif not after_comma:
            return " ".join(tokens[:k]).strip(" ,")
    return " ".join(tokens)


def _inline_name(rest: str) -> str | None:
    rest = _clean(rest)
    if not rest or re.match(r"(N\s*A\s*M\s*A|NAMA)\b", rest, re.IGNORECASE):
        return None
    rest = _NAME_STOP.sub("", _name_value(rest)).strip(" ,;:")
    rest = _upper_name_only(rest)
    if not re.search(r"[A-Z]", rest):
        return None  # prose in small letters ('kelengkapan keanggotaan, ...'): no name is written so
    if rest and re.search(r"[A-Za-z]{2}", rest) and len(rest.split()) <= 8:
        return rest
    return None


_TITLES_FIRST = re.compile(r"^\s*((?:[A-Za-z]{1,4}\.)+[A-Za-z]{1,5})\.?\s*(?:,|$)")


def _with_wrapped_titles(lines: Sequence[str], name: str) -> str:
    """A name that ends its line with a comma, its titles found at the start of a line below: the
    lines of two columns OCR read one after the other ('... Sdr/i WULAN PERTIWI,' / 'November 1987,
    umur ...' / 'S.Tr.Kes, lahir di Bontang tanggal 7')."""
    if "," in name:
        return name
    end = re.compile(r"(?<![A-Za-z])" + r"\s+".join(map(re.escape, name.split())) + r"\s*,\s*$")
    at = next((i for i, ln in enumerate(lines) if end.search(ln)), None)
    if at is None:
        return name
    for ln in lines[at + 1: at + 6]:
        m = _TITLES_FIRST.match(ln)
        if m and not _NOT_A_TITLE.match(m.group(1)):
            return f"{name}, {m.group(1)}"
    return name


_SELF_INTRO = re.compile(r"BERTANDA\s*TANGAN\s+DI\s*BAWAH\s+INI\s*[,:;]?\s*(.{0,160})", re.IGNORECASE)
_LINE_END_MARKER = re.compile(r"(MENERANGKAN|MENYATAKAN)(\s+DENGAN\s+SEBENARNYA)?\s+BAHWA\s*[:;,]?\s*$|"
                              r"(DIBERIKAN|REKOMENDASI)\s+KEPADA\s*[:;,]?\s*$|MEREKOMENDASIKAN\s*[:;,]?\s*$")


def person_name(lines: Sequence[str], applicant_signs: bool = False) -> str | None:
    """The person a document is about: after 'menerangkan bahwa' / 'diberikan kepada', not the signer.

    With ``applicant_signs`` (an application letter) the person is the one who signs it.
    """
    folded = _folded_lines(lines)
    hits = find_labelled(lines, NAMA, _is_name)
    flat = " ".join(lines)
    if applicant_signs:
        if hits:
            return _labelled_name(lines, _read_again(hits, hits[0]))
        m = _SELF_INTRO.search(flat)
        return _inline_name(m.group(1)) if m else None
    markers = [i for i, ln in enumerate(folded) if _PERSON_MARKERS.search(ln)]
    signers = [i for i, ln in enumerate(folded) if _SIGNER_MARKERS.search(ln)]
    if hits and markers:
        after = [h for h in hits if h.line >= markers[0]]
        if after:
            return _labelled_name(lines, _read_again(after, after[0]))
    for i, ln in enumerate(folded[:-1]):  # the name alone on the line after the marker
        if _LINE_END_MARKER.search(ln) and not _is_label_line(lines[i + 1]):
            name = _inline_name(lines[i + 1])
            if name:
                return name
    for m in _INLINE_PERSON.finditer(flat):
        name = _inline_name(m.group(1))
        if name:
            return _with_wrapped_titles(lines, name)
    if hits:
        if signers and len(hits) > 1 and hits[0].line > signers[0]:
            return _labelled_name(lines, _read_again(hits, hits[1]))
        return _labelled_name(lines, _read_again(hits, hits[0]))
    return titled_name(lines)


_TITLED = re.compile(
    r"(?<![A-Za-z.])([A-Z][A-Z'’]+(?:\s+[A-Z][A-Z'’]+){0,4}),\s*((?:[A-Za-z]{1,4}\.\s?)+[A-Za-z]{0,5})(?![A-Za-z])")
# What follows a name's comma in a table's row is the next cell when it is a label ('No. Dokumen'), not a title.
_NOT_A_TITLE = re.compile(r"(?:NO|NOMOR|NMR|TGL|JL|JLN|HAL|TELP|KEC|KEL|KAB|RT|RW|GG)\.", re.IGNORECASE)


def titled_name(lines: Sequence[str]) -> str | None:
    """The name a document repeats most with a title after it ('AGUS HASIBUAN, A.Md.RMIK').

    For documents an applicant writes about their own practice (SOP, MoU, list of equipment): no label,
    no 'menerangkan bahwa', but the owner's name in capitals, titled, in the heading and signature.
    """
    found: list[tuple[list[str], str]] = []
    # A name may wrap onto the next line ('... dan TRI' / 'WAHYUNI, S.Tr.RMIK'), but not out of a line
    # that is all capitals (a heading such as 'PIHAK PERTAMA' above the signature).
    joined = "".join(ln + (" | " if not re.search(r"[a-z]|,\s*$", ln) else " ") for ln in lines)
    for m in _TITLED.finditer(joined):
        title = m.group(2).rstrip()
        if re.search(r"[A-Za-z]\.\s?[A-Za-z]", title) and not _NOT_A_TITLE.match(title) \
                and not _is_label_line(m.group(1)):
            found.append((m.group(1).split(), title))
    if not found:
        return None
    # 'PROSEDUR ILHAM SYAHPUTRA' and 'ILHAM SYAHPUTRA': the words before a name may be a heading's.
    candidates = {(tuple(ws[k:]), title) for ws, title in found for k in range(len(ws)) if len(ws) - k >= 2}
    if not candidates:
        candidates = _unwrapped(joined, found)
    if not candidates:
        candidates = {(tuple(ws), title) for ws, title in found}

    def support(candidate: tuple[tuple[str, ...], str]) -> tuple[int, int, int]:
        words, title = candidate
        titled = sum(1 for ws, t in found if t == title and tuple(ws[-len(words):]) == words)
        anywhere = len(re.findall(r"(?<![A-Za-z])" + r"\s+".join(map(re.escape, words)) + r"(?![A-Za-z])", joined))
        return titled, anywhere, len(words)

    words, title = max(sorted(candidates), key=support)
    return f"{' '.join(words)}, {title}"


def _unwrapped(joined: str, found: Sequence[tuple[list[str], str]]) -> set[tuple[tuple[str, ...], str]]:
    """Titled names of one word only, where the name is written whole elsewhere before a comma: the
    first words wrapped away in a table's cell ('RINA SUSANTI' / 'WAHYUNI, A.Md.RMIK', and in the
    signature 'RINA SUSANTI WAHYUNI,' with the title under it)."""
    out: set[tuple[tuple[str, ...], str]] = set()
    for ws, title in found:
        tail = r"\s+".join(map(re.escape, ws))
        for m in re.finditer(r"(?<![A-Za-z.])((?:[A-Z][A-Z'’]+\s+){1,4})" + tail + r"\s*,", joined):
            longer = (*m.group(1).split(), *ws)
            if not _is_label_line(" ".join(longer)):
                out |= {(longer[k:], title) for k in range(len(longer) - 1)}
    return out


_PLACE_DATE = re.compile(r"^\s*([A-Za-z][A-Za-z .'\-]{2,40}),\s*(\d{1,2}\s*[A-Za-z]{3,10}\.?\s*\d{4}|"
                         r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\s*$")


_DATE_ALONE = re.compile(r"^\s*\d{1,2}\s+[A-Za-z]{3,10}\.?\s+\d{4}\s*$")


def letter_date(lines: Sequence[str]) -> date | None:
    """The date a letter was written: 'Bagansiapiapi, 20 November 2026', or a 'Tanggal' label."""
    for raw in lines:
        m = _PLACE_DATE.match(raw)
        if m:
            d = parse_tanggal(m.group(2))
            if d:
                return d
    for hit in find_labelled(lines, TANGGAL_SURAT):
        d = parse_tanggal(hit.value)
        if d:
            return d
    for raw in lines:
        if _DATE_ALONE.match(raw):
            return parse_tanggal(raw)
    return None


def _roman(segment: str) -> str:
    """'1X' -> 'IX', 'Xl' -> 'XI': a month in Roman numerals that OCR half read as digits."""
    if re.fullmatch(r"[IVXLl1|]+", segment) and re.search(r"[VX]", segment):
        return re.sub(r"[l1|]", "I", segment)
    return segment


_NOT_A_LETTER_NUMBER = re.compile(r"\s*(INDUK\s+BERUSAHA|INDUK\s+KEPENDUDUKAN|NIB\b|NIK\b|NPWP\b|TELEPON|TELP|HP\b|"
                                  r"REGISTRASI|STR\b|SIP\b)", re.IGNORECASE)


def letter_number(lines: Sequence[str]) -> str | None:
    for hit in find_labelled(lines, NOMOR_SURAT):
        if re.search(r"\d", hit.value) and len(hit.value) <= 60 and not _NOT_A_LETTER_NUMBER.match(hit.value):
            value = hit.value
            first = value.split()[0]
            if first.count("/") >= 2 and re.search(r"\d", first):
                value = first  # what follows on the line is another column (a place and date)
            return "/".join(_roman(part) for part in value.split("/"))
    return None


_BERLAKU_WORD = re.compile(r"B\s?E\s?R\s?[LI1|]\s?A\s?K\s?U")
_BERLAKU_FILLER = re.compile(r"^(?:\s*(?:SAMPA[I1L]?|SAMPE|H[I1L]NGGA|S\s*/\s*D|S\s*\.\s*D\.?|SD|DENGAN|DGN|DG|"
                             r"TANGGAL|TGL|[:;.,=|+\-–—]))*")
_STARTS_LIKE_DATE = re.compile(r"\s*[0-9OIL|]{1,2}\s*[-/. ]")


def _validity_after_label(window: str) -> date | str | None:
    """What follows 'berlaku sampai (dengan tanggal)': a date or 'seumur hidup', read from its start."""
    rest = _BERLAKU_FILLER.sub("", window)
    head = re.sub(r"[^A-Z]", "", rest[:16].translate(str.maketrans("1|L", "III")))
    if similar(head[:11], "SEUMURHIDUP") >= 0.8 or head.startswith("SEUMUR"):
        return SEUMUR_HIDUP
    if _STARTS_LIKE_DATE.match(rest):
        return parse_tanggal(rest[:24])
    return None


def _as_field(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def berlaku_sampai(lines: Sequence[str], text: str) -> str | None:
    """'Berlaku sampai dengan tanggal 19 Januari 2028', 'Masa Berlaku : SEUMUR H1DUP', a table column."""
    folded_lines = [ln for ln in fold(text).split("\n") if ln.strip()]
    for i, line in enumerate(folded_lines):
        for m in _BERLAKU_WORD.finditer(line):
            if not _BERLAKU_FILLER.sub("", line[m.end():]).strip():
                continue  # the value is not on this line: a table, handled below
            window = " ".join([line[m.end():], *folded_lines[i + 1: i + 3]])
            value = _validity_after_label(window[:70])
            if value:
                return _as_field(value)
    folded = " ".join(folded_lines)
    if re.search(r"SEUMUR\s*H[I1L]DUP", folded) and "BERLAKU" in folded:
        return SEUMUR_HIDUP
    for hit in find_labelled(lines, BERLAKU):
        value = _validity_after_label(fold(hit.value))
        if value:
            return _as_field(value)
    if _lifetime_anywhere(folded):
        return SEUMUR_HIDUP  # the label lost to OCR ('hese Sey | Semur idup'), the lifetime read
    return None


def _lifetime_anywhere(folded: str) -> bool:
    """'SEUMUR HIDUP' garbled by OCR ('SEMUR IDUP', 'SEUMUR H1DUP') as two neighbouring words."""
    words = re.findall(r"[A-Z0-9]+", folded)
    return any(similar(a + b, "SEUMURHIDUP") >= 0.8 for a, b in pairwise(words))


_LAHIR_DI = re.compile(
    r"LAHIR\s+DI\s+([A-Za-z .'-]+?)\s*(?:,|PADA|TANGGAL|TGL)\s*(?:TANGGAL\s+)?([^\n]{6,30})", re.IGNORECASE)


def _birth(lines: Sequence[str], text: str) -> tuple[str | None, date | None]:
    ttl = first_value(lines, TTL)
    if ttl:
        place, born = split_tempat_tanggal(ttl)
        return (place or None), born
    place = first_value(lines, TEMPAT_LAHIR)
    born_raw = first_value(lines, TANGGAL_LAHIR)
    born = parse_tanggal(born_raw) if born_raw else None
    if born is None:
        m = _LAHIR_DI.search(" ".join(text.split()))
        if m:
            place = place or m.group(1).strip()
            born = parse_tanggal(m.group(2))
    return place, born


def _jenis_kelamin(value: str | None) -> str | None:
    if not value:
        return None
    v = fold(value)
    if re.search(r"PEREMPUAN|WANITA|\bP\b", v):
        return "PEREMPUAN"
    if re.search(r"LAKI|PRIA|\bL\b", v):
        return "LAKI-LAKI"
    return None


def _set(fields: dict[str, str], key: str, value: str | date | None) -> None:
    if value is None or value == "":
        return
    fields[key] = value.isoformat() if isinstance(value, date) else value


_TTL_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z .'-]{1,40}),\s*(\S.{5,20})$")
_ADDRESS = re.compile(r"^\s*(JL|JLN|JALAN|DUSUN|DSN|KOMP|KOMPLEK|PERUM|GG|GANG|LRG|LORONG)\b\.?", re.IGNORECASE)


_KTP_LABEL = re.compile(
    r"TEMPAT|TGL|LAHIR|KELAMIN|ALAMAT|AGAMA|PEKERJAAN|BERLAKU|KEWARGANEGARAAN|PERKAWINAN|GOL\.?\s*DARAH",
    re.IGNORECASE,
)


def _ktp_columns(lines: Sequence[str]) -> dict[str, str]:
    """A KTP read as two columns: the labels first, then the values in the same order."""
    fields: dict[str, str] = {}
    start = next((i for i, ln in enumerate(lines) if nik_from_text(ln)), None)
    if start is None:
        return fields
    values = [_clean(ln) for ln in lines[start + 1:] if not _is_label_line(ln)]
    names = [v for v in values if re.fullmatch(r"[A-Za-z .,'’]+", v) and len(v.split()) <= 6 and _is_name(v)]
    if names:
        fields["nama"] = _name_value(names[0])
    for v in values:
        m = _TTL_VALUE.match(v)
        if m and parse_tanggal(m.group(2)):
            fields["tempat_lahir"] = m.group(1).strip()
            fields["tanggal_lahir"] = parse_tanggal(m.group(2)).isoformat()  # type: ignore[union-attr]
            break
    jk = next((_jenis_kelamin(v) for v in values if re.search(r"LAKI|PEREMPUAN", v, re.IGNORECASE)), None)
    if jk:
        fields["jenis_kelamin"] = jk
    alamat = next((v for v in values if _ADDRESS.match(v)), None)
    if alamat:
        fields["alamat"] = _TAIL_LABEL.sub("", alamat)
    return fields


def _ktp(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    _set(fields, "nik", nik_from_text(text))
    named = find_labelled(lines, NAMA, _is_name)
    nama = _read_again(named, named[0]).value if named else None
    if nama and _KTP_LABEL.search(nama):
        nama = None  # the next label, read as the value in a label column: the columns decide
    _set(fields, "nama", _name_value(nama) if nama else None)
    place, born = _birth(lines, text)
    _set(fields, "tempat_lahir", place)
    _set(fields, "tanggal_lahir", born)
    _set(fields, "jenis_kelamin", _jenis_kelamin(first_value(lines, JENIS_KELAMIN)))
    alamat = first_value(lines, ALAMAT)
    if alamat and re.match(r"(PROVINSI|PROPINSI|KABUPATEN|KOTA)\b", alamat, re.IGNORECASE):
        alamat = None  # the card's header, read after a label column
    _set(fields, "alamat", _TAIL_LABEL.sub("", alamat) if alamat else None)
    for key, value in _ktp_columns(lines).items():
        fields.setdefault(key, value)
    return fields


def _str(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    _set(fields, "nama", person_name(lines))
    nomor = _number_value(first_value(lines, NOMOR_STR) or letter_number(lines)) or _registration_number(pages)
    _set(fields, "nomor_str", nomor)
    place, born = _birth(lines, text)
    _set(fields, "tempat_lahir", place)
    _set(fields, "tanggal_lahir", born)
    _set(fields, "berlaku_sampai", berlaku_sampai(lines, text))
    return fields


_REGISTRATION_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{2}\d{14}|\d{16})(?![A-Za-z0-9])")


def _registration_number(pages: Sequence[PageText]) -> str | None:
    """An STR number standing apart from its label (values and labels read as separate columns):
    the one the STR's verification QR carries, else the only number of that shape on the page."""
    found = list(dict.fromkeys(_REGISTRATION_NUMBER.findall("\n".join(p.text for p in pages))))
    in_qr = [n for n in found if any(n in m.value for p in pages for m in p.marks if m.kind == "qr")]
    if in_qr:
        return in_qr[0]
    return found[0] if len(found) == 1 else None


_LEGAL = re.compile(
    r"SESUAI\s+DENGAN\s+(YANG\s+)?ASL[I1]NYA|\bASL[I1]NYA\b|LEGAL[I1]S[I1]R|D[I1]LEGAL[I1]S|LEGAL[I1]SAS[I1]|"
    r"SESUAI\s+DEN(G|GAN)?\s*[,.]?\s*$", re.MULTILINE)


def _ijazah(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    _set(fields, "nama", person_name(lines))
    _set(fields, "nomor_ijazah", _number_value(first_value(lines, NOMOR_IJAZAH)))
    prodi = first_value(lines, PROGRAM_STUDI)
    if not prodi:
        m = re.search(r"PROGRAM\s+STUDI\s*[:;]?\s*([^\n,.]+)", text, re.IGNORECASE)
        prodi = _clean(m.group(1)) if m else None
    if prodi:
        prodi = re.sub(r"\bD\s*-\s*[I1l|]{3}\b", "D-III", prodi)
    _set(fields, "program_studi", prodi)
    place, born = _birth(lines, text)
    _set(fields, "tempat_lahir", place)
    _set(fields, "tanggal_lahir", born)
    evidence = fold("\n".join(p.text + "\n" + p.image_text for p in pages))
    _set(fields, "legalisasi", "stempel" if _LEGAL.search(evidence) else legalisasi(pages))
    return fields


def _npwp(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    number = parse_npwp(text)
    _set(fields, "npwp", number)
    nama = first_value(lines, ("NAMA WAJIB PAJAK", "NAMA"), _is_name)
    if not nama and number:
        for i, raw in enumerate(lines):
            if number[:2] in re.sub(r"\D", "", raw) and re.sub(r"\D", "", raw).startswith(number[:5]):
                nxt = [ln for ln in lines[i + 1: i + 3] if re.fullmatch(r"[A-Za-z .,'’]+", ln.strip())]
                if nxt:
                    nama = nxt[0]
                break
    _set(fields, "nama", _name_value(nama) if nama else None)
    return fields


def _permohonan(pages: Sequence[PageText]) -> dict[str, str]:
    lines = _lines(pages)
    fields: dict[str, str] = {}
    nama = person_name(lines, applicant_signs=True)
    if not nama:
        folded = _folded_lines(lines)
        for i, ln in enumerate(folded):
            if re.search(r"HORMAT\s+SAYA|PEMOHON\s*,?$", ln):
                after = [r for r in lines[i + 1: i + 6]
                         if re.fullmatch(r"[A-Za-z .,'’]+", r)
                         and not re.search(r"METERA|MATERA|TEMPEL", fold(r))]
                if after:
                    nama = after[0].strip()
                break
    _set(fields, "nama", nama)
    _set(fields, "nik", _labelled_nik("\n".join(p.text for p in pages)))
    _set(fields, "tanggal_surat", letter_date(lines))
    _set(fields, "nomor_surat", letter_number(lines))
    _set(fields, "meterai", meterai(pages))
    return fields


_NIK_MENTION = re.compile(r"\bN[I1l]K\b|NOMOR\s+INDUK\s+KEPENDUDUKAN", re.IGNORECASE)


def _labelled_nik(text: str) -> str | None:
    """A NIK a letter mentions ('NIK : ...', 'Nomor Induk Kependudukan 3374...')."""
    return nik_from_text(text) if _NIK_MENTION.search(text) else None


def _letter(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    _set(fields, "nama", person_name(lines))
    _set(fields, "nik", _labelled_nik(text))
    _set(fields, "nomor_surat", letter_number(lines))
    _set(fields, "tanggal_surat", letter_date(lines))
    _set(fields, "berlaku_sampai", berlaku_sampai(lines, text))
    return fields


def _sip(pages: Sequence[PageText]) -> dict[str, str]:
    fields = _letter(pages)
    nomor_str = _number_value(first_value(_lines(pages), NOMOR_STR))
    _set(fields, "nomor_str", nomor_str)
    return fields


Extractor = Callable[[Sequence[PageText]], dict[str, str]]

EXTRACTORS: dict[DocType, Extractor] = {
    DocType.ktp: _ktp,
    DocType.str: _str,
    DocType.ijazah: _ijazah,
    DocType.npwp: _npwp,
    DocType.surat_permohonan: _permohonan,
    DocType.surat_keterangan_sehat: _letter,
    DocType.surat_keterangan_domisili: _letter,
    DocType.surat_keterangan_tempat_praktik: _letter,
    DocType.bukti_skp: _letter,
    DocType.sip_lama: _sip,
    DocType.rekomendasi_organisasi_profesi: _letter,
    DocType.sop_praktik: _letter,
    DocType.mou_limbah_medis: _letter,
    DocType.daftar_alat_kesehatan: _letter,
}


def extract_fields(doc_type: DocType, pages: Sequence[PageText]) -> dict[str, str]:
    """Fields of one document; types without a person or number in them give an empty dict."""
    from extractors.fields.clinic import CLINIC_EXTRACTORS  # it builds on this module

    extractor = EXTRACTORS.get(doc_type) or CLINIC_EXTRACTORS.get(doc_type)
    return extractor(pages) if extractor else {}
