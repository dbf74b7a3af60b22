"""The one Jinja environment every document is rendered in: sandboxed, strict, with the print helpers.

Templates (Markdown and HTML) live in the repository's ``templates/`` folder,
bundled into the wheel; a user folder given with ``templates=`` is searched
first, so any one template can be replaced (a letterhead, a house style).

Why a sandboxed environment: a template folder is something a user hands the
tool, like the register itself, and must not reach Python internals through
``{{ x.__class__ }}``. Why StrictUndefined: a typo in a template must fail
loudly, not print a blank into a notice that gets sent.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import query, register
from ..domain.annex import TableRow
from ..domain.issues import Issue, UsageError, usage_error
from ..domain.unit_lists import UnitList
from ..formats.register_files import display_path, size_limit
from ..store.bundled import bundled_templates_folder
from . import template_limits as limits
from .page_plans import PagePlans, title_layout
from .printed_tables import MergedCell, PrintedRow, PrintedTable
from .punctuation import cjk_punctuation, date_zh, deadline_breaks, markdown_inline
from .template_data import DueList, Links

if TYPE_CHECKING:
    from jinja2 import Environment, FileSystemLoader
    from jinja2.runtime import Context
    from jinja2.sandbox import SandboxedEnvironment


def template_folders(templates: str | os.PathLike[str] | None = None, subfolder: str | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: the user's folder, then the bundled one.

    ``subfolder`` is searched before the bundled folder (the 通报's templates live in
    ``report/``); the user's folder is searched as given.
    """
    folders = []
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise usage_error("templates_folder_missing", folder=str(folder))
        folders.append(folder)
    bundled = bundled_templates_folder()
    if subfolder:
        # then the bundled folder itself: the 通报 shares the documents' style and layout
        folders.append(bundled / subfolder)
    folders.append(bundled)
    return folders


def environment(templates: str | os.PathLike[str] | None = None) -> Environment:
    """A sandboxed Jinja environment: autoescape for .html, StrictUndefined, the helpers as filters.

    One per template folder, so rendering a file per unit compiles each template once
    (Jinja still reloads a template whose file changed).
    """
    return _environment(tuple(str(folder) for folder in template_folders(templates)))


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> Environment:
    return build_environment(folders)


