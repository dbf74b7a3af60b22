"""Schema validation of one parsed file, entry by entry, each problem mapped to its YAML node.

Why entry by entry: one broken task must not hide the problems of the others,
and valid entries still take part in the cross-record rules. Pydantic's errors
carry a ``loc`` (``("tasks", 3, "lead")``); ``locate`` turns it into the line
and column the clerk has to change.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, TypeVar

from pydantic import BaseModel, Discriminator, Tag, TypeAdapter, ValidationError

from ..domain.issues import Issue
from ..formats.yaml_lines import RecordLayout
from ..formats.yaml_tree import YamlList, YamlMap, YamlPath, YamlValue, locate
from .entries import is_plain_number

_File = TypeVar("_File", bound=BaseModel)

#: Problems collected before the rest of a list is left unchecked. Why: a file of a million
#: broken one-line tasks had five million, 2.6 GB of them, and nobody reads past the first screen.
MAX_PROBLEMS_COLLECTED = 100_000


def validate_entries(
    root: YamlValue,
    file_model: type[_File],
    path: str,
    issues: list[Issue],
    progress: Callable[[float], None] | None = None,
    kept_indexes: dict[str, list[int]] | None = None,
) -> _File | None:
    """Validate a file's top level, then each entry of its lists on its own.

    Returns the file model built from what is valid (entries that fail are left
    out of their list), or None when the top level itself is unusable. With
    ``kept_indexes``, each list field's name is mapped to the positions in the
    file of the entries kept, so later rules can point at them.
    """
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
        item_model = _list_item_chooser(info.annotation)
        if item_model is not None:
            if not isinstance(value, list):
                _add_schema_issue({"type": "list_type", "loc": (name,)}, file_model, root, path, issues)
                usable = False
                continue
            # Plainly valid entries are namespaces with the model's fields (see ``_plain_entry_builder``).
            kept: list[BaseModel | SimpleNamespace] = []
            positions: list[int] = []
            fast_builders: dict[type[BaseModel], Callable[[YamlValue], SimpleNamespace | None] | None] = {}
            for index, item in enumerate(value):
                item_type = item_model(item)
                if item_type not in fast_builders:
                    fast_builders[item_type] = _plain_entry_builder(item_type)
                fast = fast_builders[item_type]
                if progress is not None and not index % 4096:
                    progress(index / len(value))
                if len(issues) >= MAX_PROBLEMS_COLLECTED:
                    line, column = value.item_position(index) if isinstance(value, YamlList) else (1, 1)
                    issues.append(Issue("too_many_problems", path, line, column, {"limit": MAX_PROBLEMS_COLLECTED}))
                    usable = False
                    break
                if fast is not None:
                    entry = fast(item)
                    if entry is not None:
                        kept.append(entry)
                        positions.append(index)
                        continue
                try:
                    kept.append(item_type.model_validate(item))
                    positions.append(index)
                except ValidationError as error:
                    for detail in error.errors(include_url=False):
                        detail["loc"] = (name, index, *detail["loc"])
                        _add_schema_issue(detail, file_model, root, path, issues)
            values[name] = kept
            if kept_indexes is not None:
                kept_indexes[name] = positions
        else:
            annotation = info.annotation
            assert annotation is not None  # every field of the file models is annotated
            try:
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    values[name] = annotation.model_validate(value)
                else:
                    values[name] = TypeAdapter(annotation).validate_python(value, strict=True)
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    detail["loc"] = (name, *detail["loc"])
                    _add_schema_issue(detail, file_model, root, path, issues)
                usable = False
    return file_model.model_construct(**values) if usable else None


#: Fields of the records a large register has many of, and what each must be for
#: ``_plain_entry_builder`` to take the record without asking pydantic:
#: "number" (ASCII digits, no leading zero), "text" (non-empty str),
#: "texts" (list of non-empty str), "optional" (non-empty str, may be absent),
#: "optional_number" (a number, may be absent), "units" (non-empty str or list of them, may be absent).
_PLAIN_ENTRIES: dict[str, dict[str, str]] = {
    "TaskEntry": {
        "id": "number",
        "measure": "optional_number",
        "heading": "optional",
        "text": "text",
        "lead": "units",
        "responsible": "texts",
        "deadline": "text",
        "remark": "optional",
        "unconfirmed": "optional",
    },
    "MeasureEntry": {
        "number": "number",
        "dimension": "text",
        "title": "text",
        "body_title": "optional",
        "text": "optional",
    },
}
_REQUIRED_KINDS = ("number", "text")


def record_layouts(file_model: type[_File]) -> dict[str, RecordLayout]:
    """The order the records of each of the file's lists are written in, by their first key.

    The order of ``_PLAIN_ENTRIES``, which is the order ``deviation init`` and ``import``
    write (``id``, ``measure``/``heading``, ``text``, ``lead``, ``responsible``, ``deadline``, ...):
    the line reader reads a record so written in one match (``formats.yaml_lines``).
    """
    layouts: dict[str, RecordLayout] = {}
    for info in file_model.model_fields.values():
        item = _list_item_model(info.annotation)
        spec = _PLAIN_ENTRIES.get(item.__name__) if item is not None else None
        if spec:
            layout = tuple((name, kind == "texts") for name, kind in spec.items())
            layouts[layout[0][0]] = layout
    return layouts


def _plain_entry_builder(item_type: type[BaseModel]) -> Callable[[YamlValue], SimpleNamespace | None] | None:
    """A function building ``item_type`` from a record that is plainly valid, else returning None.

    Why: pydantic spends ~12 µs per task in its Python validators, seconds on
    100,000 tasks, yet nearly every record is plainly valid. A record this
    builder accepts is one the strict model accepts with the same values
    (tests/test_cache.py checks both agree); for any other record it returns
    None and pydantic validates it, so every problem is still worded by the
    same code path as before.
    """
    spec = _PLAIN_ENTRIES.get(item_type.__name__)
    if spec is None or set(spec) != set(item_type.model_fields):
        return None

    required = {name for name, kind in spec.items() if kind in _REQUIRED_KINDS}
    allowed = set(spec)
    numbers = [name for name, kind in spec.items() if kind == "number"]
    optional_numbers = [name for name, kind in spec.items() if kind == "optional_number"]
    unit_lists = [name for name, kind in spec.items() if kind == "units"]
    texts = [name for name, kind in spec.items() if kind == "text"]
    optionals = [name for name, kind in spec.items() if kind == "optional"]
    lists = [name for name, kind in spec.items() if kind == "texts"]
    defaults = {name: info.default for name, info in item_type.model_fields.items() if not info.is_required()}
    # Written over by the record's own values; a list default is made afresh for each record that lacks it.
    fixed_defaults = {name: value for name, value in defaults.items() if not isinstance(value, list)}
    list_defaults = {name: value for name, value in defaults.items() if isinstance(value, list)}

    def build(item: YamlValue) -> SimpleNamespace | None:
        if not isinstance(item, dict):
            return None
        if not (allowed.issuperset(item) and required <= item.keys()):
            return None
        # The checks read fields by name only: a plain namespace is all they need,
        # and costs a tenth of ``model_construct``. Lists stay the parsed lists (no copy).
        entry = SimpleNamespace(**fixed_defaults)
        fields = entry.__dict__
        fields.update(item)
        for name in numbers:
            value = fields[name]
            if value.__class__ is not str or not is_plain_number(value):
                return None
            fields[name] = int(value)
        # An optional field written with no value (``measure:``) is pydantic's to judge: only absence is plain.
        for name in optional_numbers:
            if name in item:
                value = item[name]
                if value.__class__ is not str or not is_plain_number(value):
                    return None
                fields[name] = int(value)
        for name in unit_lists:
            if name in item:
                value = item[name]
                if value.__class__ is str:
                    if not value:
                        return None
                elif not isinstance(value, list) or not value or not _texts(value):
                    return None
        for name in texts:
            value = fields[name]
            if value.__class__ is not str or not value:
                return None
        for name in optionals:
            if name in item:
                value = item[name]
                if value.__class__ is not str or not value:
                    return None
        for name in lists:
            if name in item:
                value = item[name]
                if not isinstance(value, list) or not _texts(value):
                    return None
        for name, default in list_defaults.items():
            if name not in item:
                fields[name] = list(default)
        return entry

    return build


def _texts(values: list[Any]) -> bool:
    """Whether every item is a non-empty string (a YAML list of plain names)."""
    if "" in values:
        return False
    try:
        # Checked in C: join takes strings only (the parsers make no str subclasses).
        "".join(values)
    except TypeError:
        return False
    return True


def _list_item_model(annotation: object) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _list_item_chooser(annotation: object) -> Callable[[YamlValue], type[BaseModel]] | None:
    """For a list of entries, the model each item is checked against.

    One model for a plain list; for a list of tagged entries (a progress file's
    reports and checks, ``entries.ProgressEntry``), the model its discriminator
    names for the item. Why not let pydantic pick: checking the item against its
    own model keeps each problem's ``loc`` free of the tag, so it is located as
    any other.
    """
    single = _list_item_model(annotation)
    if single is not None:
        return lambda item: single
    models = _tagged_models(annotation)
    if models is None:
        return None
    kind, by_tag = models
    return lambda item: by_tag[kind(item)]


def _tagged_models(annotation: object) -> tuple[Callable[[Any], Any], dict[str, type[BaseModel]]] | None:
    """``list[Annotated[A | B, Discriminator(f)]]`` with each member tagged → (f, tag → model)."""
    if typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation)
    if typing.get_origin(item) is not typing.Annotated:
        return None
    union, *extras = typing.get_args(item)
    kind = next((extra.discriminator for extra in extras if isinstance(extra, Discriminator)), None)
    if not callable(kind):
        return None
    by_tag: dict[str, type[BaseModel]] = {}
    for member in typing.get_args(union):
        model, *marks = typing.get_args(member)
        tag = next((mark.tag for mark in marks if isinstance(mark, Tag)), None)
        if tag is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        by_tag[tag] = model
    return kind, by_tag


def _unknown_keys(root: YamlMap, file_model: type[BaseModel], path: str, issues: list[Issue]) -> None:
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


def _add_schema_issue(
    detail: Mapping[str, Any], file_model: type[BaseModel], root: YamlValue, path: str, issues: list[Issue]
) -> None:
    """``detail`` is one of pydantic's error dicts (``ErrorDetails``), or the like made here."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    code = _TYPE_CODES.get(kind, "schema_other")
    if code == "expected_text" and detail.get("input") is None:
        code = "empty_text"  # `lead:` with nothing after it
    field_name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "/")
    args: dict[str, Any] = {"field": field_name}
    if code == "unknown_field":
        allowed = _fields_at(file_model, loc[:-1], root)
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


def _fields_at(file_model: type[BaseModel], loc: YamlPath, root: YamlValue = None) -> list[str]:
    """Field names allowed at ``loc``, for 'did you mean' after an unknown key.

    In a list of tagged entries (reports and checks), the item at ``loc`` in ``root`` says which.
    """
    current: type[BaseModel] = file_model
    node: YamlValue = root
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        node = node.get(part) if isinstance(node, dict) else None
        info = current.model_fields.get(part)
        if info is None:
            return []
        annotation = info.annotation
        item = _list_item_model(annotation)
        if item is None and isinstance(node, list):
            choose = _list_item_chooser(annotation)
            index = next((p for p in loc[loc.index(part) + 1 :] if isinstance(p, int)), None)
            if choose is not None and index is not None and 0 <= index < len(node):
                item = choose(node[index])
        if item is not None:
            current = item
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            current = annotation
        else:
            return []
    return list(current.model_fields)
