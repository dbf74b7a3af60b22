"""Bounds on what one template may cost: time, output, loop steps, and the sizes of what it builds.

Why: a template folder is handed to the tool like a register, and Jinja's
sandbox stops a template from reaching Python internals but not from spending
the machine: ``{% for i in range(100000) %}{% for j in range(100000) %}`` runs
for hours, ``'{:>2000000000}'.format(1)``, ``'%2000000000d' % 1`` and
``'x'.center(2000000000)`` each ask for 2 GB in one call. The sandbox of
``templating`` calls the checks below on every ``range``, string formatting,
padding, repetition and power, and ``bounded`` watches the clock and the
output while a template renders.

Every limit is far above what a real document needs: the 通知 for every unit of
a 100,000-task register is about 100 MB of text and runs no ``range`` at all.
"""

from __future__ import annotations

import os
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: Seconds one document may take to render (``DEVIATION_TEMPLATE_SECONDS`` changes it).
DEFAULT_SECONDS = 120.0
#: Steps all ``range()`` loops of one document may take together.
MAX_RANGE_STEPS = 1_000_000
#: Widest field a format or padding may ask for (``{:>N}``, ``%Nd``, ``center(N)``, ``indent(N)``).
MAX_WIDTH = 10_000
#: Longest text or list ``*``, ``+`` or ``replace`` may build in one step.
MAX_BUILT = 10_000_000
#: Largest power (in bits) ``**`` may compute.
MAX_POWER_BITS = 100_000

_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


class _Budget(threading.local):
    deadline: float | None = None
    seconds: float = DEFAULT_SECONDS
    range_steps: int = 0
    ticks: int = 0


_budget = _Budget()


def seconds_allowed() -> float:
    try:
        return max(0.001, float(os.environ.get("DEVIATION_TEMPLATE_SECONDS", "")))
    except ValueError:
        return DEFAULT_SECONDS


def too_costly(code: str, **args: object) -> Exception:
    """The error every bound raises: a SecurityError (so the template's file and line are found for it)
    carrying the issue code and arguments of its message."""
    error = _too_costly_class()(code)
    error.code, error.args_ = code, args  # type: ignore[attr-defined]
    return error


def issue_of(error: BaseException) -> tuple[str, dict[str, object]]:
    """The issue code and arguments a ``too_costly`` error carries."""
    return getattr(error, "code", "template_too_slow"), dict(getattr(error, "args_", {}))


_TOO_COSTLY: list[type[Exception]] = []


def _too_costly_class() -> type[Exception]:
    if not _TOO_COSTLY:
        from jinja2.exceptions import SecurityError

        class TemplateTooCostly(SecurityError):
            """A template went past one of the bounds of ``template_limits``."""

        _TOO_COSTLY.append(TemplateTooCostly)
    return _TOO_COSTLY[0]


def is_too_costly(error: BaseException) -> bool:
    return bool(_TOO_COSTLY) and isinstance(error, _TOO_COSTLY[0])


# --- the clock ---------------------------------------------------------------------------------


def tick() -> None:
    """Called by the sandbox's hooks; every few thousand calls, checks the deadline (where no alarm can)."""
    _budget.ticks += 1
    if _budget.ticks & 0xFFF == 0 and _budget.deadline is not None and time.monotonic() > _budget.deadline:
        raise too_costly("template_too_slow", seconds=f"{_budget.seconds:g}")


@contextmanager
def bounded(seconds: float | None = None) -> Iterator[None]:
    """Within the block, one document renders: a fresh range budget and a deadline.

    In the main thread on POSIX an interval timer interrupts a template at the
    deadline even inside a loop that calls nothing; elsewhere the hooks check the
    clock (a loop over a list that calls no function is then bounded by its list).
    """
    seconds = seconds if seconds is not None else seconds_allowed()
    saved = (_budget.deadline, _budget.seconds, _budget.range_steps)
    _budget.deadline, _budget.seconds, _budget.range_steps = time.monotonic() + seconds, seconds, 0
    alarm = _start_alarm(seconds)
    try:
        yield
    finally:
        if alarm is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, alarm)
        _budget.deadline, _budget.seconds, _budget.range_steps = saved


