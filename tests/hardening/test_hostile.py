"""Hostile files: each one refused (or accepted) with its exact message and exit code, fast.

One test per attack named in SECURITY.md. Files are copies of a shipped
register with one file replaced, written to a temporary folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from deviation_cli import load_register
from deviation_cli.domain.issues import UsageError
from deviation_cli.formats import yaml_tree
from deviation_cli.formats.atomic import write_atomic
from deviation_cli.formats.register_files import display_path
from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.store.load import validate_folder
from support.fuzzing import copy_register
from support.paths import HANZHONG, QINGHE, ROOT

TASKS_TEXT = (HANZHONG / "tasks.yaml").read_text(encoding="utf-8")
UNITS_TEXT = (HANZHONG / "units.yaml").read_text(encoding="utf-8")
TASKS_BYTES = len(TASKS_TEXT.encode("utf-8"))
#: Where the tests plant things in the shipped tasks.yaml: task 2's lead (value at column 11)
#: and task 1's id (column 9). Found, not hard-coded, so an edit of the register moves them.
LEAD = TASKS_TEXT.split("\n").index("    lead: 市审计局") + 1
FIRST_ID = TASKS_TEXT.split("\n").index("  - id: 1") + 1


def shown(folder: Path, name: str = "tasks.yaml") -> str:
    return display_path(folder / name)


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Both YAML parsers PyYAML may use: libyaml where its wheel exists, else pure Python."""
    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    return request.param


# --- aliases, nesting, size --------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{previous}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast_without_expansion(cli, tmp_path, loader):
    folder = copy_register(tmp_path / "r", tasks=billion_laughs())
    cli("validate", str(HANZHONG), data=None)  # imports done before the clock starts
    tracemalloc.start()
    start = time.perf_counter()
    run = cli("--lang", "en", "validate", str(folder), data=None)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert lines[:3] == [
        f"{shown(folder)}:1:4: anchor &a is not allowed; a register writes every value out",
        f"{shown(folder)}:2:4: anchor &b is not allowed; a register writes every value out",
        f"{shown(folder)}:2:8: alias *a is not allowed; a register writes every value out",
    ]
    # 9 anchors, 8 × 9 aliases, each reported once; 9**9 (387 million) strings never built.
    assert sum("anchor &" in line for line in lines) == 9
    assert sum("alias *" in line for line in lines) == 72
    assert seconds < 2
    assert peak < 20 * 2**20


def test_an_alias_is_never_expanded_in_the_parsed_data():
    root, issues = parse_yaml(billion_laughs(3), "t.yaml")
    assert root == {"a": ["lol"] * 9, "b": [None] * 9, "c": [None] * 9}
    assert [issue.code for issue in issues].count("alias") == 18


DEEP = 10_000


DEEP_CASES = {
    "flow-sequences": "[" * DEEP + "]" * DEEP,
    "flow-mappings": "{a: " * DEEP + "}" * DEEP,
    "unclosed-inside-a-field": "document:\n  sections: " + "[" * DEEP,
    "block-mappings": "".join(" " * depth + "a:\n" for depth in range(1500)),
}


@pytest.mark.parametrize(
    "case, parser, position",
    [
        ("flow-sequences", "libyaml", "1:1001"),
        ("flow-sequences", "pure-python", "1:1001"),
        ("flow-mappings", "libyaml", "1:4001"),
        ("flow-mappings", "pure-python", "1:4001"),
        ("unclosed-inside-a-field", "libyaml", "2:1011"),
        ("block-mappings", "libyaml", "1000:1001"),
        ("block-mappings", "pure-python", "1001:1001"),
    ],
)
def test_10000_deep_nesting_is_a_message_not_a_recursion_error(cli, tmp_path, monkeypatch, case, parser, position):
    """libyaml stops at 1000 levels; the pure-Python parser had no limit and took 53 s on 10,000 '['."""
    if parser == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    folder = copy_register(tmp_path / "r", tasks=DEEP_CASES[case])
    start = time.perf_counter()
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert time.perf_counter() - start < 10
    assert run.exit_code == 1
    assert run.stderr == f"{shown(folder)}:{position}: nested too deeply; a register needs only a few levels\n"


def test_nesting_up_to_the_bound_is_still_parsed():
    depth = 900
    root, issues = parse_yaml("[" * depth + "]" * depth, "t.yaml")
    assert issues == []
    for _ in range(depth - 1):
        root = root[0]
    assert root == [] and yaml_tree.MAX_DEPTH == 1000


