"""Lightweight copies of the DejaVu fonts for WeasyPrint.

DejaVu's large OpenType layout tables make WeasyPrint's font subsetting take ~0.3 s per document;
copies without them (kept in a cache directory, made once) render the same Latin text in a fraction.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FACES = {  # (family, weight, style) -> file stem
    ("DejaVu Sans", "normal", "normal"): "DejaVuSans",
    ("DejaVu Sans", "bold", "normal"): "DejaVuSans-Bold",
    ("DejaVu Sans", "normal", "italic"): "DejaVuSans-Oblique",
    ("DejaVu Sans", "bold", "italic"): "DejaVuSans-BoldOblique",
    ("DejaVu Serif", "normal", "normal"): "DejaVuSerif",
    ("DejaVu Serif", "bold", "normal"): "DejaVuSerif-Bold",
    ("DejaVu Serif", "normal", "italic"): "DejaVuSerif-Italic",
    ("DejaVu Serif", "bold", "italic"): "DejaVuSerif-BoldItalic",
}
LITE = {"DejaVu Sans": "Berkas Sans", "DejaVu Serif": "Berkas Serif"}  # distinct names: fontconfig must not
# resolve them to the system copies
_DROP = ("GSUB", "MATH", "GPOS", "GDEF", "kern", "hdmx", "VDMX", "LTSH", "fpgm", "prep", "cvt ", "gasp")


def _lite(stem: str, cache: Path) -> Path | None:
    target = cache / f"{stem}-lite.ttf"
    if target.exists():
        return target
    source = SYSTEM_DIR / f"{stem}.ttf"
    if not source.exists():
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    for tag in _DROP:
        if tag in font:
            del font[tag]
    font["post"].formatType = 3.0  # no glyph names: less to parse on every subset
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(target)
    return target


def use_lite_fonts(source: str) -> str:
    """Point a template's DejaVu family names at the light copies, keeping DejaVu as the fallback."""
    for family, lite in LITE.items():
        source = source.replace(f'"{family}"', f'"{lite}", "{family}"')
        source = source.replace(f'font-family="{family}"', f'font-family="{lite}, {family}"')
    return source


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """@font-face rules mapping the DejaVu family names to the light copies ('' when DejaVu is absent)."""
    cache = Path(tempfile.gettempdir()) / "izinflow-samples-fonts-v3"
    cache.mkdir(parents=True, exist_ok=True)
    rules = []
    for (family, weight, style), stem in _FACES.items():
        path = _lite(stem, cache)
        if path is not None:
            rules.append(
                f'@font-face {{ font-family: "{LITE[family]}"; font-weight: {weight}; font-style: {style}; '
                f"src: url({path.as_uri()}); }}"
            )
    return "\n".join(rules)
