"""Nothing of Hanzhong's in another plan's documents: every word a template prints about the plan
comes from the register (its levels, column words, award names), none from Hanzhong's.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document

from deviation_cli import load_register
from deviation_cli.documents.site import build_site
from support.paths import CHENGDONG, QINGHE

#: Words of Hanzhong's plan that a template might print if it hard-coded them.
HANZHONG_ONLY = ("管控", "改进措施", "红旗奖", "蜗牛奖", "偏离度", "汉中", "牵头部门", "具体任务")


def forbidden(folder) -> list[str]:
    """Hanzhong's words, less those the other plan uses itself (Qinghe has a heading 河湖岸线管控)."""
    own = "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.yaml"))
    return [word for word in HANZHONG_ONLY if word not in own]


def outputs(cli, folder, tmp_path) -> dict[str, str]:
    """Every document of the plan in every format, and every page of its site, as text."""
    found = {}
    for fmt in ("md", "html", "docx"):
        for name, args in {
            "table": ["render", "table"],
            "notice": ["render", "notice", "--date", "2024-03-01"],
            "unit": ["render", "unit", "--unit", load_register(folder).units[0].name],
            "due": ["render", "due", "--as-of", "2024-03-01"],
            "report": ["report", "--as-of", "2024-10-15"],
            # the first unit leads a task overdue by then, in both plans
            "reminder": ["render", "reminder", "--unit", load_register(folder).units[0].name, "--as-of", "2024-10-15"],
        }.items():
            target = tmp_path / f"{name}.{fmt}"
            run = cli(*args, "-f", fmt, "-o", str(target), data=folder)
            assert run.exit_code == 0, run.stderr
            if fmt == "docx":
                document = Document(io.BytesIO(target.read_bytes()))
                found[target.name] = "\n".join(
                    [p.text for p in document.paragraphs]
                    + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
                )
            else:
                found[target.name] = target.read_text(encoding="utf-8")
    for name, text in build_site(load_register(folder), date(2024, 7, 1)).items():
        found[f"site/{name}"] = text
    return found


@pytest.mark.parametrize("folder", [QINGHE, CHENGDONG], ids=["qinghe", "chengdong"])
def test_another_plans_outputs_say_nothing_of_hanzhong(cli, tmp_path, folder):
    words = forbidden(folder)
    assert "改进措施" in words and "红旗奖" in words
    found = [
        (name, word, text[max(0, text.index(word) - 20) : text.index(word) + 20])
        for name, text in outputs(cli, folder, tmp_path).items()
        for word in words
        if word in text
    ]
    assert found == []


def test_chengdong_speaks_its_own_words(cli, tmp_path):
    text = cli("render", "table", data=CHENGDONG).stdout
    assert text.splitlines()[2] == "| 编号 | 领域 | 工作任务 | 牵头单位 | 配合单位 | 时间节点 |"
    report = cli("report", "--as-of", "2024-10-15", data=CHENGDONG).stdout
    assert "先进单位：区市场监管局；后进单位：" in report and "## 二、逾期任务（按牵头单位）" in report
    assert re.search(r"\| 1 \| 企业开办和注销 \| .* \| 区市场监管局、区行政审批服务局 \|", text)  # co-leads
