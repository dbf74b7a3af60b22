"""Targets that fail a cross-record rule are located issues, never a traceback.

Found by mypy: ``check_indicators_text`` reported a repeated key or an unknown
dimension through a helper whose third parameter was also called ``key``, so
``issue(..., "key", key=...)`` raised TypeError instead of reporting the line.
"""

from __future__ import annotations

from deviation_cli.validation.indicator_rules import check_indicators_text
from support.paths import QINGHE

TARGET = """\
  - key: {key}
    name: 水质达标率
    dimension: {dimension}
    period: 2024年
    target: 90
    quote: 水质达标率不低于90%
"""


def _targets(*entries: tuple[str, str]) -> str:
    return "indicators:\n" + "".join(TARGET.format(key=key, dimension=dimension) for key, dimension in entries)


def test_a_repeated_indicator_key_is_located(qinghe):
    issues = []
    kept = check_indicators_text(
        _targets(("water_quality", "water"), ("water_quality", "water")), "indicators.yaml", qinghe, issues
    )
    assert [indicator.key for indicator in kept] == ["water_quality"]
    assert [(i.code, i.line, i.column, i.args) for i in issues] == [
        ("indicator_duplicate", 8, 10, {"key": "water_quality"})
    ]
    assert issues[0].message("en") == "indicator 'water_quality' repeated"


def test_an_unknown_dimension_of_an_indicator_is_located(qinghe):
    issues = []
    kept = check_indicators_text(_targets(("water_quality", "watr")), "indicators.yaml", qinghe, issues)
    assert kept == []
    assert [(i.code, i.line, i.column) for i in issues] == [("unknown_dimension", 4, 16)]
    assert issues[0].args["key"] == "watr" and issues[0].args["suggestions"] == ["water"]


def test_the_indicators_command_reports_a_repeated_key(cli, tmp_path):
    targets = tmp_path / "indicators.yaml"
    targets.write_text(_targets(("water_quality", "water"), ("water_quality", "water")), encoding="utf-8")
    run = cli("indicators", "--targets", str(targets), data=QINGHE)
    assert run.exit_code == 1
    assert run.stderr == f"{targets}:8:10: 指标“water_quality”重复\n"
