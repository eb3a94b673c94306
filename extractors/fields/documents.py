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

from extractors.fields.dates import SEUMUR_HIDUP, parse_masa_berlaku, parse_tanggal, split_tempat_tanggal
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
                  "PANGKAT", "UNIT KERJA", "INSTANSI", "TEMPAT PRAKTIK", "KOMPETENSI", "NO HP", "TELEPON"))
_VOCAB = vocabulary_of(_ALL_LABELS)
_LABEL_SET = frozenset(" ".join(lab.split()) for lab in _ALL_LABELS) | {"NAMA LENGKAP", "NOMOR INDUK MAHASISWA"}
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


def _clean(value: str) -> str:
    value = _LEADING_PUNCT.sub("", value)
    return " ".join(value.split()).strip(" ,;")


def find_labelled(lines: Sequence[str], labels: Sequence[str]) -> list[Labelled]:
    """Every line that starts with one of the labels, with its value (or the next line's)."""
    wanted = {lab: lab.split() for lab in labels}
    found: list[Labelled] = []
    for i, raw in enumerate(lines):
        head, value, had_sep = _split_line(raw)
        words = _label_words(head)
        if not words:
            continue
        hit = None
        if had_sep:
            hit = next((lab for lab, lw in wanted.items() if _same_label(words, lw)), None)
        else:
            for lab, lw in sorted(wanted.items(), key=lambda kv: -len(kv[1])):
                if words[: len(lw)] == lw:
                    hit = lab
                    raw_tokens = raw.split()
                    take = 0
                    while take < len(raw_tokens) and len(_label_words(" ".join(raw_tokens[:take]))) < len(lw):
                        take += 1
                    value = " ".join(raw_tokens[take:])
                    break
        if hit is None:
            continue
        value = _clean(value)
        if value and _is_label_line(value):
            value = ""
        if not value and i + 1 < len(lines) and not _is_label_line(lines[i + 1]):
            value = _clean(lines[i + 1])
        if value:
            found.append(Labelled(i, hit, value))
    return found


def _same_label(words: list[str], label: list[str]) -> bool:
    if words == label:
        return True
    a, b = " ".join(words), " ".join(label)
    return len(b) >= 8 and abs(len(a) - len(b)) <= 2 and similar(a, b) >= 0.88


def _is_label_line(raw: str) -> bool:
    """A line that is a label, with its separator or alone (labels in a column of their own)."""
    head, _, _ = _split_line(raw)
    return " ".join(_label_words(head)) in _LABEL_SET


def first_value(lines: Sequence[str], labels: Sequence[str]) -> str | None:
    hits = find_labelled(lines, labels)
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
_NAME_STOP = re.compile(r"\s*(\(|,\s*(LAHIR|NIK|UMUR|TEMPAT|NOMOR|NO)\b|\b(ADALAH|YANG|LAHIR|BENAR|TELAH|"
                        r"BERTEMPAT|BERALAMAT|NAMA|NIK|NIM|NIP|NOMOR|UMUR|PEKERJAAN|JABATAN|DENGAN|SEBAGAI|UNTUK|"
                        r"PADA)\b).*$", re.IGNORECASE)


def _name_value(value: str) -> str:
    value = _TAIL_LABEL.sub("", value)
    value = _SALUTATION.sub("", value.strip())
    value = re.sub(r"[A-Za-z0-9|]+", lambda m: fix_ocr_word(m.group(0)), value)
    return value.strip(" ,;:")


def _number_value(value: str | None) -> str | None:
    """'61 1 1 3 0 1 ...' -> '611130...': a number OCR spaced out is still one number."""
    if value and re.fullmatch(r"[\d\s]+", value):
        return re.sub(r"\s", "", value)
    return value


def _inline_name(rest: str) -> str | None:
    rest = _clean(rest)
    if not rest or re.match(r"(N\s*A\s*M\s*A|NAMA)\b", rest, re.IGNORECASE):
        return None
    rest = _NAME_STOP.sub("", _name_value(rest)).strip(" ,;:")
    if rest and re.search(r"[A-Za-z]{2}", rest) and len(rest.split()) <= 8:
        return rest
    return None


_SELF_INTRO = re.compile(r"BERTANDA\s*TANGAN\s+DI\s*BAWAH\s+INI\s*[,:;]?\s*(.{0,160})", re.IGNORECASE)
_LINE_END_MARKER = re.compile(r"(MENERANGKAN|MENYATAKAN)(\s+DENGAN\s+SEBENARNYA)?\s+BAHWA\s*[:;,]?\s*$|"
                              r"(DIBERIKAN|REKOMENDASI)\s+KEPADA\s*[:;,]?\s*$|MEREKOMENDASIKAN\s*[:;,]?\s*$")


