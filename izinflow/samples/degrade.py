"""Make clean page renderings look scanned or photographed with a phone (PIL + numpy)."""

from __future__ import annotations

import io
import random
import time

import numpy as np
from PIL import Image, ImageFilter

EXIF_ORIENTATION = 0x0112
# EXIF orientation -> how to turn the upright picture so that a viewer applying the tag shows it upright.
_STORE_ROTATION = {1: 0, 3: 180, 6: 90, 8: 270}
FIXED_DATE = time.gmtime(1767225600)


def _noise(arr: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    gen = np.random.default_rng(rng.randrange(2**32))
    noise = gen.standard_normal(arr.shape, dtype=np.float32)
    noise *= sigma
    arr += noise
    return arr


def scan(img: Image.Image, rng: random.Random) -> tuple[Image.Image, int]:
    """Scanner look: greyish paper, small skew, noise, slight blur, sometimes a 90/180/270 turn.

    Returns the image and the counter-clockwise rotation (degrees) of the content.
    """
    grey = rng.random() < 0.45
    img = img.convert("L" if grey else "RGB")
    paper = rng.uniform(0.86, 0.97)
    arr = np.asarray(img, dtype=np.float32) * paper + rng.uniform(0, 8)
    arr = _noise(arr, rng, rng.uniform(3, 9))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    fill = int(255 * paper) if grey else (int(250 * paper), int(250 * paper), int(245 * paper))
    skew = rng.uniform(0.5, 3.0) * rng.choice((-1, 1))
    img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=fill)
    if rng.random() < 0.6:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    turn = 0
    if rng.random() < 0.15:
        turn = rng.choice((90, 180, 270))
        img = img.rotate(turn, expand=True)
    return img, turn


def phone_photo(img: Image.Image, rng: random.Random) -> Image.Image:
    """Phone-camera look: uneven lighting, warm tint, a dark table border, slight tilt and blur."""
    img = img.convert("RGB")
    w, h = img.size
    border = int(min(w, h) * rng.uniform(0.03, 0.08))
    table = (rng.randint(60, 120), rng.randint(45, 90), rng.randint(30, 60))
    canvas = Image.new("RGB", (w + 2 * border, h + 2 * border), table)
    canvas.paste(
        img.rotate(rng.uniform(-4, 4), resample=Image.BICUBIC, expand=False, fillcolor=(235, 235, 230)),
        (border, border),
    )
    arr = np.asarray(canvas, dtype=np.float32)
    hh, ww = arr.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * ww, rng.uniform(0.2, 0.8) * hh
    dist = np.sqrt(((xx - cx) / ww) ** 2 + ((yy - cy) / hh) ** 2)
    light = 1.05 - rng.uniform(0.25, 0.45) * dist
    arr = arr * light[..., None] * np.array([1.0, 0.97, 0.9], dtype=np.float32)
    arr = _noise(arr, rng, rng.uniform(3, 7))
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))


def jpeg_with_orientation(img: Image.Image, orientation: int, quality: int) -> bytes:
    """Store the picture turned so that a viewer applying the EXIF Orientation tag shows it upright."""
    stored = img.rotate(_STORE_ROTATION[orientation], expand=True) if orientation != 1 else img
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    exif[0x010F] = "samsung"
    exif[0x0110] = "SM-A245F"
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def image_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), one page per image."""
    buf = io.BytesIO()
    first, rest = images[0], images[1:]
    first.save(
        buf,
        "PDF",
        resolution=float(dpi),
        save_all=True,
        append_images=rest,
        quality=70,
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
        producer="Canon MF3010 ScanGear",
    )
    return buf.getvalue()
