"""Library-level answers, taken from the source table (Hanzhong) and the Qinghe register."""

from __future__ import annotations

from datetime import date

import pytest

from deviation_cli.domain.issues import UsageError
from deviation_cli.domain.query import (
    due,
    filter_tasks,
    find_dimension,
    find_measure,
    find_unit,
    ongoing,
    search,
    unit_counts,
    unit_tasks,
)

ONGOING_IDS = [2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]


def pairs(items):
    return [(item.task.id, item.milestone.isoformat()) for item in items]


def test_due_by_end_of_july(hanzhong):
    assert pairs(due(hanzhong, date(2023, 7, 31))) == [
        (1, "2023-06-30"),
        (22, "2023-06-30"),
        (23, "2023-06-30"),
        (4, "2023-07-31"),
        (5, "2023-07-31"),
    ]


def test_due_by_end_of_year_lists_two_milestone_tasks_twice(hanzhong):
    assert pairs(due(hanzhong, date(2023, 12, 31))) == [
        (1, "2023-06-30"),
        (22, "2023-06-30"),
        (23, "2023-06-30"),
        (4, "2023-07-31"),
        (5, "2023-07-31"),
        (3, "2023-12-31"),
        (22, "2023-12-31"),
        (23, "2023-12-31"),
    ]


def test_due_range_is_inclusive_at_both_ends(hanzhong):
    assert pairs(due(hanzhong, date(2023, 7, 31), date(2023, 7, 31))) == [(4, "2023-07-31"), (5, "2023-07-31")]
    assert pairs(due(hanzhong, date(2023, 6, 29))) == []
    assert [i.task.id for i in due(hanzhong, date(2023, 12, 31), date(2023, 7, 1))] == [4, 5, 3, 22, 23]


def test_due_refuses_an_empty_range(hanzhong):
    with pytest.raises(UsageError):
        due(hanzhong, date(2023, 1, 1), date(2023, 2, 1))


def test_ongoing_tasks(hanzhong):
    assert [task.id for task in ongoing(hanzhong)] == ONGOING_IDS


def roles(rows):
    return [(row.task.id, row.role, row.via) for row in rows]


def test_lead_then_shared_for_the_development_commission(hanzhong):
    rows = unit_tasks(hanzhong, "市发改委")
    assert [r.task.id for r in rows if r.role == "lead"] == [3, 4, 7, 11, 14, 17, 20, 22, 23]
    assert [r.task.id for r in rows if r.role == "responsible"] == [1, 2, 6, 12, 13, 15, 21]
    assert all(row.via is None for row in rows)


def test_full_name_and_alias_reach_the_same_unit(hanzhong):
    assert find_unit(hanzhong, "汉中市发展和改革委员会") == "市发改委"
    assert find_unit(hanzhong, "市行政审批局") == "市行政审批服务局"
    assert find_unit(hanzhong, "兴汉新区") == "兴汉新区管委会"
    assert find_unit(hanzhong, "市行政审批") == "市行政审批服务局"  # unambiguous prefix


def test_the_source_slip_does_not_split_a_unit(hanzhong):
    # Rows 2 and 23 write 市行政审批局; rows 1 and 21 write 市行政审批服务局.
    assert roles(unit_tasks(hanzhong, "市行政审批服务局")) == [
        (1, "lead", None),
        (21, "lead", None),
        (2, "responsible", None),
        (23, "responsible", None),
    ]


def test_a_county_reaches_tasks_through_its_group(hanzhong):
    rows = unit_tasks(hanzhong, "汉台区")
    assert [r.task.id for r in rows] == [i for i in range(1, 24) if i not in (5, 8, 10)]
    assert {r.via for r in rows} == {"各县区政府"}
    assert {r.role for r in rows} == {"responsible"}


def test_suffix_distributed_zones(hanzhong):
    assert [r.task.id for r in unit_tasks(hanzhong, "兴汉新区管委会")] == [
        i for i in range(1, 24) if i not in (5, 8, 10, 18, 19)
    ]
    assert [r.task.id for r in unit_tasks(hanzhong, "航空经开区管委会")] == [
        i for i in range(1, 24) if i not in (5, 8, 18, 19)
    ]


@pytest.mark.parametrize(
    "unit, lead, shared",
    [
        ("市国资委", [5, 8, 18], [10]),
        ("市城投公司", [], [5, 8, 18]),
        ("市税务局", [], [17, 18, 19]),
        ("市委办", [], [20]),
        ("市审计局", [2], []),
        ("市财政局", [19], [23]),
        ("市工信局", [9, 10, 16], [3, 6, 11, 12, 13, 14, 15]),
        ("市经合局", [6, 12, 15], [7, 8, 10]),
        ("市智慧城市建设局", [], [11, 12]),
        ("滨江新区发展服务中心", [], [i for i in range(1, 24) if i not in (5, 8, 10, 18, 19)]),
    ],
)
def test_named_units(hanzhong, unit, lead, shared):
    rows = unit_tasks(hanzhong, unit)
    assert [r.task.id for r in rows if r.role == "lead"] == lead
    assert [r.task.id for r in rows if r.role == "responsible"] == shared


