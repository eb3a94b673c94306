"""The review app's settings, from the environment with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from store.accounts import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT


@dataclass(frozen=True)
class WebSettings:
    idle_timeout: timedelta = IDLE_TIMEOUT
    absolute_timeout: timedelta = ABSOLUTE_TIMEOUT
    # None: Secure cookies exactly when the request came over https (behind a proxy, run uvicorn
    # with --proxy-headers so that the scheme is the browser's); True/False forces it.
    secure_cookies: bool | None = None
    # The largest bundle (.zip) the upload page takes; the request is refused before its body is stored.
    max_upload_bytes: int = 50 * 1024 * 1024


def load_web_settings() -> WebSettings:
    """``IZINFLOW_WEB_IDLE_MINUTES``, ``IZINFLOW_WEB_ABSOLUTE_HOURS``, ``IZINFLOW_WEB_SECURE_COOKIES``
    (``auto``, ``1`` or ``0``), ``IZINFLOW_WEB_MAX_UPLOAD_MB``."""
    secure = os.environ.get("IZINFLOW_WEB_SECURE_COOKIES", "auto").strip().lower()
    return WebSettings(
        idle_timeout=timedelta(minutes=float(os.environ.get("IZINFLOW_WEB_IDLE_MINUTES", "30"))),
        absolute_timeout=timedelta(hours=float(os.environ.get("IZINFLOW_WEB_ABSOLUTE_HOURS", "12"))),
        secure_cookies=None if secure in ("", "auto") else secure in ("1", "true", "yes", "ya"),
        max_upload_bytes=round(float(os.environ.get("IZINFLOW_WEB_MAX_UPLOAD_MB", "50")) * 1024 * 1024),
    )