def test_a_file_over_the_size_limit_is_refused_without_being_read(cli, tmp_path, monkeypatch):
    folder = copy_register(tmp_path / "r")
    huge = folder / "tasks.yaml"
    os.truncate(huge, 5 * 2**30)  # sparse: 5 GiB on paper, nothing on disk
    opened: list[str] = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    cli("validate", str(HANZHONG), data=None)  # imports done before the clock starts
    monkeypatch.setattr(Path, "open", spy)
    tracemalloc.start()
    start = time.perf_counter()
    run = cli("--lang", "en", "validate", str(folder), data=None)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert run.exit_code == 2
    assert run.stderr == (
        f"{shown(folder)}: the file has 5368709120 bytes, over the limit of 268435456 "
        "(set DEVIATION_MAX_BYTES to change it)\n"
    )
    assert "tasks.yaml" not in opened and "units.yaml" in opened
    assert seconds < 2 and peak < 20 * 2**20


def test_the_size_limit_is_configurable(cli, tmp_path, monkeypatch):
    folder = copy_register(tmp_path / "r")
    monkeypatch.setenv("DEVIATION_MAX_BYTES", "10000")
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 2
    assert run.stderr == (
        f"{shown(folder, 'tasks.yaml')}: the file has {TASKS_BYTES} bytes, over the limit of 10000 "
        "(set DEVIATION_MAX_BYTES to change it)\n"
    )
    monkeypatch.setenv("DEVIATION_MAX_BYTES", str(TASKS_BYTES))
    assert cli("validate", str(folder), data=None).exit_code == 0


def test_a_small_file_is_read_with_a_small_buffer(tmp_path):
    """Reading asked for limit + 1 bytes up front: 256 MiB claimed per file, found by the fuzz."""
    folder = copy_register(tmp_path / "r")
    tracemalloc.start()
    validate_folder(folder)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 30 * 2**20


# --- bytes that are not what they seem ----------------------------------------------------------


def test_a_nul_byte_is_located(cli, tmp_path):
    folder = copy_register(tmp_path / "r", tasks=TASKS_TEXT.replace("市审计局", "市审计\x00局", 1))
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr == f"{shown(folder)}:{LEAD}:14: NUL character: the file is damaged or not text\n"


def test_a_nul_byte_in_a_tiny_file_is_not_mistaken_for_utf16(cli, tmp_path):
    """A 6-byte file with one NUL passed the old 'a quarter of the bytes are NUL' test for UTF-16."""
    folder = copy_register(tmp_path / "r", tasks=b"a: b\x00\n")
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr == f"{shown(folder)}:1:5: NUL character: the file is damaged or not text\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("source", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
def test_utf16_without_bom_is_named(cli, tmp_path, codec, source):
    """Chinese-heavy UTF-16 has few NULs; the old count-based test called it 'not valid UTF-8'."""
    text = (source / "tasks.yaml").read_text(encoding="utf-8")
    folder = copy_register(tmp_path / "r", source, tasks=text.encode(codec))
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 2
    assert run.stderr == f"{shown(folder)}: the file is UTF-16; re-save it as UTF-8\n"


def test_crlf_line_ends_give_the_same_register(tmp_path):
    for source in (HANZHONG, QINGHE):
        texts = {name: (source / name).read_text(encoding="utf-8") for name in ("tasks.yaml", "units.yaml")}
        folder = copy_register(
            tmp_path / source.name,
            source,
            tasks=texts["tasks.yaml"].replace("\n", "\r\n"),
            units=texts["units.yaml"].replace("\n", "\r\n"),
        )
        assert b"\r\n" in (folder / "tasks.yaml").read_bytes()
        crlf, lf = load_register(folder), load_register(source)
        for part in ("document", "dimensions", "measures", "tasks", "units", "groups", "shared_suffixes"):
            assert getattr(crlf, part) == getattr(lf, part), part


# --- YAML tags that would build Python objects ---------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
    ],
)
def test_python_tags_construct_nothing(cli, tmp_path, tag, loader):
    marker = tmp_path / "constructed"
    hostile = TASKS_TEXT.replace("lead: 市审计局", f'lead: {tag} ["touch {marker}"]', 1)
    folder = copy_register(tmp_path / "r", tasks=hostile)
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr == (
        f"{shown(folder)}:{LEAD}:11: tag {tag} is not allowed; a register holds plain text, lists and mappings only\n"
    )
    assert not marker.exists()


# --- names that look right and are not -------------------------------------------------------------


