"""The page's ES modules become one inline script: order, stripping, and what it refuses."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from layers.bundle import JS_DIR, BundleError, bundle, bundle_dir, page_script, parse_module

MODULES = {
    "main.js": "import { twice } from './math.js';\nimport { log } from './out.js';\n"
    "log(twice(2));\n",
    "math.js": "import { ONE } from './consts.js';\n"
    "export function twice(x) { return 2 * x * ONE; }\n",
    "consts.js": "export const ONE = 1;\n",
    "out.js": "export function log(v) { window.__out = v; }\n",
}


def test_modules_are_joined_in_dependency_order_without_import_or_export() -> None:
    js = bundle(MODULES)
    assert js.startswith("(function () {\n'use strict';\n") and js.endswith("})();\n")
    assert "import " not in js and "export " not in js
    order = [
        js.index(f"// --- {name} ---") for name in ("consts.js", "math.js", "out.js", "main.js")
    ]
    assert order == sorted(order)
    assert "function twice(x)" in js and "const ONE = 1;" in js


def test_a_name_declared_in_two_modules_is_refused() -> None:
    clash = MODULES | {"out.js": "export function log(v) {}\nconst ONE = 2;\n"}
    with pytest.raises(BundleError, match=r"'ONE' is declared by both"):
        bundle(clash)


def test_a_name_used_from_another_module_without_import_is_refused() -> None:
    sneaky = MODULES | {"out.js": "export function log(v) { window.__out = v + ONE; }\n"}
    with pytest.raises(BundleError, match=r"out.js uses 'ONE' from consts.js without importing"):
        bundle(sneaky)


def test_names_in_strings_comments_and_properties_are_not_uses() -> None:
    fine = MODULES | {
        "out.js": "// ONE\nexport function log(v) { window.ONE = {ONE: 'ONE', re: /ONE$/}; }\n"
    }
    assert "window.ONE" in bundle(fine)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import x from './consts.js';\n", "only"),
        ("import { ONE as one } from './consts.js';\n", "as"),
        ("export default 1;\n", "only 'export"),
        ("export { a };\n", "only 'export"),
    ],
)
def test_unknown_import_and_export_forms_are_refused(source: str, message: str) -> None:
    with pytest.raises(BundleError, match=message):
        parse_module("x.js", source)


def test_missing_export_missing_module_cycle_and_unused_module_are_refused() -> None:
    with pytest.raises(BundleError, match=r"imports 'TWO', which consts.js does not export"):
        bundle(
            MODULES
            | {"math.js": "import { TWO } from './consts.js';\nexport function twice() {}\n"}
        )
    with pytest.raises(BundleError, match=r"nope.js, which does not exist"):
        bundle(MODULES | {"out.js": "import { x } from './nope.js';\nexport function log() {}\n"})
    with pytest.raises(BundleError, match=r"import cycle: math.js → consts.js → math.js"):
        bundle(
            MODULES | {"consts.js": "import { twice } from './math.js';\nexport const ONE = 1;\n"}
        )
    with pytest.raises(BundleError, match=r"not imported by main.js: \['extra.js'\]"):
        bundle(MODULES | {"extra.js": "export const X = 1;\n"})


def test_the_page_bundle_builds_from_every_module() -> None:
    js = bundle_dir()
    names = sorted(p.name for p in JS_DIR.glob("*.js"))
    assert {"data.js", "filters.js", "markers.js", "main.js", "share.js"} <= set(names)
    for name in names:
        assert f"// --- {name} ---" in js
    assert "</script" not in js.lower()  # it is inlined as it is


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_bundle_and_each_module_parse(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    out = tmp_path / "bundle.js"
    out.write_text(bundle_dir(), encoding="utf-8")
    subprocess.run([node, "--check", str(out)], check=True)
    for module in JS_DIR.glob("*.js"):  # each module is valid ES module source on its own
        copy = tmp_path / (module.stem + ".mjs")
        copy.write_text(module.read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([node, "--check", str(copy)], check=True)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_minified_page_script_parses_and_keeps_every_string(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    js = page_script()
    assert len(js) < 0.75 * len(bundle_dir())  # comments and indentation are gone
    out = tmp_path / "page.js"
    out.write_text(js, encoding="utf-8")
    subprocess.run([node, "--check", str(out)], check=True)
    # Minifying removes space and comments, never text the page shows or matches on.
    for literal in ("'im-lazy-'", "'popupopen im:popupfilled'", "/[&<>\"']/g"):
        assert literal in js, literal