def test_open_tails_only_with_include_open(hanzhong):
    plain = {r.task.id for r in unit_tasks(hanzhong, "市教育局")}
    assert plain == {13}
    wide = unit_tasks(hanzhong, "市教育局", include_open=True)
    opened = [r.task.id for r in wide if r.open]
    # every task with a department open tail, except the one 市教育局 is named in
    assert opened == [1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]
    assert {r.via for r in wide if r.open} == {"市级相关部门单位"}
    # platform companies are never reached through a department tail
    assert [r.task.id for r in unit_tasks(hanzhong, "市水投集团", include_open=True)] == [5, 8, 18]


def test_role_filter(hanzhong):
    assert [r.task.id for r in unit_tasks(hanzhong, "市发改委", role="lead")] == [3, 4, 7, 11, 14, 17, 20, 22, 23]
    assert [r.task.id for r in unit_tasks(hanzhong, "市发改委", role="responsible")] == [1, 2, 6, 12, 13, 15, 21]


def test_unknown_and_ambiguous_units(hanzhong):
    with pytest.raises(UsageError) as unknown:
        find_unit(hanzhong, "市发该委")
    assert unknown.value.issues[0].code == "arg_unknown_unit"
    assert unknown.value.issues[0].args["suggestions"][0] == "市发改委"
    with pytest.raises(UsageError) as ambiguous:
        find_unit(hanzhong, "市水")
    assert ambiguous.value.issues[0].code == "arg_ambiguous_unit"
    assert ambiguous.value.issues[0].args["candidates"] == "市水利局、市水投集团"


def test_dimension_by_key_name_and_prefix(hanzhong):
    for query in ("investment", "投资结构偏离度", "投资结构", "投资结构偏离度方面", "INVEST"):
        assert find_dimension(hanzhong, query).key == "investment"
    with pytest.raises(UsageError):
        find_dimension(hanzhong, "环保")


def test_measure_by_number_and_title(hanzhong):
    assert find_measure(hanzhong, "8").title == "大力发展数字经济"
    assert find_measure(hanzhong, "大力发展数字").key == "8"
    assert find_measure(hanzhong, "坚持月调度季观摩机制").key == "17"


@pytest.mark.parametrize(
    "filters, ids",
    [
        ({"dimension": "investment"}, [4, 5, 6, 7, 8, 9]),
        ({"dimension": "service", "lead": "市发改委"}, [20, 22, 23]),
        ({"measure": "8"}, [11, 12]),
        ({"before": date(2023, 7, 31)}, [1, 4, 5, 22, 23]),
        ({"after": date(2023, 7, 1)}, [3, 4, 5, 22, 23]),
        ({"ongoing": True}, ONGOING_IDS),
        ({"ongoing": False}, [1, 3, 4, 5, 22, 23]),
        ({"unit": "市税务局"}, [17, 18, 19]),
        ({"unit": "市发改委", "ongoing": False}, [1, 3, 4, 22, 23]),
        ({"lead": "市国资委", "dimension": "benefit"}, [18]),
    ],
)
def test_filters_combine(hanzhong, filters, ids):
    assert [task.id for task in filter_tasks(hanzhong, **filters)] == ids


def test_search_task_and_measure_text(hanzhong):
    assert [hit.task.id for hit in search(hanzhong, "数字经济")] == [11, 12]
    assert [hit.task.id for hit in search(hanzhong, "红旗奖")] == [22]
    hit = search(hanzhong, "红旗奖")[0]
    assert hit.field == "task"
    assert hanzhong.task(22).text[hit.spans[0][0] : hit.spans[0][1]] == "红旗奖"
    assert search(hanzhong, "  ") == []


def test_unit_counts(hanzhong):
    counts = {name: (led, shared) for name, led, shared in unit_counts(hanzhong)}
    assert counts["市发改委"] == (9, 7)
    assert counts["汉台区"] == (0, 20)
    assert sum(led for led, _ in counts.values()) == 23


# --- a second register: nothing about Hanzhong is assumed ---------------------------------


def test_qinghe_due_with_quarterly_milestones(qinghe):
    assert pairs(due(qinghe, date(2024, 12, 31))) == [
        (2, "2024-03-31"),
        (1, "2024-06-30"),
        (2, "2024-06-30"),
        (2, "2024-09-30"),
        (4, "2024-09-30"),
        (2, "2024-12-31"),
    ]


def test_qinghe_units(qinghe):
    assert roles(unit_tasks(qinghe, "东关镇人民政府")) == [
        (1, "responsible", None),
        (2, "responsible", "各镇人民政府"),
        (3, "responsible", "各镇人民政府"),
    ]
    assert roles(unit_tasks(qinghe, "县水利局")) == [(1, "lead", None), (3, "lead", None), (2, "responsible", None)]
    opened = unit_tasks(qinghe, "县农业农村局", include_open=True)
    assert [(r.task.id, r.open) for r in opened] == [(2, True), (3, False)]
    assert [t.id for t in filter_tasks(qinghe, dimension="shoreline")] == [3, 4]


def test_a_part_of_a_name_finds_the_unit_when_no_prefix_does(hanzhong):
    assert find_unit(hanzhong, "国资委") == "市国资委"
    with pytest.raises(UsageError) as caught:
        find_unit(hanzhong, "管委会")
    assert caught.value.issues[0].args["candidates"] == "汉中经开区管委会、兴汉新区管委会、航空经开区管委会"