@pytest.mark.parametrize(
    "written, shown_name",
    [
        ("'市审计局 '", "市审计局 "),  # quoted: the trailing space is part of the value
        ("市审计\u200b局", "市审计<U+200B>局"),  # zero-width space, shown so it can be found
        ("\ufeff市审计局", "<U+FEFF>市审计局"),
        ("市审计局\u3000", "市审计局\u3000"),  # ideographic (full-width) space
        ("市 审计局", "市 审计局"),
    ],
    ids=["trailing-space", "zero-width-space", "bom-in-name", "full-width-space", "inner-space"],
)
def test_unit_name_spacing_is_caught_with_a_hint(cli, tmp_path, written, shown_name):
    if written.startswith("\ufeff"):
        # a BOM inside the file is refused earlier, as a damaged file
        folder = copy_register(tmp_path / "r", tasks=TASKS_TEXT.replace("lead: 市审计局", f"lead: {written}", 1))
        run = cli("--lang", "en", "validate", str(folder), data=None)
        assert run.stderr == (
            f"{shown(folder)}:{LEAD}:11: byte order mark (U+FEFF) in mid-file, probably left by joining files; delete it\n"
        )
        return
    folder = copy_register(tmp_path / "r", tasks=TASKS_TEXT.replace("lead: 市审计局", f"lead: {written}", 1))
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr == (
        f"{shown(folder)}:{LEAD}:11: unit '{shown_name}' has spaces, full/half-width variants or invisible "
        "characters; write '市审计局'\n"
    )


def test_full_width_and_half_width_letters_are_caught_with_a_hint(cli, tmp_path):
    units = (QINGHE / "units.yaml").read_text(encoding="utf-8").replace("name: 县城投公司", "name: 县CT公司")
    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8").replace("lead: 县城投公司", "lead: 县ＣＴ公司")
    folder = copy_register(tmp_path / "r", QINGHE, tasks=tasks, units=units)
    run = cli("validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr == (
        f"{shown(folder)}:50:11: 单位“县ＣＴ公司”含有空格、全角/半角差异或不可见字符;应写作“县CT公司”\n"
    )


def test_an_unquoted_trailing_space_is_not_part_of_the_name(tmp_path):
    folder = copy_register(tmp_path / "r", tasks=TASKS_TEXT.replace("lead: 市审计局", "lead: 市审计局   ", 1))
    assert load_register(folder).task(2).lead == "市审计局"


def test_control_characters_in_a_value_do_not_reach_the_terminal_through_messages(cli, tmp_path):
    folder = copy_register(
        tmp_path / "r", tasks=TASKS_TEXT.replace("lead: 市审计局", 'lead: "\\e]0;owned\\a市审计局"', 1)
    )
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert run.stderr.splitlines()[:2] == [
        f"{shown(folder)}:{LEAD}:11: 'lead' holds the control character <U+001B> <U+0007>, which no register text "
        "may hold; delete it (a line break is written as a new line, not as an escape)",
        f"{shown(folder)}:{LEAD}:11: unknown unit '<U+001B>]0;owned<U+0007>市审计局'; did you mean: 市审计局?",
    ]


def test_a_huge_value_is_not_echoed_whole(cli, tmp_path):
    folder = copy_register(
        tmp_path / "r", tasks=TASKS_TEXT.replace("\n  - id: 1\n", "\n  - id: " + "9" * 5000 + "\n", 1)
    )
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    # int() of 5,000 digits used to fail with Python's own words (int_max_str_digits)
    assert (
        run.stderr
        == f"{shown(folder)}:{FIRST_ID}:9: 'id' should be a positive whole number, not '{'9' * 120}…(+4880)'\n"
    )


def test_many_unknown_names_stay_fast(cli, tmp_path):
    """20,000 unknown leads took ~30 s: every one got a difflib 'did you mean' over all names."""
    many = "".join(
        f"  - id: {1000 + i}\n    measure: 1\n    text: x\n    lead: 市审计局{i}\n    deadline: 2023年底\n"
        for i in range(5000)
    )
    folder = copy_register(tmp_path / "r", tasks=TASKS_TEXT.replace("tasks:\n", "tasks:\n" + many, 1))
    start = time.perf_counter()
    report = validate_folder(folder)
    assert time.perf_counter() - start < 8
    unknown = [issue for issue in report.issues if issue.code == "unknown_unit"]
    assert len(unknown) == 5000
    assert unknown[0].args["suggestions"] == ["市审计局", "市行政审批服务局"]
    assert all(issue.args["suggestions"] == [] for issue in unknown[200:])


