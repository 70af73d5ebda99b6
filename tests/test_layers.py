"""The architecture's promises: the layers import downwards only, with no circles.

core has no Qt and knows nothing of the command line, qt knows nothing of the widgets in ui,
no two modules import each other round a circle, and no module grows past what a reader can
hold. Imports are read from the source with ``ast``, those inside functions included, so a lazy
import cannot hide a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import pytest

import workbench

PACKAGE_DIR = Path(workbench.__file__).parent
MAX_LINES = 700

BLOCK_QT = textwrap.dedent(
    """
    import importlib.abc, pkgutil, sys

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    """
)


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_core_and_cli_import_without_pyside6():
    code = BLOCK_QT + textwrap.dedent(
        """
        import workbench.core, workbench.cli
        names = []
        for mod in pkgutil.walk_packages(workbench.core.__path__, "workbench.core."):
            __import__(mod.name)
            names.append(mod.name)
        assert "workbench.core.local.worker" in names and "workbench.core.store" in names, names
        assert not [m for m in sys.modules if m.startswith("PySide6")]
        print(len(names))
        """
    )
    result = run(code)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 10


def test_cli_info_runs_without_pyside6(test_model):
    code = (
        BLOCK_QT
        + f"import workbench.cli; sys.exit(workbench.cli.main(['info', {str(test_model)!r}]))"
    )
    result = run(code)
    assert result.returncode == 0, result.stderr
    assert "llama" in result.stdout


def test_blocker_really_blocks():
    result = run(BLOCK_QT + "import PySide6.QtCore")
    assert result.returncode != 0 and "blocked" in result.stderr


# --- imports read from the source ---------------------------------------------------------------


@cache
def modules() -> dict[str, Path]:
    """Every module of the workbench package by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST, *, runtime_only: bool):
    """Import statements anywhere in ``tree``, skipping ``if TYPE_CHECKING:`` if asked."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if runtime_only and isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)  # the body never runs
            continue
        stack.extend(ast.iter_child_nodes(node))


@cache
def imported_names(module: str, *, runtime_only: bool = False) -> frozenset[str]:
    """Absolute names ``module`` imports: ``import a.b`` gives a.b, ``from a import b`` a.b."""
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return names_in(tree, package, runtime_only=runtime_only)


def names_in(tree: ast.AST, package: str, *, runtime_only: bool) -> frozenset[str]:
    """Absolute names imported in ``tree``, relative imports resolved against ``package``."""
    names = set()
    for node in _import_nodes(tree, runtime_only=runtime_only):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        if node.level:  # relative: from .x import y
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        # "from pkg import x" names pkg.x: the module pkg.x if there is one, else pkg itself.
        names.update(origin if a.name == "*" else f"{origin}.{a.name}" for a in node.names)
    return frozenset(names)


def dependencies(module: str, *, runtime_only: bool = False) -> set[str]:
    """The workbench modules ``module`` imports (``from pkg import sub`` counts as pkg.sub)."""
    known = modules()
    out = set()
    for name in imported_names(module, runtime_only=runtime_only):
        # The longest prefix that is a module: "workbench.core.units.human_size" -> units.
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts and ".".join(parts) != module:
            out.add(".".join(parts))
    return out


def in_layer(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("workbench.core", "PySide6"),
        ("workbench.core", "workbench.qt"),
        ("workbench.core", "workbench.ui"),
        ("workbench.core", "workbench.cli"),
        ("workbench.qt", "workbench.ui"),
        ("workbench.qt", "workbench.cli"),
    ],
)
def test_layers_import_downwards_only(layer, forbidden):
    wrong = sorted(
        f"{module} imports {name}"
        for module in modules()
        if in_layer(module, layer)
        for name in imported_names(module)
        if in_layer(name, forbidden)
    )
    assert not wrong, "\n".join(wrong)


def test_the_reader_sees_lazy_relative_and_type_only_imports():
    code = textwrap.dedent(
        """
        import os.path
        if TYPE_CHECKING:
            from workbench.ui.chat import view
        def f():
            from .units import human_size
            from . import paths
            from ..qt import jobs
        """
    )
    tree = ast.parse(code)
    names = names_in(tree, "workbench.core", runtime_only=False)
    assert names == {
        "os.path",
        "workbench.ui.chat.view",
        "workbench.core.units.human_size",
        "workbench.core.paths",
        "workbench.qt.jobs",
    }
    assert "workbench.ui.chat.view" not in names_in(tree, "workbench.core", runtime_only=True)
    # A name inside a module resolves to the module: units.human_size -> units.
    assert "workbench.core.units" in dependencies("workbench.core.gguf_file")


def circular_groups(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round a circle (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep chain of imports cannot hit the recursion limit.
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in graph.get(node, ()):
                        groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def circle_in(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest circle through the group's first module (breadth-first, inside the group)."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, ())):
            if child == start:
                return [*paths[node], start]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no circle in {group}")


def test_cycle_finder_reports_a_circle_and_ignores_a_tree():
    assert circular_groups({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    graph = {"a": {"b"}, "b": {"c", "e"}, "c": {"a"}, "d": {"a"}, "e": {"b"}}
    assert circular_groups(graph) == [["a", "b", "c", "e"]]
    assert circle_in(graph, ["a", "b", "c", "e"]) == ["a", "b", "c", "a"]
    assert circular_groups({"a": {"a"}}) == [["a"]]
    assert circle_in({"a": {"a"}}, ["a"]) == ["a", "a"]


def test_no_import_circles():
    # Imports under "if TYPE_CHECKING:" never run, so they make no circle.
    graph = {module: dependencies(module, runtime_only=True) for module in modules()}
    found = [
        f"{' -> '.join(circle_in(graph, group))} (the circle joins {', '.join(group)})"
        for group in circular_groups(graph)
    ]
    assert not found, "import circles:\n" + "\n".join(found)


def test_no_module_is_too_long():
    lines = {
        str(path.relative_to(PACKAGE_DIR.parent)): len(path.read_text("utf-8").splitlines())
        for path in modules().values()
    }
    long = {name: n for name, n in sorted(lines.items()) if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
