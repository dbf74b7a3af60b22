"""Warnings: a register that loads but that a reviewer would question (checks.review_register)."""

from __future__ import annotations

from deviation_cli import load_register, validate_folder
from support.editing import edited_register
from support.paths import HANZHONG, QINGHE


def located(report):
    return [
        (issue.severity, issue.code, issue.path.rsplit("/", 1)[-1], issue.line, issue.column) for issue in report.issues
    ]


def test_the_shipped_registers_have_no_warnings():
    assert validate_folder(HANZHONG).issues == []
    assert validate_folder(QINGHE).issues == []


def test_each_warning_is_located_and_the_register_still_loads(tmp_path):
    folder = edited_register(
        tmp_path / "reg",
        {
            "units.yaml": [
                (
                    "  - name: 南山乡\n    kind: county\n",
                    "  - name: 南山乡\n    kind: county\n  - name: 县财政局\n    kind: department\n",
                ),
                (
                    "  - name: 县级有关部门\n    open_to: [department]\n",
                    "  - name: 县级有关部门\n    open_to: [department]\n  - name: 县直单位\n    open_to: [institution]\n",
                ),
            ],
            "tasks.yaml": [
                ("    deadline: 2024-09-30", "    deadline: 2023年12月底、2036年12月底"),
                ("      - 西河镇\n", "      - 西河镇\n      - 县城投公司\n"),
                (
                    "      - 各镇人民政府\n      - 县农业农村局\n",
                    "      - 各镇人民政府\n      - 县农业农村局\n      - 东关镇\n",
                ),
                ("    text: 完成河道采砂专项整治。", "    text: 完成县级饮用水水源地规范化建设。"),
                ("  - id: 3\n", "  - id: 5\n"),
                (
                    "  - number: 2\n    dimension: shoreline\n    title: 清理整治河湖“四乱”\n",
                    "  - number: 2\n    dimension: shoreline\n    title: 清理整治河湖“四乱”\n"
                    "  - number: 3\n    dimension: water\n    title: 开展河湖健康评价\n",
                ),
                (
                    "  - key: shoreline\n    name: 河湖岸线管控\n",
                    "  - key: shoreline\n    name: 河湖岸线管控\n  - key: fishing\n    name: 禁捕退捕\n",
                ),
            ],
        },
    )
    report = validate_folder(folder)
    assert report.errors == []
    assert sorted(located(report), key=lambda item: (item[2], item[3])) == [
        ("warning", "dimension_without_measures", "tasks.yaml", 12, 10),
        ("warning", "measure_without_tasks", "tasks.yaml", 22, 13),
        ("warning", "responsible_in_group", "tasks.yaml", 50, 9),
        ("warning", "task_out_of_order", "tasks.yaml", 53, 9),
        ("warning", "duplicate_task_text", "tasks.yaml", 55, 11),
        ("warning", "lead_also_responsible", "tasks.yaml", 59, 9),
        ("warning", "deadline_before_written", "tasks.yaml", 60, 15),
        ("warning", "deadline_far_future", "tasks.yaml", 60, 15),
        ("warning", "unit_unused", "units.yaml", 18, 11),
        ("warning", "group_unused", "units.yaml", 25, 11),
    ]
    messages = {issue.code: issue.message("zh") for issue in report.warnings}
    assert messages == {
        "dimension_without_measures": "方面“禁捕退捕”(fishing)没有任何改进措施",
        "measure_without_tasks": "第 3 条改进措施“开展河湖健康评价”没有任何任务",
        "responsible_in_group": "责任单位“东关镇”已包含在同一任务的“各镇人民政府”中",
        "task_out_of_order": "序号 4 排在序号 5 之后;任务应按序号排列",
        "lead_also_responsible": "牵头单位“县城投公司”又列在同一任务的责任单位中",
        "deadline_before_written": "完成时限“2023年12月底、2036年12月底”中的 2023-12-31 早于方案成文日期 2024-02-20",
        "deadline_far_future": "完成时限“2023年12月底、2036年12月底”中的 2036-12-31 比成文日期晚 10 年以上,是否写错了年份?",
        "duplicate_task_text": "第 4 项的具体任务与第 1 项完全相同",
        "unit_unused": "单位“县财政局”已定义,但没有任何任务或单位组用到它",
        "group_unused": "单位组“县直单位”已定义,但没有任何任务用到它",
    }
    register = load_register(folder)
    assert [task.id for task in register.tasks] == [1, 2, 5, 4]


