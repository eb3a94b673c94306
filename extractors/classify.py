"""Which document type each page is, from its content only, and which pages form one document.

The cues per type are data (``doctypes.yaml``): title phrases, label phrases, patterns and
negative cues with weights. A page's score for a type is the sum of the weights of the cues it
shows; the best type wins if it reaches its threshold, and the confidence grows with the winning
score and with its margin over the runner-up. File names are never looked at.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from extractors.fields.dates import find_dates, month_number
from extractors.text import canonical_words, fold, vocabulary_of
from izinflow.domain import DocType, Document, PageClass, PageRef, PageText

DOCTYPES_FILE = Path(__file__).with_name("doctypes.yaml")
_NOT_CLASSIFIED = {DocType.meterai, DocType.kosong}


class CueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phrase: str | None = None
    regex: str | None = None
    weight: float = Field(gt=0)

    @model_validator(mode="after")
    def _one_of(self) -> CueSpec:
        if (self.phrase is None) == (self.regex is None):
            raise ValueError("a cue has exactly one of 'phrase' or 'regex'")
        if self.regex is not None:
            re.compile(self.regex)
        return self


class TypeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titles: list[CueSpec] = []
    cues: list[CueSpec] = []
    patterns: list[CueSpec] = []
    negative: list[CueSpec] = []
    threshold: float | None = None
    standalone: bool = False
    signed: bool = False


class PhotoSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_ratio: float = 0.45
    max_words: int = 12
    min_ratio_without_text: float = 0.015  # a sheet of small pas photos on white paper


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: float = 3.0
    scale: float = 3.5
    head_lines: int = 10
    body_factor: float = 0.3
    review_below: float = 0.6
    photo: PhotoSpec = PhotoSpec()


class CatalogueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    defaults: Defaults = Defaults()
    types: dict[DocType, TypeSpec]

    @model_validator(mode="after")
    def _classifiable(self) -> CatalogueSpec:
        wrong = set(self.types) & _NOT_CLASSIFIED
        if wrong:
            raise ValueError(f"types that are not page types: {sorted(wrong)}")
        return self


@dataclass(frozen=True)
class Cue:
    phrase: str  # folded words joined by single spaces; empty for a pattern
    pattern: re.Pattern[str] | None
    weight: float


@dataclass(frozen=True)
class TypeCues:
    doc_type: DocType
    titles: tuple[Cue, ...]
    cues: tuple[Cue, ...]
    negative: tuple[Cue, ...]
    threshold: float
    standalone: bool
    signed: bool


@dataclass(frozen=True)
class Catalogue:
    types: tuple[TypeCues, ...]
    vocabulary: frozenset[str]
    scale: float
    head_lines: int
    body_factor: float
    review_below: float
    photo_min_ratio: float
    photo_max_words: int
    photo_min_ratio_without_text: float

    def get(self, doc_type: DocType) -> TypeCues | None:
        return next((t for t in self.types if t.doc_type == doc_type), None)


def _cue(spec: CueSpec) -> Cue:
    if spec.regex is not None:
        return Cue("", re.compile(spec.regex, re.MULTILINE), spec.weight)
    return Cue(" ".join(re.findall(r"[A-Z0-9]+", fold(spec.phrase or ""))), None, spec.weight)


def parse_catalogue(data: dict[str, object]) -> Catalogue:
    spec = CatalogueSpec.model_validate(data)
    d = spec.defaults
    types = tuple(
        TypeCues(
            doc_type=doc_type,
            titles=tuple(_cue(c) for c in t.titles),
            cues=tuple(_cue(c) for c in [*t.cues, *t.patterns]),
            negative=tuple(_cue(c) for c in t.negative),
            threshold=t.threshold if t.threshold is not None else d.threshold,
            standalone=t.standalone,
            signed=t.signed,
        )
        for doc_type, t in spec.types.items()
    )
    phrases = [c.phrase for t in types for c in (*t.titles, *t.cues, *t.negative) if c.phrase]
    return Catalogue(types, vocabulary_of(phrases), d.scale, d.head_lines, d.body_factor, d.review_below,
                     d.photo.min_ratio, d.photo.max_words, d.photo.min_ratio_without_text)


def load_catalogue(path: Path = DOCTYPES_FILE) -> Catalogue:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return parse_catalogue(data)
    except Exception as exc:
        raise ValueError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()


@dataclass(frozen=True)
class Evidence:
    """What a page shows: a score per type, the types whose title heads the page, its word count."""

    scores: dict[DocType, float]
    titled: frozenset[DocType]
    words: int


def _has(hay: str, folded: str, cue: Cue) -> bool:
    if cue.pattern is not None:
        return cue.pattern.search(folded) is not None
    return f" {cue.phrase} " in hay


def _canonical_lines(folded: str, vocabulary: frozenset[str]) -> list[str]:
    out = []
    for line in folded.split("\n"):
        tokens = re.findall(r"[A-Z0-9]+", line)
        if tokens:
            out.append(" ".join(canonical_words(tokens, vocabulary)))
    return out


def _evidence_of_text(text: str, catalogue: Catalogue) -> Evidence:
    folded = fold(text)
    canon = _canonical_lines(folded, catalogue.vocabulary)
    hay = " " + " ".join(canon) + " "
    head = " " + " ".join(canon[: catalogue.head_lines]) + " "
    words = sum(1 for w in hay.split() if len(w) >= 2 and any(c.isalpha() for c in w))
    scores: dict[DocType, float] = {}
    titled: set[DocType] = set()
    for t in catalogue.types:
        score = 0.0
        for cue in t.titles:
            if _has(head, folded, cue):
                score += cue.weight
                titled.add(t.doc_type)
            elif _has(hay, folded, cue):
                score += cue.weight * catalogue.body_factor
        score += sum(c.weight for c in t.cues if _has(hay, folded, c))
        score -= sum(c.weight for c in t.negative if _has(hay, folded, c))
        scores[t.doc_type] = score
    return Evidence(scores, frozenset(titled), words)


@lru_cache(maxsize=4096)
def _cached_evidence(text: str, catalogue: Catalogue) -> Evidence:
    return _evidence_of_text(text, catalogue)


def page_evidence(page: PageText, catalogue: Catalogue | None = None) -> Evidence:
    cat = catalogue or default_catalogue()
    return _cached_evidence(page.text + "\n" + page.image_text, cat)


# "Batang, 6 November 2026": the place and date a letter or a list is signed under (folded text).
_PLACE_DATE = re.compile(
    r"(?<![A-Z0-9])[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,3} ?, ?(\d{1,2}) ?([A-Z]{3,10})\.? ?(\d{4})(?![0-9])")
_CLOSING_MAX_WORDS = 30  # a signature block and its stamp's OCR noise; a page with a body has more
_CLOSING_HEAD = 3  # lines: a page that is only a closing opens with its place and date
_CLOSING_TAIL = 8  # lines: a page closes when a place and date stands among its last lines


@dataclass(frozen=True)
class _Dating:
    lines: int  # the page's non-empty lines
    signed: tuple[tuple[int, date], ...]  # each place and date: (its line number, the date)


@lru_cache(maxsize=4096)
def _dating(text: str) -> _Dating:
    """Where a page's text shows a place and date ('Batang, 6 November 2026'), as under a signature."""
    rows = [ln for ln in fold(text).split("\n") if ln.strip()]
    found = []
    for i, line in enumerate(rows):
        if "LAHIR" in line:  # 'Tempat/Tgl Lahir : Bontang, 15 Agustus 1988' is a person's, not a signature's
            continue
        for m in _PLACE_DATE.finditer(line):
            month = month_number(m.group(2))
            if month is None:
                continue
            try:
                found.append((i, date(int(m.group(3)), month, int(m.group(1)))))
            except ValueError:
                continue
    return _Dating(len(rows), tuple(found))