# --- markup and script in every text field ------------------------------------------------------

HOSTILE_TEXT = "<script>alert(1)</script> a|b <b>&amp;</b> {{ 7*7 }} [x](javascript:alert(1))"
#: A colour code: validate refuses it in a register (below); every output still shows it as <U+001B>.
ESCAPE = "\x1b[31m"


def hostile_register(tmp_path: Path, hostile: str = HOSTILE_TEXT) -> Path:
    """Qinghe with every free-text field of tasks.yaml carrying markup, script and a pipe."""
    from deviation_cli.formats.yaml_reader import parse_yaml as parse

    text = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    lines = []
    quoted = json.dumps(hostile, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    for line in text.split("\n"):
        key = line.strip().lstrip("- ").split(":", 1)[0]
        if key in ("title", "text", "problem", "name", "source") and ": " in line:
            head = line[: line.index(": ") + 2]
            original = line[len(head) :]
            lines.append(head + json.dumps("=" + original + hostile, ensure_ascii=False))
        else:
            lines.append(line)
    folder = copy_register(tmp_path / "hostile", QINGHE, tasks="\n".join(lines))
    assert parse(quoted, "q")[0] == hostile
    return folder


def test_a_control_character_in_every_text_field_is_refused_with_its_escape(cli, tmp_path):
    folder = hostile_register(tmp_path, HOSTILE_TEXT + ESCAPE + "\x00")
    fields = sum(1 for line in (folder / "tasks.yaml").read_text(encoding="utf-8").split("\n") if "\\u001b" in line)
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert "\x1b" not in run.stderr and "\x00" not in run.stderr
    refused = [line for line in run.stderr.splitlines() if "holds the control character" in line]
    assert len(refused) == fields > 5
    assert refused[0].endswith(
        "holds the control character <U+001B> <U+0000>, which no register text may hold; "
        "delete it (a line break is written as a new line, not as an escape)"
    )
    assert cli("tasks", data=folder).exit_code == 1  # nothing is listed from a register that holds one


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
def test_a_control_character_that_reaches_a_listing_is_shown_not_sent(fmt):
    """Defence in depth: whatever reaches the output layer (a value from no register) cannot drive the terminal."""
    from deviation_cli.output.listing import emit

    buffer = io.StringIO()
    emit(
        [{"id": 1, "task": "任务" + ESCAPE + "\x07", "lead": ESCAPE}], ["id", "task", "lead"], fmt, "zh", stream=buffer
    )
    out = buffer.getvalue()
    assert "\x1b" not in out or fmt == "csv"  # CSV is data for a spreadsheet, written as it is
    if fmt in ("table", "md"):
        assert "<U+001B>[31m" in out
    if fmt == "json":
        assert "\\u001b[31m" in out


def test_markup_in_every_text_field_is_data_in_json(cli, tmp_path):
    folder = hostile_register(tmp_path)
    records = cli("tasks", "--format", "json", data=folder).json()
    assert records[0]["task"] == "=完成县级饮用水水源地规范化建设。" + HOSTILE_TEXT
    assert records[0]["measure"] == "=加强饮用水水源地保护" + HOSTILE_TEXT
    assert records[0]["dimension"] == "=水资源保护" + HOSTILE_TEXT
    raw = cli("tasks", "--format", "json", data=folder).stdout
    assert "<script>alert(1)</script>" in raw


def test_markup_in_every_text_field_is_text_in_markdown(cli, tmp_path):
    folder = hostile_register(tmp_path)
    out = cli("tasks", "--format", "md", data=folder).stdout
    assert "<script>" not in out and "<b>" not in out
    row = out.splitlines()[2]
    assert row == (
        "| 1 | =水资源保护&lt;script&gt;alert(1)&lt;/script&gt; a\\|b &lt;b&gt;&amp;amp;&lt;/b&gt; {{ 7*7 }} "
        "[x](javascript:alert(1)) | =完成县级饮用水水源地规范化建设。&lt;script&gt;alert(1)&lt;/script&gt; "
        "a\\|b &lt;b&gt;&amp;amp;&lt;/b&gt; {{ 7*7 }} [x](javascript:alert(1)) | 县水利局 | 2024年上半年 |"
    )
    assert len(row.split(" | ")) == 5  # the pipe did not open a column


def test_markup_in_every_text_field_is_text_in_csv(cli, tmp_path):
    folder = hostile_register(tmp_path)
    out = cli("tasks", "--format", "csv", data=folder).stdout
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    header, first = rows[0], dict(zip(rows[0], rows[1]))
    assert header[:4] == ["序号", "方面", "措施", "任务"]
    # a leading = would be a formula to Excel/WPS: a quote keeps it text
    assert first["任务"] == "'=完成县级饮用水水源地规范化建设。" + HOSTILE_TEXT
    assert first["方面"] == "'=水资源保护" + HOSTILE_TEXT


def test_markup_in_every_text_field_cannot_drive_the_terminal_in_a_table(cli, tmp_path):
    folder = hostile_register(tmp_path)
    for args in (
        ("tasks",),
        ("show", "1"),
        ("unit", "县水利局"),
        ("due", "--before", "2024-12-31", "--as-of", "2024-01-01"),
        ("search", "script"),
        ("dimensions",),
    ):
        run = cli(*args, data=folder)
        assert run.exit_code == 0, args
        assert "<script>" in run.stdout or args[0] in ("unit", "due", "dimensions"), args


def test_days_left_stay_numbers_in_csv(cli):
    out = cli("due", "--before", "2023-07-31", "--as-of", "2023-08-01", "--format", "csv").stdout
    from deviation_cli.words import label

    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][label("days_left", "zh")] == "-32"


