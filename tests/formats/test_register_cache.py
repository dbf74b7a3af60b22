"""The cache of validated registers: a hit is the register a fresh load gives, and never a risk.

Not timed (benchmarks/run.py times it); conftest points DEVIATION_CACHE_DIR at a
fresh folder for every test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from deviation_cli.formats import register_cache as cache
from deviation_cli.formats import register_index as index
from deviation_cli.formats.register_files import REGISTER_FILES
from deviation_cli.store import fresh as fresh_files
from deviation_cli.store.load import load_register
from support.paths import HANZHONG, QINGHE


def entry(folder: Path) -> Path:
    return index.cache_file(folder)


def key_of(folder: Path) -> str:
    return index.content_key(fresh_files.read_files(folder))


def no_validation(monkeypatch):
    """Make any validation fail loudly, so a passing load proves the cache answered."""

    def refuse(*args, **kwargs):
        raise AssertionError("validated although the cache was fresh")

    monkeypatch.setattr(fresh_files, "validate", refuse)


def edit_entry(folder: Path, *statements: str) -> None:
    """Change a written cache entry in place, as a damaged disk or a meddling program might."""
    connection = sqlite3.connect(entry(folder), isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


@pytest.mark.parametrize("folder", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
def test_a_cache_hit_is_the_register_a_fresh_load_gives(folder, monkeypatch):
    fresh = load_register(folder)
    assert not entry(folder).exists()
    first = load_register(folder, cache=True)
    assert entry(folder).is_file()
    no_validation(monkeypatch)
    hit = load_register(folder, cache=True)
    assert hit == fresh == first
    assert hit.tasks == fresh.tasks  # every field of every task, refs and due dates included
    assert [task.id for task in hit.tasks] == [task.id for task in fresh.tasks]
    assert hit.folder == str(folder)
    assert hit.has_remarks == fresh.has_remarks


def test_the_cache_lives_where_the_user_says(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(tmp_path / "mine"))
    assert index.cache_folder() == tmp_path / "mine"
    monkeypatch.delenv("DEVIATION_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert index.cache_folder() == tmp_path / "xdg" / "deviation"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert index.cache_folder() == tmp_path / "home" / ".cache" / "deviation"


def test_the_key_of_the_files_read_in_chunks_is_the_key_of_their_bytes(tmp_path, monkeypatch):
    paths = [QINGHE / name for name in REGISTER_FILES]
    assert index.file_key(paths, 1 << 30) == key_of(QINGHE)
    # Chunks smaller than the files, and the hash for large files, give the same key.
    monkeypatch.setattr(index, "CHUNK", 1000)
    monkeypatch.setattr(index, "OPENSSL_FROM", 0)
    assert index.file_key(paths, 1 << 30) == key_of(QINGHE)
    # A file over the size limit, or missing, has no key: the load then reads it and says why.
    assert index.file_key(paths, 10) is None
    assert index.file_key([tmp_path / "missing.yaml"], 1 << 30) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all\n",
        b"SQLite format 3\x00" + b"\x00" * 200,
        b"\x00\xff\xfe garbage \x80\n\x81",
    ],
    ids=["empty", "text", "short-header", "binary"],
)
def test_a_corrupted_cache_file_is_ignored_and_replaced(damage, monkeypatch):
    fresh = load_register(QINGHE)
    load_register(QINGHE, cache=True)
    entry(QINGHE).write_bytes(damage)
    assert load_register(QINGHE, cache=True) == fresh
    # The damaged entry was rewritten: the next load is a hit again.
    no_validation(monkeypatch)
    assert load_register(QINGHE, cache=True) == fresh


def test_a_truncated_or_tampered_file_is_ignored():
    fresh = load_register(QINGHE)
    load_register(QINGHE, cache=True)
    whole = entry(QINGHE).read_bytes()
    entry(QINGHE).write_bytes(whole[: len(whole) // 2])
    assert load_register(QINGHE, cache=True) == fresh
    # A stamp for another version of deviation, another format or another application is a miss, not a guess.
    for statement in (
        "UPDATE stamp SET version = '0.0.0'",
        "UPDATE stamp SET format = 5",
        "PRAGMA user_version = 5",
        f"PRAGMA application_id = {index.APPLICATION_ID + 1}",
        "DROP INDEX milestones_by_day",
    ):
        entry(QINGHE).write_bytes(whole)
        edit_entry(QINGHE, statement)
        assert cache.load(QINGHE, key_of(QINGHE)) is None, statement
        assert load_register(QINGHE, cache=True) == fresh


def test_a_file_that_fails_while_it_is_read_is_a_miss(cli):
    """Damage the stamp cannot see (a value that does not decode) is found while reading, and is a miss too."""
    fresh = load_register(QINGHE)
    first = fresh.tasks[0]
    queries = [
        ("due", "--before", "2099-12-31", "--as-of", "2023-07-01", "--include-ongoing", "--format", "json"),
        ("unit", first.lead, "--format", "json"),
    ]
    expected = {query: cli("--no-cache", *query, data=QINGHE).stdout for query in queries}
    for statement, read_by_load in (
        ("UPDATE tasks SET refs = 'x'", False),  # the rows serve queries; a whole register is read from columns
        ("UPDATE tasks SET deadline = 9999", False),
        ("UPDATE parts SET value = '{}' WHERE name = 'lead_sets'", True),
        ("UPDATE parts SET value = '[[1]]' WHERE name = 'paths'", True),
        ("UPDATE parts SET value = '[[1]]' WHERE name = 'titles'", False),  # a whole register has its headings
        ("UPDATE parts SET value = '[[\"x\", [\"2023-02-30\"], false]]' WHERE name = 'deadlines'", True),
        ("UPDATE parts SET value = '[' WHERE name = 'units'", True),
        ("UPDATE numbers SET items = x'00' WHERE name = 'id'", True),
        ("UPDATE numbers SET items = x'' WHERE name = 'refs'", True),
        ("UPDATE parts SET value = '{}' WHERE name = 'exceptions'", True),
        ("DELETE FROM parts WHERE name = 'words'", False),  # only listings read the plan's words
    ):
        load_register(QINGHE, cache=True)
        edit_entry(QINGHE, statement)
        if read_by_load:
            assert cache.load(QINGHE, key_of(QINGHE)) is None, statement
            assert load_register(QINGHE, cache=True) == fresh
            edit_entry(QINGHE, statement)
        for query, stdout in expected.items():
            run = cli(*query, data=QINGHE)
            assert (run.exit_code, run.stdout) == (0, stdout), statement


def test_an_unreadable_or_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(blocker / "cache"))
    assert load_register(QINGHE, cache=True) == load_register(QINGHE)


def test_editing_the_yaml_invalidates_the_cache(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(QINGHE, folder)
    before = load_register(folder, cache=True)
    tasks = folder / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    task = before.tasks[0]
    edited = text.replace(f"deadline: {task.deadline}", "deadline: 2031年12月底", 1)
    assert edited != text
    tasks.write_text(edited, encoding="utf-8")
    after = load_register(folder, cache=True)
    assert after.task(task.id).deadline == "2031年12月底"
    assert after == load_register(folder)
    # Editing units.yaml alone also changes the key.
    keys = {key_of(folder)}
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# 备注\n", encoding="utf-8")
    keys.add(key_of(folder))
    assert len(keys) == 2


def doctored_entry(folder: Path) -> None:
    """Write a cache entry whose first task text differs from the file, to see who answers."""
    import dataclasses

    register = load_register(folder)
    first = dataclasses.replace(register.tasks[0], text="来自缓存")
    doctored = dataclasses.replace(register, tasks=(first, *register.tasks[1:]))
    assert cache.store(folder, key_of(folder), doctored)


def test_no_cache_option_and_variable_bypass_the_cache(cli, monkeypatch):
    doctored_entry(QINGHE)
    first = load_register(QINGHE).tasks[0]
    queries = [
        ("show", str(first.id), "--format", "json"),
        ("due", "--before", "2099-12-31", "--as-of", "2023-07-01", "--include-ongoing", "--format", "json"),
        ("tasks", "--format", "json"),
        ("unit", first.lead, "--format", "json"),
    ]
    for query in queries:
        shown = cli(*query, data=QINGHE)
        assert shown.exit_code == 0
        assert "来自缓存" in shown.stdout, query  # the CLI reads the cache by default
        bypassed = cli("--no-cache", *query, data=QINGHE)
        assert bypassed.exit_code == 0
        assert "来自缓存" not in bypassed.stdout
        assert first.text in bypassed.stdout
    monkeypatch.setenv("DEVIATION_NO_CACHE", "1")
    for query in queries:
        assert "来自缓存" not in cli(*query, data=QINGHE).stdout


def test_validate_always_validates_and_fills_the_cache(cli):
    doctored_entry(QINGHE)
    run = cli("validate", str(QINGHE), "--format", "json", data=None)
    assert run.exit_code == 0 and run.json() == []
    # validate re-checked the files and replaced the doctored entry with the real register.
    assert cache.load(QINGHE, key_of(QINGHE)) == load_register(QINGHE)


def test_a_cache_hit_imports_neither_yaml_nor_pydantic(tmp_path):
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(tmp_path)}
    env.pop("DEVIATION_NO_CACHE", None)
    code = (
        "import sys; from deviation_cli.store.load import load_register; "
        f"r = load_register({str(QINGHE)!r}, cache=True); "
        "print(len(r.tasks), sorted(m for m in ('yaml', 'pydantic', 'pydantic_core') if m in sys.modules))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    count = len(load_register(QINGHE).tasks)
    # Validating needs pydantic (yaml too, unless the fast line reader takes the file).
    assert first.stdout.strip().startswith(f"{count} ['pydantic', 'pydantic_core'")
    assert second.stdout.strip() == f"{count} []"


def test_a_cached_due_builds_no_record_of_the_register(tmp_path):
    """`due` answers from the index: no pydantic, no yaml, not even the register's dataclasses."""
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(tmp_path), "NO_COLOR": "1"}
    env.pop("DEVIATION_NO_CACHE", None)
    code = (
        # main ends the process with os._exit once the output is out; here it must return to the report below.
        "import os, sys; from deviation_cli.cli import main\nos._exit = lambda code: None\n"
        f"sys.argv = ['deviation', '--data', {str(QINGHE)!r}, 'due', '--before', '2099-12-31', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('yaml', 'pydantic', 'rich', 'jinja2', 'deviation_cli.domain.register', 'deviation_cli.validation')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "'pydantic'" in first.stderr
    assert second.stderr.strip() == "[]"
    assert second.stdout == first.stdout and second.stdout.startswith("[\n  {")


def test_the_cli_starts_without_yaml_pydantic_rich_or_jinja2(tmp_path):
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys; from deviation_cli.cli import app; "
        "print(sorted(m for m in ('yaml', 'pydantic', 'rich', 'jinja2') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_the_cache_codec_knows_every_field_of_the_register():
    # A field added to register.py must be taught to register_index.write and
    # register_cache (and to CODEC_FIELDS); until then the cache stays off rather than drop the field.
    assert cache.codec_matches_register()


def test_a_register_with_a_field_the_codec_does_not_know_is_not_cached(monkeypatch):
    monkeypatch.setitem(cache.CODEC_FIELDS, "Task", cache.CODEC_FIELDS["Task"][:-1])
    assert load_register(QINGHE, cache=True) == load_register(QINGHE)
    assert not entry(QINGHE).exists()


def test_no_home_and_no_cache_variables_is_no_error(monkeypatch):
    for name in ("DEVIATION_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("no home"))))
    assert load_register(QINGHE, cache=True) == load_register(QINGHE)


def test_a_cache_entry_is_replaced_whole_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(tmp_path / "cache"))
    load_register(QINGHE, cache=True)
    load_register(HANZHONG, cache=True)
    doctored_entry(QINGHE)
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == sorted(
        [entry(QINGHE).name, entry(HANZHONG).name]
    )


def test_the_entry_of_the_earlier_marshal_cache_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(tmp_path))
    earlier = entry(QINGHE).with_suffix(".cache")
    earlier.write_bytes(b'{"magic": "deviation-register-cache", "format": 5}\n')
    load_register(QINGHE, cache=True)
    assert entry(QINGHE).is_file() and not earlier.exists()
