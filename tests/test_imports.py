"""Imports point one way: mapapp → layers → geo, in code and in file paths.

An AST check (well under a second): no module of ``geo`` imports ``layers``, ``mapapp``,
``flask`` or ``folium``; no module of ``layers`` imports ``mapapp`` or ``flask``; and neither
names a folder of a package above it in a string (a path such as ``"mapapp" / "static"`` is
an import in disguise).
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RULES = {
    "geo": {"layers", "mapapp", "flask", "folium", "branca"},
    "layers": {"mapapp", "flask"},
}
#: Package folders a lower package must not name in a path.
PATH_RULES = {"geo": ("layers", "mapapp"), "layers": ("mapapp",)}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _path_strings(tree: ast.AST, folders: tuple[str, ...]) -> set[str]:
    """Return strings that name one of ``folders`` as a path: "a/b" or ``base / "a"``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = node.value.replace("\\", "/").split("/")
            if len(parts) > 1 and any(p in folders for p in parts):
                found.add(node.value)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and side.value in folders:
                    found.add(str(side.value))
    return found


def _problems(package: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name in sorted(_imports(tree) & RULES[package]):
            problems.append(f"{path.relative_to(ROOT)} imports {name}")
        for value in sorted(_path_strings(tree, PATH_RULES[package])):
            problems.append(f"{path.relative_to(ROOT)} names the path {value!r}")
    return problems


@pytest.mark.parametrize("package", sorted(RULES))
def test_import_direction(package: str) -> None:
    start = time.perf_counter()
    assert _problems(package) == []
    assert time.perf_counter() - start < 5  # generous: it is an AST walk, not an import


def test_the_check_sees_a_disguised_import(tmp_path: Path) -> None:
    tree = ast.parse(
        'from flask import Flask\nS = BASE / "mapapp" / "static"\nX = "mapapp/static"\nQ = "mapapp"'
    )
    assert _imports(tree) == {"flask"}
    assert _path_strings(tree, ("mapapp",)) == {"mapapp", "mapapp/static"}
