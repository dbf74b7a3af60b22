"""Time deviation beside what users would pick instead, and beside the floors; write benchmarks/RESULTS.md.

    python benchmarks/run.py                          # 23 (the shipped register), 10,000 and 100,000 tasks
    python benchmarks/run.py --sizes 23,10000 --runs 3

Every figure is the median of several runs of a fresh process; peak memory is
the child's own maximum resident set (``os.wait4`` rusage). Commands compared
in a ratio run interleaved, round by round, so a busy machine slows both sides
alike. Measured at each size:

- deviation: ``validate --no-cache`` (every check), ``due --no-cache``, and the cached
  ``due``, ``unit`` and ``tasks --lead`` (the register validated once before);
- peers: a naive PyYAML script (benchmarks/peers/naive_due.py), ``yq`` over the YAML and
  ``jq`` over the JSON export, Taskwarrior over its own data file, each where installed;
- floors: reading and hashing tasks.yaml and units.yaml, libyaml's bare event loop over
  tasks.yaml (benchmarks/floors.py); and, for start-up, ``python -c pass`` and
  ``python -c "import typer"``.

deviation's bytecode is compiled first, as pip does on install. Generated
registers come from benchmarks/generate.py (written once to benchmarks/registers/,
not committed, with the peers' copies); the cache goes to a temporary folder,
never to the user's. A child's peak memory includes its parent's at the moment
it starts, so this script loads no register itself (about 15 MB).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "data"
PYTHON = sys.executable
DEVIATION = Path(PYTHON).parent / "deviation"
#: A peer whose first run takes longer than this is run once.
SLOW = 10.0


def deviation(*args: str) -> list[str]:
    if DEVIATION.exists():
        return [str(DEVIATION), *args]
    return [PYTHON, "-m", "deviation_cli", *args]


class Run:
    def __init__(self, wall: float, cpu: float, rss: int, code: int):
        self.wall, self.cpu, self.rss, self.code = wall, cpu, rss, code


def measure(command: list[str], env: dict[str, str]) -> Run:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB and exit code of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status))


class Row:
    """The median of a command's runs at one size."""

    def __init__(self, group: str, name: str, size: int, runs: list[Run]):
        self.group, self.name, self.size = group, name, size
        self.wall = statistics.median(run.wall for run in runs)
        self.cpu = statistics.median(run.cpu for run in runs)
        self.rss = max(run.rss for run in runs)
        self.codes = sorted({run.code for run in runs})
        self.count = len(runs)


class Bench:
    def __init__(self, env: dict[str, str], runs: int):
        self.env = env
        self.runs = runs
        self.rows: list[Row] = []
        self.notes: list[str] = []

    def paired(self, group: str, size: int, commands: dict[str, list[str]], runs: int) -> dict[str, Row]:
        """Each command ``runs`` times, interleaved round by round; a slow first round means one round."""
        results: dict[str, list[Run]] = {name: [] for name in commands}
        for round_number in range(runs):
            started = time.perf_counter()
            for name, command in commands.items():
                results[name].append(measure(command, self.env))
            if round_number == 0 and time.perf_counter() - started > SLOW * len(commands):
                break
        rows = {name: Row(group, name, size, found) for name, found in results.items()}
        for row in rows.values():
            self.rows.append(row)
            print(
                f"{size:>7,}  {row.name:<44} {row.wall:8.3f} s  cpu {row.cpu:7.3f} s  {row.rss:6d} MB"
                f"  x{row.count}  exit {row.codes}",
                flush=True,
            )
        return rows

    def single(self, group: str, size: int, name: str, command: list[str], runs: int) -> Row:
        return self.paired(group, size, {name: command}, runs)[name]

    def find(self, name: str, size: int) -> Row | None:
        return next((row for row in self.rows if row.name == name and row.size == size), None)


# --- the peers' copies of a register --------------------------------------------------------


def json_copy(folder: Path, env: dict[str, str]) -> Path:
    """The register as the JSON contract (``export json``), for jq."""
    target = folder / "tasks.json"
    if not target.is_file():
        subprocess.run(deviation("--data", str(folder), "export", "json", "-o", str(target)), env=env, check=True)
    return target


