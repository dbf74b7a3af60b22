#!/usr/bin/env python3
"""Fuzz `deviation validate` for a while: mutated registers, every run judged, failures saved.

    python scripts/fuzz.py --minutes 10 --seed 1000
    python scripts/fuzz.py --seed 4711 --cases 1          # replay one case

Each case is seed -> (one register file mutated 1-3 times, bytes or structure),
run in-process through typer's CliRunner; every 10th run is measured with
tracemalloc and every 50th also runs as a real process under a 1 GiB cap.
A run fails when it raises, exits other than 0/1/2, exits non-zero without a
message, prints a traceback, takes over 5 s, or peaks over 64 MiB (tracemalloc). Each
failing case is saved as a register folder under --out with PROBLEM.txt.
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

from support.fuzzing import HANZHONG, QINGHE, copy_register, make_case, problems, run_validate, run_validate_process  # noqa: E402

SOURCES = {"hanzhong": HANZHONG, "qinghe": QINGHE}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to run (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: from the clock)")
    parser.add_argument("--cases", type=int, default=None, help="stop after this many cases")
    parser.add_argument("--source", choices=["hanzhong", "qinghe", "both"], default="both")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="where failing inputs go")
    args = parser.parse_args(argv)

    first = args.seed if args.seed is not None else int(time.time())
    sources = list(SOURCES.values()) if args.source == "both" else [SOURCES[args.source]]
    stop_at = time.monotonic() + args.minutes * 60
    work = Path(tempfile.mkdtemp(prefix="deviation-fuzz-"))
    run_validate(copy_register(work / "warm-up"))
    counts = {0: 0, 1: 0, 2: 0}
    failed = 0
    seed = first
    print(f"fuzzing from seed {first}; failures go to {args.out}/", file=sys.stderr)
    try:
        while time.monotonic() < stop_at and (args.cases is None or seed - first < args.cases):
            source = sources[seed % len(sources)]
            case = make_case(seed, source)
            folder = copy_register(work / "case", source, **{case.file.split(".")[0]: case.content})
            outcome = run_validate(folder, measure_memory=seed % 10 == 0)
            found = problems(outcome)
            if not found and seed % 50 == 0:
                outcome = run_validate_process(folder)
                found = [f"as a process: {problem}" for problem in problems(outcome)]
            counts[outcome.exit_code] = counts.get(outcome.exit_code, 0) + 1
            if found:
                failed += 1
                saved = args.out / f"seed-{seed}"
                shutil.rmtree(saved, ignore_errors=True)
                shutil.copytree(folder, saved)
                (saved / "PROBLEM.txt").write_text(
                    f"seed {seed}, source {source.name}, file {case.file}, mutations {', '.join(case.steps)}\n"
                    + "".join(f"- {problem}\n" for problem in found)
                    + f"\nreplay: python scripts/fuzz.py --source {args.source}"
                    f" --seed {seed} --cases 1\nor: deviation validate {saved}\n\nstderr:\n{outcome.stderr[-4000:]}",
                    encoding="utf-8",
                )
                print(f"FAIL seed {seed}: {'; '.join(found)} -> {saved}", file=sys.stderr)
            shutil.rmtree(folder)
            seed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = seed - first
    print(
        f"{total} cases (seeds {first}..{seed - 1}): exit 0 ×{counts.get(0, 0)}, 1 ×{counts.get(1, 0)}, "
        f"2 ×{counts.get(2, 0)}; {failed} failed",
        file=sys.stderr,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