def person_name(lines: Sequence[str], applicant_signs: bool = False) -> str | None:
    """The person a document is about: after 'menerangkan bahwa' / 'diberikan kepada', not the signer.

    With ``applicant_signs`` (an application letter) the person is the one who signs it.
    """
    folded = _folded_lines(lines)
    hits = find_labelled(lines, NAMA)
    flat = " ".join(lines)
    if applicant_signs:
        if hits:
            return _name_value(hits[0].value)
        m = _SELF_INTRO.search(flat)
        return _inline_name(m.group(1)) if m else None
    markers = [i for i, ln in enumerate(folded) if _PERSON_MARKERS.search(ln)]
    signers = [i for i, ln in enumerate(folded) if _SIGNER_MARKERS.search(ln)]
    if hits and markers:
        after = [h for h in hits if h.line >= markers[0]]
        if after:
            return _name_value(after[0].value)
    for i, ln in enumerate(folded[:-1]):  # the name alone on the line after the marker
        if _LINE_END_MARKER.search(ln) and not _is_label_line(lines[i + 1]):
            name = _inline_name(lines[i + 1])
            if name:
                return name
    for m in _INLINE_PERSON.finditer(flat):
        name = _inline_name(m.group(1))
        if name:
            return name
    if hits:
        if signers and len(hits) > 1 and hits[0].line > signers[0]:
            return _name_value(hits[1].value)
        return _name_value(hits[0].value)
    return None


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


def letter_number(lines: Sequence[str]) -> str | None:
    for hit in find_labelled(lines, NOMOR_SURAT):
        if re.search(r"\d", hit.value) and len(hit.value) <= 60:
            return "/".join(_roman(part) for part in hit.value.split("/"))
    return None


_BERLAKU_INLINE = re.compile(
    r"BERLAKU\s+(?:SAMPAI|HINGGA|S\s*/\s*D)\s*(?:DENGAN\s+)?(?:TANGGAL\s+)?[:;.]?\s*([^\n]{6,30})", re.IGNORECASE)


def _as_field(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def berlaku_sampai(lines: Sequence[str], text: str) -> str | None:
    flat = " ".join(text.split())
    m = _BERLAKU_INLINE.search(flat)
    if m:
        value = parse_masa_berlaku(m.group(1))
        if value:
            return _as_field(value)
    folded = fold(flat)
    if re.search(r"SEUMUR\s*H[I1L]DUP", folded) and "BERLAKU" in folded:
        return SEUMUR_HIDUP
    for hit in find_labelled(lines, BERLAKU):
        value = parse_masa_berlaku(hit.value)
        if value:
            return _as_field(value)
    return None


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


def _ktp_columns(lines: Sequence[str]) -> dict[str, str]:
    """A KTP read as two columns: the labels first, then the values in the same order."""
    fields: dict[str, str] = {}
    start = next((i for i, ln in enumerate(lines) if nik_from_text(ln)), None)
    if start is None:
        return fields
    values = [ln for ln in lines[start + 1:] if not _is_label_line(ln)]
    names = [v for v in values if re.fullmatch(r"[A-Za-z .,'’]+", v) and len(v.split()) <= 6]
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
    nama = first_value(lines, NAMA)
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
    _set(fields, "nomor_str", _number_value(first_value(lines, NOMOR_STR) or letter_number(lines)))
    place, born = _birth(lines, text)
    _set(fields, "tempat_lahir", place)
    _set(fields, "tanggal_lahir", born)
    _set(fields, "berlaku_sampai", berlaku_sampai(lines, text))
    return fields


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
    if _LEGAL.search(evidence):
        fields["legalisasi"] = "stempel"
    elif any(m.kind in ("qr", "barcode") for p in pages for m in p.marks):
        fields["legalisasi"] = "qr"
    return fields


def _npwp(pages: Sequence[PageText]) -> dict[str, str]:
    lines, text = _lines(pages), "\n".join(p.text for p in pages)
    fields: dict[str, str] = {}
    number = parse_npwp(text)
    _set(fields, "npwp", number)
    nama = first_value(lines, ("NAMA WAJIB PAJAK", "NAMA"))
    if not nama and number:
        for i, raw in enumerate(lines):
            if number[:2] in re.sub(r"\D", "", raw) and re.sub(r"\D", "", raw).startswith(number[:5]):
                nxt = [ln for ln in lines[i + 1: i + 3] if re.fullmatch(r"[A-Za-z .,'’]+", ln.strip())]
                if nxt:
                    nama = nxt[0]
                break
    _set(fields, "nama", _name_value(nama) if nama else None)
    return fields


_METERAI_E = re.compile(r"(METERA[I1L]|MATERA[I1L])\s*ELEKTRON[I1L]K|\bE\s*-?\s*M[EA]TERA[I1L]")
_METERAI_T = re.compile(r"(METERA[I1L]|MATERA[I1L])\s*TEMPEL|SEPULUH\s*R[I1L]BU|(?<![\d.,])10\s?000(?![\d])")


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
    evidence = fold("\n".join(p.image_text + "\n" + p.text for p in pages))
    has_qr = any(m.kind == "qr" for p in pages for m in p.marks)
    if _METERAI_E.search(evidence) or (has_qr and re.search(r"(?<![\d.,])10\s?\.?000(?!\d)", evidence)):
        fields["meterai"] = "elektronik"
    elif _METERAI_T.search(evidence):
        fields["meterai"] = "tempel"
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
    extractor = EXTRACTORS.get(doc_type)
    return extractor(pages) if extractor else {}
