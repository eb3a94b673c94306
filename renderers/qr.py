"""The verification QR code printed on every issued document, as an SVG data URI for an ``<img>``."""

from __future__ import annotations

import segno


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` (error correction M, quiet zone of four modules), black on white.

    SVG keeps the modules sharp at any print or scan resolution; WeasyPrint draws it as vectors.
    """
    if not url:
        raise ValueError("alamat verifikasi kosong")
    return segno.make_qr(url, error="m").svg_data_uri(scale=1, border=4, dark="#000", light="#fff")
