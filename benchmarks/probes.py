"""Check the claims behind the performance work, each in a fresh process.

    python benchmarks/probes.py [N]        # default N = 10000 (register from generate.py)

Prints, as medians of 3 runs: what importing the CLI pulls in (and whether
pydantic/rich/jinja2/yaml are among it), the cost of the first pydantic model
class, libyaml's bare event loop against the line reader on the same
tasks.yaml, and the peak memory of libyaml's node tree (yaml.compose) against
the line reader's tree.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def child(code: str, runs: int = 3) -> tuple[str, float, int]:
    """Last stdout line, median of the float it prints, peak RSS (MB) of the child."""
    values, peaks, out = [], [], ""
    for _ in range(runs):
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        output = process.stdout.read()
        _, _, usage = os.wait4(process.pid, 0)
        out = output.strip().splitlines()[-1] if output.strip() else ""
        values.append(float(out.split()[0]) if out and out.split()[0].replace(".", "", 1).isdigit() else 0.0)
        peaks.append(usage.ru_maxrss // 1024)
    return out, statistics.median(values), max(peaks)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    folder = HERE / "registers" / f"n{n}"
    if not (folder / "tasks.yaml").is_file():
        generate.generate(n, folder)
    tasks = folder / "tasks.yaml"
    size = tasks.stat().st_size / 1e6

    import typer

    print(f"typer {typer.__version__}")
    out, _, _ = child(
        "import sys, time; t = time.perf_counter(); import deviation_cli.cli; "
        "print(round(time.perf_counter() - t, 3), sorted(m for m in ('pydantic', 'rich', 'jinja2', 'yaml') if m in sys.modules))"
    )
    print(f"import deviation_cli.cli: {out} s")
    _, first_model, _ = child(
        "import time, pydantic; t = time.perf_counter()\n"
        "class M(pydantic.BaseModel):\n    a: int\n"
        "print(round(time.perf_counter() - t, 3))"
    )
    print(f"first pydantic model class: {first_model * 1000:.0f} ms")
    _, models, _ = child(
        "import time; t = time.perf_counter(); import deviation_cli.validation.entries; print(round(time.perf_counter() - t, 3))"
    )
    print(f"import deviation_cli.validation.entries (pydantic + the file models): {models * 1000:.0f} ms")

    read = f"text = open({str(tasks)!r}, encoding='utf-8').read()\n"
    _, events, events_rss = child(
        "import gc, time, yaml\n" + read + "gc.disable(); t = time.process_time()\n"
        "for event in yaml.parse(text, Loader=yaml.CSafeLoader): pass\n"
        "print(round(time.process_time() - t, 3))"
    )
    _, lines, lines_rss = child(
        "import gc, time\nfrom deviation_cli.formats.yaml_lines import parse_plain_subset\n"
        + read
        + "gc.disable(); t = time.process_time(); root = parse_plain_subset(text)\n"
        "print(round(time.process_time() - t, 3))"
    )
    _, compose, compose_rss = child(
        "import gc, time, yaml\n" + read + "gc.disable(); t = time.process_time()\n"
        "node = yaml.compose(text, Loader=yaml.CSafeLoader)\nprint(round(time.process_time() - t, 3))",
        runs=1,
    )
    print(f"tasks.yaml of {n:,} tasks, {size:.1f} MB (cpu seconds, peak RSS of the process):")
    print(f"  libyaml events, loop doing nothing:  {events:6.2f} s  {events_rss:5d} MB")
    print(
        f"  libyaml node tree (yaml.compose):    {compose:6.2f} s  {compose_rss:5d} MB "
        f"({compose_rss / size:.0f}x the file)"
    )
    print(
        f"  line reader, full tree + positions:  {lines:6.2f} s  {lines_rss:5d} MB ({lines_rss / size:.0f}x the file)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
