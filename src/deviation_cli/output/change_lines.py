"""Changes between two register versions (``deviation diff``) as lines a reviewer reads, or a PR comment."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..domain.changes import Change
from ..words import DEFAULT_LANG, Lang, has, label, say

#: What ``diff --format`` takes.
CHANGE_FORMATS = ("text", "md", "json")

#: How much unchanged text stays around each edit in a text diff.
DIFF_CONTEXT = 12


def _w(key: str, lang: Lang, **args: object) -> str:
    return say("change." + key, lang, **args)


def format_changes(
    changes: Sequence[Change],
    fmt: str = "text",
    lang: Lang = DEFAULT_LANG,
    old_label: str = "",
    new_label: str = "",
    words: Mapping[str, str] | None = None,
) -> str:
    """Changes as text lines, a Markdown PR comment, or a JSON list of change records.

    ``words`` are the plan's own words for fields (the newer version's ``Plan.words``).
    """
    if fmt == "json":
        return json.dumps([change.as_dict() for change in changes], ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _changes_markdown(changes, lang, old_label, new_label, words)
    if not changes:
        return _w("no_changes", lang) + "\n"
    return "".join(_change_line(change, lang, False, words) + "\n" for change in changes)


def _changes_markdown(
    changes: Sequence[Change], lang: Lang, old_label: str, new_label: str, words: Mapping[str, str] | None
) -> str:
    # The marker lets a CI job find and update its own earlier comment.
    lines = ["<!-- deviation-diff -->"]
    versions = f" `{old_label}` → `{new_label}`" if old_label or new_label else ""
    lines.append(f"### {_w('heading', lang)}{versions}")
    lines.append("")
    if not changes:
        lines.append(_w("no_changes_sentence", lang))
        return "\n".join(lines) + "\n"
    lines.append(_w("count_sentence", lang, n=len(changes)))
    lines.append("")
    lines.extend("- " + _change_line(change, lang, True, words) for change in changes)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown list item (and inside <ins>/<del>)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_~\[\]|#])", r"\\\1", text)
    return text.replace("\r", " ").replace("\n", "<br>")


def _change_line(change: Change, lang: Lang, markdown: bool, words: Mapping[str, str] | None = None) -> str:
    q = _md if markdown else _plain
    arrow = " → "
    colon = _w("colon", lang)
    joiner = _w("joiner", lang)

    def names(values: Iterable[object] | None) -> str:
        return joiner.join(q(str(value)) for value in values) if values else _w("empty", lang)

    def value(raw: object) -> str:
        if raw is None or raw == "" or raw == []:
            return _w("empty", lang)
        return names(raw) if isinstance(raw, list) else q(str(raw))

    kind = change.kind

    def field_label(key: str) -> str:
        # The plan's own word in Chinese; mid-sentence in English: "Task 4 lead A → B".
        if words and lang == "zh" and key in words:
            return words[key]
        return _w("label." + key, lang) if has("change.label." + key) else label(key, lang)

    if change.task is not None:
        head = _w("task_no", lang, id=change.task)
        if markdown:
            head = f"**{head}**"
        details = change.details
        if kind in ("task-added", "task-removed"):
            text = change.new if kind == "task-added" else change.old
            extra = _w(
                "task_extra",
                lang,
                lead_label=field_label("lead"),
                lead=q(details["lead"]),
                deadline_label=field_label("deadline"),
                deadline=q(details["deadline"]),
            )
            return f"{head} {_w('added' if kind == 'task-added' else 'removed', lang)}{colon}{q(text)}{extra}"
        if kind == "task-moved":
            return _w(
                "task_moved",
                lang,
                head=head,
                old=change.old,
                new=change.new,
                old_title=q(details["old_title"]),
                new_title=q(details["new_title"]),
            )
        if kind == "text-changed":
            return f"{head} {_w('task_text', lang)}{colon}{_segments(details['segments'], markdown)}"
        if kind == "lead-changed":
            return f"{head} {field_label('lead')} {q(change.old)}{arrow}{q(change.new)}"
        if kind in ("responsible-added", "responsible-removed"):
            verb = _w("plus" if kind == "responsible-added" else "minus", lang)
            listed = change.new if kind == "responsible-added" else change.old
            return f"{head} {field_label('responsible')} {verb}{colon}{names(listed)}"
        return f"{head} {field_label('deadline')} {_deadline_text(change, lang, q)}"
    subject_word = kind.split("-")[0]  # unit, group, measure, dimension or document
    if subject_word == "document":
        head = _w("document", lang)
    elif subject_word == "measure":
        head = _w("measure_head", lang, n=change.subject)
    else:
        head = f"{_w(subject_word, lang)} {q(str(change.subject))}"
    if markdown:
        head = f"**{head}**"
    action = kind.split("-", 1)[1]
    if action == "added":
        return f"{head} {_w('plus', lang)}" + (
            f"{colon}{q(change.new)}" if subject_word in ("measure", "dimension") else ""
        )
    if action == "removed":
        return f"{head} {_w('minus', lang)}" + (
            f"{colon}{q(change.old)}" if subject_word in ("measure", "dimension") else ""
        )
    if action == "renamed":
        return f"{head} {_w('renamed', lang)} {q(change.new)}"
    assert change.field is not None  # every other change (a *-changed one) names the field that changed
    field_word = _w(change.field, lang) if has("change." + change.field) else field_label(change.field)
    if change.field == "members":
        parts = []
        if change.old:
            parts.append(f"{_w('minus', lang)}{colon}{names(change.old)}")
        if change.new:
            parts.append(f"{_w('plus', lang)}{colon}{names(change.new)}")
        return f"{head} {field_word} " + _w("semicolon", lang).join(parts)
    if "segments" in change.details and len(str(change.old or "")) + len(str(change.new or "")) > 60:
        return f"{head} {field_word}{colon}{_segments(change.details['segments'], markdown)}"
    return f"{head} {field_word} {value(change.old)}{arrow}{value(change.new)}"


def _deadline_text(change: Change, lang: Lang, q: Callable[[str], str]) -> str:
    details = change.details
    old_due, new_due = details["old_due"], details["new_due"]
    joiner = _w("joiner", lang)
    before = joiner.join(old_due) or _w("ongoing_word", lang)
    after = joiner.join(new_due) or _w("ongoing_word", lang)
    notes: list[str] = []
    days = details.get("days")
    several = len(old_due) > 1 or len(new_due) > 1
    if change.kind == "deadline-reworded":
        notes.append(_w("reworded", lang))
    elif not new_due and old_due:
        notes.append(_w("now_ongoing", lang))
    elif not old_due and new_due:
        notes.append(_w("now_dated", lang))
    elif details.get("shifts") and several:
        for before_day, shift in zip(old_due, details["shifts"]):
            if shift:
                word = "extended" if shift > 0 else "advanced"
                notes.append(_w("milestone", lang, day=before_day) + _w(word, lang, days=abs(shift)))
    elif days:
        word = ("last_" if several else "") + ("extended" if days > 0 else "advanced")
        notes.append(_w(word, lang, days=abs(days)))
    elif several:
        notes.append(_w("same_last", lang))
    if details.get("added"):
        notes.append(_w("milestones_added", lang, days=joiner.join(details["added"])))
    if details.get("removed"):
        notes.append(_w("milestones_removed", lang, days=joiner.join(details["removed"])))
    wording_is_dates = change.old.strip() == before and change.new.strip() == after
    noted = _w("notes", lang, notes=_w("semicolon", lang).join(notes))
    if change.kind == "deadline-reworded":
        return _w("wording", lang, old=q(change.old), new=q(change.new)) + noted
    line = f"{before} → {after}" + noted
    if not wording_is_dates:
        line += _w("dash", lang) + _w("wording", lang, old=q(change.old), new=q(change.new))
    return line


def _segments(segments: Sequence[dict[str, str]], markdown: bool) -> str:
    """Changed text with edits marked: [-old-]{+new+} in text, <del>/<ins> in Markdown;
    long unchanged stretches shortened to their ends, so each edit keeps its context."""
    parts = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment["op"] == "equal":
            text = segment["old"]
            keep_head = index > 0
            keep_tail = index < last
            limit = DIFF_CONTEXT * (int(keep_head) + int(keep_tail))
            if len(text) > limit + 1:
                head = text[:DIFF_CONTEXT] if keep_head else ""
                tail = text[-DIFF_CONTEXT:] if keep_tail else ""
                text = f"{head}…{tail}"
            parts.append(_md(text) if markdown else text)
            continue
        old, new = segment["old"], segment["new"]
        if markdown:
            parts.append((f"<del>{_md(old)}</del>" if old else "") + (f"<ins>{_md(new)}</ins>" if new else ""))
        else:
            parts.append((f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else ""))
    return "".join(parts)


def _plain(text: str) -> str:
    return text
