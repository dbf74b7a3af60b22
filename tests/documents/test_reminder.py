"""`render reminder`: the 催办通知 a unit gets on a day, as data, as golden Markdown, as HTML and Word, through the CLI.

Golden files live in tests/fixtures/golden/; refresh them with
``DEVIATION_UPDATE_GOLDEN=1 python -m pytest tests/documents/test_reminder.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import re
from datetime import date

import pytest
from docx import Document

from deviation_cli import load_register
from deviation_cli.documents.reminder import reminder_data, reminder_units
from deviation_cli.store.progress_log import load_progress
from support.paths import DISTRICT, DISTRICT_PROGRESS, GOLDEN, HANZHONG, QINGHE, ROOT

UPDATE = os.environ.get("DEVIATION_UPDATE_GOLDEN") == "1"
SAMPLE = ROOT / "examples" / "hanzhong-progress" / "progress.yaml"
HZ = ["--progress", str(SAMPLE)]
DP = ["--progress", str(DISTRICT_PROGRESS / "progress.yaml")]


@pytest.fixture(scope="module")
def district():
    register = load_register(DISTRICT)
    return register, load_progress(register, DISTRICT_PROGRESS / "progress.yaml")


def test_what_a_unit_is_reminded_of(district):
    register, log = district
    data = reminder_data(register, log, "区统计局", date(2023, 5, 25))
    assert (data["unit"], data["display_name"], data["within"], data["items"]) == ("区统计局", "区统计局", 7, 3)
    # task 2 (co-led) missed 04-28: the report of 04-26 was returned; 05-28 is three days off
    assert [(t["id"], t["milestone"], t["days_overdue"], t["status"]) for t in data["overdue"]] == [
        (2, "2023-04-28", 27, "推进中")
    ]
    assert [(t["id"], t["milestone"], t["days_left"]) for t in data["due_soon"]] == [(2, "2023-05-28", 3)]
    assert data["returned"] == [
        {
            "id": 2,
            "task": "每月调度项目进展并通报。",
            "reported": "2023-04-26",
            "checked_on": "2023-04-29",
            "checked_by": "区政府督查室",
            "note": "缺少街道分项数据",
        }
    ]
    assert data["missing_report"] is None  # it reported on 04-26, in the period owed
    # 区财政局 leads nothing: only the report it owes
    owed = reminder_data(register, log, "区财政局", date(2023, 6, 1))
    assert (owed["items"], owed["overdue"], owed["due_soon"], owed["returned"]) == (1, [], [], [])
    assert owed["missing_report"] == {"start": "2023-04-29", "due": "2023-05-28", "wording": "每月28日前"}
    # once the lead has reported it done again, the task waits for the office, not for the unit
    assert reminder_data(register, log, "区统计局", date(2023, 6, 1))["items"] == 0


def test_who_may_be_reminded(district, hanzhong):
    register, _ = district
    assert reminder_units(register) == ["区发改局", "区财政局", "区统计局", "区人社局", "各街道"]
    assert len(reminder_units(hanzhong)) == 45 and "各县区政府" not in reminder_units(hanzhong)


CASES = [
    ("district-reminder-区统计局", DISTRICT, ["--unit", "区统计局", "--as-of", "2023-05-25", *DP]),
    ("district-reminder-区财政局", DISTRICT, ["--unit", "区财政局", "--as-of", "2023-06-01", *DP]),
    ("hanzhong-reminder-市发改委", HANZHONG, ["--unit", "市发改委", "--as-of", "2023-08-01", "--within", "15", *HZ]),
]


@pytest.mark.parametrize("name,data,args", CASES, ids=[case[0] for case in CASES])
def test_reminder_matches_the_golden_file(cli, name, data, args):
    run = cli("render", "reminder", *args, data=data)
    assert (run.exit_code, run.stderr) == (0, "")
    golden = GOLDEN / f"{name}.md"
    if UPDATE:
        golden.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == golden.read_text(encoding="utf-8")


def test_the_reminder_is_signed_and_dated_like_a_notice(cli):
    args = ["render", "reminder", "--unit", "市国资委", "--as-of", "2023-08-01", *HZ]
    text = cli(*args).stdout
    assert text.startswith("# 关于抓紧落实《加强管控重点产业项目偏离度实施方案》有关任务的催办通知\n\n市国资委：\n")
    assert text.endswith('<p align="right">汉中市人民政府办公室<br>2023年8月1日</p>\n')
    signed = cli(*args, "--issuer", "汉中市人民政府督查室", "--date", "2023-08-02").stdout
    assert signed.endswith('<p align="right">汉中市人民政府督查室<br>2023年8月2日</p>\n')


def test_all_units_writes_a_reminder_for_each_unit_with_something_and_counts_the_rest(cli, tmp_path):
    out = tmp_path / "催办"
    run = cli("render", "reminder", "--all-units", "-o", str(out), "--as-of", "2023-08-01", *HZ)
    assert run.exit_code == 0
    # 市发改委 (23 overdue) and 市国资委 (5 overdue); 4 awaits the office's sign-off, not 市发改委's work
    assert sorted(path.name for path in out.iterdir()) == ["市发改委.md", "市国资委.md"]
    assert run.stderr == f"已写入 2 份催办通知到 {out};43 个单位没有需要催办的事项,未生成\n"
    district = tmp_path / "区"
    run = cli(
        "render",
        "reminder",
        "--all-units",
        "-o",
        str(district),
        "-f",
        "html",
        "--as-of",
        "2023-06-01",
        *DP,
        data=DISTRICT,
    )
    assert sorted(path.name for path in district.iterdir()) == ["区财政局.html", "各街道.html"]
    assert run.stderr == f"已写入 2 份催办通知到 {district};3 个单位没有需要催办的事项,未生成\n"


def test_a_unit_with_nothing_to_be_reminded_of_gets_no_document(cli, tmp_path):
    out = tmp_path / "r.md"
    run = cli("render", "reminder", "--unit", "市审计局", "--as-of", "2023-08-01", "-o", str(out), *HZ)
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == "截至 2023-08-01,市审计局 没有需要催办的事项;未生成催办通知\n"
    assert not out.exists()


def test_the_html_reminder_is_an_official_document(cli, tmp_path):
    out = tmp_path / "催办.html"
    args = ["render", "reminder", "--unit", "区统计局", "--as-of", "2023-05-25", "-o", str(out), *DP]
    assert cli(*args, data=DISTRICT).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<h1 class="title">关于抓紧落实<br>《东城区2023年重点工作任务分解方案》<br>有关任务的催办通知</h1>' in html
    assert [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2>.*?</h2>", html)] == [
        "一、逾期未完成的任务",
        "二、7天内到期的任务",
        "三、销号退回、待整改的任务",
    ]
    assert re.search(
        r'<div class="signature">\s*<p class="issuer">东城区人民政府办公室</p>\s*<p class="date">2023年5月25日</p>',
        html,
    )
    assert "margin: 37mm 26mm 35mm 28mm" in html and not re.search(r"""(src|href)=["']?https?:""", html)
    text = re.sub(r"<style>.*?</style>|<[^>]+>", "", html, flags=re.S)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # dates as 2023年5月25日


