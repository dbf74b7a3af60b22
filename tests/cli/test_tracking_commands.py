"""`status`, `indicators`, `report` and `validate` with progress files, through the CLI."""

from __future__ import annotations

import re
import shutil
import unicodedata

import pytest

from deviation_cli.store.indicator_files import load_indicators
from support.paths import CHENGDONG, DISTRICT, DISTRICT_PROGRESS, HANZHONG, QINGHE, QINGHE_PROGRESS, ROOT

SAMPLE = ROOT / "examples" / "hanzhong-progress"
QP = QINGHE_PROGRESS
HZ = ["--progress", str(SAMPLE / "progress.yaml")]
HZ_OBSERVED = ["--observed", str(SAMPLE / "observations.yaml")]
QH = [
    "--progress",
    str(QP / "progress.yaml"),
    "--targets",
    str(QP / "indicators.yaml"),
    "--observed",
    str(QP / "observations.yaml"),
]


def test_status_json_contract(cli):
    run = cli("status", "--as-of", "2023-08-01", "--within", "30", "--format", "json", *HZ)
    assert run.exit_code == 0, run.stderr
    records = {r["id"]: r for r in run.json()}
    assert len(records) == 23
    # 4 was reported done on 07-28, but is not signed off: its 07-31 milestone is overdue
    assert [i for i, r in records.items() if r["overdue"]] == [4, 5, 23]
    assert {i: r["next_due"] for i, r in records.items() if r["next_due"]} == {
        3: "2023-12-31",
        22: "2023-08-15",
        23: "2023-12-31",
    }
    assert records[5]["status"] == "滞后" and records[5]["reason"] == "部分平台公司未按时报送调整方案(样例)"
    assert (
        records[22]["postponed_to"] == "2023-08-15"
        and records[22]["days_left"] == 14
        and records[22]["due_soon"] is True
    )
    assert records[1]["milestones"] == [
        {
            "due": "2023-06-30",
            "original": "2023-06-30",
            "closed": "2023-07-06",
            "on_time": False,
            "signed_off": "2023-07-10",
        }
    ]
    # sign-off: 1 checked 通过 by the office, 4 awaiting its check; the lights on 1 August
    assert {
        key: records[1][key]
        for key in ("status", "sign_off", "done_reported", "done_unit", "checked_on", "checked_by", "check_note")
    } == {
        "status": "已完成",
        "sign_off": "通过",
        "done_reported": "2023-07-06",
        "done_unit": "市行政审批服务局",
        "checked_on": "2023-07-10",
        "checked_by": "市政府督查室",
        "check_note": "限时办结机制文件已核实(样例)",
    }
    assert (records[4]["status"], records[4]["sign_off"], records[4]["checked_on"]) == ("待销号", "待销号", None)
    assert {i for i, r in records.items() if r["light"] != "green"} == {4, 5, 23}
    assert {r["light"] for i, r in records.items() if i in (4, 5, 23)} == {"red"}
    # Hanzhong's plan states no reporting schedule: nothing owed, nobody 未报送
    assert {(r["report_period"], r["unreported"]) for r in records.values()} == {(None, None)}
    # the task contract's fields are all there
    assert {"id", "dimension", "measure", "task", "lead", "responsible", "deadline", "due", "ongoing"} <= set(
        records[1]
    )


def test_status_filters(cli):
    assert cli("status", "--as-of", "2023-08-01", "--overdue", "-f", "json", *HZ).ids() == [4, 5, 23]
    assert cli("status", "--as-of", "2023-08-01", "--unit", "市国资委", "-f", "json", *HZ).ids() == [5, 8, 18]


