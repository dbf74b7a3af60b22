"""The terminal table: a long cell costs time in proportion to its length, and looks as it did."""

from __future__ import annotations

import io
import time

from deviation_cli.output import table
from deviation_cli.output.table import print_table

COLUMNS = ["id", "task", "lead"]


def render(text: str, width: int = 100) -> str:
    buffer = io.StringIO()
    print_table(
        [{"id": 1, "task": text, "lead": "市发改委"}, {"id": 2, "task": "短", "lead": "县水利局"}],
        COLUMNS,
        "zh",
        buffer,
    )
    return buffer.getvalue()


def test_a_long_cell_is_printed_exactly_as_one_cell_would_be(monkeypatch):
    text = ("加强饮用水水源地保护" * 900) + "\n" + ("规范化建设" * 700)
    cut = render(text)
    monkeypatch.setattr(table, "LONG_CELL", 10**9)  # rich wraps the whole cell itself
    assert cut == render(text)


def test_the_table_takes_time_in_proportion_to_the_text(monkeypatch):
    """A 16 MB cell took 47 s, 50 MB over 300 s: rich re-split the rest of the cell for each line it wrapped."""
    monkeypatch.setenv("COLUMNS", "100")
    times = []
    for size in (100_000, 800_000):
        start = time.perf_counter()
        out = render("字" * size)
        times.append(time.perf_counter() - start)
        assert out.count("字") == size
    assert times[1] < 12 * times[0], times  # eight times the text: about 7 times the time (it was 19, and growing)
