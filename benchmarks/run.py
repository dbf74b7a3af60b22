"""Time `deviation` at every register size and write benchmarks/RESULTS.md.

    python benchmarks/run.py                    # N = 23, 1000, 10000, 100000; 5 runs (3 at 100k)
    python benchmarks/run.py --sizes 23,1000 --runs 3

Every figure is the median of several runs of a fresh process; peak memory is
the child's own maximum resident set (``os.wait4`` rusage). Ratios are taken
between figures of the same run, so a busy machine slows both sides alike.
deviation's bytecode is compiled first, as pip does on install (this
workplace sets PYTHONDONTWRITEBYTECODE, which would otherwise charge every
run for compiling the package). Registers come from ``benchmarks/generate.py`` (written once to
benchmarks/registers/, not committed); the cache goes to a temporary folder,
never to the user's.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SHIPPED = ROOT / "data"
DEVIATION = Path(sys.executable).parent / "deviation"


def deviation(*args: str) -> list[str]:
    if DEVIATION.exists():
        return [str(DEVIATION), *args]
    return [sys.executable, "-m", "deviation_cli", *args]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB, exit code of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, child.returncode


class Row:
    def __init__(self, name: str, size: int | str, runs: list[tuple[float, float, int, int]]):
        self.name, self.size = name, size
        self.wall = statistics.median(run[0] for run in runs)
        self.cpu = statistics.median(run[1] for run in runs)
        self.rss = max(run[2] for run in runs)
        self.codes = sorted({run[3] for run in runs})
        self.count = len(runs)


def bench(
    name: str,
    size: int | str,
    command: list[str],
    env: dict[str, str],
    runs: int,
    rows: list[Row],
    prepare: list[str] | None = None,
) -> Row:
    results = []
    for _ in range(runs):
        if prepare:
            subprocess.run(prepare, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        results.append(measure(command, env))
    row = Row(name, size, results)
    rows.append(row)
    print(
        f"{name:<34} {str(size):>7}  {row.wall:7.3f} s  cpu {row.cpu:7.3f} s  {row.rss:6d} MB  exit {row.codes}",
        flush=True,
    )
    return row


def has_command(name: str, env: dict[str, str]) -> bool:
    probe = subprocess.run(deviation(name, "--help"), env=env, capture_output=True, text=True, check=False)
    return probe.returncode == 0


def chart(rows: list[Row], sizes: list[int], path: Path) -> None:
    """A hand-written log-log SVG of median wall time against N (no plotting library needed)."""
    import math

    series = [
        ("validate --no-cache", "#c0392b"),
        ("due (no cache)", "#e67e22"),
        ("due (cached)", "#2980b9"),
        ("unit (cached)", "#27ae60"),
        ("render table --format html (cached)", "#8e44ad"),
        ("site (cached)", "#7f8c8d"),
    ]
    width, height, left, bottom, top, right = 760, 380, 70, 50, 20, 290
    xs = [math.log10(n) for n in sizes]
    times = [row.wall for row in rows if isinstance(row.size, int) and row.name in dict(series)]
    ymin = math.floor(math.log10(min(times) or 0.01))
    ymax = math.ceil(math.log10(max(times)))
    ymax = max(ymax, ymin + 1)

    def px(n: float) -> float:
        span = (xs[-1] - xs[0]) or 1
        return left + (math.log10(n) - xs[0]) / span * (width - left - right)

    def py(t: float) -> float:
        return height - bottom - (math.log10(t) - ymin) / (ymax - ymin) * (height - bottom - top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for exponent in range(ymin, ymax + 1):
        y = py(10**exponent)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{10**exponent:g} s</text>')
    for n in sizes:
        x = px(n)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">{n:,}</text>')
    out.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">tasks in the register (N)</text>'
    )
    for index, (name, colour) in enumerate(series):
        points = [(px(row.size), py(row.wall)) for row in rows if row.name == name and isinstance(row.size, int)]
        if not points:
            continue
        path_data = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline points="{path_data}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
        ly = top + 16 + index * 18
        out.append(
            f'<line x1="{width - right + 10}" y1="{ly - 4}" x2="{width - right + 30}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>'
        )
        out.append(f'<text x="{width - right + 35}" y="{ly}">{name}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="23,1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (3 at N >= 100,000)")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    cache = Path(tempfile.mkdtemp(prefix="deviation-bench-cache-"))
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    # PYTHONDONTWRITEBYTECODE would make every run compile deviation's sources
    # again (tens of ms), while yaml and pydantic load their .pyc from the
    # install: measure deviation as pip installs it, bytecode compiled.
    for name in ("DEVIATION_NO_CACHE", "DEVIATION_DATA", "DEVIATION_LANG", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    import compileall

    import deviation_cli

    compileall.compile_dir(str(Path(deviation_cli.__file__).parent), quiet=1)
    rows: list[Row] = []
    notes: list[str] = []
    runs = options.runs
    try:
        print("start-up, shipped register (23 tasks)", flush=True)
        shipped = ["--data", str(SHIPPED)]
        due = ["due", "--before", "2023-07-31", "--format", "json"]
        subprocess.run(deviation(*shipped, *due), env=env, stdout=subprocess.DEVNULL, check=False)  # fill the cache
        floor_command = [sys.executable, "-c", "import yaml, pydantic"]
        warm_command = deviation(*shipped, *due)
        # Interleaved, so that both sides of the ratio meet the same load on a shared machine.
        floor_runs, warm_runs = [], []
        for _ in range(runs * 4):
            floor_runs.append(measure(floor_command, env))
            warm_runs.append(measure(warm_command, env))
        floor = Row('python -c "import yaml, pydantic"', "-", floor_runs)
        warm = Row("due --format json (cached)", "shipped", warm_runs)
        for row in (floor, warm):
            rows.append(row)
            print(f"{row.name:<34} {row.size:>7}  {row.wall:7.3f} s  cpu {row.cpu:7.3f} s  {row.rss:6d} MB", flush=True)
        cold = bench(
            "due --format json --no-cache", "shipped", deviation(*shipped, "--no-cache", *due), env, runs * 2, rows
        )
        bench("deviation --version", "-", deviation("--version"), env, runs, rows)

        # (name, command, largest N to run it on): the site writes a page per task
        # (about 28 MB per 1,000 tasks), so it stops at 10,000 tasks.
        extra_commands = []
        if has_command("render", env):
            extra_commands.append(
                (
                    "render table --format html (cached)",
                    ["render", "table", "--format", "html", "-o", str(cache / "table.html")],
                    10**9,
                )
            )
        else:
            notes.append("`render table --format html`: not in this build of deviation, skipped.")
        if has_command("site", env):
            extra_commands.append(("site (cached)", ["site", str(cache / "site")], 10_000))
            notes.append(
                "`site` writes one page per task (about 28 MB per 1,000 tasks): timed up to 10,000 tasks only."
            )
        else:
            notes.append("`site`: not in this build of deviation, skipped.")

        for n in sizes:
            folder = HERE / "registers" / f"n{n}"
            if not (folder / "tasks.yaml").is_file():
                print(f"generating {folder}", flush=True)
                generate.generate(n, folder)
            mb = (folder / "tasks.yaml").stat().st_size / 1e6
            print(f"N = {n:,} ({mb:.1f} MB)", flush=True)
            k = max(3, runs // 2) if n >= 100_000 else runs
            # Generated deadlines run from 2024 on (after the plan was written).
            due = ["due", "--before", "2024-06-30", "--format", "json"]
            data = ["--data", str(folder)]
            bench("validate --no-cache", n, deviation(*data, "--no-cache", "validate"), env, k, rows)
            bench("due (no cache)", n, deviation(*data, "--no-cache", *due), env, k, rows)
            prime = deviation(*data, "validate")
            subprocess.run(prime, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            bench("due (cached)", n, deviation(*data, *due), env, k, rows)
            bench("unit (cached)", n, deviation(*data, "unit", "市发改委", "--format", "json"), env, k, rows)
            for name, command, largest in extra_commands:
                if n <= largest:
                    bench(name, n, deviation(*data, *command), env, 1 if n >= 10_000 and "site" in name else k, rows)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    def find(name: str, size: int | str) -> Row | None:
        return next((row for row in rows if row.name == name and row.size == size), None)

    targets = []
    ratio = warm.wall / floor.wall
    targets.append(
        (
            "cold `due --format json` (shipped, cache warm) / `import yaml, pydantic`",
            f"{ratio:.2f}× (cpu {warm.cpu / floor.cpu:.2f}×)",
            "≤ 1.5×",
            ratio <= 1.5,
        )
    )
    ratio_cold = cold.wall / floor.wall
    targets.append(("same with `--no-cache` (full validation)", f"{ratio_cold:.2f}×", "(info)", None))
    big, mid = find("validate --no-cache", 100_000), find("validate --no-cache", 10_000)
    if big:
        targets.append(
            ("`validate` on 100,000 tasks, wall", f"{big.wall:.2f} s (cpu {big.cpu:.2f} s)", "≤ 10 s", big.wall <= 10)
        )
        targets.append(("`validate` on 100,000 tasks, peak memory", f"{big.rss} MB", "≤ 1024 MB", big.rss <= 1024))
        if mid:
            growth = big.wall / mid.wall
            targets.append(("`validate` time 10k → 100k", f"{growth:.1f}×", "≤ 11×", growth <= 11))
    hit = find("due (cached)", 100_000)
    if hit:
        targets.append(
            (
                "repeated `due` on 100,000 tasks (cache hit)",
                f"{hit.wall:.2f} s (cpu {hit.cpu:.2f} s)",
                "≤ 2 s",
                hit.wall <= 2,
            )
        )
        mid_hit = find("due (cached)", 10_000)
        if mid_hit:
            growth = hit.wall / mid_hit.wall
            targets.append(("cached `due` time 10k → 100k", f"{growth:.1f}×", "≤ 11×", growth <= 11))

    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py --sizes {options.sizes} --runs {runs}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average at the end "
        f"{', '.join(f'{value:.1f}' for value in os.getloadavg())}.",
        "",
        "Each time is the median wall-clock time of a fresh process (cpu = user + system time of that child, median);",
        "memory is the largest peak resident set over the runs. `cached` means the register had been validated",
        "once before, so the query reads the cache of it (see the README section on performance).",
        "",
        "## Targets",
        "",
        "| target | measured | limit | met |",
        "| --- | --- | --- | --- |",
        *[
            f"| {name} | {value} | {limit} | {'—' if ok is None else ('yes' if ok else 'NO')} |"
            for name, value, limit, ok in targets
        ],
        "",
        "## All figures",
        "",
        "| command | N | wall (s) | cpu (s) | peak RSS (MB) | runs | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *[
            f"| {row.name} | {row.size if isinstance(row.size, str) else f'{row.size:,}'} | {row.wall:.3f} | {row.cpu:.3f} | "
            f"{row.rss} | {row.count} | {', '.join(map(str, row.codes))} |"
            for row in rows
        ],
        "",
        "![time against N](time-vs-n.svg)",
        "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    chart(rows, sizes, HERE / "time-vs-n.svg")
    Path(options.output).write_text("\n".join(lines), encoding="utf-8")
    print()
    print("\n".join(lines[lines.index("## Targets") :]))
    return 0 if all(ok is not False for *_, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
