"""JSON listings written as they go are byte for byte what json.dumps gives for the whole list."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from deviation_cli.output.listing import indented_json, write_json

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.sampled_from(["", "\u2028", '"\\', "汉中\n"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(st.sampled_from(["id", "task", "lead", "leads", "due", "x"]), VALUES), max_size=5)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(VALUES)
def test_indented_json_is_json_dumps_with_indent(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(RECORDS)
def test_a_json_listing_written_record_by_record_is_the_list_dumped_at_once(records):
    out = io.StringIO()
    write_json(iter(records), out)
    assert out.getvalue() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def test_every_format_shows_every_lead_of_a_co_led_task(cli):
    """Markdown named only the first of 区发改局 and 区统计局 while the table and CSV named both."""
    from support.paths import DISTRICT

    for fmt in ("md", "csv"):  # the table wraps the cell at 80 columns; tests/output/test_table.py has it
        run = cli("tasks", "--format", fmt, data=DISTRICT)
        assert run.exit_code == 0
        row = next(line for line in run.stdout.splitlines() if "每月调度项目进展并通报" in line)
        assert "区发改局、区统计局" in row, (fmt, row)
    md = cli("tasks", "--format", "md", data=DISTRICT).stdout.splitlines()
    assert md[3] == "| 2 | 稳增长 | 每月调度项目进展并通报。 | 区发改局、区统计局 | 每月28日前 |"