def test_usage_warnings_wait_for_errors_to_be_fixed(tmp_path):
    # A misspelt lead is an error; its unit must not also be reported unused.
    folder = edited_register(tmp_path / "reg", {"tasks.yaml": [("    lead: 县城投公司", "    lead: 县城投")]})
    report = validate_folder(folder)
    assert [(issue.severity, issue.code, issue.line) for issue in report.issues] == [("error", "unknown_unit", 50)]


def test_a_milestone_on_the_written_date_is_no_warning(tmp_path):
    folder = edited_register(
        tmp_path / "reg", {"tasks.yaml": [("    deadline: 2024-09-30", "    deadline: 2024-02-20")]}
    )
    assert validate_folder(folder).issues == []


def test_each_unconfirmed_note_is_a_warning_at_its_line_until_deleted(tmp_path):
    """What `deviation init` guessed stays a warning, never an error, until a person deletes the note."""
    folder = edited_register(
        tmp_path / "reg",
        {
            "tasks.yaml": [
                ("  written: 2024-02-20\n", "  written: 2024-02-20\n  unconfirmed: 成文日期是推断的\n"),
                ("    deadline: 持续推进\n", "    deadline: 持续推进\n    unconfirmed: 原文没有完成时限\n"),
                ("  admin_level: 县", "  unconfirmed: 方案层级是推断的\n  admin_level: 县"),
            ],
            "units.yaml": [
                ("    kind: company\n", "    kind: company\n    unconfirmed: 类别是推断的\n"),
                ("    open_to: [department]\n", "    open_to: [department]\n    unconfirmed: 开放类别是推断的\n"),
            ],
        },
    )
    report = validate_folder(folder)
    assert report.errors == []
    assert [(issue.code, issue.path.rsplit("/", 1)[-1], issue.line, issue.args["note"]) for issue in report.issues] == [
        ("unconfirmed", "units.yaml", 11, "类别是推断的"),
        ("unconfirmed", "units.yaml", 24, "开放类别是推断的"),
        ("unconfirmed", "tasks.yaml", 6, "成文日期是推断的"),
        ("unconfirmed", "tasks.yaml", 48, "原文没有完成时限"),
        ("unconfirmed", "tasks.yaml", 57, "方案层级是推断的"),
    ]
    assert report.issues[0].message("zh") == "待确认:类别是推断的(核对或改正后删去这一行 unconfirmed)"
    assert load_register(folder).tasks[2].deadline == "持续推进"


def test_twenty_thousand_unused_units_validate_in_linear_time(tmp_path):
    """Each unused unit is a warning at its own entry (found in one pass over the file: benchmarks/ times it)."""
    from deviation_cli.store.load import validate_folder
    from support.fuzzing import copy_register
    from support.paths import HANZHONG

    units = (HANZHONG / "units.yaml").read_text(encoding="utf-8")
    extra = "".join(f"  - name: 附加单位{n}\n    kind: other\n" for n in range(20_000))
    folder = copy_register(tmp_path / "r", units=units.replace("\nunits:\n", "\nunits:\n" + extra, 1))
    report = validate_folder(folder)
    unused = [issue for issue in report.warnings if issue.code == "unit_unused"]
    assert len(unused) == 20_000 and [issue.line for issue in unused[:2]] == [11, 13]
