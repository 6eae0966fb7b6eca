"""Imports point down (STYLE.md §1): dashboard → projects → petitions → deputies → liaison.

`liaison/` is the station-wide base and imports no app; an app imports none above it.
Imports inside functions count too: a lazy import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["liaison", "deputies", "petitions", "projects", "dashboard"]


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _upward_imports(package: str) -> list[str]:
    above = set(LAYERS[LAYERS.index(package) + 1:])
    return sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in _imported_packages(path) & above
    )


@pytest.mark.parametrize("package", [p for p in LAYERS if (ROOT / p).is_dir()])
def test_no_package_imports_one_above_it(package):
    assert _upward_imports(package) == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    # The walk must notice a lazy import inside a function, the way the old context processor did it.
    (tmp_path / "liaison").mkdir()
    (tmp_path / "liaison" / "context.py").write_text("def f():\n    from petitions.access import user_roles\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _upward_imports("liaison") == ["liaison/context.py imports petitions"]
