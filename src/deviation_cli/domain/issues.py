"""Problems as data: located issues, and the two kinds of exception a user can cause.

Why: the library never prints or exits; the CLI decides how an issue looks
(text, JSON, GitHub annotation) and which exit code it means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import words
from ..words import DEFAULT_LANG, Lang

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, located in a file where there is one.

    ``code`` names the rule (its sentence is in ``words``); ``args`` fill the sentence.
    Lines and columns count from 1; 0 means "the file as a whole".
    """

    code: str
    path: str = ""
    line: int = 0
    column: int = 0
    args: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR

    def message(self, lang: Lang = DEFAULT_LANG) -> str:
        return words.message(self.code, self.args, lang)

    def location(self) -> str:
        if not self.path:
            return ""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def format(self, lang: Lang = DEFAULT_LANG) -> str:
        where = self.location()
        return f"{where}: {self.message(lang)}" if where else self.message(lang)

    def as_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message(lang),
        }


class DeviationError(Exception):
    """A problem the user can fix: bad input, bad file, bad argument.

    Anything else that escapes the library is a bug and keeps its traceback.
    """

    exit_code = 1

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__(*self.issues[:1])

    def __str__(self) -> str:
        # Worded when shown (a Python user's traceback), not when raised: the command line
        # prints the issues in the user's language and never needs this English line.
        return self.issues[0].format("en") if self.issues else ""


class RegisterInvalid(DeviationError):
    """The register was read but breaks the schema or a cross-record rule (exit 1)."""

    exit_code = 1


class RegisterUnreadable(DeviationError):
    """The register cannot be read at all: missing, not a folder, not UTF-8 (exit 2)."""

    exit_code = 2


class SourceUnreadable(DeviationError):
    """A plan handed to ``deviation init`` cannot be read, or holds no task (exit 1)."""

    exit_code = 1


class UsageError(DeviationError):
    """An argument the user typed is wrong: unknown unit, impossible date (exit 2)."""

    exit_code = 2


class Refused(DeviationError):
    """A well-formed request the records do not allow: no 已完成 report to sign off, one signed off already (exit 1)."""

    exit_code = 1


def usage_error(code: str, **args: object) -> UsageError:
    return UsageError(Issue(code, args=args))


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived while files were being written; cleaned up, then the process ends.

    A BaseException, like KeyboardInterrupt: no ``except Exception`` on the way may swallow it.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
