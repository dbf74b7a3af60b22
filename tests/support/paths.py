"""Where the test data lives: the shipped register, the made-up registers, broken and golden files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
HANZHONG = ROOT / "data"
QINGHE = ROOT / "examples" / "qinghe"
#: A made-up plan of another shape: one level, co-leads, long unit lists, a task longer than a page.
CHENGDONG = FIXTURES / "registers" / "chengdong"
QINGHE_PROGRESS = ROOT / "examples" / "qinghe-progress"
BROKEN = FIXTURES / "broken"
GOLDEN = FIXTURES / "golden"
BENCHMARKS = ROOT / "benchmarks"
#: A made-up district plan of another shape: three named levels, its own column words, co-leads.
DISTRICT = FIXTURES / "registers" / "district"
#: Made-up reports and sign-offs for the district plan, which asks for reports 每月28日前.
DISTRICT_PROGRESS = FIXTURES / "registers" / "district-progress"
