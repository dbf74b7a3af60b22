"""Issues as a person or a CI system reads them: ``file:line:col: message`` lines, JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..domain.issues import ERROR, Issue
from ..words import DEFAULT_LANG, Lang, say

#: What ``validate --format`` takes.
ISSUE_FORMATS = ("text", "json", "github")


def format_issues(issues: Sequence[Issue], fmt: str = "text", lang: Lang = DEFAULT_LANG) -> str:
    """Issues as text lines (file:line:col: message), a JSON list, or GitHub annotations."""
    if fmt == "json":
        return json.dumps([issue.as_dict(lang) for issue in issues], ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_github_annotation(issue, lang) + "\n" for issue in issues)
    return "".join(_text_line(issue, lang) + "\n" for issue in issues)


def limit_issues(issues: Sequence[Issue], limit: int) -> tuple[Sequence[Issue], int]:
    """The first ``limit`` issues (all of them for 0) and how many were left out."""
    if limit <= 0 or len(issues) <= limit:
        return issues, 0
    return issues[:limit], len(issues) - limit


def _text_line(issue: Issue, lang: Lang) -> str:
    """``file:line:col: message``; a warning says so, so it is never read as an error."""
    if issue.severity == ERROR:
        return issue.format(lang)
    where = issue.location()
    message = say("issue.warning", lang, message=issue.message(lang))
    return f"{where}: {message}" if where else message


# GitHub workflow commands, escaped as @actions/core does (toolkit packages/core/src/command.ts):
# the message escapes % CR LF; property values also escape : and , (they delimit properties).
def _github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_annotation(issue: Issue, lang: Lang) -> str:
    command = "error" if issue.severity == ERROR else "warning"
    properties = []
    if issue.path:
        properties.append(f"file={_github_escape_property(issue.path)}")
        if issue.line:
            properties.append(f"line={issue.line}")
            properties.append(f"col={issue.column or 1}")
    properties.append(f"title={_github_escape_property(issue.code)}")
    return f"::{command} {','.join(properties)}::{_github_escape_data(issue.message(lang))}"
