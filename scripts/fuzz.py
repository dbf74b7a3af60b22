#!/usr/bin/env python3
"""Fuzz `deviation` for a while: mutated registers, tables and templates, concurrent appends; every run judged.

    python scripts/fuzz.py --minutes 10 --seed 1000
    python scripts/fuzz.py --target workbook --minutes 5     # one kind of input only
    python scripts/fuzz.py --seed 4711 --cases 1             # replay one case

Targets (``--target``, default ``all``: the seed chooses, in turn):

- ``register``: one register file mutated 1-3 times (bytes or structure), then `validate`;
- ``workbook``: the register's xlsx export with XML parts changed (DOCTYPEs, entities,
  far cells, huge merges, cuts, flips, repeats), then `import xlsx`;
- ``csv``: its CSV export with quotes, delimiters, NULs, long cells, many rows, then `import csv`;
- ``template``: a user template strung from loops, formats, padding, growth and reaches for
  internals, with numbers from 0 to 2,000,000,000, then `render table --templates`;
- ``appends``: 2-12 processes run `record` at the same moment; every report must be kept.

Runs are in-process through typer's CliRunner; every 10th run is measured with
tracemalloc and every 50th register case also runs as a real process under a 1 GiB cap.
A run fails when it raises, exits other than 0/1/2, exits non-zero without a message,
prints a traceback, takes over 5 s, or peaks over 64 MiB (tracemalloc); an appends case
fails when a report is missing. Each failing case is saved under --out with PROBLEM.txt.
Exit code: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.fuzzing import (  # noqa: E402
    HANZHONG,
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
from support.paths import QINGHE  # noqa: E402

SOURCES = {"hanzhong": HANZHONG, "qinghe": QINGHE}
TARGETS = ("register", "workbook", "csv", "template", "appends")


class Fuzzer:
    def __init__(self, work: Path, out: Path, sources: list[Path], source_name: str):
        self.work, self.out, self.sources, self.source_name = work, out, sources, source_name
        self.tables: dict[str, bytes] = {}
        for kind in ("xlsx", "csv"):
            path = work / f"base.{kind}"
            run_command(["--data", str(HANZHONG), "export", kind, "-o", str(path)])
            self.tables[kind] = path.read_bytes()

    def run(self, seed: int, target: str) -> tuple[int, list[str], Path | None, str, str]:
        """One case: (exit code, problems, folder to save, what it was, stderr)."""
        if target == "register":
            source = self.sources[seed % len(self.sources)]
            case = make_case(seed, source)
            folder = copy_register(self.work / "case", source, **{case.file.split(".")[0]: case.content})
            outcome = run_validate(folder, measure_memory=seed % 10 == 0)
            found = problems(outcome)
            if not found and seed % 50 == 0:
                outcome = run_validate_process(folder)
                found = [f"as a process: {problem}" for problem in problems(outcome)]
            what = f"source {source.name}, file {case.file}, mutations {', '.join(case.steps)}"
            return outcome.exit_code, found, folder, what, outcome.stderr
        if target in ("workbook", "csv"):
            kind = "xlsx" if target == "workbook" else "csv"
            case = make_table_case(seed, kind, self.tables[kind])
            folder = self.work / "case"
            folder.mkdir(exist_ok=True)
            table = folder / f"table.{kind}"
            table.write_bytes(case.content)
            outcome = run_command(
                ["--data", str(HANZHONG), "import", kind, str(table), "-o", str(folder / "out")],
                measure_memory=seed % 10 == 0,
            )
            return outcome.exit_code, problems(outcome), folder, f"{kind}, {', '.join(case.steps)}", outcome.stderr
        if target == "template":
            text, pieces = make_template_case(seed)
            folder = self.work / "case"
            folder.mkdir(exist_ok=True)
            (folder / "table.md").write_text(text, encoding="utf-8")
            outcome = run_command(
                ["--data", str(QINGHE), "render", "table", "--templates", str(folder)], measure_memory=seed % 10 == 0
            )
            return outcome.exit_code, problems(outcome), folder, "template: " + " | ".join(pieces), outcome.stderr
        folder = copy_register(self.work / "case", QINGHE)
        count = 2 + seed % 11
        codes, kept = concurrent_records(folder, count)
        found = [f"{count} parallel records kept {kept} reports"] if kept != count else []
        found += [f"a record exited {code}" for code in codes if code != 0]
        return 0 if not found else 1, found, folder, f"{count} parallel records", ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to run (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: from the clock)")
    parser.add_argument("--cases", type=int, default=None, help="stop after this many cases")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all", help="what to fuzz (default all)")
    parser.add_argument("--source", choices=["hanzhong", "qinghe", "both"], default="both", help="registers to mutate")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="where failing inputs go")
    args = parser.parse_args(argv)

    first = args.seed if args.seed is not None else int(time.time())
    sources = list(SOURCES.values()) if args.source == "both" else [SOURCES[args.source]]
    targets = TARGETS if args.target == "all" else (args.target,)
    stop_at = time.monotonic() + args.minutes * 60
    work = Path(tempfile.mkdtemp(prefix="deviation-fuzz-"))
    counts: dict[str, dict[int, int]] = {target: {} for target in targets}
    failed = 0
    seed = first
    print(f"fuzzing {', '.join(targets)} from seed {first}; failures go to {args.out}/", file=sys.stderr)
    try:
        fuzzer = Fuzzer(work, args.out, sources, args.source)
        run_validate(copy_register(work / "warm-up"))
        while time.monotonic() < stop_at and (args.cases is None or seed - first < args.cases):
            target = targets[seed % len(targets)]
            code, found, folder, what, stderr = fuzzer.run(seed, target)
            counts[target][code] = counts[target].get(code, 0) + 1
            if found:
                failed += 1
                saved = args.out / f"seed-{seed}"
                shutil.rmtree(saved, ignore_errors=True)
                if folder is not None:
                    shutil.copytree(folder, saved)
                saved.mkdir(parents=True, exist_ok=True)
                (saved / "PROBLEM.txt").write_text(
                    f"seed {seed}, target {target}: {what}\n"
                    + "".join(f"- {problem}\n" for problem in found)
                    + f"\nreplay: python scripts/fuzz.py --target {target} --source {args.source}"
                    f" --seed {seed} --cases 1\n\nstderr:\n{stderr[-4000:]}",
                    encoding="utf-8",
                )
                print(f"FAIL seed {seed} ({target}): {'; '.join(found)} -> {saved}", file=sys.stderr)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            seed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = seed - first
    summary = "; ".join(
        f"{target}: " + ", ".join(f"exit {code} ×{n}" for code, n in sorted(found.items()))
        for target, found in counts.items()
    )
    print(f"{total} cases (seeds {first}..{seed - 1}): {summary}; {failed} failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
