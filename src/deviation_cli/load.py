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

    return decode_register_bytes(read_bytes(path), display_path(path))


def read_bytes(path: Path) -> bytes:
    """One register file's bytes, refusing what is too large before reading it."""
    shown = display_path(path)
    limit = _size_limit()
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
    return raw


def _size_limit() -> int:
    try:
        return max(1, int(os.environ.get("DEVIATION_MAX_BYTES", "")))
    except ValueError:
        return DEFAULT_MAX_BYTES


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


def validate_folder(
    data: str | os.PathLike[str] | None = None, tracking: bool = True, *, cache: bool = False
) -> Report:
    """Read and check a register folder, collecting every issue in one pass.

    With ``tracking``, the folder's progress reports and indicator files (when
    present) are checked too; their problems fail validation but do not stop
    the register itself from loading.

    Raises RegisterUnreadable when a file cannot be read at all (exit 2);
    problems inside readable files are returned in the report (exit 1).
    With ``cache``, a valid register is also written to the cache (see
    ``cache.py``) so that the next query skips validation; validating never
    reads the cache.
    """
    folder = find_register_folder(data)
    check_folder(folder)
    raws = _read_files(folder)
    report = _validate(folder, raws, tracking)
    if cache and report.register is not None:
        from . import cache as register_cache

        if register_cache.enabled():
            register_cache.store(folder, register_cache.content_key(raws), report.register)
    return report


def _read_files(folder: Path) -> list[bytes]:
    return [read_bytes(folder / name) for name in (UNITS_FILE, TASKS_FILE)]


def _validate(folder: Path, raws: list[bytes], tracking: bool) -> Report:
    from .yamlsource import decode_register_bytes

    shown = {name: display_path(folder / name) for name in (UNITS_FILE, TASKS_FILE)}
    texts = {name: decode_register_bytes(raw, shown[name]) for name, raw in zip((UNITS_FILE, TASKS_FILE), raws)}
    return validate_texts(folder, texts, shown, tracking)


def validate_texts(folder: Path, texts: dict[str, str], shown: dict[str, str], tracking: bool = False) -> Report:
    """Check a register given as the text of its two files (e.g. read from a git revision).

    ``shown`` names each file as issues should print it (``HEAD~1:data/tasks.yaml``).
    """
    import gc

    from . import model
    from .checks import build_register, build_units, review_register
    from .yamlsource import parse_yaml

    report = Report(folder)
    # Building millions of small containers makes the cyclic collector rescan
    # everything again and again; nothing here forms cycles worth collecting.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    bar = _progress_bar(folder, texts)
    try:
        files: dict[str, tuple[str, Any, Any]] = {}
        for name, file_model in ((UNITS_FILE, model.UnitsFile), (TASKS_FILE, model.TasksFile)):
            big = bar is not None and name == TASKS_FILE
            root, issues = parse_yaml(texts[name], shown[name], progress=bar.stage(0.0, 0.6) if big else None)
            report.issues.extend(issues)
            parsed = None
            if not issues:
                parsed = validate_records(root, file_model, shown[name], report.issues,
                                          progress=bar.stage(0.6, 0.7) if big else None)
            files[name] = (shown[name], root, parsed)

        units_shown, units_root, units_file = files[UNITS_FILE]
        tasks_shown, tasks_root, tasks_file = files[TASKS_FILE]
        if units_file is None or tasks_file is None:
            return report
        directory = build_units(units_file, units_shown, units_root, report.issues, _unit_names(units_root))
        register = build_register(str(folder), tasks_file, tasks_shown, tasks_root, directory, report.issues,
                                  progress=bar.stage(0.7, 1.0) if bar is not None else None)
        review_register(register, (units_shown, units_root), (tasks_shown, tasks_root), report.issues)
        if not report.errors:
            report.register = _keep(register)
            if tracking:
                from .tracking import check_tracking_files

                check_tracking_files(folder, register, report.issues)
        return report
    finally:
        if bar is not None:
            bar.close()
        file_order = {shown[name]: rank for rank, name in enumerate((UNITS_FILE, TASKS_FILE))}
        report.issues.sort(key=lambda issue: (file_order.get(issue.path, 9), issue.line, issue.column))
        if gc_was_enabled:
            gc.enable()


def _unit_names(units_root: Any) -> list[str]:
    """Every unit name units.yaml writes, valid record or not.

    Why: a unit whose record has a mistake (a bad kind) is still the unit the
    tasks mean; without this, one typo in units.yaml would also flag every task
    naming that unit.
    """
    names: list[str] = []
    records = units_root.get("units") if isinstance(units_root, dict) else None
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and isinstance(record.get("name"), str):
            names.append(record["name"])
    return names


#: From this many characters of YAML on (about 5,000 tasks, 4 MB, a second or more), validation shows a progress bar.
PROGRESS_CHARACTERS = 1_500_000


def _progress_bar(folder: Path, texts: dict[str, str]) -> Any:
    """A live progress bar for a large register on a terminal, else None (and no import)."""
    if sum(len(text) for text in texts.values()) < PROGRESS_CHARACTERS:
        return None
    from .progressbar import Bar

    bar = Bar(display_path(folder))
    return bar if bar.live else None


