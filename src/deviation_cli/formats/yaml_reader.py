"""Reading one YAML file of a register: the fast line reader where it can, libyaml's events where not.

Both give the same located tree (``yaml_tree``): strings, lists and mappings
with the line and column of everything in them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.issues import Issue
from .yaml_events import parse_events
from .yaml_lines import UNSUPPORTED, parse_plain_subset
from .yaml_tree import YamlValue


def parse_yaml(text: str, path: str, progress: Callable[[float], None] | None = None) -> tuple[YamlValue, list[Issue]]:
    """Parse one YAML document into YamlMap/YamlList/str/None, with every issue found.

    A register written in the plain block style it is kept in (nearly every
    one) is read by ``parse_plain_subset``, several times faster than PyYAML's
    events on large registers; anything else goes through libyaml's events.
    """
    # The fast path refuses NUL, BOM and tab, so when it succeeds the event path's scan would find nothing.
    fast = parse_plain_subset(text, progress)
    if fast is not UNSUPPORTED:
        return fast, []
    return parse_events(text, path)
