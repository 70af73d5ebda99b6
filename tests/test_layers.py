"""The architecture's promises: core has no Qt, and the model process imports no widgets."""

from __future__ import annotations

import subprocess
import sys
import textwrap

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
