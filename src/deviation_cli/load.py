"""Finding, reading and validating a register folder: bytes -> located data -> models -> Register.

Lookup order for the folder: an explicit path, ``$DEVIATION_DATA``, ``./data``
when it holds a register, else the register bundled with the package.
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Issue, RegisterInvalid, RegisterUnreadable
from .register import Register

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass
class Report:
    """What validating a folder found: every issue, and the register when there is no error."""

    folder: Path
    issues: list[Issue] = field(default_factory=list)
    register: Register | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity != "error"]


def bundled_data_folder() -> Path:
    """The register shipped with the package (or the checkout's ``data/`` in an editable install)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled" / "data"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "data"


def bundled_templates_folder() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled" / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"


def find_register_folder(data: str | os.PathLike[str] | None = None) -> Path:
    if data:
        return Path(data)
    env = os.environ.get("DEVIATION_DATA")
    if env:
        return Path(env)
    local = Path("data")
    if (local / TASKS_FILE).is_file():
        return local
    return bundled_data_folder()


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_text(path: Path) -> str:
    """Read one register file as UTF-8, refusing what is too large before reading it."""
    from .yamlsource import decode_register_bytes

    shown = display_path(path)
    limit = int(os.environ.get("DEVIATION_MAX_BYTES") or DEFAULT_MAX_BYTES)
    try:
        size = path.stat().st_size
        if size > limit:
            raise RegisterUnreadable(Issue("file_too_large", shown, args={"size": size, "limit": limit}))
        with path.open("rb") as handle:
            # Ask for what stat promised (plus one byte, for a file that grew):
            # read(limit + 1) would claim the whole limit in memory up front.
            raw = handle.read(min(size, limit) + 1)
    except OSError as error:
        raise RegisterUnreadable(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    return decode_register_bytes(raw, shown)


def check_folder(folder: Path) -> None:
    shown = display_path(folder)
    # Why the try: exists() and is_dir() raise, not answer False, for a name
    # too long for the file system or a folder the user may not enter.
    try:
        if not folder.exists():
            raise RegisterUnreadable(Issue("missing_folder", args={"folder": shown}))
        if not folder.is_dir():
            raise RegisterUnreadable(Issue("not_a_folder", args={"folder": shown}))
        for name in (TASKS_FILE, UNITS_FILE):
            if not (folder / name).is_file():
                raise RegisterUnreadable(Issue("missing_file", args={"file": display_path(folder / name)}))
    except OSError as error:
        reason = error.strerror or str(error)
        raise RegisterUnreadable(Issue("unreadable_folder", args={"folder": shown, "reason": reason})) from None


def validate_folder(data: str | os.PathLike[str] | None = None) -> Report:
    """Read and check a register folder, collecting every issue in one pass.

    Raises RegisterUnreadable when a file cannot be read at all (exit 2);
    problems inside readable files are returned in the report (exit 1).
    """
    import gc

    from . import model
    from .checks import build_register, build_units
    from .yamlsource import parse_yaml

    folder = find_register_folder(data)
    check_folder(folder)
    report = Report(folder)
    texts = {name: read_text(folder / name) for name in (UNITS_FILE, TASKS_FILE)}

    # Building millions of small containers makes the cyclic collector rescan
    # everything again and again; nothing here forms cycles worth collecting.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        files: dict[str, tuple[str, Any, Any]] = {}
        for name, file_model in ((UNITS_FILE, model.UnitsFile), (TASKS_FILE, model.TasksFile)):
            shown = display_path(folder / name)
            root, issues = parse_yaml(texts[name], shown)
            report.issues.extend(issues)
            parsed = None
            if not issues:
                parsed = validate_records(root, file_model, shown, report.issues)
            files[name] = (shown, root, parsed)

        units_shown, units_root, units_file = files[UNITS_FILE]
        tasks_shown, tasks_root, tasks_file = files[TASKS_FILE]
        if units_file is None or tasks_file is None:
            return report
        directory = build_units(units_file, units_shown, units_root, report.issues)
        register = build_register(str(folder), tasks_file, tasks_shown, tasks_root, directory, report.issues)
        if not report.errors:
            report.register = register
        return report
    finally:
        if gc_was_enabled:
            gc.enable()


def load_register(data: str | os.PathLike[str] | None = None) -> Register:
    """The validated register of a folder (see ``find_register_folder`` for the lookup).

    >>> from deviation_cli import load_register
    >>> register = load_register()
    >>> [task.id for task in register.tasks if task.lead == "市审计局"]
    [2]
    """
    report = validate_folder(data)
    if report.register is None:
        raise RegisterInvalid(report.errors)
    return report.register


# --- schema validation, record by record --------------------------------------------------


def validate_records(root: Any, file_model: type, path: str, issues: list[Issue]) -> Any:
    """Validate a file's top level, then each record on its own.

    Why record by record: one broken task must not hide the problems of the
    others, and valid records still take part in the cross-record rules.
    Returns the file model built from what is valid, or None when the top level
    itself is unusable.
    """
    from pydantic import BaseModel, TypeAdapter, ValidationError

    if root is None:
        issues.append(Issue("file_empty", path, 1, 1))
        return None
    if not isinstance(root, dict):
        line, column = getattr(root, "line", 1), getattr(root, "column", 1)
        issues.append(Issue("expected_mapping", path, line, column, {"field": "/"}))
        return None

    fields = file_model.model_fields
    _unknown_keys(root, file_model, path, issues)
    values: dict[str, Any] = {}
    usable = True
    for name, info in fields.items():
        if name not in root:
            if info.is_required():
                line, column = root.line, root.column
                issues.append(Issue("missing_field", path, line, column, {"field": name}))
                usable = False
            continue
        value = root[name]
        item_type = _list_item_model(info.annotation)
        if item_type is not None:
            if not isinstance(value, list):
                _add_schema_issue({"type": "list_type", "loc": (name,)}, file_model, root, path, issues)
                usable = False
                continue
            kept = []
            for index, item in enumerate(value):
                try:
                    kept.append(item_type.model_validate(item))
                except ValidationError as error:
                    for detail in error.errors(include_url=False):
                        detail["loc"] = (name, index, *detail["loc"])
                        _add_schema_issue(detail, file_model, root, path, issues)
            values[name] = kept
        else:
            try:
                if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
                    values[name] = info.annotation.model_validate(value)
                else:
                    values[name] = TypeAdapter(info.annotation).validate_python(value, strict=True)
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    detail["loc"] = (name, *detail["loc"])
                    _add_schema_issue(detail, file_model, root, path, issues)
                usable = False
    return file_model.model_construct(**values) if usable else None


def _list_item_model(annotation: Any) -> type | None:
    from pydantic import BaseModel

    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _unknown_keys(root: Any, file_model: type, path: str, issues: list[Issue]) -> None:
    for key in root:
        if key not in file_model.model_fields:
            _add_schema_issue({"type": "extra_forbidden", "loc": (key,)}, file_model, root, path, issues)


_TYPE_CODES = {
    "missing": "missing_field",
    "string_type": "expected_text",
    "list_type": "expected_list",
    "model_type": "expected_mapping",
    "dict_type": "expected_mapping",
    "model_attributes_type": "expected_mapping",
    "string_too_short": "empty_text",
    "bad_number": "bad_number",
    "bad_date": "bad_date",
    "literal_error": "bad_choice",
    "greater_than_equal": "bad_number",
    "int_type": "bad_number",
    "extra_forbidden": "unknown_field",
}


def _add_schema_issue(detail: dict[str, Any], file_model: type, root: Any, path: str, issues: list[Issue]) -> None:
    from .yamlsource import locate

    loc = tuple(detail["loc"])
    kind = detail["type"]
    code = _TYPE_CODES.get(kind, "schema_other")
    field_name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "/")
    args: dict[str, Any] = {"field": field_name}
    if code == "unknown_field":
        import difflib

        allowed = _fields_at(file_model, loc[:-1])
        args["suggestions"] = difflib.get_close_matches(field_name, allowed, n=2, cutoff=0.5)
        line, column = locate(root, loc, at_key=True)
    elif code == "missing_field":
        line, column = locate(root, loc[:-1])
    else:
        line, column = locate(root, loc)
    context = detail.get("ctx") or {}
    if code in ("bad_number", "bad_date"):
        args["value"] = context.get("value", detail.get("input"))
    elif code == "bad_choice":
        args["value"] = detail.get("input")
        args["choices"] = context.get("expected", "")
    elif code == "schema_other":
        args["detail"] = detail.get("msg", kind)
    issues.append(Issue(code, path, line, column, args))


def _fields_at(file_model: type, loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc``, for 'did you mean' after an unknown key."""
    from pydantic import BaseModel

    current = file_model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        annotation = info.annotation
        item = _list_item_model(annotation)
        if item is not None:
            current = item
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            current = annotation
        else:
            return []
    return list(current.model_fields)