def test_status_by_unit(cli):
    run = cli("status", "--as-of", "2023-08-01", "--by-unit", "--unit", "市发改委", "-f", "json", *HZ)
    assert run.json() == [
        {
            "unit": "市发改委",
            "led": 9,
            "involved": 16,
            "reported": 3,
            "reports": 4,
            "fallen_due": 2,
            "closed": 0,  # task 4's 已完成 awaits sign-off
            "on_time": 0,
            "completion_rate": 0.0,
            "on_time_rate": 0.0,
            "reporting_rate": 0.1875,
            "overdue_tasks": [4, 23],
            "periods_owed": None,
            "periods_reported": None,
            "period_rate": None,
            "missing_report": None,
        }
    ]
    table = cli("status", "--as-of", "2023-08-01", "--by-unit", "--unit", "市发改委", "-f", "md", *HZ).stdout
    assert table.splitlines()[2] == "| 市发改委 | 9 | 2 | 0 | 0 | 0.0% | 0.0% | 18.8% | 4、23 |"


def test_status_on_qinghe_table(cli):
    run = cli("status", "--as-of", "2024-07-01", "-f", "md", *QH[:2], data=QINGHE)
    assert run.stdout.splitlines()[2:] == [
        "| 1 | 绿 | 县水利局 | 已完成 | 2024-06-25 | 2024年上半年 |  | 否 |",
        "| 2 | 红 | 县生态环境局 | 推进中 | 2024-06-20 | 2024年3月、6月、9月、12月底 | 2024-09-30 | 否 |",
        "| 3 | 绿 | 县水利局 | 推进中 | 2024-06-10 | 持续推进 |  | 否 |",
        "| 4 | 绿 | 县城投公司 | 延期 | 2024-06-01 | 2024-09-30 | 2024-10-31 | 否 |",
    ]
    assert (
        run.stdout.splitlines()[0] == "| 序号 | 信号灯 | 牵头单位 | 状态 | 最近报告 | 完成时限 | 下一节点 | 临近到期 |"
    )


def test_status_without_progress_is_all_not_started(cli):
    run = cli("status", "--as-of", "2024-07-01", "-f", "json", data=QINGHE)
    assert [(r["id"], r["status"], r["overdue"]) for r in run.json()] == [
        (1, "未开始", True),
        (2, "未开始", True),
        (3, "未开始", False),
        (4, "未开始", False),
    ]


def test_status_with_a_broken_progress_file_exits_1(cli, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "reports:\n  - task: 1\n    unit: 县水利局\n    date: 2024-13-01\n    status: 推进中\n", encoding="utf-8"
    )
    run = cli("status", "--progress", str(bad), data=QINGHE)
    assert (run.exit_code, run.stderr) == (1, f"{bad}:4:11: “2024-13-01”不是真实日期(格式 YYYY-MM-DD)\n")
    missing = cli("status", "--progress", str(tmp_path / "nope.yaml"), data=QINGHE)
    assert (missing.exit_code, missing.stderr) == (2, f"找不到进度报告文件 {tmp_path / 'nope.yaml'}\n")


def test_validate_includes_progress_issues(cli, tmp_path):
    folder = tmp_path / "qinghe"
    shutil.copytree(QINGHE, folder)
    (folder / "progress.yaml").write_text(
        "reports:\n  - task: 1\n    unit: 县水利\n    date: 2024-05-01\n    status: 推进中\n", encoding="utf-8"
    )
    run = cli("validate", str(folder))
    assert run.exit_code == 1
    assert run.stderr == f"{folder / 'progress.yaml'}:3:11: 未知单位“县水利”。是否指:县水利局?\n"
    assert cli("due", "--before", "2024-12-31", "-f", "json", data=folder).ids() == [2, 1, 2, 2, 4, 2]


