"""The cache of validated registers: a hit is the register a fresh load gives, and never a risk.

Not timed (benchmarks/run.py times it); conftest points DEVIATION_CACHE_DIR at a
fresh folder for every test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deviation_cli.formats import register_cache as cache
from deviation_cli.store import load
from deviation_cli.store.load import load_register
from support.paths import HANZHONG, QINGHE


def entry(folder: Path) -> Path:
    return cache.cache_file(folder)


def no_validation(monkeypatch):
    """Make any validation fail loudly, so a passing load proves the cache answered."""

    def refuse(*args, **kwargs):
        raise AssertionError("validated although the cache was fresh")

    monkeypatch.setattr(load, "_validate", refuse)


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


def test_the_cache_lives_where_the_user_says(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_folder() == tmp_path / "mine"
    monkeypatch.delenv("DEVIATION_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "deviation"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "deviation"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all\n",
        b'{"magic": "deviation-register-cache"}\n{}',
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


def test_a_truncated_or_tampered_body_is_ignored():
    fresh = load_register(QINGHE)
    load_register(QINGHE, cache=True)
    whole = entry(QINGHE).read_bytes()
    header, _, rest = whole.partition(b"\n")
    entry(QINGHE).write_bytes(header + b"\n" + rest[: len(rest) // 2])
    assert load_register(QINGHE, cache=True) == fresh
    # A header for another version of deviation is a miss, not a guess.
    entry(QINGHE).write_bytes(whole.replace(b'"version"', b'"version_"', 1))
    assert cache.load(QINGHE, cache.content_key(load._read_files(QINGHE))) is None


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
    keys = {cache.content_key(load._read_files(folder))}
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# 备注\n", encoding="utf-8")
    keys.add(cache.content_key(load._read_files(folder)))
    assert len(keys) == 2


def doctored_entry(folder: Path) -> None:
    """Write a cache entry whose first task text differs from the file, to see who answers."""
    import dataclasses

    register = load_register(folder)
    first = dataclasses.replace(register.tasks[0], text="来自缓存")
    doctored = dataclasses.replace(register, tasks=(first, *register.tasks[1:]))
    assert cache.store(folder, cache.content_key(load._read_files(folder)), doctored)


def test_no_cache_option_and_variable_bypass_the_cache(cli, monkeypatch):
    doctored_entry(QINGHE)
    first_id = load_register(QINGHE).tasks[0].id
    shown = cli("show", str(first_id), "--format", "json", data=QINGHE)
    assert shown.exit_code == 0
    assert "来自缓存" in shown.stdout  # the CLI reads the cache by default
    bypassed = cli("--no-cache", "show", str(first_id), "--format", "json", data=QINGHE)
    assert bypassed.exit_code == 0
    assert "来自缓存" not in bypassed.stdout
    assert load_register(QINGHE).tasks[0].text in bypassed.stdout
    monkeypatch.setenv("DEVIATION_NO_CACHE", "1")
    by_variable = cli("show", str(first_id), "--format", "json", data=QINGHE)
    assert "来自缓存" not in by_variable.stdout


def test_validate_always_validates_and_fills_the_cache(cli):
    doctored_entry(QINGHE)
    run = cli("validate", str(QINGHE), "--format", "json", data=None)
    assert run.exit_code == 0 and run.json() == []
    # validate re-checked the files and replaced the doctored entry with the real register.
    key = cache.content_key(load._read_files(QINGHE))
    assert cache.load(QINGHE, key) == load_register(QINGHE)


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


def test_the_cli_starts_without_yaml_pydantic_rich_or_jinja2(tmp_path):
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys; from deviation_cli.cli import app; "
        "print(sorted(m for m in ('yaml', 'pydantic', 'rich', 'jinja2') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_the_cache_codec_knows_every_field_of_the_register():
    # A field added to register.py must be taught to cache.encode/decode (and to
    # CODEC_FIELDS); until then the cache stays off rather than drop the field.
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