def test_the_word_reminder_comes_from_the_html(cli, tmp_path):
    out = tmp_path / "催办.docx"
    run = cli("render", "reminder", "--unit", "市发改委", "--as-of", "2023-08-01", "-o", str(out), *HZ)
    assert run.exit_code == 0, run.stderr
    document = Document(io.BytesIO(out.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:4] == [
        "关于抓紧落实\n《加强管控重点产业项目偏离度实施方案》\n有关任务的催办通知",
        "汉中市发展和改革委员会：",
        "截至2023年8月1日，你单位在落实《加强管控重点产业项目偏离度实施方案》中，有以下事项需抓紧办理。",
        "一、逾期未完成的任务",
    ]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][0] == "23" and rows[1][3:] == ["2023年6月30日", "32天", "未开始"]


def test_a_user_template_replaces_the_reminder(cli, tmp_path):
    (tmp_path / "reminder.md.j2").write_text("{{ unit }} {{ items }} {{ overdue|length }}\n", encoding="utf-8")
    run = cli("render", "reminder", "--unit", "市发改委", "--as-of", "2023-08-01", "--templates", str(tmp_path), *HZ)
    assert run.stdout == "市发改委 1 1\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reminder"], "reminder 需要 --unit 指明单位(或用 --all-units)"),
        (["reminder", "--all-units"], "--all-units 需要 -o 目录,每个单位写一个文件"),
        (["reminder", "--unit", "市发改委", "--within", "-1"], None),
    ],
)
def test_reminder_usage_errors(cli, args, message):
    run = cli("render", *args, *HZ)
    assert run.exit_code == 2
    if message:
        assert run.stderr == message + "\n"


def test_other_plans_words_only(cli):
    """Qinghe's reminder speaks Qinghe's words: no 管控, no 红旗奖, the plan's column words."""
    text = cli("render", "reminder", "--unit", "县水利局", "--as-of", "2024-10-15", data=QINGHE).stdout
    assert "| 序号 | 任务 | 完成时限 | 逾期节点 | 逾期天数 | 当前状态 |" in text
    assert "| 1 | 完成县级饮用水水源地规范化建设。 | 2024年上半年 | 2024年6月30日 | 107天 | 未开始 |" in text
    assert not any(word in text for word in ("管控", "红旗奖", "汉中"))