# --- indicators -----------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_every_target_quotes_the_policy(hanzhong):
    policy = _normalised((HANZHONG / "source" / "policy.txt").read_text(encoding="utf-8"))
    indicators, observations = load_indicators(hanzhong)
    assert observations == []  # the shipped register holds no observed figures
    assert [(i.key, i.dimension, i.target, i.period) for i in indicators] == [
        ("start_rate_q1", "progress", 80.0, "2023年一季度"),
        ("start_rate_q2", "progress", 100.0, "2023年二季度"),
        ("key_project_investment", "progress", 100.0, "2023年"),
        ("industrial_investment_share", "investment", 60.0, "2023年"),
        ("private_investment_share", "investment", 60.0, "2023年"),
    ]
    for indicator in indicators:
        assert _normalised(indicator.quote) in policy, indicator.key
        if indicator.baseline_quote:
            assert _normalised(indicator.baseline_quote) in policy
    assert indicators[-1].baseline == 33.3


def test_indicators_on_the_sample(cli):
    run = cli("indicators", "--as-of", "2023-08-01", "-f", "json", *HZ_OBSERVED)
    rows = [(r["key"], r["target"], r["actual"], r["deviation"], r["relative"], r["light"]) for r in run.json()]
    assert rows == [
        ("start_rate_q1", 80.0, 76.5, -3.5, -0.0437, "amber"),
        ("start_rate_q2", 100.0, 92.0, -8.0, -0.08, "amber"),
        ("key_project_investment", 100.0, 55.0, -45.0, -0.45, "red"),
        ("industrial_investment_share", 60.0, 61.2, 1.2, 0.02, "green"),
        ("private_investment_share", 60.0, 41.0, -19.0, -0.3167, "red"),
    ]
    early = cli("indicators", "--as-of", "2023-06-30", "-f", "json", *HZ_OBSERVED).json()
    assert [(r["key"], r["actual"], r["light"]) for r in early] == [
        ("start_rate_q1", 76.5, "amber"),
        ("start_rate_q2", None, "none"),
        ("key_project_investment", None, "none"),
        ("industrial_investment_share", None, "none"),
        ("private_investment_share", 38.5, "red"),
    ]


def test_indicators_grouped_by_dimension(cli):
    text = cli("indicators", "-f", "md", *HZ_OBSERVED).stdout
    assert text.count("| 指标 | 期间 | 目标 | 实际 | 偏差 | 相对偏差 | 信号灯 |") == 2
    assert "| 民间投资占比 | 2023年 | ≥60% | 41.0 | -19.0 | -31.7% | 红 |" in text


def test_indicators_on_qinghe(cli):
    run = cli("indicators", "-f", "json", *QH[2:], data=QINGHE)
    assert [(r["key"], r["actual"], r["deviation"], r["relative"], r["light"]) for r in run.json()] == [
        ("water_quality", 91.0, 1.0, 0.0111, "green"),
        ("four_problems", 3.0, 3.0, None, "red"),
    ]
    july = cli("indicators", "--as-of", "2024-07-01", "-f", "json", *QH[2:], data=QINGHE).json()
    assert (july[0]["actual"], july[0]["deviation"], july[0]["relative"], july[0]["light"]) == (
        85.5,
        -4.5,
        -0.05,
        "amber",
    )


def test_bad_observations_are_located(cli, tmp_path):
    bad = tmp_path / "obs.yaml"
    bad.write_text(
        "observations:\n  - indicator: start_rate_q3\n    period: x\n    value: 80\n    date: 2023-04-01\n"
        "  - indicator: start_rate_q1\n    period: x\n    value: 八十\n    date: 2023-04-01\n",
        encoding="utf-8",
    )
    run = cli("indicators", "--observed", str(bad))
    assert run.exit_code == 1
    assert run.stderr == (
        f"{bad}:8:12: “value”应为数字,而不是“八十”\n"
        f"{bad}:2:16: 没有指标“start_rate_q3”。是否指:start_rate_q2、start_rate_q1?\n"
    )


def test_indicators_without_targets_is_empty(cli):
    assert cli("indicators", "-f", "json", data=QINGHE).json() == []


# --- the 通报 ---------------------------------------------------------------------------------------


