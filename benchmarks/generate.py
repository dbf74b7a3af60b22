"""Write a synthetic register of N tasks: realistic Chinese text, units and deadlines.

    python benchmarks/generate.py 100000 benchmarks/registers/n100000

The document, dimensions and unit directory start from the shipped Hanzhong
register; a large register adds the departments of further cities (a
province-wide table), and tasks are built from the policy's own sentences,
so the bytes per task (~850 at N = 100,000, ~85 MB in all) and the mix of
units, groups, open tails and deadline wordings look like the real thing.
The output is deterministic for a given N (seeded), valid, and never
committed (benchmarks/registers/ is in .gitignore).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

CITIES = [
    "西安",
    "宝鸡",
    "咸阳",
    "铜川",
    "渭南",
    "延安",
    "榆林",
    "安康",
    "商洛",
    "杨凌",
    "韩城",
    "兴平",
    "彬州",
    "华阴",
    "神木",
    "子长",
    "旬阳",
    "府谷",
    "靖边",
    "定边",
]
DEPARTMENTS = [
    "发改委",
    "财政局",
    "自然资源局",
    "生态环境局",
    "住建局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "统计局",
    "审计局",
    "市场监管局",
    "行政审批服务局",
    "工信局",
    "科技局",
    "人社局",
    "应急管理局",
    "林业局",
    "税务局",
    "经济合作局",
    "国资委",
    "金融办",
    "能源局",
]
DEADLINES = [
    ("持续推进", 30),
    ("长期坚持", 4),
    ("常态化推进", 3),
    ("{y}年{m}月底", 25),
    ("{y}年{m}月{d}日前", 6),
    ("{y}年底", 8),
    ("{y}年上半年", 4),
    ("{y}年下半年", 3),
    ("{y}年第{q}季度末", 5),
    ("{y}年{m}月、{m2}月底", 4),
    ("{y}年{m}月底、{y2}年{m}月底", 2),
    ("{y}-{mm}-{dd}", 2),
    ("{y}年3月、6月、9月、12月底", 2),
]
QUARTERS = "一二三四"


def scalar(text: str) -> str:
    """A YAML scalar for text: plain where YAML reads it back unchanged, else double-quoted."""
    if re.search(r"[:#\[\]{}&*!|>'\"%@`,?-]|^\s|\s$", text) or text in ("", "~", "null"):
        return json.dumps(text, ensure_ascii=False)
    return text


def sentences() -> list[str]:
    text = (DATA / "source" / "policy.txt").read_text(encoding="utf-8")
    parts = re.split(r"(?<=[。;])", re.sub(r"\s*\n\s*", "", text))
    return [part.strip() for part in parts if len(part.strip()) >= 20 and "|" not in part]


def header_lines() -> list[str]:
    """document: and dimensions: of the shipped register, verbatim."""
    lines = (DATA / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("document:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("measures:"))
    return [line for line in lines[start:end] if not line.startswith("#")]


def units_yaml(n: int, rng: random.Random) -> tuple[str, list[str]]:
    """The shipped units.yaml plus other cities' departments; returns the text and usable names."""
    shipped = (DATA / "units.yaml").read_text(encoding="utf-8")
    # Counties are named through their group (各县区政府), as the plan does: naming both draws a warning.
    names = re.findall(r"^  - name: (\S+)\n    kind: (?:department|institution|zone|company)", shipped, re.M)
    extra_cities = CITIES[: min(len(CITIES), max(0, n // 5000))]
    extra = []
    for city in extra_cities:
        for department in DEPARTMENTS:
            name = f"{city}市{department}"
            extra.append(
                f"  - name: {name}\n    kind: department\n    full_name: {city}市人民政府{department}\n"
                f"    aliases: [{city}{department}]\n"
            )
            names.append(name)
    head, groups = shipped.split("\ngroups:", 1)
    return head.rstrip("\n") + "\n" + "".join(extra) + "\ngroups:" + groups, names


def deadline(rng: random.Random) -> str:
    pattern = rng.choices([p for p, _ in DEADLINES], [w for _, w in DEADLINES])[0]
    y = rng.choice([2024, 2025, 2026])  # after the plan was written (2023-06-18): no review warnings
    m = rng.randint(1, 11)
    return pattern.format(
        y=y,
        y2=y + 1,
        m=m,
        m2=rng.randint(m + 1, 12),
        d=rng.randint(1, 28),
        q=rng.choice(QUARTERS),
        mm=f"{m:02d}",
        dd=f"{rng.randint(1, 28):02d}",
    )


def tasks_yaml(n: int, unit_names: list[str], rng: random.Random) -> str:
    pool = sentences()
    measures = max(6, n // 6)  # every dimension has a measure
    dimension_keys = ["progress", "investment", "industry", "chain", "benefit", "service"]
    out = ["# 合成登记册(基准测试用):" + f"{n} 项任务\n", *[line + "\n" for line in header_lines()], "measures:\n"]
    for number in range(1, measures + 1):
        title = rng.choice(pool)[: rng.randint(8, 16)].rstrip(",、。;")
        out.append(f"  - number: {number}\n    dimension: {dimension_keys[number % 6]}\n    title: {scalar(title)}\n")
    out.append("\ntasks:\n")
    counties = ["各县区政府", "汉中经开区管委会", "兴汉新区管委会", "航空经开区管委会"]
    for task_id in range(1, n + 1):
        text = "".join(rng.sample(pool, 3))[: rng.randint(200, 300)]
        # Each task its own text, as in a real table (the same text twice draws a warning).
        text = text.rstrip(",、;。") + f"(任务{task_id})。"
        lead = rng.choice(unit_names)
        shared = rng.sample(unit_names, rng.randint(2, 7))
        if rng.random() < 0.5:
            shared = rng.sample(counties, rng.randint(1, 3)) + shared
        shared = [name for name in dict.fromkeys(shared) if name != lead]
        if rng.random() < 0.3:
            shared.append(rng.choice(["等市级相关部门单位", "等市级相关部门单位", "等市级平台公司"]))
        out.append(
            f"  - id: {task_id}\n    measure: {1 + (task_id - 1) * measures // n}\n    text: {scalar(text)}\n"
            f"    lead: {lead}\n"
        )
        if shared:
            out.append("    responsible:\n" + "".join(f"      - {name}\n" for name in shared))
        out.append(f"    deadline: {deadline(rng)}\n")
    return "".join(out)


def generate(n: int, folder: Path) -> Path:
    rng = random.Random(n)
    folder.mkdir(parents=True, exist_ok=True)
    units, names = units_yaml(n, rng)
    (folder / "units.yaml").write_text(units, encoding="utf-8")
    (folder / "tasks.yaml").write_text(tasks_yaml(n, names, rng), encoding="utf-8")
    return folder


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    n = int(argv[1])
    folder = Path(argv[2]) if len(argv) == 3 else ROOT / "benchmarks" / "registers" / f"n{n}"
    generate(n, folder)
    size = (folder / "tasks.yaml").stat().st_size
    print(f"{folder}: {n} tasks, tasks.yaml {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
