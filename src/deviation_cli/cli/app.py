"""The Typer application, its global options, and the edge where errors become exit codes.

Command modules register themselves on ``app``; each command only declares its
options, calls the library and hands the result to ``output``. This layer is the
only one that prints or exits.
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar, overload

import typer
import typer.core
import typer.main

from .._version import __version__
from ..domain.deadlines import DeadlineError, parse_date_argument
from ..domain.issues import DeviationError, Interrupted, Issue, UsageError
from ..formats.register_files import display_path
from ..formats.yaml_tree import keep_parsed_until_exit
from ..output.issue_lines import format_issues, limit_issues
from ..store.bundled import bundled_data_folder
from ..words import LANGS, Lang, as_lang, say

#: Every command, in the order ``--help`` lists them, and the module of this package that defines it.
#: Why a table: a query imports the one module it runs instead of all of them (documents, exchange,
#: tracking), which took longer than the query itself. tests/cli/test_commands.py checks that it
#: names exactly the commands the modules register.
COMMAND_MODULES = {
    "validate": "validate_command",
    "due": "due_command",
    "tasks": "query_commands",
    "unit": "query_commands",
    "units": "query_commands",
    "dimensions": "query_commands",
    "show": "query_commands",
    "search": "query_commands",
    "render": "render_commands",
    "site": "render_commands",
    "schema": "schema_command",
    "diff": "diff_command",
    "record": "tracking_commands",
    "status": "tracking_commands",
    "indicators": "tracking_commands",
    "report": "tracking_commands",
    "verify": "tracking_commands",
    "export": "exchange_commands",
    "import": "exchange_commands",
    "init": "init_command",
}

#: A click command or group, as typer builds it (typer vendors click from 0.28 on, so no import names it).
ClickCommand = Any


class _Commands(MutableMapping[str, ClickCommand]):
    """The top-level commands by name: every name known up front, each command built when first asked for."""

    def __init__(self, built: Mapping[str, ClickCommand]):
        self._built = dict(built)

    def __getitem__(self, name: str) -> ClickCommand:
        command = self._built.get(name)
        if command is None:
            if name not in COMMAND_MODULES:
                raise KeyError(name)
            command = self._built[name] = _build_command(name)
        return command

    def __iter__(self) -> Iterator[str]:
        yield from COMMAND_MODULES
        yield from (name for name in self._built if name not in COMMAND_MODULES)

    def __len__(self) -> int:
        return len(COMMAND_MODULES) + sum(1 for name in self._built if name not in COMMAND_MODULES)

    def __setitem__(self, name: str, command: ClickCommand) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


class LazyGroup(typer.core.TyperGroup):
    """The ``deviation`` group, whose commands are imported and built only when used."""

    def __init__(self, **attrs: Any):
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> ClickCommand | None:
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)


def _build_command(name: str) -> ClickCommand:
    """Import the module of command ``name`` and build the click command typer makes of it."""
    importlib.import_module(f"{__package__}.{COMMAND_MODULES[name]}")
    for info in app.registered_commands:
        if info.name == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
            )
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return typer.main.get_group(group.typer_instance)
    raise LookupError(f"{COMMAND_MODULES[name]} registers no command {name!r}")


app = typer.Typer(
    name="deviation",
    cls=LazyGroup,
    help=(
        "Query, check and print a policy's task decomposition table (任务分解表).\n\n"
        "Example: deviation due --before 2023-07-31"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


#: How many problems a command prints before it only counts the rest (``--max-problems``).
DEFAULT_MAX_PROBLEMS = 200


class Settings:
    """The global options of this run (a plain class: a dataclass costs start-up time for nothing here)."""

    def __init__(self) -> None:
        self.data: str | None = None
        self.lang: Lang = "zh"
        self.cache = True
        #: The loaded register's own words for its columns (Plan.words): listings head their columns with them.
        self.words: dict[str, str] = {}
        #: The title of the register bundled with the package, when a command answered from it (no --data given).
        self.bundled: str | None = None
        self.max_problems = DEFAULT_MAX_PROBLEMS


settings = Settings()


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"deviation {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data: str | None = typer.Option(
        None,
        "--data",
        envvar="DEVIATION_DATA",
        metavar="DIR",
        help="Register folder (tasks.yaml, units.yaml). Default: ./data if it holds one, else the bundled register.",
    ),
    lang: str = typer.Option(
        "zh", "--lang", envvar="DEVIATION_LANG", metavar="zh|en", help="Language of labels and messages."
    ),
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Show the version."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Validate the register again instead of reading the cache of it (also DEVIATION_NO_CACHE=1).",
    ),
) -> None:
    """Query, check and print a policy's task decomposition table (任务分解表)."""
    settings.data = data
    settings.lang = _lang_option(lang)
    settings.cache = not no_cache
    settings.words = {}
    settings.bundled = None
    settings.max_problems = DEFAULT_MAX_PROBLEMS