def build_environment(folders: Sequence[str], escape_all: bool = False, finalize: bool = True) -> Environment:
    """The one place a Jinja environment is made; every template the tool renders goes through one.

    Sandboxed, StrictUndefined, loading from ``folders`` in order (a user's folder
    first overrides a bundled template of the same name), with the helpers as filters.
    HTML-escaped: files named .html/.htm/.xml, or every template with ``escape_all``
    (the 通报's Markdown relies on it: a Markdown viewer renders HTML in a cell).
    ``finalize`` writes punctuation next to Chinese full-width in every value printed.
    Render with ``render_template`` so a broken template is a located message.
    Callers may add their own filters to the environment returned (it is new each call).
    """
    from jinja2 import StrictUndefined, select_autoescape

    options: dict[str, Any] = {"finalize": cjk_punctuation} if finalize else {}
    env = _sandbox()(
        loader=_loader()(list(folders), encoding="utf-8"),
        undefined=StrictUndefined,
        autoescape=True
        if escape_all
        else select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters["md"] = markdown_inline
    env.filters["date_zh"] = date_zh
    env.filters["zh"] = cjk_punctuation
    env.filters["deadline"] = deadline_breaks
    env.globals["title_lines"] = title_layout
    env.filters.update(limits.checked_filters(env.filters))
    env.globals["range"] = limits.bounded_range
    env.globals["lipsum"] = limits.checked_lipsum(env.globals["lipsum"])
    return env


@functools.lru_cache(maxsize=1)
def _sandbox() -> type[SandboxedEnvironment]:
    """SandboxedEnvironment, with a short way through for the register's own record types.

    Why: the sandbox checks every ``a.b`` in a template, which was a third of the
    time of a large site. For an instance of the plain records below, a name not
    starting with ``_`` is a field, a property or a method of ours, which the sandbox
    would allow anyway (it refuses ``_`` names and the internals of functions,
    frames, code and types; calling a method still goes through its checks).
    Anything else, and every ``_`` name, takes the sandbox's own path.
    """
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.nodes import Concat
    from jinja2.sandbox import SandboxedEnvironment

    class Generator(CodeGenerator):
        """Jinja's code generator, with every ``a ~ b`` checked for size (no hook of the sandbox sees it)."""

        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            self.write("environment.bounded_text(")
            super().visit_Concat(node, frame)
            self.write(")")

    plain = frozenset(
        {
            register.Document,
            register.Heading,
            register.Level,
            register.Plan,
            register.Task,
            register.Unit,
            register.Group,
            register.UnitRef,
            query.UnitTask,
            query.DueItem,
            TableRow,
            PagePlans,
            PrintedTable,
            PrintedRow,
            MergedCell,
            UnitList,
            DueList,
            Links,
        }
    )

    class Sandbox(SandboxedEnvironment):
        # Checked before Python computes them: 'x' * 2000000000, 9 ** 9 ** 9, '%2000000000d' % 1.
        intercepted_binops = frozenset({"*", "+", "**", "%"})
        code_generator_class = Generator

        @staticmethod
        def bounded_text(text: str) -> str:
            limits.check_built(text, "~")
            return text

        def getattr(self, obj: object, attribute: str) -> object:
            if type(obj) in plain and not attribute.startswith("_"):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            limits.tick()
            return super().getattr(obj, attribute)

        def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            limits.tick()
            limits.check_call(obj, args, kwargs)
            return super().call(context, obj, *args, **kwargs)

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            limits.tick()
            limits.check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            text = value.__self__

            def checked(*args: Any, **kwargs: Any) -> str:
                limits.check_format_string(text)
                return wrapped(*args, **kwargs)

            return checked

    return Sandbox


@functools.lru_cache(maxsize=1)
def _loader() -> type[FileSystemLoader]:
    """FileSystemLoader that refuses a template file reached through a symlink in a user's folder.

    Why: a template folder is something a user is handed, like a register; a
    ``_letterhead.md`` linked to /etc/passwd (or to a colleague's private file)
    would print that file into every notice. The bundled folder (searched last) is
    the package's own and is not checked.
    """
    from jinja2 import FileSystemLoader

    linked = _linked_template()

    class Loader(FileSystemLoader):
        def get_source(self, environment: Environment, template: str) -> Any:
            source = super().get_source(environment, template)
            filename = os.path.abspath(source[1])
            for folder in self.searchpath[:-1]:
                root = os.path.abspath(folder)
                if not filename.startswith(root + os.sep):
                    continue
                # every step below the user's folder: the file and each folder on the way to it
                step = filename
                while step != root and step.startswith(root + os.sep):
                    if os.path.islink(step):
                        raise linked(template, step, os.readlink(step))
                    step = os.path.dirname(step)
                break
            return source

    return Loader


@functools.lru_cache(maxsize=1)
def _linked_template() -> Any:  # a subclass of TemplateNotFound, made when jinja2 is imported
    """The error ``_loader`` raises for a linked template: a TemplateNotFound that says where and to what."""
    from jinja2 import TemplateNotFound

    class LinkedTemplate(TemplateNotFound):
        def __init__(self, name: str, path: str = "", to: str = ""):
            super().__init__(name)
            self.path, self.to = path, to

    return LinkedTemplate


def render_template(
    name: str,
    context: dict[str, Any],
    templates: str | os.PathLike[str] | None = None,
    env: Environment | None = None,
) -> str:
    """Render one template; a broken user template is a located UsageError, not a traceback."""
    from jinja2 import TemplateError

    env = env or environment(templates)
    try:
        template = env.get_template(name)
        # Streamed, so a document that grows past the size limit stops there (limits.bounded: the clock).
        pieces, size, most = [], 0, size_limit()
        with limits.bounded():
            for piece in template.generate(**context):
                size += len(piece)
                limits.check_output(size, most)
                pieces.append(piece)
        return "".join(pieces)
    except TemplateError as error:
        raise UsageError(_template_issue(error, name, env)) from None
    except Exception as error:
        # `{{ 1 / 0 }}` in a user's template is the user's to fix; the same in a
        # bundled template is a bug and keeps its traceback.
        path, line = _failing_template_line(error, env, user_only=True)
        if not path:
            raise
        problem = f"{type(error).__name__}: {error}"
        raise UsageError(
            Issue("template_error", display_path(Path(path)), line, 1, {"name": name, "problem": problem})
        ) from None


def _template_issue(error: Exception, name: str, env: Environment) -> Issue:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if limits.is_too_costly(error):
        path, line = _failing_template_line(error, env)
        code, args = limits.issue_of(error)
        return Issue(code, display_path(Path(path)) if path else "", line, 1 if line else 0, {"name": name, **args})
    if isinstance(error, _linked_template()):
        where, to = getattr(error, "path", ""), getattr(error, "to", "")
        return Issue("template_is_link", display_path(Path(where)), args={"name": error.name or name, "to": to})
    if isinstance(error, TemplateNotFound):
        return Issue("template_missing", args={"name": error.name or name})
    path, line = "", 0
    if isinstance(error, TemplateSyntaxError):
        path, line = error.filename or "", error.lineno or 0
        code = "template_syntax"
    else:
        path, line = _failing_template_line(error, env)
        code = (
            "template_unsafe"
            if isinstance(error, SecurityError)
            else ("template_undefined" if isinstance(error, UndefinedError) else "template_error")
        )
    message = getattr(error, "message", None) or str(error)
    return Issue(
        code, display_path(Path(path)) if path else "", line, 0 if not line else 1, {"name": name, "problem": message}
    )


def _failing_template_line(error: Exception, env: Environment, user_only: bool = False) -> tuple[str, int]:
    """The template file and line where rendering failed (Jinja puts them in the traceback).

    With ``user_only``, only a user's folder counts (the bundled one is searched last).
    """
    from jinja2 import FileSystemLoader

    loader = env.loader
    assert isinstance(loader, FileSystemLoader)  # every environment here comes from build_environment
    folders = [os.path.abspath(folder) for folder in loader.searchpath]
    if user_only:
        bundled = os.path.abspath(bundled_templates_folder())
        folders = [folder for folder in folders if folder != bundled and not folder.startswith(bundled + os.sep)]
    found = ("", 0)
    tb = error.__traceback__
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if any(filename.startswith(folder + os.sep) for folder in folders):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
