"""Pictures drawn with PIL: meterai, signatures, stamps, passport photos, QR codes."""

from __future__ import annotations

import base64
import io
import math
import random
from functools import lru_cache

import segno
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(FONT_DIR + name, size)
    except OSError:
        return ImageFont.load_default(size)


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False, compress_level=3)
    return buf.getvalue()


def data_uri(img: Image.Image) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(img)).decode()


def _centered(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    fnt: ImageFont.FreeTypeFont,
    width: int,
    fill: tuple[int, ...],
) -> None:
    w = draw.textlength(text, font=fnt)
    draw.text(((width - w) / 2, y), text, font=fnt, fill=fill)


def meterai_tempel(rng: random.Random) -> Image.Image:
    """A Rp10.000 meterai tempel: pink/purple rectangle with perforated edge and a serial number."""
    w, h = 240, 280
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    base = rng.choice(((214, 120, 170), (190, 110, 190), (225, 140, 160)))
    d.rectangle((0, 0, w - 1, h - 1), fill=(*base, 255))
    for x in range(0, w, 12):
        d.ellipse((x - 4, -4, x + 4, 4), fill=(255, 255, 255, 0))
        d.ellipse((x - 4, h - 5, x + 4, h + 3), fill=(255, 255, 255, 0))
    d.rectangle((12, 12, w - 13, h - 13), outline=(120, 40, 90, 255), width=3)
    d.ellipse((60, 40, 180, 150), outline=(160, 80, 40, 255), width=4, fill=(230, 190, 120, 255))
    _centered(d, 70, "RI", font(40, True), w, (120, 40, 60, 255))
    _centered(d, 20, "METERAI", font(24, True), w, (70, 20, 60, 255))
    _centered(d, 150, "TEMPEL", font(22, True), w, (70, 20, 60, 255))
    _centered(d, 178, "10000", font(38, True), w, (70, 20, 60, 255))
    _centered(d, 222, "SEPULUH RIBU RUPIAH", font(15, True), w, (70, 20, 60, 255))
    serial = f"{rng.randint(1, 9)}{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(2))}"
    serial += f"{rng.randint(10, 99)}{rng.choice('ABCDEF')}X{rng.randint(100000000, 999999999)}"
    _centered(d, 244, serial, font(13), w, (40, 10, 40, 255))
    return img


def emeterai_serial(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(alphabet) for _ in range(22))


def e_meterai(rng: random.Random) -> Image.Image:
    """An e-Meterai: QR code with the serial, 'METERAI ELEKTRONIK', '10000', Garuda-ish emblem."""
    serial = emeterai_serial(rng)
    qr = qr_image(serial, scale=4)
    w, h = 300, 190
    img = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(
        (2, 2, w - 3, h - 3), radius=14, outline=(30, 100, 160, 255), width=3, fill=(245, 250, 255, 235)
    )
    qr = qr.resize((130, 130))
    img.paste(qr, (12, 30))
    d.text((152, 24), "METERAI", font=font(22, True), fill=(20, 70, 130, 255))
    d.text((152, 50), "ELEKTRONIK", font=font(18, True), fill=(20, 70, 130, 255))
    d.text((152, 82), "10000", font=font(36, True), fill=(200, 40, 40, 255))
    d.text((152, 128), "SEPULUH RIBU", font=font(14, True), fill=(20, 70, 130, 255))
    d.text((152, 146), "RUPIAH", font=font(14, True), fill=(20, 70, 130, 255))
    d.text((14, 164), serial, font=font(12), fill=(20, 20, 20, 255))
    return img


@lru_cache(maxsize=256)
def qr_image(payload: str, scale: int = 3) -> Image.Image:
    buf = io.BytesIO()
    segno.make(payload, error="m").save(buf, kind="png", scale=scale, border=2)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def signature(rng: random.Random, color: tuple[int, int, int] = (20, 30, 120)) -> Image.Image:
    """A hand-written-looking scribble."""
    w, h = 260, 110
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    x, y = 15.0, h / 2 + rng.uniform(-10, 10)
    pts = []
    for i in range(rng.randint(40, 70)):
        x += rng.uniform(2, 5.5)
        y = h / 2 + 30 * math.sin(i * rng.uniform(0.4, 0.9)) * rng.uniform(0.3, 1.0)
        pts.append((x, y))
        if x > w - 20:
            break
    d.line(pts, fill=(*color, 255), width=3, joint="curve")
    d.line([(pts[0][0] - 5, pts[-1][1] + 15), (pts[-1][0], pts[0][1] - 20)], fill=(*color, 255), width=2)
    return img