def test_report_markdown_on_the_sample(cli):
    run = cli("report", "--as-of", "2023-08-01", *HZ, *HZ_OBSERVED)
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert text.startswith("# 关于《加强管控重点产业项目偏离度实施方案》落实情况的通报\n\n（截至2023年8月1日）\n")
    # done counts only once signed off: task 1 (late), not task 4, whose 07-28 report awaits the check
    assert (
        "截至2023年8月1日，已到期节点4个，已完成1个（完成率25.0%），其中按期完成0个（按期完成率0.0%）；逾期任务3项，30天内到期1项。"
        "已报完成、待销号1项，销号退回待整改0项。亮灯情况：红灯3项、黄灯0项、绿灯20项。"
    ) in text
    assert "| 待销号 | 1 |\n| 已完成 | 1 |\n" in text
    assert "### （一）市发改委（2项）\n" in text and "### （二）市国资委（1项）\n" in text
    assert "| 4 | 严格贯彻" in text and "| 2023年7月底 | 2023年7月31日 | 待销号 | 红灯 |  |\n" in text
    assert (
        "## 四、销号情况\n\n牵头部门已报告完成、待核验销号的任务1项：序号4（市发改委，2023年7月28日报告完成）。\n"
        in text
    )
    assert "| 1 | 市行政审批服务局 | 1 | 0.0% | 100.0% | 25.0% | 0.350 | 红旗奖 |" in text
    assert "| 3 | 市发改委 | 2 | 0.0% | 0.0% | 18.8% | 0.037 | 蜗牛奖 |" in text
    assert "红旗奖：市行政审批服务局；蜗牛奖：市发改委。\n" in text
    assert "进展报送情况" not in text  # the plan states no reporting schedule
    assert "| 民间投资占比 | 2023年 | ≥60% | 41%（2023年1—6月） | −19 | −31.7% | 红灯 |" in text
    # 落款 and 成文日期 (default: the issuing office, the --as-of day)
    assert text.endswith('<p align="right">汉中市人民政府办公室<br>2023年8月1日</p>\n')


def test_report_rule_changes_the_awards(cli):
    text = cli("report", "--as-of", "2023-08-01", "--rule", "completion:1", *HZ).stdout
    assert "红旗奖：市行政审批服务局；蜗牛奖：市发改委。\n" in text
    assert "评比规则：得分=完成率×1.0" in text
    bad = cli("report", "--as-of", "2023-08-01", "--rule", "speed:1", *HZ)
    assert bad.exit_code == 2 and bad.stderr.startswith("排名规则“speed:1”无法理解")


def test_report_on_qinghe(cli):
    text = cli("report", "--as-of", "2024-07-01", *QH, data=QINGHE).stdout
    assert text.startswith("# 关于《清河县2024年河湖长制重点工作任务》落实情况的通报\n")
    assert "流动红旗：县水利局；黄牌警示：县生态环境局。\n" in text  # the register's own award names
    assert "### （一）县生态环境局（1项）\n" in text and "县水利局（" not in text
    assert "| 水质达标率 | 2024年 | ≥90% | 85.5%（2024年1—5月） | −4.5 | −5.0% | 黄灯 |" in text
    assert "| 四乱问题存量 | 2024年底 | ≤0个 | 3个（2024年6月） | +3 | — | 红灯 |" in text