def _start_alarm(seconds: float) -> Any:
    """Arm SIGALRM for ``seconds``; the previous handler, or None when no alarm could be armed."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None
    if signal.getitimer(signal.ITIMER_REAL)[0]:
        return None  # someone else's timer is running: leave it alone, the hooks still check

    def ring(signum: int, frame: FrameType | None) -> None:
        raise too_costly("template_too_slow", seconds=f"{seconds:g}")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


def check_output(size: int, limit: int) -> None:
    if size > limit:
        raise too_costly("template_too_long", limit=limit)


# --- what a template builds --------------------------------------------------------------------


def bounded_range(*args: int) -> Iterator[int]:
    """``range`` for templates: every step counted against the document's budget."""
    from jinja2.sandbox import safe_range

    for number in safe_range(*args):
        _budget.range_steps += 1
        if _budget.range_steps > MAX_RANGE_STEPS:
            raise too_costly("template_too_many_steps", limit=MAX_RANGE_STEPS)
        if _budget.range_steps & 0xFFFF == 0:
            _budget.ticks = 0xFFF
            tick()
        yield number


def check_width(width: object, what: str) -> None:
    if isinstance(width, int) and not isinstance(width, bool) and abs(width) > MAX_WIDTH:
        raise too_costly("template_too_wide", what=what, width=width, limit=MAX_WIDTH)


def check_format_string(text: str) -> None:
    """A ``str.format`` string: no width or precision over MAX_WIDTH, none taken from a value."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format itself says what is wrong
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise too_costly("template_width_from_value", what="format()")
        for digits in re.findall(r"\d+", spec):
            check_width(int(digits), "format()")


def check_percent_format(text: str, args: object) -> None:
    """A ``%`` format: no width or precision over MAX_WIDTH, and none given as ``*``."""
    for match in _PERCENT_SPEC.finditer(text):
        for part in match.groups():
            if part == "*":
                raise too_costly("template_width_from_value", what="%")
            if part:
                check_width(int(part), "%")


def check_binop(operator: str, left: object, right: object) -> None:
    """``*``, ``+``, ``**`` and ``%`` of a template, checked before Python computes them."""
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and not isinstance(count, bool):
                if len(sequence) * count > MAX_BUILT:
                    raise too_costly("template_too_big", what="*", limit=MAX_BUILT)
    elif operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > MAX_BUILT:
                raise too_costly("template_too_big", what="+", limit=MAX_BUILT)
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if abs(left).bit_length() * right > MAX_POWER_BITS:
                raise too_costly("template_too_big", what="**", limit=MAX_POWER_BITS)
    elif operator == "%" and isinstance(left, str):
        check_percent_format(left, right)


def check_built(value: str, what: str) -> None:
    """A text a template has just built (``a ~ b``): refused past MAX_BUILT, before it doubles again."""
    if len(value) > MAX_BUILT:
        raise too_costly("template_too_big", what=what, limit=MAX_BUILT)


def check_call(function: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A method a template calls on a text: padding and ``replace`` checked for the size they would make."""
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _PADDING_METHODS:
        for value in (*args, *kwargs.values()):
            check_width(value, f"{name}()")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = owner.count(args[0]) if args[0] else len(owner) + 1
        if len(owner) + count * len(args[1]) > MAX_BUILT:
            raise too_costly("template_too_big", what="replace()", limit=MAX_BUILT)


def checked_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The filters that pad or format, wrapped with the same checks as the methods."""
    from jinja2 import pass_eval_context

    format_filter, center, indent, replace = filters["format"], filters["center"], filters["indent"], filters["replace"]
    slice_filter, tojson = filters["slice"], filters["tojson"]

    def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
        check_percent_format(str(value), args or kwargs)
        return format_filter(value, *args, **kwargs)

    def center_(value: Any, width: int = 80) -> Any:
        check_width(width, "center")
        return center(value, width)

    def indent_(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        check_width(width if isinstance(width, int) else len(str(width)), "indent")
        return indent(value, width, *args, **kwargs)

    @pass_eval_context
    def replace_(context: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
            check_call(value.replace, (old, new), {})
        return replace(context, value, old, new, count)

    def slice_(value: Any, slices: int, *args: Any, **kwargs: Any) -> Any:
        check_width(slices, "slice")
        return slice_filter(value, slices, *args, **kwargs)

    @pass_eval_context
    def tojson_(context: Any, value: Any, indent: Any = None) -> Any:
        check_width(indent, "tojson")
        return tojson(context, value, indent)

    return {
        "format": format_,
        "center": center_,
        "indent": indent_,
        "replace": replace_,
        "slice": slice_,
        "tojson": tojson_,
    }


def checked_lipsum(lipsum: Any) -> Callable[..., Any]:
    """Jinja's ``lipsum(n, html, min, max)``, its paragraph count and lengths bounded like a width."""

    def lipsum_(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        check_width(n * 100, "lipsum")
        check_width(min, "lipsum")
        check_width(max, "lipsum")
        return lipsum(n, html, min, max)

    return lipsum_