def _lang_option(value: str) -> Lang:
    try:
        return as_lang(value)
    except ValueError:
        print_issues([Issue("arg_bad_choice", args={"option": "--lang", "choices": ", ".join(LANGS), "value": value})])
        raise typer.Exit(2) from None


def print_issues(issues: list[Issue], stream: IO[str] | None = None) -> None:
    """Issues as text lines on stderr: at most ``settings.max_problems`` of them, then how many more.

    Why a cap: a file of a million broken tasks has five million problems; printing
    them all took a minute and gigabytes, and nobody reads past the first screens.
    """
    shown, hidden = limit_issues(issues, settings.max_problems)
    out = stream or sys.stderr
    out.write(format_issues(shown, "text", settings.lang))
    tell_more(hidden, out)


def write_stdout(content: str | bytes) -> None:
    """A document to standard output: text as text, a workbook or Word file as its bytes, in order."""
    if isinstance(content, bytes):
        sys.stdout.flush()  # what was printed as text before goes out first
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)


def tell_more(hidden: int, stream: IO[str] | None = None) -> None:
    """The line after a capped list of problems: how many were not printed, and how to see them."""
    if hidden:
        (stream or sys.stderr).write(say("cli.more_problems", settings.lang, count=hidden) + "\n")


MAX_PROBLEMS_HELP = "Print at most N problems, then how many more there are; 0 prints them all."


def max_problems_option() -> Any:
    """``--max-problems N`` for the commands that report many problems at once (validate, import)."""
    return typer.Option(DEFAULT_MAX_PROBLEMS, "--max-problems", min=0, metavar="N", help=MAX_PROBLEMS_HELP)


def tell(key: str, **args: object) -> None:
    """One sentence of the catalog on stderr (what was written, where): data stays on stdout."""
    sys.stderr.write(say(key, settings.lang, **args) + "\n")


F = TypeVar("F", bound=Callable[..., Any])

# Why: users type `deviation validate --data DIR` as often as `deviation --data DIR validate`;
# every command accepts the global options after its name too.
_LOCAL_OPTIONS = [
    inspect.Parameter(
        "data_here",
        inspect.Parameter.KEYWORD_ONLY,
        annotation=str | None,
        default=typer.Option(None, "--data", metavar="DIR", help="Register folder (same as the global --data)."),
    ),
    inspect.Parameter(
        "lang_here",
        inspect.Parameter.KEYWORD_ONLY,
        annotation=str | None,
        default=typer.Option(None, "--lang", metavar="zh|en", help="Language (same as the global --lang)."),
    ),
]


def _apply_local_options(data: str | None, lang: str | None) -> None:
    if data is not None:
        settings.data = data
    if lang is not None:
        try:
            settings.lang = as_lang(lang)
        except ValueError:
            raise UsageError(
                Issue("arg_bad_choice", args={"option": "--lang", "choices": ", ".join(LANGS), "value": lang})
            ) from None


#: Usage errors that mean "the register has no such thing": the wrong register may have answered.
_NOT_FOUND = frozenset(
    {"arg_unknown_unit", "arg_unknown_task", "arg_unknown_dimension", "arg_unknown_measure", "arg_unknown_heading"}
)


def command(*names: str, on: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command whose user errors print as messages with the right exit code.

    ``on`` registers it on a sub-command group (``deviation export xlsx``) instead of ``app``.

    Why: DeviationError is a problem the user can fix, so it is shown as words
    (file:line:col where there is a file), never as a traceback; any other
    exception is a bug and keeps its traceback.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: object, data_here: str | None = None, lang_here: str | None = None, **kw: object) -> object:
            try:
                _apply_local_options(data_here, lang_here)
                return function(*args, **kw)
            except DeviationError as error:
                print_issues(error.issues)
                if settings.bundled and any(issue.code in _NOT_FOUND for issue in error.issues):
                    tell("cli.bundled_register", title=settings.bundled)
                raise typer.Exit(error.exit_code) from None
            except Interrupted as stop:
                # SIGTERM/SIGHUP while writing: temporaries are gone; end as the signal would have.
                raise typer.Exit(128 + stop.signum) from None
            except BrokenPipeError:
                # `deviation tasks | head`: the reader left; nothing to report.
                sys.stderr.close()
                raise typer.Exit(0) from None
            except OSError as error:
                # The system refused a write or read we did not foresee (`> out.csv` on a full disk):
                # words, not a traceback; what was still buffered for standard output goes nowhere.
                if error.filename is None:
                    _silence_stdout()
                where = display_path(Path(error.filename)) if isinstance(error.filename, str) else ""
                print_issues([Issue("output_unwritable", where, args={"reason": error.strerror or str(error)})])
                raise typer.Exit(1) from None

        signature = inspect.signature(function)
        # A function takes any attribute, and inspect (so typer) reads this one; typeshed declares no __signature__.
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*signature.parameters.values(), *_LOCAL_OPTIONS]
        )
        (on or app).command(*names, **kwargs)(wrapper)
        return function

    return decorate


