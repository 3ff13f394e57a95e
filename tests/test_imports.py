"""Imports point one way: mapapp → layers → geo."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "package, forbidden",
    [("geo", ["folium", "flask", "layers", "mapapp"]), ("layers", ["flask", "mapapp"])],
)
def test_import_direction(package: str, forbidden: list[str]) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"import {package}\n"
        f"for m in pkgutil.iter_modules({package}.__path__): importlib.import_module('{package}.' + m.name)\n"
        f"print(','.join(sorted(n for n in {forbidden!r} if n in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
