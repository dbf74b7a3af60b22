"""The package's shape: a function-level import of the package's own modules is only there to keep a
heavy library off the start-up path, and says which.

The layers themselves (cli → documents | exchange → output → store → validation → formats → domain →
words) are checked by ``lint-imports`` with the contracts in pyproject.toml.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from support.paths import ROOT

PACKAGE = ROOT / "src" / "deviation_cli"
#: Libraries worth importing late: each costs start-up time that most commands do not need.
HEAVY = ("pydantic", "yaml", "jinja2", "rich", "openpyxl", "icalendar", "docx")


def own_lazy_imports() -> list[tuple[str, int, str, str]]:
    """(file, line, module imported, the line's comment) for every import of ours inside a function."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.split("\n")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.level > 0:
                    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -inner.level]
                    module = ".".join([*package, *(inner.module or "").split(".")]).rstrip(".")
                    comment = lines[inner.lineno - 1].partition("#")[2].strip()
                    found.append((str(path.relative_to(ROOT)), inner.lineno, module, comment))
    return found


def test_package_modules_are_imported_late_only_to_keep_a_heavy_library_late():
    unexplained = [
        f"{file}:{line} imports {module} late without '# lazy: <library>'"
        for file, line, module, comment in own_lazy_imports()
        if not comment.startswith("lazy: ") or not comment[len("lazy: ") :].split(",")[0].strip().startswith(HEAVY)
    ]
    assert unexplained == []


@pytest.mark.parametrize(
    "module,library", sorted({(m, c[len("lazy: ") :].split(",")[0].strip()) for _, _, m, c in own_lazy_imports()})
)
def test_each_late_import_does_bring_the_library_it_names(module, library):
    code = f"import sys, {module}; print({library!r} in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "True", f"{module} does not import {library}: import it at the top instead"