def note_source(folder: Path, title: str) -> None:
    """Remember the bundled register's title when it answered because nothing chose another:
    no --data, no $DEVIATION_DATA, no ./data here (``note_if_bundled`` then says so on an empty answer)."""
    chosen_here = Path("data", "tasks.yaml").is_file()
    if settings.data is None and not chosen_here and folder.resolve() == bundled_data_folder():
        settings.bundled = title


def note_if_bundled(found: int) -> None:
    """When the bundled example register answered with nothing, say so: --data was likely forgotten."""
    if not found and settings.bundled:
        tell("cli.bundled_register", title=settings.bundled)


@overload
def date_option(value: str, as_of: date, option: str) -> date: ...
@overload
def date_option(value: str | None, as_of: date, option: str) -> date | None: ...
def date_option(value: str | None, as_of: date, option: str) -> date | None:
    """Parse a date the user typed (ISO, 2023年7月底, 月底/eom, 季末/eoq, 年底/eoy)."""
    if value is None:
        return None
    try:
        return parse_date_argument(value, as_of)
    except DeadlineError as error:
        raise UsageError(Issue(error.code, args={**error.args_, "option": option})) from None


def as_of_option(value: str | None) -> date:
    today = date.today()
    chosen = date_option(value, today, "--as-of")
    return chosen if chosen is not None else today


WRITE_THROUGH_HELP = (
    "When -o names a symlink, a device (/dev/stdout) or a FIFO, write to what it points at "
    "instead of refusing. Without it such an output is refused, never replaced by a file."
)


def write_through_option() -> Any:
    """``--write-through``, for every command that writes a file named by ``-o``."""
    return typer.Option(False, "--write-through", help=WRITE_THROUGH_HELP)


def check_format(value: str, allowed: Sequence[str], option: str = "--format") -> str:
    if value not in allowed:
        raise UsageError(
            Issue("arg_bad_choice", args={"option": option, "choices": ", ".join(allowed), "value": value})
        )
    return value


def main() -> None:
    utf8_streams()
    # Parsed files are not freed object by object in this process (see ``yaml_tree.let_go``).
    keep_parsed_until_exit()
    try:
        app()
    except SystemExit as exit:
        end_process(exit)
        raise
    finally:
        # Why: the interpreter's last garbage collections walk every object typer and
        # the command created (10 ms, longer than a query on the shipped register takes),
        # only to find nothing worth collecting in a process that is ending. Frozen
        # objects are skipped by them; everything is still freed as the process exits.
        gc.freeze()


def end_process(exit: SystemExit) -> None:
    """End the process at once with the command's exit code, once what it printed is out.

    Why: an ending interpreter frees every object one at a time; after validating
    100,000 tasks that is millions of them and a few tenths of a second, for memory
    the operating system takes back whole anyway. Nothing of ours waits for
    interpreter exit: files are written and renamed, and temporaries removed, before
    a command returns. Returns (and the exit takes its usual course) when the code is
    not a number or the output cannot be flushed, e.g. into a closed pipe.
    """
    code = 0 if exit.code is None else exit.code
    if not isinstance(code, int):
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()  # the reader left (`| head`): nothing to report
    except OSError as error:
        _silence_stdout()
        print_issues([Issue("output_unwritable", args={"reason": error.strerror or str(error)})])
        code = code or 1
    except ValueError:
        pass  # already closed
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _silence_stdout() -> None:
    """Point standard output at the null device, so that what is still buffered is dropped, not retried."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def utf8_streams() -> None:
    """Print UTF-8 whatever the locale says, and never fail on a character.

    Why: a Windows pipe or file (``deviation tasks -f csv > out.csv``) defaults
    to GBK/cp936, which cannot encode the CSV's BOM or rarer characters, and an
    ASCII locale cannot encode Chinese at all: both ended in a traceback. A file
    name that is not valid UTF-8 is shown with a backslash escape.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, OSError):  # a stream already written to in another encoding
            pass
