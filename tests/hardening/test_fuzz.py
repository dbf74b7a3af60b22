"""A bounded, deterministic fuzz of `deviation validate` over mutated copies of both registers.

Seeds are fixed, so a failure here reproduces exactly:
`python scripts/fuzz.py --source hanzhong --seed N --cases 1` replays case N
(seeds 400-449: --source qinghe). The long run is scripts/fuzz.py --minutes N.
"""

from __future__ import annotations

import sys

import pytest

from support.fuzzing import (
    TIME_LIMIT_SECONDS,
    concurrent_records,
    copy_register,
    make_case,
    make_table_case,
    make_template_case,
    problems,
    run_command,
    run_validate,
    run_validate_process,
)
from support.paths import HANZHONG, QINGHE

HANZHONG_SEEDS = range(0, 250)
QINGHE_SEEDS = range(400, 450)


def fuzz(tmp_path, seeds, source):
    run_validate(copy_register(tmp_path / "warm-up", source))  # imports outside the time bound
    failures = []
    codes = {0: 0, 1: 0, 2: 0}
    for seed in seeds:
        case = make_case(seed, source)
        folder = copy_register(tmp_path / str(seed), source, **{case.file.split(".")[0]: case.content})
        outcome = run_validate(folder, measure_memory=seed % 10 == 0)
        codes[outcome.exit_code] = codes.get(outcome.exit_code, 0) + 1
        found = problems(outcome)
        if found:
            failures.append(f"seed {seed} ({case.file}: {', '.join(case.steps)}): {'; '.join(found)}")
    return failures, codes


def test_mutated_hanzhong_register_never_breaks_validate(tmp_path):
    failures, codes = fuzz(tmp_path, HANZHONG_SEEDS, HANZHONG)
    assert failures == []
    # the mutations reach every outcome: some still valid, most invalid or unreadable
    assert codes[0] > 0 and codes[1] > 50 and codes[2] > 50


def test_mutated_qinghe_register_never_breaks_validate(tmp_path):
    failures, codes = fuzz(tmp_path, QINGHE_SEEDS, QINGHE)
    assert failures == []
    assert codes[1] > 0 and codes[2] > 0


@pytest.mark.parametrize("seed", [3, 17, 101, 450])
def test_mutated_register_in_a_real_process(tmp_path, seed):
    """As a user runs it: a separate process, a 1 GiB address-space cap, a wall-clock bound."""
    source = QINGHE if seed >= 400 else HANZHONG
    case = make_case(seed, source)
    folder = copy_register(tmp_path / "r", source, **{case.file.split(".")[0]: case.content})
    outcome = run_validate_process(folder)
    assert problems(outcome) == []
    # start-up included, a real process still answers well inside the bound
    assert outcome.seconds < TIME_LIMIT_SECONDS


def test_hostile_files_in_a_real_process(tmp_path):
    from test_hostile import billion_laughs

    for name, content in (
        ("laughs", billion_laughs()),
        ("deep", "[" * 10_000 + "]" * 10_000),
        ("binary", bytes(range(256)) * 64),
    ):
        folder = copy_register(tmp_path / name, tasks=content)
        outcome = run_validate_process(folder, memory_limit=512 * 2**20)
        assert problems(outcome) == [], name
        assert outcome.exit_code in (1, 2), name


# --- tables, templates, concurrent appends (scripts/fuzz.py --target ...) ------------------------

#: 1181, 1256: corrupt deflate data inside the zip (zlib.error), found by the long run.
WORKBOOK_SEEDS = [*range(2000, 2020), 1181, 1256]
CSV_SEEDS = range(3000, 3020)
TEMPLATE_SEEDS = range(4000, 4040)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exported")
    tables = {}
    for kind in ("xlsx", "csv"):
        path = folder / f"base.{kind}"
        assert run_command(["--data", str(HANZHONG), "export", kind, "-o", str(path)]).exit_code == 0
        tables[kind] = path.read_bytes()
    return tables


@pytest.mark.parametrize("kind, seeds", [("xlsx", WORKBOOK_SEEDS), ("csv", CSV_SEEDS)])
def test_mutated_tables_never_break_import(tmp_path, exported, kind, seeds):
    failures, codes = [], {}
    for seed in seeds:
        case = make_table_case(seed, kind, exported[kind])
        table = tmp_path / f"{seed}.{kind}"
        table.write_bytes(case.content)
        outcome = run_command(
            ["--data", str(HANZHONG), "import", kind, str(table), "-o", str(tmp_path / f"out-{seed}")],
            measure_memory=seed % 10 == 0,
        )
        codes[outcome.exit_code] = codes.get(outcome.exit_code, 0) + 1
        found = problems(outcome)
        if found:
            failures.append(f"seed {seed} ({', '.join(case.steps)}): {'; '.join(found)}")
    assert failures == []
    assert codes.get(2, 0) > 0


def test_generated_templates_render_or_are_refused_fast(tmp_path):
    failures, codes = [], {}
    for seed in TEMPLATE_SEEDS:
        text, pieces = make_template_case(seed)
        folder = tmp_path / str(seed)
        folder.mkdir()
        (folder / "table.md").write_text(text, encoding="utf-8")
        outcome = run_command(["--data", str(QINGHE), "render", "table", "--templates", str(folder)])
        codes[outcome.exit_code] = codes.get(outcome.exit_code, 0) + 1
        found = problems(outcome)
        if found:
            failures.append(f"seed {seed} ({' | '.join(pieces)}): {'; '.join(found)}")
    assert failures == []
    assert codes.get(0, 0) > 0 and codes.get(2, 0) > 0


@pytest.mark.skipif(sys.platform == "win32", reason="children are forked")
@pytest.mark.parametrize("count", [3, 12])
def test_concurrent_appends_keep_every_report(tmp_path, count):
    folder = copy_register(tmp_path / "r", QINGHE)
    codes, kept = concurrent_records(folder, count)
    assert codes == [0] * count and kept == count
