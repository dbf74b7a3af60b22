"""The site's filter data: what a unit's page lists, by every name the unit goes by.

The script that reads it runs in tests/documents/test_render_browser.py.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from deviation_cli.documents.filter_index import LEAD_REACH, NAMED, OPEN_TAIL, VIA_GROUP, filter_index, fold
from deviation_cli.documents.site import build_site
from deviation_cli.domain.annex import table_rows
from deviation_cli.domain.query import unit_task_index
from deviation_cli.store.load import load_register
from support.paths import CHENGDONG, HANZHONG, QINGHE


def data_of(register):
    rows = table_rows(register)
    return json.loads(str(filter_index(register, rows, unit_task_index(register, include_open=True))))


def reached(data, name):
    """Task ids a unit reaches, with how, as the script sees them."""
    number = data["names"].index(name)
    return {
        entry["id"]: sorted(how for unit, how, _ in entry["r"] if unit == number)
        for entry in data["rows"]
        if any(unit == number for unit, _, _ in entry["r"])
    }


@pytest.mark.parametrize("folder", [HANZHONG, QINGHE, CHENGDONG], ids=["hanzhong", "qinghe", "chengdong"])
def test_every_unit_reaches_what_its_page_lists(folder):
    register = load_register(folder)
    data = data_of(register)
    for name, rows in unit_task_index(register, include_open=True).items():
        assert set(reached(data, name)) == {row.task.id for row in rows}, name


def test_a_county_reaches_its_tasks_through_its_group(hanzhong):
    data = data_of(hanzhong)
    county = reached(data, "汉台区")
    assert len(county) == 20  # as the 汉台区 page lists them
    assert all(how == [VIA_GROUP] for how in county.values())
    group = data["names"].index("各县区政府")
    row = next(entry for entry in data["rows"] if entry["id"] == 1)
    assert [data["names"].index("汉台区"), VIA_GROUP, group] in row["r"]


def test_a_unit_is_found_by_its_full_name_and_aliases(hanzhong):
    data = data_of(hanzhong)
    keys = data["units"][data["names"].index("汉中经开区管委会")]
    assert fold("汉中经济技术开发区") in keys.split("|")
    alias = data["units"][data["names"].index("市行政审批服务局")]
    assert "市行政审批局" in alias.split("|")


def test_a_task_is_found_by_its_dates_and_headings(hanzhong):
    data = data_of(hanzhong)
    task_22 = next(entry for entry in data["rows"] if entry["id"] == 22)
    for word in ("2023-06-30", "2023年6月30日", "2023-12-31", "管理服务偏离度方面", fold("2023年 6月12月底")):
        assert word in task_22["w"], word


def test_leads_open_tails_and_named_units_are_told_apart(hanzhong):
    data = data_of(hanzhong)
    audit = reached(data, "市审计局")
    assert audit[2] == [LEAD_REACH]
    assert OPEN_TAIL in audit[1]
    assert reached(data, "市发改委")[1] == [NAMED]


def test_the_data_cannot_end_its_script_element(tmp_path, cli):
    import shutil

    folder = tmp_path / "hostile"
    shutil.copytree(QINGHE, folder)
    tasks = folder / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("完成河道采砂专项整治。", "'</script><script>alert(1)</script>'"),
        encoding="utf-8",
    )
    page = build_site(load_register(folder), date(2024, 1, 1))["table.html"]
    data = page.split('<script type="application/json" id="filter-data">')[1].split("</script>")[0]
    assert "<" not in data and json.loads(data)["rows"][3]["w"].startswith("4|</script>")
