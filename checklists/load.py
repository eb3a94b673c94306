"""Reading the checklist files (the edge where YAML becomes typed models).

A file is composed into YAML nodes first, so that any validation error can be reported with the
file and the line of the offending key, the way a clerk editing the file needs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from checklists.model import Catalogue, OfficeProfile, ServiceChecklist

DATA_ROOT = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)

# Codes arrive from applicants' application.json: only this shape may become part of a path.
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ChecklistError(Exception):
    """A checklist file that cannot be used; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def office_path(office: str, root: Path | None = None) -> Path:
    _check_code(office)
    return (root or DATA_ROOT) / "offices" / f"{office}.yaml"


def service_path(office: str, service: str, root: Path | None = None) -> Path:
    _check_code(office)
    _check_code(service)
    return (root or DATA_ROOT) / "services" / office / f"{service}.yaml"


def load_office(code: str, *, root: Path | None = None) -> OfficeProfile:
    if root is None:
        return _load_office_cached(code)
    return _load_office(code, root)


def load_service(office: str, service: str, *, root: Path | None = None) -> ServiceChecklist:
    if root is None:
        return _load_service_cached(office, service)
    return _load_service(office, service, root)


def load_catalogue(*, root: Path | None = None) -> Catalogue:
    base = root or DATA_ROOT
    offices = {p.stem: load_office(p.stem, root=root) for p in sorted((base / "offices").glob("*.yaml"))}
    services: dict[str, dict[str, ServiceChecklist]] = {}
    for path in sorted((base / "services").glob("*/*.yaml")):
        office = path.parent.name
        if office not in offices:
            raise ChecklistError(path, 0, f"kantor {office!r} tidak memiliki profil di offices/{office}.yaml")
        services.setdefault(office, {})[path.stem] = load_service(office, path.stem, root=root)
    return Catalogue(offices=offices, services=services)


def is_known_service(office: str, service: str, variant: str, *, root: Path | None = None) -> bool:
    if not (_CODE.fullmatch(office) and _CODE.fullmatch(service)):
        return False
    if not service_path(office, service, root).is_file():
        return False
    checklist = load_service(office, service, root=root)
    return any(v.code == variant for v in checklist.variants)


def load_model(path: Path, model: type[M]) -> M:
    """Parse one YAML file into ``model``; any problem is a ChecklistError with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChecklistError(path, 0, f"berkas tidak dapat dibaca: {exc.strerror}") from exc
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ChecklistError(path, 1, "berkas kosong")
            _check_duplicate_keys(path, node)
            _check_dates(path, node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ChecklistError(path, line, f"YAML tidak sah: {exc.problem or exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple((first.get("ctx") or {}).get("loc", first["loc"]))
        line = _line_of(node, loc)
        where = ".".join(str(part) for part in loc) or "(dokumen)"
        more = f" (dan {exc.error_count() - 1} kesalahan lain)" if exc.error_count() > 1 else ""
        raise ChecklistError(path, line, f"{where}: {first['msg']}{more}") from exc


def _check_code(code: str) -> None:
    if not _CODE.fullmatch(code):
        raise ValueError(f"kode tidak sah: {code!r}")


def _load_office(code: str, root: Path) -> OfficeProfile:
    path = office_path(code, root)
    if not path.is_file():
        raise ChecklistError(path, 0, f"kantor {code!r} tidak dikenal")
    profile = load_model(path, OfficeProfile)
    if profile.code != code:
        raise ChecklistError(path, _line_of_key(path, "code"), f"code {profile.code!r} harus {code!r}")
    return profile


def _load_service(office: str, service: str, root: Path) -> ServiceChecklist:
    path = service_path(office, service, root)
    if not path.is_file():
        raise ChecklistError(path, 0, f"layanan {office}/{service} tidak dikenal")
    checklist = load_model(path, ServiceChecklist)
    for key, expected in (("office", office), ("code", service)):
        if getattr(checklist, key) != expected:
            line = _line_of_key(path, key)
            raise ChecklistError(path, line, f"{key} {getattr(checklist, key)!r} harus {expected!r}")
    return checklist


@cache
def _load_office_cached(code: str) -> OfficeProfile:
    return _load_office(code, DATA_ROOT)


@cache
def _load_service_cached(office: str, service: str) -> ServiceChecklist:
    return _load_service(office, service, DATA_ROOT)


def _line_of(node: yaml.Node, loc: Sequence[Any]) -> int:
    """The 1-based line of the node that ``loc`` (a pydantic error path) points at.

    Parts that are not in the tree (a discriminated union's tag, a missing key) keep the
    deepest node found so far.
    """
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pair = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
            if pair is None:
                continue
            line = pair[0].start_mark.line + 1
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
    return line


def _line_of_key(path: Path, key: str) -> int:
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return _line_of(node, (key,)) if node is not None else 0


def _check_duplicate_keys(path: Path, node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(getattr(key, "value", ""))
            if name in seen:
                raise ChecklistError(path, key.start_mark.line + 1, f"kunci {name!r} ditulis dua kali")
            seen.add(name)
            _check_duplicate_keys(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(path, item)


def _check_dates(path: Path, node: yaml.Node) -> None:
    """A date-like value that is no date (2026-02-30) fails here, with its line: YAML itself would
    raise a bare ValueError while building the document."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _check_dates(path, key)
            _check_dates(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_dates(path, item)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise ChecklistError(path, node.start_mark.line + 1, f"tanggal tidak sah: {node.value} ({exc})") from exc