def is_closing_only(page: PageText, catalogue: Catalogue | None = None) -> bool:
    """The page holds only a signature block: it opens with a place and date, carries a few words
    (the signer's title and name, a stamp) and no title: the last page of some document."""
    dating = _dating(page.text)
    if not any(i < _CLOSING_HEAD for i, _ in dating.signed) or has_own_heading(page.text):
        return False
    ev = page_evidence(page, catalogue)
    return not ev.titled and ev.words <= _CLOSING_MAX_WORDS


def closes(page: PageText, catalogue: Catalogue | None = None) -> bool:
    """The page ends its document: a place and date stands among its last lines (above a signature)."""
    dating = _dating(page.text)
    return is_closing_only(page, catalogue) or any(i >= dating.lines - _CLOSING_TAIL for i, _ in dating.signed)


def _confidence(best: float, second: float, scale: float) -> float:
    strength = 1.0 - math.exp(-best / scale)
    margin = (best - max(second, 0.0)) / best
    return round(max(0.0, min(1.0, strength * (0.5 + 0.5 * margin))), 3)


def classify_page(page: PageText, catalogue: Catalogue | None = None) -> PageClass:
    cat = catalogue or default_catalogue()
    if page.error and not page.text.strip():
        return PageClass(page.ref, DocType.lainnya, 0.0)
    ev = page_evidence(page, cat)
    ranked = sorted(ev.scores.items(), key=lambda kv: kv[1], reverse=True)
    (best_type, best), (_, second) = ranked[0], ranked[1]
    winner = cat.get(best_type)
    reached = winner is not None and best >= winner.threshold
    if not reached and page.photo_ratio >= cat.photo_min_ratio and ev.words <= cat.photo_max_words:
        return PageClass(page.ref, DocType.pas_foto, round(min(0.95, 0.5 + 0.45 * page.photo_ratio), 3))
    if not reached and ev.words <= 2 and not page.marks:  # nothing but OCR specks
        if page.photo_ratio >= cat.photo_min_ratio_without_text:
            return PageClass(page.ref, DocType.pas_foto, round(min(0.9, 0.7 + page.photo_ratio), 3))
        # A place and date is print, not specks: a signature page whose other lines OCR lost.
        if not _dating(page.text).signed:
            return PageClass(page.ref, DocType.kosong, 0.95 if ev.words == 0 else 0.8)
    if reached:
        return PageClass(page.ref, best_type, _confidence(best, second, cat.scale))
    if ev.words < 8:
        return PageClass(page.ref, DocType.lainnya, 0.5)
    threshold = winner.threshold if winner else 3.0
    return PageClass(page.ref, DocType.lainnya, round(0.85 - 0.4 * max(0.0, best) / threshold, 3))


