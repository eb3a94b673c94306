"""The counter's upload: one application bundle (.zip) handed in by an applicant, put into the
workspace inbox, where the intake flow (the `intake` deployment, every minute) takes and verifies it.

Side effects at the edge: the upload is written under a hidden ``.part`` name in the inbox (the
intake ignores those), checked, then renamed to a name made here (``unggah-<time>-<random>.zip``)
in one step, so the intake sees a whole bundle or none. The client's file name is used for the
type check only and never touches the file system. A request whose declared body is larger than
the limit is refused by :class:`UploadLimit` before anything is stored.
"""

from __future__ import annotations

import logging
import os
import uuid
import zipfile
from pathlib import Path, PurePosixPath
from typing import Annotated, BinaryIO

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checklists.model import Role
from extractors.bundle import MANIFEST_NAME
from store import accounts
from store.inbox import Workspace
from web.auth import require_roles
from web.context import app_context, render
from web.flash import Flash, forget_flash, set_flash, take_flash

router = APIRouter()
log = logging.getLogger(__name__)

UPLOAD_PAGE = "/unggah"
FILE_FIELD = "berkas"
UPLOAD_ROLES: frozenset[str] = frozenset({Role.front_office.value, Role.back_office.value, Role.petugas_loket.value})
RECEIVED = "Berkas diterima; verifikasi berjalan."
TOO_BIG = "terlalu-besar"
# The form's other fields and the multipart boundaries, on top of the file itself.
FORM_OVERHEAD = 64 * 1024
_CHUNK = 1 << 20
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip's end record

MayUpload = Annotated[accounts.SignedIn, Depends(require_roles(UPLOAD_ROLES))]


class UploadRefused(Exception):
    """The upload is not a bundle the intake can take; ``message`` is the clerk's sentence."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@router.get(UPLOAD_PAGE)
def upload_page(request: Request, current: MayUpload, galat: str = "") -> Response:
    max_bytes = app_context(request).settings.max_upload_bytes
    error = too_big_message(max_bytes) if galat == TOO_BIG else ""
    response = _page(request, error=error, flash=take_flash(request))
    forget_flash(request, response)
    return response


@router.post(UPLOAD_PAGE)
async def upload(request: Request, current: MayUpload) -> Response:
    context = app_context(request)
    form = await request.form()  # already read (and its CSRF token checked) by web.auth.csrf_guard
    sent = form.get(FILE_FIELD)
    try:
        if not isinstance(sent, UploadFile) or not (sent.filename or "").strip():
            raise UploadRefused("Pilih berkas .zip yang akan diunggah.")
        name = await run_in_threadpool(
            receive_bundle, Workspace(context.home), sent.filename or "", sent.file,
            max_bytes=context.settings.max_upload_bytes, stamp=context.clock().strftime("%Y%m%dT%H%M%S"),
        )
    except UploadRefused as refused:
        return _page(request, error=refused.message, status_code=refused.status_code)
    log.info("berkas diunggah ke inbox sebagai %s oleh peran %s", name, current.user.role)
    response = RedirectResponse(UPLOAD_PAGE, status_code=303)
    set_flash(request, response, page=UPLOAD_PAGE, ok=True, text=(
        f"{RECEIVED} Kode unggahan: {Path(name).stem}. Permohonan muncul di antrian kerja dengan nomor "
        "permohonannya setelah pemeriksaan sistem selesai, biasanya dalam beberapa menit."
    ))
    return response


def receive_bundle(workspace: Workspace, client_name: str, data: BinaryIO, *, max_bytes: int, stamp: str) -> str:
    """Store the uploaded bundle in the inbox under a generated name (returned), or raise
    :class:`UploadRefused`. ``client_name`` is only looked at, never used as a path."""
    if not client_name.strip().lower().endswith(".zip"):
        raise UploadRefused("Hanya berkas .zip yang diterima: satu berkas permohonan berisi application.json "
                            "dan dokumen persyaratannya.", 415)
    inbox = workspace.ensure().inbox
    token = uuid.uuid4().hex[:12]
    partial = inbox / f".unggah-{token}.zip.part"
    try:
        size = _copy_limited(data, partial, max_bytes)
        if size == 0:
            raise UploadRefused("Berkas yang diunggah kosong.")
        problem = bundle_problem(partial)
        if problem:
            raise UploadRefused(problem, 415)
        name = f"unggah-{stamp}-{token}.zip"
        os.replace(partial, inbox / name)  # one step: the intake never sees half a bundle
    finally:
        partial.unlink(missing_ok=True)
    return name


def bundle_problem(path: Path) -> str:
    """Why the file at ``path`` is not a bundle the intake can open, or "" (a quick look only: the
    intake opens it fully and sets a bundle it cannot read aside with the reason)."""
    with path.open("rb") as head:
        if not head.read(4).startswith(_ZIP_MAGIC):
            return "Berkas ini bukan .zip (isinya bukan arsip zip), meskipun namanya berakhiran .zip."
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "Berkas .zip rusak dan tidak dapat dibuka. Buat ulang .zip-nya, lalu unggah lagi."
    if not any(_is_manifest(n) for n in names):
        return (f"Di dalam .zip tidak ada {MANIFEST_NAME} (data formulir permohonan): unggah berkas permohonan "
                "dari portal, bukan dokumen lepas.")
    return ""


def too_big_message(max_bytes: int) -> str:
    return f"Berkas terlalu besar: paling besar {_megabytes(max_bytes)} MB untuk satu permohonan."


class UploadLimit:
    """ASGI middleware: a POST to the upload page without a length, or longer than the limit, is
    answered before its body is stored (the body is read and dropped, so the browser shows the answer)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != UPLOAD_PAGE:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is None or not declared.isdigit():
            await _answer(send, 411, [(b"content-type", b"text/plain; charset=utf-8")],
                          b"Unggahan memerlukan panjang berkas (Content-Length).")
            return
        if int(declared) <= self.max_bytes + FORM_OVERHEAD:
            await self.app(scope, receive, send)
            return
        await _drain(receive)
        await _answer(send, 303, [(b"location", f"{UPLOAD_PAGE}?galat={TOO_BIG}".encode())], b"")


# --- helpers -----------------------------------------------------------------------------------------


def _page(request: Request, *, error: str = "", flash: Flash | None = None, status_code: int = 200) -> Response:
    max_bytes = app_context(request).settings.max_upload_bytes
    return render(request, "unggah.html", {
        "error": error, "flash": flash, "max_mb": _megabytes(max_bytes), "upload_url": UPLOAD_PAGE,
        "file_field": FILE_FIELD,
    }, status_code=status_code)


def _copy_limited(data: BinaryIO, target: Path, max_bytes: int) -> int:
    size = 0
    with target.open("xb") as out:
        while chunk := data.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UploadRefused(too_big_message(max_bytes), 413)
            out.write(chunk)
    return size


def _is_manifest(name: str) -> bool:
    """application.json at the root, or in the one folder a zipped folder holds."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return bool(parts) and parts[-1] == MANIFEST_NAME and len(parts) <= 2


def _megabytes(size: int) -> str:
    """Megabytes as an Indonesian reader writes them: 50, 0,25."""
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".").replace(".", ",")


async def _drain(receive: Receive) -> None:
    while True:
        message: Message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
