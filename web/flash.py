"""One message carried from a form's answer (a redirect) to the page it leads to, in a short-lived cookie.

The page shows it once and the browser forgets it. The message is the app's own sentence, shown
escaped like any text: a forged cookie can at most put words on the sender's own screen.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from fastapi import Request, Response

from web.auth import secure_cookies

FLASH_COOKIE = "izinflow_pesan"
_MAX_TEXT = 1500


@dataclass(frozen=True)
class Flash:
    ok: bool
    text: str


def set_flash(request: Request, response: Response, *, page: str, ok: bool, text: str) -> None:
    """Leave ``text`` for the next showing of ``page`` (a path of this app) only."""
    data = json.dumps({"ok": ok, "text": text[:_MAX_TEXT]}, ensure_ascii=False).encode()
    response.set_cookie(FLASH_COOKIE, base64.urlsafe_b64encode(data).decode().rstrip("="), max_age=120, path=page,
                        httponly=True, samesite="lax", secure=secure_cookies(request))


def take_flash(request: Request) -> Flash | None:
    """The message waiting for this page, if any (pair with :func:`forget_flash` on the response)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)))
        return Flash(bool(data["ok"]), str(data["text"])[:_MAX_TEXT])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None


def forget_flash(request: Request, response: Response) -> None:
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path=request.url.path)