# --- writing where it must not --------------------------------------------------------------------
# No command on this branch takes -o yet: these are library-level tests of the one writer every
# command must use. CLI-level tests (`render ... -o data/tasks.yaml`) belong with render/export.


def test_output_pointing_at_the_register_is_refused(tmp_path):
    folder = copy_register(tmp_path / "r")
    before = (folder / "tasks.yaml").read_bytes()
    protect = (folder / "tasks.yaml", folder / "units.yaml")
    for target in (folder / "tasks.yaml", folder / "sub" / ".." / "units.yaml"):
        with pytest.raises(UsageError) as caught:
            write_atomic(target, "overwritten", protect=protect)
        assert [issue.code for issue in caught.value.issues] == ["output_is_register"]
        assert (
            caught.value.issues[0].format("en")
            == f"{target}: refusing to overwrite a register file; choose another output path"
        )
    link = tmp_path / "link.yaml"
    link.symlink_to(folder / "tasks.yaml")
    with pytest.raises(UsageError):
        write_atomic(link, "overwritten", protect=protect)
    assert (folder / "tasks.yaml").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["tasks.yaml", "units.yaml"]


def test_output_into_a_missing_folder_is_refused_and_creates_nothing(tmp_path):
    target = tmp_path / "missing" / "deeper" / "out.md"
    with pytest.raises(UsageError) as caught:
        write_atomic(target, "x")
    assert caught.value.exit_code == 2
    assert caught.value.issues[0].format("en") == f"{target}: output folder {target.parent} does not exist"
    assert list(tmp_path.iterdir()) == []


def test_output_onto_a_folder_is_refused(tmp_path):
    with pytest.raises(UsageError) as caught:
        write_atomic(tmp_path, "x")
    assert caught.value.issues[0].format("en") == f"{tmp_path}: the output path is a folder; name a file"


def test_a_folder_where_a_register_file_belongs_is_a_message(cli, tmp_path):
    folder = copy_register(tmp_path / "r")
    (folder / "tasks.yaml").unlink()
    (folder / "tasks.yaml").mkdir()
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 2
    assert run.stderr == f"{shown(folder)} is missing: a register folder holds tasks.yaml and units.yaml\n"


# --- templates ----------------------------------------------------------------------------------
# No render module exists on this branch. To add with `render`: a user template doing
# {{ ''.__class__.__mro__[1].__subclasses__() }} or {{ cycler.__init__.__globals__.os }} must fail
# with a message (jinja2.sandbox.SecurityError -> a DeviationError), exit 1 or 2, nothing executed.


def test_no_module_imports_jinja2_outside_a_sandbox():
    """Until render lands: any Environment the package builds must be a SandboxedEnvironment."""
    source = ROOT / "src" / "deviation_cli"
    offenders = []
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "jinja2" in text and "Environment(" in text and "SandboxedEnvironment" not in text:
            offenders.append(str(path.relative_to(source)))
    assert offenders == []


# --- the terminal's encoding ----------------------------------------------------------------------


