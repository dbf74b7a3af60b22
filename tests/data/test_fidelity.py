"""The shipped register says what the policy says: every annex row, field by field.

The policy text is kept in data/source/policy.txt so this proof runs anywhere.
Comparison is after NFKC and whitespace normalisation (DESIGN.md, "Faithful").
"""

from __future__ import annotations

import re

import pytest

from deviation_cli.domain.query import directory
from deviation_cli.domain.units import join_unit_list, split_unit_list
from support.policy_annex import POLICY, ROWS, norm


def test_the_annex_has_23_rows_and_the_register_23_tasks(hanzhong):
    assert [row["id"] for row in ROWS] == list(range(1, 24))
    assert [task.id for task in hanzhong.tasks] == list(range(1, 24))


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"row{row['id']}")
def test_every_row_matches_field_by_field(hanzhong, row):
    task = hanzhong.task(row["id"])
    assert norm(task.text) == norm(row["task"])
    assert norm(task.lead) == norm(row["lead"])
    assert norm(task.deadline) == norm(row["deadline"])
    units = directory(hanzhong)
    # Both ways: the source cell splits into the register's list, and the list
    # written back the source's way gives the cell again.
    assert list(task.responsible) == split_unit_list(row["responsible"], units)
    assert norm(join_unit_list(task.responsible, units)) == norm(row["responsible"])


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"row{row['id']}")
def test_merged_cells_continue_the_row_above(hanzhong, row):
    task = hanzhong.task(row["id"])
    measure = hanzhong.measure_of(task)
    dimension = hanzhong.dimension_of(task)
    if row["measure"] is not None:
        assert norm(measure.title) == norm(row["measure"])
    else:
        assert task.path[1] == hanzhong.task(row["id"] - 1).path[1]
    if row["dimension"] is not None:
        assert norm(dimension.table_name) == norm(row["dimension"])
    else:
        assert task.path[0] == hanzhong.task(row["id"] - 1).path[0]


def body_measures() -> dict[int, str]:
    body = POLICY.split("三、六个方面偏离度存在问题及改进措施", 1)[1].split("四、工作要求")[0]
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\.(.+)$", body, re.M)}


def test_the_18_measures_carry_the_body_text(hanzhong):
    body = body_measures()
    assert sorted(body) == list(range(1, 19))
    assert [m.key for m in hanzhong.measures] == [str(n) for n in range(1, 19)]
    assert [m.number for m in hanzhong.measures] == [f"{n}." for n in range(1, 19)]  # as the body numbers them
    for measure in hanzhong.measures:
        assert norm(measure.text) == norm(body[int(measure.key)])
        assert norm(measure.text).startswith(norm(measure.body_title) + "。")


def test_measure_17_keeps_both_wordings_of_its_title(hanzhong):
    measure = hanzhong.heading("17")
    assert measure.title == "坚持月调度季观摩"
    assert measure.body_title == "坚持月调度季观摩机制"


def test_the_6_dimensions_with_their_problems(hanzhong):
    stated = re.findall(r"^[((]([一二三四五六])[))](.+)\n存在问题:(.+)$", POLICY, re.M)
    assert len(stated) == 6
    assert [(d.name, d.problem) for d in hanzhong.dimensions] == [(name, problem) for _, name, problem in stated]
    assert [d.key for d in hanzhong.dimensions] == ["progress", "investment", "industry", "chain", "benefit", "service"]


def test_document_metadata(hanzhong):
    doc = hanzhong.document
    assert doc.title == "加强管控重点产业项目偏离度实施方案"
    assert doc.index_no == "6107000015/2023-002501"
    assert doc.source == "汉中市人民政府办公室"
    assert doc.publisher == "汉中市经济合作局"
    assert doc.written.isoformat() == "2023-06-18"
    assert doc.published.isoformat(sep=" ", timespec="minutes") == "2023-06-21 15:20"
    for field in ("title", "index_no", "source", "publisher", "recipients", "cover_letter", "annex_title"):
        assert norm(getattr(doc, field)) in norm(POLICY), field


def test_source_slips_are_kept_and_modelled(hanzhong):
    # 市行政审批局 (rows 2, 23) is the source's short form of 市行政审批服务局.
    assert "市行政审批局" in hanzhong.task(2).responsible
    assert "市行政审批局" in hanzhong.task(23).responsible
    assert {ref.name for ref in hanzhong.task(2).refs} >= {"市行政审批服务局"}
    # The garbled deadline keeps its wording and means two milestones.
    for task_id in (22, 23):
        task = hanzhong.task(task_id)
        assert task.deadline == "2023年 6月12月底"
        assert [d.isoformat() for d in task.due] == ["2023-06-30", "2023-12-31"]
    assert "增加政府债的务项目" in hanzhong.task(5).text