def test_report_html_is_self_contained_a4(cli, tmp_path):
    out = tmp_path / "通报.html"
    run = cli("report", "--as-of", "2023-08-01", "--format", "html", "-o", str(out), *HZ, *HZ_OBSERVED)
    assert run.exit_code == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "size: A4" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html) and "@import" not in html and "url(" not in html
    # GB/T 9704: the margins, 3号 仿宋 body, 2号 小标宋 title, page numbers; 落款 and 成文日期 last
    assert "margin: 37mm 26mm 35mm 28mm" in html and 'content: "— " counter(page) " —"' in html
    assert '<h1 class="title">关于<br>《加强管控重点产业项目偏离度实施方案》<br>落实情况的通报</h1>' in html
    assert re.search(
        r'<div class="signature">\s*<p class="issuer">汉中市人民政府办公室</p>\s*<p class="date">2023年8月1日</p>', html
    )
    charts = re.findall(r'<figure class="chart">.*?</figure>', html, re.S)
    assert len(charts) == 4  # status, ranking, one per indicator dimension
    assert [re.search(r"<figcaption>图(\d)", chart).group(1) for chart in charts] == ["1", "2", "3", "4"]
    assert '<span class="first">红旗奖：市行政审批服务局</span>' in html
    text = re.sub(r"<style>.*?</style>|<[^>]+>", "", html, flags=re.S)
    assert not re.search(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", text)  # punctuation by Chinese is full width
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # dates are written 2023年8月1日


def test_report_escapes_what_people_wrote(cli, tmp_path):
    progress = tmp_path / "p.yaml"
    progress.write_text(
        "reports:\n  - task: 4\n    unit: 县城投公司\n    date: 2024-06-01\n    status: 滞后\n"
        '    reason: "<script>alert(1)</script> | x"\n',
        encoding="utf-8",
    )
    html = cli("report", "--as-of", "2024-12-01", "-f", "html", "--progress", str(progress), data=QINGHE).stdout
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; | x" in html
    md = cli("report", "--as-of", "2024-12-01", "--progress", str(progress), data=QINGHE).stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| x" in md


def test_report_needs_as_of_and_a_known_format(cli):
    assert cli("report").exit_code == 2
    run = cli("report", "--as-of", "2023-08-01", "--format", "pdf")
    assert (run.exit_code, run.stderr) == (2, "--format 应为 md, html, docx 之一,而不是“pdf”\n")


def test_report_refuses_to_overwrite_the_progress_file(cli, tmp_path):
    progress = tmp_path / "progress.yaml"
    shutil.copy(SAMPLE / "progress.yaml", progress)
    run = cli("report", "--as-of", "2023-08-01", "-o", str(progress), "--progress", str(progress))
    assert run.exit_code == 2
    assert progress.read_bytes() == (SAMPLE / "progress.yaml").read_bytes()


def test_user_templates_override(cli, tmp_path):
    (tmp_path / "bulletin.md.j2").write_text(
        "{{ title }} {{ headline.overdue }} {{ red_flag | join(',') }}\n", encoding="utf-8"
    )
    run = cli("report", "--as-of", "2023-08-01", "--templates", str(tmp_path), *HZ)
    assert run.stdout == "加强管控重点产业项目偏离度实施方案 3 市行政审批服务局\n"


@pytest.mark.parametrize("command", ["record", "status", "indicators", "report"])
def test_every_command_has_an_example_in_help(cli, command):
    run = cli(command, "--help")
    assert run.exit_code == 0 and "Example: deviation " + command in run.stdout


# A user's bulletin template goes through render.py's environment: a mistake in it is
# file:line:1 and exit 2, never a traceback, and the sandbox holds.
BROKEN_BULLETINS = [
    ("{{ title }}\n{% if %}\n", 2, "模板语法错误:Expected an expression, got 'end of statement block'"),
    (
        "{{ title }}\n\n{{ cycler.__init__.__globals__ }}\n",
        3,
        "模板 bulletin.md.j2 试图访问不允许的内部属性:access to attribute '__init__' of 'type' object is unsafe.",
    ),
    ("{{ title }}\n{{ nosuchname }}\n", 2, "模板 bulletin.md.j2 用到了不存在的变量或字段:'nosuchname' is undefined"),
]


@pytest.mark.parametrize(("template", "line", "problem"), BROKEN_BULLETINS)
@pytest.mark.parametrize("register", ["hanzhong", "qinghe"])
def test_a_broken_user_bulletin_template_is_a_located_message(cli, tmp_path, template, line, problem, register):
    (tmp_path / "bulletin.md.j2").write_text(template, encoding="utf-8")
    if register == "hanzhong":
        run = cli("report", "--as-of", "2023-08-01", "--templates", str(tmp_path), *HZ)
    else:
        run = cli("report", "--as-of", "2024-08-01", "--templates", str(tmp_path), *QH, data=QINGHE)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"{tmp_path / 'bulletin.md.j2'}:{line}:1: {problem}\n"


def test_a_missing_bulletin_templates_folder_is_a_usage_error(cli, tmp_path):
    run = cli("report", "--as-of", "2023-08-01", "--templates", str(tmp_path / "nowhere"), *HZ)
    assert run.exit_code == 2
    assert run.stderr == f"找不到模板目录 {tmp_path / 'nowhere'}\n"


def test_the_bulletin_uses_the_one_environment_builder(tmp_path):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from deviation_cli.documents import bulletin, templating

    env = bulletin.official_environment(
        tuple(str(f) for f in templating.template_folders(tmp_path, bulletin.TEMPLATE_SUBFOLDER))
    )
    assert isinstance(env, SandboxedEnvironment) and env.undefined is StrictUndefined
    assert env.loader.searchpath[0] == str(tmp_path) and env.loader.searchpath[-2].endswith("report")
    assert env.loader.searchpath[-1].endswith("templates")  # the 通报 shares the documents' layout and style
    assert {"pct", "num", "cell", "md", "date_zh"} <= set(env.filters)


def test_report_is_signed_by_the_issuer_on_its_date(cli):
    text = cli(
        "report", "--as-of", "2024-07-01", "--issuer", "清河县河长办", "--date", "2024-07-03", data=QINGHE
    ).stdout
    assert text.endswith('<p align="right">清河县河长办<br>2024年7月3日</p>\n')
    assert "（截至2024年7月1日）" in text
    bad = cli("report", "--as-of", "2024-07-01", "--date", "2024-02-30", data=QINGHE)
    assert (bad.exit_code, bad.stderr) == (2, "2024-02-30 不是真实日期\n")


def test_a_task_longer_than_half_a_page_is_printed_in_parts_that_repeat_its_number(cli):
    html = cli("report", "--as-of", "2024-10-15", "-f", "html", data=CHENGDONG).stdout
    rows = re.findall(
        r'<tr class="continued">\s*<td class="id"><span class="again">5</span><span class="cont">（续）</span>', html
    )
    assert len(rows) >= 1
    # the parts join back into the task's text as the plan writes it
    # task 5's first row and the rows that continue it, up to the next task's row
    task = html.split('<td class="id">5</td>')[1].split("</tbody>")[0]
    task = re.split(r'<tr(?! class="continued")[ >]', task)[0]
    parts = re.findall(r'<td class="text">(.*?)</td>', task, re.S)[::2]
    assert "".join(parts).startswith("围绕企业全生命周期，梳理开办、变更、注销各环节办理事项")
    assert "".join(parts).endswith("整改情况在区政务服务网公开。")


# --- the reporting schedule, sign-off and lights on a plan of another shape ------------------------

DP = ["--progress", str(DISTRICT_PROGRESS / "progress.yaml")]


def test_status_lists_who_has_not_reported_on_the_district_plan(cli):
    run = cli("status", "--as-of", "2023-06-01", *DP, data=DISTRICT)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[4:] == [
        " 1      绿       区发改局             推进中   2023-05-25   三季度末     2023-09-30   否",
        " 2      红       区发改局、区统计局   待销号   2023-05-26   每月28日前   2023-06-28   是",
        " 3      绿                            推进中   2023-05-15   年底前       2023-12-31   否",
        "",
        "未报送:报送期 2023-04-29 至 2023-05-28(应于 2023-05-28 前报送),2 个单位",
        "",
        " 单位       最近报告",
        " ───────────────────────",
        " 区财政局   2023-03-20",
        " 各街道     2023-04-10",
        "",
    ]
    rows = cli("status", "--as-of", "2023-06-01", "-f", "json", *DP, data=DISTRICT).json()
    assert {(r["id"], tuple(r["unreported"])) for r in rows} == {(1, ("区财政局", "各街道")), (2, ()), (3, ())}
    assert {str(r["report_period"]) for r in rows} == {"{'start': '2023-04-29', 'due': '2023-05-28'}"}
    # --unit keeps the tasks a unit leads, and says only whether that unit has reported
    led = cli("status", "--as-of", "2023-06-01", "--unit", "区发改局", "-f", "json", *DP, data=DISTRICT).json()
    assert [(r["id"], r["unreported"]) for r in led] == [(1, ["区财政局", "各街道"]), (2, [])]
    mine = cli("status", "--as-of", "2023-06-01", "--unit", "区统计局", "-f", "md", *DP, data=DISTRICT).stdout
    assert mine.splitlines()[2:] == [
        "| 2 | 红 | 区发改局、区统计局 | 待销号 | 2023-05-26 | 每月28日前 | 2023-06-28 | 是 |",
        "",
        "报送期 2023-04-29 至 2023-05-28(应于 2023-05-28 前报送):各单位均已报送",
    ]


def test_status_md_shows_returned_tasks_and_the_unreported(cli):
    text = cli("status", "--as-of", "2023-05-01", "-f", "md", *DP, data=DISTRICT).stdout
    assert text.split("\n\n")[1:] == [
        "销号退回、待整改:1 项",
        "| 序号 | 报告完成单位 | 报告完成日期 | 核验日期 | 核验单位 | 核验意见 |\n|---|---|---|---|---|---|\n"
        "| 2 | 区统计局 | 2023-04-26 | 2023-04-29 | 区政府督查室 | 缺少街道分项数据 |",
        "未报送:报送期 2023-03-29 至 2023-04-28(应于 2023-04-28 前报送),2 个单位",
        "| 单位 | 最近报告 |\n|---|---|\n| 区财政局 | 2023-03-20 |\n| 区人社局 |  |\n",
    ]
    # JSON stays one flat array of task objects
    assert [r["sign_off"] for r in cli("status", "--as-of", "2023-05-01", "-f", "json", *DP, data=DISTRICT).json()] == [
        None,
        "退回",
        None,
    ]


def test_status_by_unit_adds_the_period_rate_where_the_plan_has_a_schedule(cli):
    text = cli("status", "--as-of", "2023-06-01", "--by-unit", "-f", "md", *DP, data=DISTRICT).stdout
    assert text.splitlines()[0].endswith("| 逾期任务 | 按期报送率 | 未报送期 |")
    assert text.splitlines()[3] == "| 区财政局 | 0 | 0 | 0 | 0 |  |  | 100.0% |  | 33.3% | 2023-05-28 |"
    rows = cli("status", "--as-of", "2023-06-01", "--by-unit", "-f", "json", *DP, data=DISTRICT).json()
    assert [
        (r["unit"], r["periods_owed"], r["periods_reported"], r["period_rate"], r["missing_report"]) for r in rows
    ] == [
        ("区发改局", 3, 3, 1.0, None),
        ("区财政局", 3, 1, 0.3333, "2023-05-28"),
        ("区统计局", 3, 2, 0.6667, None),
        ("区人社局", 3, 1, 0.3333, None),
        ("各街道", 3, 1, 0.3333, "2023-05-28"),
    ]
    # a plan without a schedule shows no such columns
    assert "按期报送率" not in cli("status", "--as-of", "2023-08-01", "--by-unit", "-f", "md", *HZ).stdout


def test_status_warn_days_moves_the_yellow_light(cli):
    def lights(*extra):
        return {
            r["id"]: r["light"]
            for r in cli("status", "--as-of", "2023-09-25", "-f", "json", *extra, *DP, data=DISTRICT).json()
        }

    assert lights() == {1: "yellow", 2: "red", 3: "green"}  # task 1 falls due 09-30
    assert lights("--warn-days", "4") == {1: "green", 2: "red", 3: "green"}
    assert lights("--warn-days", "0", "--within", "0") == {1: "green", 2: "red", 3: "green"}
    assert "Lights: red when a milestone has passed" in cli("status", "--help").stdout


def test_report_on_the_district_plan_says_who_has_not_reported_and_what_awaits_sign_off(cli):
    text = cli("report", "--as-of", "2023-06-01", *DP, data=DISTRICT).stdout
    assert (
        "已报完成、待销号1项，销号退回待整改0项。亮灯情况：红灯1项、黄灯0项、绿灯2项。\n" in text
        and "| 2 | 每月调度项目进展并通报。 | 每月28日前 | 2023年4月28日 | 待销号 | 红灯 | 已补充街道分项数据 |\n"
        in text
    )
    assert (
        "## 四、销号情况\n\n牵头单位已报告完成、待核验销号的任务1项：序号2（区统计局，2023年5月26日报告完成）。\n\n"
        "## 五、进展报送情况\n\n按照“每月28日前”报送进展的要求，2023年4月29日至5月28日的进展情况应于2023年5月28日前报送。"
        "截至2023年6月1日，2个单位未报送：区财政局（最近一次报告于2023年3月20日）、各街道（最近一次报告于2023年4月10日）。\n\n"
        "## 六、单位排名\n"
    ) in text
    assert "| 1 | 区发改局 | 3 | 33.3% | 33.3% | 100.0% | 100.0% | 0.467 |\n" in text
    returned = cli("report", "--as-of", "2023-05-01", *DP, data=DISTRICT).stdout
    assert (
        "| 2 | 每月调度项目进展并通报。 | 每月28日前 | 2023年4月28日 | 推进中 | 红灯 | 销号退回：缺少街道分项数据 |\n"
        in returned
    )
    assert "| 2 | 区统计局 | 2023年4月26日 | 2023年4月29日 | 缺少街道分项数据 |\n" in returned
    # the period rate may weigh in the ranking
    periods = cli("report", "--as-of", "2023-06-01", "--rule", "periods:1", *DP, data=DISTRICT).stdout
    assert "评比规则：得分=按期报送率×1.0" in periods
    assert "| 2 | 区统计局 | 3 | 33.3% | 33.3% | 100.0% | 66.7% | 0.667 |\n" in periods


def test_report_html_shows_the_lights_and_the_new_sections(cli, tmp_path):
    out = tmp_path / "通报.html"
    assert cli("report", "--as-of", "2023-06-01", "-o", str(out), *DP, data=DISTRICT).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<td class="role nobr"><span class="light" style="background: #c8372d"></span>红灯</td>' in html
    assert "<h2>四、销号情况</h2>" in html and "<h2>五、进展报送情况</h2>" in html
    assert "按期报送率</th>" in html
    text = re.sub(r"<style>.*?</style>|<[^>]+>", "", html, flags=re.S)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # dates are written 2023年6月1日


def test_an_overdue_task_is_listed_under_each_of_its_leads_and_one_without_a_lead_last(cli):
    """Task 2 has two leads, each answers for it; task 3 has none, and was printed under 'None'."""
    run = cli("report", "--as-of", "2024-01-05", *DP, data=DISTRICT)
    assert run.exit_code == 0, run.stderr
    section = run.stdout.split("## 二、")[1].split("## 三、")[0]
    headings = [line for line in section.splitlines() if line.startswith("### ")]
    assert headings == [
        "### （一）区发改局（2项）",
        "### （二）区统计局（1项）",
        "### （三）未明确牵头单位的任务（1项）",
    ]
    rows = {heading: [] for heading in headings}
    current = None
    for line in section.splitlines():
        if line.startswith("### "):
            current = line
        elif current and re.match(r"\| \d+ \|", line):
            rows[current].append(int(line.split("|")[1]))
    assert list(rows.values()) == [[1, 2], [2], [3]]