def run_process(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "deviation_cli", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize("encoding", ["cp936", "latin-1"])
def test_csv_is_utf8_whatever_the_locale(encoding):
    """A Windows pipe defaults to cp936, which cannot encode the CSV BOM: that was a traceback."""
    done = run_process("--data", str(HANZHONG), "tasks", "--format", "csv", env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.startswith("\ufeff序号,管控".encode("utf-8"))
    assert done.stdout.decode("utf-8").count("\r\n") == 24


def test_output_is_utf8_under_an_ascii_locale(hanzhong):
    from deviation_cli.output.json_objects import task_object as task_record

    done = run_process("--data", str(HANZHONG), "tasks", "--format", "json", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert json.loads(done.stdout.decode("utf-8")) == [task_record(hanzhong, task) for task in hanzhong.tasks]
    done = run_process("--data", str(HANZHONG), "unit", "没有这个单位", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == "没有单位“没有这个单位”\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_a_folder_name_that_is_not_utf8_is_escaped_not_a_traceback(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"bad\xffname")
    os.mkdir(folder)
    copy_register(Path(os.fsdecode(folder)), tasks=TASKS_TEXT.replace("lead: 市审计局", "lead: 市审计", 1))
    done = run_process("validate", "bad\udcffname", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    issues = json.loads(done.stdout.decode("utf-8"))
    assert [(issue["path"], issue["line"], issue["code"]) for issue in issues] == [
        ("bad\udcffname/tasks.yaml", LEAD, "unknown_unit")
    ]


def test_a_long_path_is_named_whole(cli, tmp_path):
    """Quotes of file content are cut at 120 characters; the user's own paths never are."""
    folder = tmp_path / "很长的目录名" / ("子目录" * 20)
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 2
    assert run.stderr == f"register folder {display_path(folder)} does not exist\n"


def test_a_name_too_long_for_the_file_system_is_a_message(cli, tmp_path):
    """Path.exists() raises ENAMETOOLONG instead of answering False: that was a traceback."""
    folder = tmp_path / ("很长的目录名" * 30)
    for args in (("validate", str(folder)), ("--data", str(folder), "tasks")):
        run = cli("--lang", "en", *args, data=None)
        assert run.exit_code == 2
        assert run.stderr == f"cannot read register folder {display_path(folder)}: File name too long\n"
    with pytest.raises(UsageError) as caught:
        write_atomic(folder / "out.md", "x")
    assert caught.value.issues[0].format("en") == f"{folder / 'out.md'}: cannot write: File name too long"


# --- arguments a user can type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (("show", "9" * 5000), f"no task with id {'9' * 120}…(+4880); did you mean: 1–23?"),
        (("show", "\U00010a40"), "no task with id \U00010a40; did you mean: 1–23?"),  # a digit int() refuses
        (("tasks", "--measure", "9" * 5000), f"no measure '{'9' * 120}…(+4880)'"),
        (("unit", "\x1b[2J"), "no unit '<U+001B>[2J'"),
        (("due", "--before", "9" * 5000), f"'{'9' * 120}…(+4880)' is not a date; write YYYY-MM-DD, e.g. 2023-07-31"),
    ],
    ids=["huge-id", "kharosthi-digit", "huge-measure", "escape-in-unit", "huge-date"],
)
def test_hostile_arguments_are_usage_errors(cli, args, message):
    """int() of 5,000 digits raised ValueError from `show` and `--measure`: a traceback."""
    run = cli("--lang", "en", *args)
    assert run.exit_code == 2
    assert run.stderr == message + "\n"


WRITING_COMMANDS = [
    ["render", "table", "--format", "md", "-o", "{out}"],
    ["render", "notice", "--unit", "市发改委", "--format", "html", "-o", "{out}"],
    ["export", "xlsx", "-o", "{out}"],
    ["export", "ics", "-o", "{out}"],
    ["export", "csv", "-o", "{out}"],
    ["export", "json", "-o", "{out}"],
    ["export", "sqlite", "-o", "{out}"],
    ["report", "--as-of", "2023-08-01", "--format", "md", "-o", "{out}"],
]


@pytest.mark.parametrize("command", WRITING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_writing_command_refuses_the_register_and_missing_folders(cli, tmp_path, command):
    folder = copy_register(tmp_path / "r")
    before = {name: (folder / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
    for target, code in (
        (folder / "tasks.yaml", "refusing to overwrite a register file"),
        (tmp_path / "missing" / "out.file", "does not exist"),
    ):
        args = [part.replace("{out}", str(target)) for part in command]
        run = cli("--lang", "en", *args, data=folder)
        assert run.exit_code == 2, run.stderr
        assert code in run.stderr and "Traceback" not in run.stderr
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert not (tmp_path / "missing").exists()
