"""A user's template cannot spend the machine: loops, formats, padding, repetition and output are bounded,
and the clock stops what no single bound sees. Each case is a message with the template's file:line, fast.
"""

from __future__ import annotations

import threading
import time
import tracemalloc

import pytest

from deviation_cli.documents import template_limits
from deviation_cli.domain.issues import UsageError
from support.paths import QINGHE

CASES = [
    (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "looped over range() more than 200000 times and was stopped",
    ),
    ("{{ '{:>2000000000}'.format(1) }}", "asks format() for a width of 2000000000; at most 10000"),
    ("{{ '{:{}}'.format(1, 2000000000) }}", "takes a width for format() from a value, which a template may not"),
    ("{{ '{0:>{1}}'.format_map({}) }}", "takes a width for format() from a value"),
    ("{{ '%2000000000d' % 1 }}", "asks % for a width of 2000000000; at most 10000"),
    ("{{ '%*d' % (2000000000, 1) }}", "takes a width for % from a value"),
    ("{{ '%.2000000000f' | format(1) }}", "asks % for a width of 2000000000"),
    ("{{ 'x'.center(2000000000) }}", "asks center() for a width of 2000000000"),
    ("{{ 'x'.ljust(2000000000) }}", "asks ljust() for a width of 2000000000"),
    ("{{ '1'.zfill(2000000000) }}", "asks zfill() for a width of 2000000000"),
    ("{{ 'x' | center(2000000000) }}", "asks center for a width of 2000000000"),
    ("{{ 'x\\ny' | indent(2000000000) }}", "asks indent for a width of 2000000000"),
    ("{{ 'x' * 2000000000 }}", "would build, with *, a value of more than 10000000"),
    ("{{ [1] * 2000000000 }}", "would build, with *, a value of more than 10000000"),
    ("{{ 2 ** 2000000000 }}", "would build, with **, a value of more than 100000"),
    ("{{ ('x' * 9000000).replace('x', 'yy') }}", "would build, with replace(), a value of more than 10000000"),
    ("{{ ('x' * 9000000) | replace('x', 'yy') }}", "would build, with replace(), a value"),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "would build, with ~, a value of more than 10000000",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "would build, with +, a value of more than 10000000",
    ),
]


@pytest.mark.parametrize("body, message", CASES, ids=[f"case{n}" for n in range(len(CASES))])
def test_a_costly_template_is_stopped_with_a_located_message(cli, tmp_path, monkeypatch, body, message):
    monkeypatch.setattr(template_limits, "MAX_RANGE_STEPS", 200_000)  # the default's million, traced, is 2 s
    (tmp_path / "table.md").write_text("# 标题\n" + body + "\n", encoding="utf-8")
    cli("render", "table", data=QINGHE)  # imports and cache before the clock starts
    tracemalloc.start()
    start = time.perf_counter()
    run = cli("--lang", "en", "render", "table", "--templates", str(tmp_path), data=QINGHE)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert run.exit_code == 2, run.stdout[:200]
    assert run.stderr.startswith(f"{tmp_path / 'table.md'}:2:1: template table.md "), run.stderr
    assert message in run.stderr
    assert seconds < 5 and peak < 120 * 2**20, (seconds, peak)


def test_a_loop_that_calls_nothing_is_stopped_by_the_clock(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_TEMPLATE_SECONDS", "0.5")
    nested = "".join("{% for t" + str(n) + " in tasks %}" for n in range(7)) + "{% endfor %}" * 7
    (tmp_path / "table.md").write_text(nested, encoding="utf-8")  # 23 ** 7 steps, none of them a call
    start = time.perf_counter()
    run = cli("--lang", "en", "render", "table", "--templates", str(tmp_path))
    assert run.exit_code == 2
    assert "took longer than 0.5 s and was stopped (DEVIATION_TEMPLATE_SECONDS changes the limit)" in run.stderr
    assert time.perf_counter() - start < 5


def test_off_the_main_thread_the_hooks_watch_the_clock(tmp_path, monkeypatch, hanzhong):
    from deviation_cli.documents.render import render_document

    monkeypatch.setenv("DEVIATION_TEMPLATE_SECONDS", "0.5")
    (tmp_path / "table.md").write_text(
        "{% for t in tasks %}{% for u in tasks %}{% for v in tasks %}{% for w in tasks %}{% for x in tasks %}"
        "{% if loop.index %}{% endif %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    caught = []

    def render() -> None:
        try:
            render_document(hanzhong, "table", templates=tmp_path)
        except UsageError as error:
            caught.append(error.issues[0].code)

    worker = threading.Thread(target=render)
    start = time.perf_counter()
    worker.start()
    worker.join(timeout=30)
    assert caught == ["template_too_slow"] and time.perf_counter() - start < 10


def test_a_document_past_the_size_limit_is_stopped(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DEVIATION_MAX_BYTES", "10000")
    (tmp_path / "table.md").write_text("{% for i in range(100000) %}{{ i }}\n{% endfor %}", encoding="utf-8")
    run = cli("--lang", "en", "render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2 and "made a document of more than 10000 characters" in run.stderr


def test_what_a_real_template_does_is_within_the_bounds(cli, tmp_path):
    (tmp_path / "table.md").write_text(
        "{% for i in range(3) %}{{ '{:>6}|{:.2f}'.format(i, 1 / 3) }}{{ '%5d' % i }}{{ 'ab'.center(8) }}"
        "{{ '-' * 20 }}{{ 2 ** 10 }}{{ 'x' ~ i }}{{ 'a-b' | replace('-', '+') }}{{ '%3d' | format(i) }}\n{% endfor %}",
        encoding="utf-8",
    )
    run = cli("render", "table", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "     0|0.33    0   ab   --------------------1024x0a+b  0"


def test_the_bounds_do_not_leak_out_of_a_render(cli, tmp_path):
    import signal

    (tmp_path / "table.md").write_text("x\n", encoding="utf-8")
    before = signal.getsignal(signal.SIGALRM)
    assert cli("render", "table", "--templates", str(tmp_path), data=QINGHE).exit_code == 0
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert template_limits._budget.deadline is None
