"""The package's shape: a function-level import of the package's own modules is only there to keep a
heavy library off the start-up path, and says which; or, in the package's own ``__init__`` (which
every command imports first), to keep the loader and the register's records off the path of a
query answered from the cache index, and says ``start-up``.

The layers themselves (cli → documents | exchange → output → store → validation → formats → domain →
words) are checked by ``lint-imports`` with the contracts in pyproject.toml; inside a layer, no two
modules may reach each other through their imports either (late and type-checking ones included).
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
#: Files that may import a module of ours late for start-up alone (``# lazy: start-up``): the package's
#: facade, whose ``load_register`` every command would otherwise import before it parses its arguments.
START_UP_FACADES = ("src/deviation_cli/__init__.py",)


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


def _reason(comment: str) -> str:
    return comment[len("lazy: ") :].split(",")[0].strip() if comment.startswith("lazy: ") else ""


def test_package_modules_are_imported_late_only_to_keep_a_heavy_library_late():
    unexplained = [
        f"{file}:{line} imports {module} late without '# lazy: <library>'"
        for file, line, module, comment in own_lazy_imports()
        if not _reason(comment).startswith(HEAVY) and not (_reason(comment) == "start-up" and file in START_UP_FACADES)
    ]
    assert unexplained == []


def test_what_the_facade_imports_late_stays_off_the_command_lines_start():
    late = sorted({module for file, _, module, comment in own_lazy_imports() if _reason(comment) == "start-up"})
    assert late
    code = f"import sys, deviation_cli.cli; print([m for m in {late!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module,library",
    sorted({(m, _reason(c)) for _, _, m, c in own_lazy_imports() if _reason(c) != "start-up"}),
)
def test_each_late_import_does_bring_the_library_it_names(module, library):
    code = f"import sys, {module}; print({library!r} in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "True", f"{module} does not import {library}: import it at the top instead"


def own_imports() -> dict[str, set[str]]:
    """Each module of the package -> the modules of ours it imports, anywhere in it (late, type-checking)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    imports: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                for alias in node.names:
                    found = f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
                    if found != name:
                        imports[name].add(found)
    return imports


def test_no_two_modules_reach_each_other_through_their_imports():
    imports = own_imports()
    assert "deviation_cli.documents.template_data" in imports["deviation_cli.documents.render"]

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for module in imports.get(todo.pop(), ()):
                if module not in seen:
                    seen.add(module)
                    todo.append(module)
        return seen

    reached = {name: reach(name) for name in imports}
    circles = sorted({tuple(sorted((a, b))) for a in imports for b in reached[a] if a in reached[b] and a != b})
    assert circles == []