def taskwarrior_copy(folder: Path, store: Path) -> Path:
    """A Taskwarrior data folder with one task per milestone (and per ongoing task); returns its taskrc.

    Made by a child process, like every other copy and register: the children's peak memory
    counts the parent's at the moment it starts them, so the parent never loads a register.
    """
    rc = store / "taskrc"
    if not ((store / "taskwarrior" / "pending.data").is_file() and rc.is_file()):
        subprocess.run([PYTHON, __file__, "--prepare-taskwarrior", str(folder), str(store)], check=True)
    return rc


def prepare_taskwarrior(folder: Path, store: Path) -> None:
    data = store / "taskwarrior"
    rc = store / "taskrc"
    from deviation_cli import load_register

    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\ngc=off\nhooks=off\nnews.version=2.6.2\n",
        encoding="utf-8",
    )
    register = load_register(folder)
    tasks = []
    for task in register.tasks:
        for index, milestone in enumerate(task.due or (None,)):
            item = {
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"deviation/{task.id}/{index}")),
                "description": task.text,
                "status": "pending",
                "entry": "20230618T000000Z",
                "project": "heading." + (task.heading or "none"),
            }
            if milestone is not None:
                item["due"] = milestone.strftime("%Y%m%dT000000Z")
            tasks.append(item)
    imported = store / "taskwarrior.json"
    imported.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        ["task", "import", str(imported)],
        env={**os.environ, "TASKRC": str(rc)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    imported.unlink()


def installed(command: str) -> bool:
    return shutil.which(command) is not None


# --- start-up ------------------------------------------------------------------------------------


def import_costs(env: dict[str, str]) -> list[tuple[str, float, float]]:
    """What a cached ``due`` imports beyond typer: (module, self ms, cumulative ms), the costliest first."""
    code = (
        "import sys\nfrom deviation_cli.cli import main\n"
        f"sys.argv = ['deviation', '--data', {str(SHIPPED)!r}, 'due', '--before', '2023-07-31', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    runs: list[dict[str, tuple[float, float]]] = []
    for _ in range(5):
        done = subprocess.run([PYTHON, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True)
        seen: dict[str, tuple[float, float]] = {}
        typer_done = False
        for line in done.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| +(\S+)", line)
            if not match:
                continue
            name = match.group(3)
            if typer_done:
                seen[name] = (int(match.group(1)) / 1000, int(match.group(2)) / 1000)
            if name == "typer":  # printed once typer and all it imports are in: what follows is ours
                typer_done = True
        runs.append(seen)
    names = set().union(*runs)
    median = {
        name: (
            statistics.median(run.get(name, (0.0, 0.0))[0] for run in runs),
            statistics.median(run.get(name, (0.0, 0.0))[1] for run in runs),
        )
        for name in names
    }
    return sorted(((name, own, whole) for name, (own, whole) in median.items()), key=lambda item: -item[1])


# --- the chart -------------------------------------------------------------------------------


SERIES = [
    ("validate --no-cache", "#c0392b", ""),
    ("due (cached)", "#2980b9", ""),
    ("unit (cached)", "#27ae60", ""),
    ("tasks --lead (cached)", "#16a085", ""),
    ("naive PyYAML script", "#e67e22", "6,3"),
    ("yq (YAML)", "#8e44ad", "6,3"),
    ("jq (JSON export)", "#d35400", "6,3"),
    ("Taskwarrior", "#7f8c8d", "6,3"),
    ("floor: read + hash", "#000000", "2,3"),
    ("floor: libyaml events", "#555555", "2,3"),
]


def chart(bench: Bench, sizes: list[int], path: Path) -> None:
    """A hand-written log-log SVG of median wall time against N (no plotting library needed)."""
    width, height, left, bottom, top, right = 820, 420, 70, 50, 20, 250
    named = {name for name, _, _ in SERIES}
    times = [row.wall for row in bench.rows if row.name in named and row.wall > 0]
    if not times or len(sizes) < 2:
        return
    ymin = math.floor(math.log10(min(times)))
    ymax = max(math.ceil(math.log10(max(times))), ymin + 1)
    xs = [math.log10(n) for n in sizes]

    def px(n: float) -> float:
        return left + (math.log10(n) - xs[0]) / ((xs[-1] - xs[0]) or 1) * (width - left - right)

    def py(t: float) -> float:
        return height - bottom - (math.log10(t) - ymin) / (ymax - ymin) * (height - bottom - top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
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
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">tasks in the register</text>'
    )
    shown = 0
    for name, colour, dash in SERIES:
        points = [(px(row.size), py(row.wall)) for row in bench.rows if row.name == name and row.wall > 0]
        if not points:
            continue
        style = f' stroke-dasharray="{dash}"' if dash else ""
        path_data = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline points="{path_data}" fill="none" stroke="{colour}" stroke-width="2"{style}/>')
        out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
        ly = top + 16 + shown * 18
        out.append(
            f'<line x1="{width - right + 10}" y1="{ly - 4}" x2="{width - right + 30}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{style}/>'
        )
        out.append(f'<text x="{width - right + 35}" y="{ly}">{name}</text>')
        shown += 1
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# --- the run -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="23,10000,100000", help="23 is the shipped register")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (3 at N >= 100,000)")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--prepare-taskwarrior", nargs=2, metavar=("FOLDER", "STORE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare_taskwarrior:
        prepare_taskwarrior(*map(Path, options.prepare_taskwarrior))
        return 0
    sizes = [int(size) for size in options.sizes.split(",")]

    cache = Path(tempfile.mkdtemp(prefix="deviation-bench-cache-"))
    env = {**os.environ, "DEVIATION_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    # PYTHONDONTWRITEBYTECODE would make every run compile deviation's sources again,
    # while typer, yaml and pydantic load their .pyc from the install: measure deviation
    # as pip installs it, bytecode compiled.
    for name in ("DEVIATION_NO_CACHE", "DEVIATION_DATA", "DEVIATION_LANG", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    import compileall
    import importlib.util

    # Found, not imported: the parent stays small (see taskwarrior_copy).
    package = importlib.util.find_spec("deviation_cli")
    assert package is not None and package.origin is not None
    compileall.compile_dir(str(Path(package.origin).parent), quiet=1)
    bench = Bench(env, options.runs)
    # (name, program, its command line for a register folder, a folder for the peer's copies, a day)
    peers: list[tuple[str, str, Callable[[Path, Path, str], list[str]]]] = [
        ("naive PyYAML script", PYTHON, lambda f, s, day: [PYTHON, str(HERE / "peers" / "naive_due.py"), str(f), day]),
    ]
    if installed("yq"):
        peers.append(
            (
                "yq (YAML)",
                "yq",
                lambda f, s, day: [
                    "yq",
                    "-c",
                    f'[.tasks[] | select(.deadline | test("^{day[:4]}(年[1-{int(day[5:7])}]月|-0[1-{int(day[5:7])}]-)"))]',
                    str(f / "tasks.yaml"),
                ],
            )
        )
    else:
        bench.notes.append("`yq` is not installed: skipped.")
    if installed("jq"):
        peers.append(
            (
                "jq (JSON export)",
                "jq",
                lambda f, s, day: ["jq", "-c", f'[.[] | select(any(.due[]; . <= "{day}"))]', str(json_copy(f, env))],
            )
        )
    else:
        bench.notes.append("`jq` is not installed: skipped.")
    has_taskwarrior = installed("task")
    if not has_taskwarrior:
        bench.notes.append("Taskwarrior (`task`) is not installed: skipped.")

    try:
        # --- start-up on the shipped register
        print("start-up, shipped register (23 tasks)", flush=True)
        shipped = ["--data", str(SHIPPED)]
        due = ["due", "--before", "2023-07-31", "--format", "json"]
        subprocess.run(deviation(*shipped, *due), env=env, stdout=subprocess.DEVNULL, check=False)  # fill the cache
        startup = bench.paired(
            "start-up",
            23,
            {
                'python -c "pass"': [PYTHON, "-c", "pass"],
                'python -c "import typer"': [PYTHON, "-c", "import typer"],
                "due --format json (cached)": deviation(*shipped, *due),
                "deviation --help": deviation("--help"),
                "deviation --version": deviation("--version"),
            },
            options.runs * 4,
        )
        imports = import_costs(env)

        # --- sizes
        scratch = Path(tempfile.mkdtemp(prefix="deviation-bench-"))
        for n in sizes:
            if n == 23:
                # A copy of the shipped register: the peers' copies must not land in data/.
                folder = store = scratch / "shipped"
                shutil.copytree(SHIPPED, folder)
                day = "2023-07-31"
            else:
                folder = store = HERE / "registers" / f"n{n}"
                if not (folder / "tasks.yaml").is_file():
                    print(f"generating {folder}", flush=True)
                    subprocess.run([PYTHON, str(HERE / "generate.py"), str(n), str(folder)], check=True)
                day = "2024-06-30"  # generated deadlines run from 2024 on
            print(f"N = {n:,} ({(folder / 'tasks.yaml').stat().st_size / 1e6:.1f} MB of tasks.yaml)", flush=True)
            k = max(3, options.runs // 2) if n >= 100_000 else options.runs
            data = ["--data", str(folder)]
            floor = [PYTHON, str(HERE / "floors.py")]
            # Goal 3: every check, against the least a YAML parser does.
            bench.paired(
                "validate",
                n,
                {
                    "floor: libyaml events": [*floor, "events", str(folder)],
                    "validate --no-cache": deviation(*data, "--no-cache", "validate"),
                },
                k,
            )
            bench.single(
                "deviation",
                n,
                "due --no-cache",
                deviation(*data, "--no-cache", "due", "--before", day, "--format", "json"),
                k,
            )
            # Goal 2: a cached query, against knowing that the files have not changed.
            subprocess.run(deviation(*data, "validate"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            bench.paired(
                "cached",
                n,
                {
                    "floor: read + hash": [*floor, "hash", str(folder)],
                    "due (cached)": deviation(*data, "due", "--before", day, "--format", "json"),
                    "unit (cached)": deviation(*data, "unit", "市发改委", "--format", "json"),
                    "tasks --lead (cached)": deviation(*data, "tasks", "--lead", "市发改委", "--format", "json"),
                },
                k,
            )
            commands = {name: build(folder, store, day) for name, _, build in peers}
            if has_taskwarrior:
                # Taskwarrior finds its data through TASKRC in the children's environment.
                env["TASKRC"] = str(taskwarrior_copy(folder, store))
                commands["Taskwarrior"] = ["task", f"due.before:{day}", "export"]
            bench.paired("peer", n, commands, k)
            env.pop("TASKRC", None)
        shutil.rmtree(scratch, ignore_errors=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    write_results(bench, sizes, options, startup, imports)
    return 0


def write_results(
    bench: Bench, sizes: list[int], options: argparse.Namespace, startup: dict[str, Row], imports: list
) -> None:
    targets: list[tuple[str, str, str, bool | None]] = []
    typer_row = startup['python -c "import typer"']
    due_row = startup["due --format json (cached)"]
    ratio = due_row.wall / typer_row.wall
    targets.append(
        (
            'cached `due --format json` on the shipped register / `python -c "import typer"`',
            f"{due_row.wall * 1000:.0f} ms / {typer_row.wall * 1000:.0f} ms = {ratio:.2f}×",
            "≤ 1.25×",
            ratio <= 1.25,
        )
    )
    big = max(sizes)
    floor = bench.find("floor: read + hash", big)
    for name in ("due (cached)", "unit (cached)", "tasks --lead (cached)"):
        row = bench.find(name, big)
        if row is None or floor is None:
            continue
        ratio = row.wall / floor.wall
        targets.append(
            (
                f"`{name.replace(' (cached)', '')}` on {big:,} tasks, cached / reading and hashing the files",
                f"{row.wall:.2f} s / {floor.wall:.2f} s = {ratio:.1f}×",
                "≤ 4×",
                ratio <= 4,
            )
        )
        targets.append(("… its peak memory", f"{row.rss} MB", "≤ 200 MB", row.rss <= 200))
    validate, events = bench.find("validate --no-cache", big), bench.find("floor: libyaml events", big)
    if validate and events:
        ratio = validate.wall / events.wall
        targets.append(
            (
                f"`validate --no-cache` on {big:,} tasks / libyaml's bare event loop",
                f"{validate.wall:.2f} s / {events.wall:.2f} s = {ratio:.2f}×",
                "≤ 1.5×",
                ratio <= 1.5,
            )
        )
        targets.append(("… its peak memory", f"{validate.rss} MB", "≤ 600 MB", validate.rss <= 600))
        small = bench.find("validate --no-cache", 10_000)
        if small and big == 100_000:
            growth = validate.wall / small.wall
            targets.append(("`validate` time, 10,000 → 100,000 tasks", f"{growth:.1f}×", "≤ 10×", growth <= 10))

    def size_text(size: int) -> str:
        return "shipped (23)" if size == 23 else f"{size:,}"

    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py --sizes {options.sizes} --runs {options.runs}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average at the end "
        f"{', '.join(f'{value:.1f}' for value in os.getloadavg())}.",
        "",
        "Each time is the median wall-clock time of a fresh process (cpu: user + system time of that child);",
        "memory is the largest peak resident set over the runs. Commands in one ratio ran interleaved.",
        "`cached` means the register had been validated once before, so the query reads its cache.",
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
        "## Side by side",
        "",
        'Wall time in seconds (peak memory in MB) of each way to answer "what is due", and of the floors.',
        "",
        "| | " + " | ".join(size_text(n) for n in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    names: list[str] = []
    for row in bench.rows:
        if row.group != "start-up" and row.name not in names:
            names.append(row.name)
    for name in names:
        cells = []
        for n in sizes:
            row = bench.find(name, n)
            cells.append(f"{row.wall:.3f} ({row.rss})" if row else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "![time against the number of tasks](time-vs-n.svg)",
        "",
        "## Start-up",
        "",
        "On the shipped register (23 tasks), runs interleaved:",
        "",
        "| command | wall (ms) | cpu (ms) | ratio to `import typer` |",
        "| --- | ---: | ---: | ---: |",
        *[
            f"| {name} | {row.wall * 1000:.1f} | {row.cpu * 1000:.1f} | {row.wall / typer_row.wall:.2f}× |"
            for name, row in startup.items()
        ],
        "",
        "What a cached `due` imports once typer is in (`python -X importtime`, medians of 5 runs), the costliest",
        "first; a package's cumulative time includes typer when typer was imported beneath it:",
        "",
        "| module | self (ms) | with what it imports (ms) |",
        "| --- | ---: | ---: |",
        *[f"| {name} | {own:.2f} | {whole:.2f} |" for name, own, whole in imports[:15]],
        "",
        f"All {len(imports)} modules: {sum(own for _, own, _ in imports):.1f} ms of their own.",
        "",
        "## All figures",
        "",
        "| command | N | wall (s) | cpu (s) | peak RSS (MB) | runs | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *[
            f"| {row.name} | {size_text(row.size)} | {row.wall:.3f} | {row.cpu:.3f} | {row.rss} | "
            f"{row.count} | {', '.join(map(str, row.codes))} |"
            for row in bench.rows
        ],
        "",
    ]
    if bench.notes:
        lines += ["## Notes", "", *[f"- {note}" for note in bench.notes], ""]
    chart(bench, sizes, Path(options.output).parent / "time-vs-n.svg")
    Path(options.output).write_text("\n".join(lines), encoding="utf-8")
    print()
    print("\n".join(lines[lines.index("## Targets") : lines.index("## Side by side")]))


if __name__ == "__main__":
    sys.exit(main())
