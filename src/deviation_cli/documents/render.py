"""The documents of a register, each rendered from a template: a notice (通知), a unit's list
(责任清单), the full table (任务分解表) and the due list.

This module returns text; writing files is the caller's job.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

from ..domain.annex import table_rows
from ..domain.issues import usage_error
from ..domain.register import Register
from ..domain.unit_lists import unit_list
from .page_plans import PagePlans
from .template_data import assigned_units, base_context, due_list
from .templating import render_template

KINDS = ("notice", "unit", "table", "due")
FORMATS = ("md", "html")
#: What a document may be written as: text, or a Word file (bytes, made from the HTML).
DOCUMENT_FORMATS = (*FORMATS, "docx")


def render_document(
    register: Register,
    kind: str,
    fmt: str = "md",
    *,
    unit: str | None = None,
    issuer: str | None = None,
    on: date | None = None,
    before: date | None = None,
    after: date | None = None,
    as_of: date | None = None,
    templates: str | os.PathLike[str] | None = None,
) -> str:
    """One document as text: ``kind`` in KINDS, ``fmt`` in FORMATS.

    notice: a 通知 to ``unit`` (or, without one, to every unit) from ``issuer``
    (default: the document's source office), dated ``on`` (default today).
    unit: ``unit``'s 责任清单. table: the full 任务分解表. due: the milestones in
    [after, before] (all of them by default), of one unit's tasks if given.
    """
    if kind not in KINDS:
        raise usage_error("arg_bad_choice", option="KIND", choices=", ".join(KINDS), value=kind)
    if fmt not in FORMATS:
        raise usage_error("arg_bad_choice", option="--format", choices=", ".join(FORMATS), value=fmt)
    context: dict[str, Any] = base_context(register)
    layout: PagePlans = context["layout"]
    if kind == "notice":
        issuer = issuer or register.document.source
        if not issuer:
            raise usage_error("render_needs_issuer")
        context.update(issuer=issuer, date=on or date.today())
        if unit is not None:
            recipient = unit_list(register, unit)
            context.update(recipient=recipient, recipients=None, layout=replace(layout, recipient=recipient))
        else:
            lists = [unit_list(register, name) for name in assigned_units(register)]
            rows = table_rows(register)
            context.update(
                recipient=None,
                recipients=lists,
                rows=rows,
                layout=replace(layout, rows=tuple(rows), recipients=tuple(lists)),
            )
    elif kind == "unit":
        if unit is None:
            raise usage_error("render_needs_unit", kind=kind)
        listed = unit_list(register, unit)
        context.update(unit=listed, layout=replace(layout, recipient=listed))
    elif kind == "table":
        if unit is not None:
            raise usage_error("render_unit_not_used", kind=kind)
        rows = table_rows(register)
        context.update(rows=rows, layout=replace(layout, rows=tuple(rows)))
    else:
        context.update(due=due_list(register, before, after, as_of, unit))
    return render_template(f"{kind}.{fmt}", context, templates)