def doubtful_pages(
    pages: Sequence[PageText], classes: Sequence[PageClass], catalogue: Catalogue | None = None
) -> list[PageText]:
    """Pages left as ``lainnya`` with low confidence: they may hold a document the bundle lacks,
    so they carry an error that keeps a missing requirement at ``review`` instead of ``missing``.
    A text page that holds only a signature block is the end of a document, whole as printed; a
    scan that reads so may have lost its body to OCR and stays in doubt."""
    cat = catalogue or default_catalogue()
    by_ref = {c.ref: c for c in classes}
    doubtful = []
    for page in pages:
        cls = by_ref.get(page.ref)
        if cls is None or page.error or cls.doc_type != DocType.lainnya or cls.confidence >= cat.review_below:
            continue
        if not page.ocr and is_closing_only(page, cat):
            continue
        reason = f"jenis dokumennya tidak dapat dipastikan (keyakinan {round(cls.confidence * 100)}%)"
        doubtful.append(replace(page, error=reason))
    return doubtful


def has_own_heading(text: str) -> bool:
    """The page opens with a short upper-case line, as a document's first page does ('KWITANSI')."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    letters = [c for c in first if c.isalpha()]
    return (len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
            and len(first.split()) <= 6 and not re.match(r"^\d", first))


def _is_continuation(page: PageText, ev: Evidence, cls: PageClass, current: Document,
                     catalogue: Catalogue) -> bool:
    """A page without a title of its own that carries no strong sign of another document."""
    if has_own_heading(page.text):
        return False
    for doc_type in ev.titled:
        spec = catalogue.get(doc_type)
        if spec is not None and ev.scores[doc_type] >= spec.threshold:
            return False
    return (cls.doc_type in (DocType.lainnya, current.doc_type)
            or cls.confidence < catalogue.review_below)


def group_documents(
    pages: Sequence[PageText], classes: Sequence[PageClass], catalogue: Catalogue | None = None
) -> list[Document]:
    """Pages in bundle order -> documents.

    Consecutive pages of one type form one document (a standalone type such as a KTP only within
    one file); a continuation page (no title or heading of its own, weak evidence) joins the
    document before it, also across a file boundary. Blank pages form ``kosong`` documents of
    their own without interrupting the document around them. A page that is only a signature
    block, left on its own, goes to the document it closes (see ``_place_closings``).
    """
    if len(pages) != len(classes):
        raise ValueError("pages and classes differ in length")
    cat = catalogue or default_catalogue()
    by_ref = {p.ref: p for p in pages}
    docs: list[Document] = []
    own_conf: dict[int, list[float]] = {}
    current: Document | None = None
    blank: Document | None = None
    previous: PageRef | None = None
    for page, cls in zip(pages, classes, strict=True):
        if cls.doc_type == DocType.kosong:
            if blank is not None and blank.pages[-1] == previous and previous.file == page.ref.file:
                blank.pages.append(page.ref)
            else:
                blank = Document(DocType.kosong, [page.ref], cls.confidence, page.ocr)
                docs.append(blank)
            previous = page.ref
            continue
        previous = page.ref
        if current is not None and _joins(page, cls, current, by_ref[current.pages[-1]], cat):
            current.pages.append(page.ref)
            current.ocr = current.ocr or page.ocr
            # A page that names itself counts towards the document's confidence; an untitled
            # continuation (the rest of a table, a signature page) is weak evidence by nature.
            if cls.doc_type == current.doc_type and cls.doc_type in page_evidence(page, cat).titled:
                own_conf[id(current)].append(cls.confidence)
                current.confidence = min(own_conf[id(current)])
            continue
        current = Document(cls.doc_type, [page.ref], cls.confidence, page.ocr)
        docs.append(current)
        own_conf[id(current)] = [cls.confidence]
    return _place_closings(docs, by_ref, cat)


def _joins(page: PageText, cls: PageClass, current: Document, last: PageText, cat: Catalogue) -> bool:
    spec = cat.get(current.doc_type)
    standalone = spec.standalone if spec else False
    same_file = current.pages[-1].file == page.ref.file
    if is_closing_only(page, cat) and closes(last, cat):
        return False  # a document has one closing: a second signature block ends another document
    if current.doc_type == DocType.lainnya:  # unrelated leftovers: only a true continuation joins
        return same_file and _is_continuation(page, page_evidence(page, cat), cls, current, cat)
    if cls.doc_type == current.doc_type:
        return same_file or not standalone
    if standalone or cls.doc_type == DocType.pas_foto:
        return False
    if not same_file and (cls.doc_type != DocType.lainnya or _reads_as_other(page, cat)):
        return False  # another file that reads, however faintly, as another document is one
    return _is_continuation(page, page_evidence(page, cat), cls, current, cat)


def _reads_as_other(page: PageText, cat: Catalogue) -> bool:
    """The page shows enough of a document outside the catalogue's types (a statement, a CV, a
    transcript) to be one, even without its title (OCR loses an underlined title on a skewed scan)."""
    spec = cat.get(DocType.lainnya)
    return spec is not None and page_evidence(page, cat).scores[DocType.lainnya] >= spec.threshold


def _place_closings(docs: list[Document], by_ref: dict[PageRef, PageText], cat: Catalogue) -> list[Document]:
    """A document's signature page filed apart from it (its own file, elsewhere in the bundle), or an
    untitled last page of a signed type that closes (a staff list's recap and signature), goes back
    to the document: the one signed document of the bundle whose pages end without a closing;
    among several, the one that shows the signature's date, or else the only one without any."""
    signed = {t.doc_type for t in cat.types if t.signed}
    for orphan in [d for d in docs if len(d.pages) == 1]:
        page = by_ref[orphan.pages[0]]
        if orphan.doc_type == DocType.lainnya and is_closing_only(page, cat):
            kinds = signed
        elif (orphan.doc_type in signed and closes(page, cat)
              and orphan.doc_type not in page_evidence(page, cat).titled):
            kinds = {orphan.doc_type}  # a list's last page, its recap over the signature, filed apart
        else:
            continue
        unclosed = [d for d in docs
                    if d is not orphan and d.doc_type in kinds and not closes(by_ref[d.pages[-1]], cat)]
        if len(unclosed) > 1:
            signed_on = {day for _, day in _dating(page.text).signed}
            unclosed = ([d for d in unclosed if signed_on & set(_dates_in(d, by_ref))]
                        or [d for d in unclosed if not any(_dating(by_ref[r].text).signed for r in d.pages)])
        if len(unclosed) == 1:
            home = unclosed[0]
            home.pages.append(page.ref)
            home.ocr = home.ocr or page.ocr
            docs.remove(orphan)
    return docs


def _dates_in(doc: Document, by_ref: dict[PageRef, PageText]) -> list[date]:
    return [d for r in doc.pages for d in find_dates(by_ref[r].text)]
