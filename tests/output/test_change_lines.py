"""Changes as a reviewer reads them: Markdown that shows register text as written."""

from __future__ import annotations


def test_markdown_escapes_what_the_register_may_contain():
    from deviation_cli.domain.changes import Change
    from deviation_cli.output.change_lines import format_changes

    change = Change("lead-changed", 7, field="lead", old="A*B*", new="<C>|_D_")
    assert format_changes([change], "md").splitlines()[-1] == "- **第7项** 牵头单位 A\\*B\\* → &lt;C&gt;\\|\\_D\\_"
