"""Jinja2/HTML layouts of every synthetic document type (``templates/<type>/<layout>.html``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from izinflow.samples.fonts import font_face_css, use_lite_fonts

TEMPLATE_DIR = Path(__file__).with_name("templates")

SOP_STEPS = (
    "Petugas menyapa pasien dengan ramah dan menanyakan tujuan kunjungan.",
    "Petugas meminta kartu identitas pasien atau kartu berobat.",
    "Petugas mencari data pasien pada sistem informasi atau indeks utama pasien.",
    "Apabila pasien baru, petugas mencatat data sosial pasien pada formulir identitas.",
    "Petugas mengambil atau membuat berkas rekam medis sesuai nomor rekam medis.",
    "Berkas rekam medis disimpan kembali pada rak sesuai sistem penjajaran angka akhir.",
    "Petugas mencatat kegiatan pada buku register.",
)


class _LiteFontLoader(jinja2.FileSystemLoader):
    """Loads templates with their DejaVu family names pointed at the light font copies."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, object]:
        source, filename, uptodate = super().get_source(environment, template)
        return use_lite_fonts(source), filename, uptodate


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_LiteFontLoader(str(TEMPLATE_DIR)), autoescape=False, undefined=jinja2.StrictUndefined
    )


def layouts_on_disk(doc_type: str) -> list[str]:
    return sorted(p.stem for p in (TEMPLATE_DIR / doc_type).glob("*.html"))


def render_html(doc_type: str, layout: str, ctx: dict[str, object]) -> str:
    template = environment().get_template(f"{doc_type}/{layout}.html")
    return template.render(steps=list(SOP_STEPS), font_faces=font_face_css(), **ctx)