def load_register(data: str | os.PathLike[str] | None = None, *, cache: bool = False) -> Register:
    """The validated register of a folder (see ``find_register_folder`` for the lookup).

    With ``cache`` (the CLI's default, off with ``--no-cache``), a register
    validated before from the same bytes is read back from the user's cache
    folder instead of being validated again (see ``cache.py``).

    >>> from deviation_cli import load_register
    >>> register = load_register()
    >>> [task.id for task in register.tasks if task.lead == "市审计局"]
    [2]
    """
    folder = find_register_folder(data)
    check_folder(folder)
    raws = _read_files(folder)
    key = None
    if cache:
        from . import cache as register_cache

        if register_cache.enabled():
            key = register_cache.content_key(raws)
            hit = register_cache.load(folder, key)
            if hit is not None:
                return _keep(hit)
    report = _validate(folder, raws, tracking=False)
    if report.register is None:
        raise RegisterInvalid(report.errors)
    if key is not None:
        register_cache.store(folder, key, report.register)
    return _keep(report.register)


#: From this many tasks on, a loaded register is moved out of the garbage collector's sight.
FREEZE_TASKS = 5000


def _keep(register: Register) -> Register:
    """Hand out a register; a large one is frozen out of the cyclic garbage collector.

    Why: its million objects were made with the collector paused, so they all
    sit in the youngest generation; the first collections after it resumes
    would walk every one of them, again and again as generations fill, while
    the query allocates its output. None of them is part of a cycle
    (refcounting frees them), so ``gc.freeze`` costs nothing but those walks.
    """
    if len(register.tasks) >= FREEZE_TASKS:
        import gc

        gc.freeze()
    return register


# --- schema validation, record by record --------------------------------------------------


def validate_records(root: Any, file_model: type, path: str, issues: list[Issue], progress: Any = None) -> Any:
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
            fast = _plain_record_builder(item_type)
            for index, item in enumerate(value):
                if progress is not None and not index % 4096:
                    progress(index / len(value))
                if fast is not None:
                    record = fast(item)
                    if record is not None:
                        kept.append(record)
                        continue
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


#: Fields of the records a large register has many of, and what each must be for
#: ``_plain_record_builder`` to take the record without asking pydantic:
#: "number" (ASCII digits, no leading zero), "text" (non-empty str),
#: "texts" (list of non-empty str), "optional" (non-empty str, may be absent).
_PLAIN_RECORDS: dict[str, dict[str, str]] = {
    "Task": {"id": "number", "measure": "number", "text": "text", "lead": "text", "responsible": "texts", "deadline": "text"},
    "Measure": {"number": "number", "dimension": "text", "title": "text", "body_title": "optional", "text": "optional"},
}
_REQUIRED_KINDS = ("number", "text")


def _plain_record_builder(item_type: type) -> Any:
    """A function building ``item_type`` from a record that is plainly valid, else returning None.

    Why: pydantic spends ~12 µs per task in its Python validators, seconds on
    100,000 tasks, yet nearly every record is plainly valid. A record this
    builder accepts is one the strict model accepts with the same values
    (tests/test_cache.py checks both agree); for any other record it returns
    None and pydantic validates it, so every problem is still worded by the
    same code path as before.
    """
    from .model import MAX_NUMBER_DIGITS

    spec = _PLAIN_RECORDS.get(item_type.__name__)
    if spec is None or set(spec) != set(item_type.model_fields):
        return None
    from types import SimpleNamespace

    required = {name for name, kind in spec.items() if kind in _REQUIRED_KINDS}
    allowed = set(spec)
    numbers = [name for name, kind in spec.items() if kind == "number"]
    texts = [name for name, kind in spec.items() if kind == "text"]
    optionals = [name for name, kind in spec.items() if kind == "optional"]
    lists = [name for name, kind in spec.items() if kind == "texts"]
    defaults = {name: info.default for name, info in item_type.model_fields.items() if not info.is_required()}

    def build(item: Any) -> Any:
        if not isinstance(item, dict):
            return None
        keys = item.keys()
        if not (keys <= allowed and required <= keys):
            return None
        values = dict(item)
        for name in numbers:
            value = values[name]
            if (
                value.__class__ is not str
                or not (value.isascii() and value.isdigit())
                or value[0] == "0"
                or len(value) > MAX_NUMBER_DIGITS  # pydantic's path says why
            ):
                return None
            values[name] = int(value)
        for name in texts:
            value = values[name]
            if value.__class__ is not str or not value:
                return None
        for name in optionals:
            if name in values:
                value = values[name]
                if value.__class__ is not str or not value:
                    return None
        for name in lists:
            if name in values:
                value = values[name]
                if not isinstance(value, list) or not all(entry.__class__ is str and entry for entry in value):
                    return None
                values[name] = list(value)
        if len(values) < len(spec):
            for name, default in defaults.items():
                if name not in values:
                    values[name] = list(default) if isinstance(default, list) else default
        # The checks read fields by name only: a plain namespace is all they need,
        # and costs a tenth of ``model_construct``.
        return SimpleNamespace(**values)

    return build


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
    "bad_decimal": "bad_decimal",
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
    if code == "expected_text" and detail.get("input") is None:
        code = "empty_text"  # `lead:` with nothing after it
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
    if code in ("bad_number", "bad_date", "bad_decimal"):
        args["value"] = context.get("value", detail.get("input"))
    elif code == "bad_choice":
        args["value"] = detail.get("input")
        args["choices"] = str(context.get("expected", "")).replace("' or '", "', '").replace("'", "")
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