def round_stamp(
    rng: random.Random, outer: str, inner: str, color: tuple[int, int, int] = (60, 60, 170)
) -> Image.Image:
    """An institution's round cap stamp with text around the rim."""
    size = 240
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = (*color, 200)
    d.ellipse((4, 4, size - 5, size - 5), outline=c, width=5)
    d.ellipse((40, 40, size - 41, size - 41), outline=c, width=2)
    fnt = font(17, True)
    text = outer.upper()
    n = len(text)
    for i, ch in enumerate(text):
        ang = math.pi * (1.1 + 0.8 * i / max(n - 1, 1)) + math.pi * 0.0
        ang = -math.pi * 0.95 + (1.9 * math.pi) * i / max(n, 1)
        r = size / 2 - 24
        cx, cy = size / 2 + r * math.sin(ang), size / 2 - r * math.cos(ang)
        glyph = Image.new("RGBA", (24, 24), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 2), ch, font=fnt, fill=c)
        glyph = glyph.rotate(-math.degrees(ang), resample=Image.BICUBIC)
        img.alpha_composite(glyph, (int(cx - 12), int(cy - 12)))
    for k, line in enumerate(inner.upper().split("\n")):
        _centered(d, 100 + 22 * k, line, font(16, True), size, c)
    return img.rotate(rng.uniform(-20, 20), resample=Image.BICUBIC)


def legalisir_stamp(rng: random.Random, kind: str) -> Image.Image:
    """Rectangular legalisation stamp: 'SESUAI DENGAN ASLINYA' or 'TELAH DILEGALISIR'."""
    w, h = 420, 150
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = (40, 50, 160, 210) if rng.random() < 0.7 else (170, 40, 60, 210)
    d.rectangle((3, 3, w - 4, h - 4), outline=c, width=4)
    title = "SESUAI DENGAN ASLINYA" if kind == "asli" else "TELAH DILEGALISIR"
    _centered(d, 14, title, font(26, True), w, c)
    d.text((18, 60), "Tgl : ____________", font=font(18), fill=c)
    d.text((18, 92), "Wakil Direktur Bid. Akademik", font=font(16), fill=c)
    return img.rotate(rng.uniform(-6, 6), expand=True, resample=Image.BICUBIC)


def pas_foto(rng: random.Random, background: str, perempuan: bool, width: int = 400) -> Image.Image:
    """A 4x6 head-and-shoulders portrait on a plain red or blue background, no text."""
    h = width * 3 // 2
    bg = {"merah": (200, 30, 40), "biru": (30, 90, 190)}[background]
    bg = tuple(max(0, min(255, v + rng.randint(-15, 15))) for v in bg)
    img = Image.new("RGB", (width, h), bg)
    d = ImageDraw.Draw(img)
    # vertical light gradient, as studio lighting gives
    for y in range(0, h, 4):
        k = 1.0 + 0.15 * (1 - y / h)
        d.line((0, y, width, y), fill=tuple(min(255, int(v * k)) for v in bg), width=4)
    cx = width // 2
    skin = rng.choice(((224, 180, 150), (198, 150, 115), (170, 120, 90), (236, 196, 164)))
    shirt = rng.choice(((250, 250, 250), (30, 40, 60), (120, 20, 40), (40, 90, 60)))
    sw = width // 2
    d.ellipse((cx - int(sw * 0.95), int(h * 0.72), cx + int(sw * 0.95), int(h * 1.3)), fill=shirt)
    d.rectangle((cx - width // 12, int(h * 0.55), cx + width // 12, int(h * 0.75)), fill=skin)
    hw, hh = int(width * 0.22), int(h * 0.20)
    hy = int(h * 0.40)
    if perempuan and rng.random() < 0.75:
        hijab = rng.choice(((20, 20, 30), (230, 230, 235), (90, 30, 60), (30, 60, 120)))
        d.ellipse((cx - hw - 30, hy - hh - 35, cx + hw + 30, hy + hh + 50), fill=hijab)
        d.polygon(
            [
                (cx - hw - 45, int(h * 0.62)),
                (cx + hw + 45, int(h * 0.62)),
                (cx + sw, int(h * 0.85)),
                (cx - sw, int(h * 0.85)),
            ],
            fill=hijab,
        )
        d.ellipse((cx - hw + 8, hy - hh + 18, cx + hw - 8, hy + hh), fill=skin)
    else:
        d.ellipse((cx - hw, hy - hh, cx + hw, hy + hh), fill=skin)
        hair = (25, 20, 20)
        d.chord((cx - hw - 4, hy - hh - 10, cx + hw + 4, hy + hh // 2), 180, 360, fill=hair)
        if not perempuan:
            d.polygon(
                [(cx - 18, int(h * 0.72)), (cx + 18, int(h * 0.72)), (cx, int(h * 0.85))],
                fill=(250, 250, 250),
            )
    ey = hy - hh // 8
    for ex in (cx - hw // 2.6, cx + hw // 2.6):
        d.ellipse((ex - 9, ey - 5, ex + 9, ey + 5), fill=(30, 25, 25))
    d.arc((cx - 25, hy + hh // 3, cx + 25, hy + hh // 2 + 15), 20, 160, fill=(140, 60, 60), width=4)
    d.line((cx, ey + 8, cx - 6, hy + hh // 4), fill=tuple(v - 40 for v in skin), width=3)
    return img.filter(ImageFilter.GaussianBlur(1.2))


def ktp_photo(rng: random.Random, perempuan: bool) -> Image.Image:
    return pas_foto(rng, rng.choice(("merah", "biru")), perempuan, width=180)
