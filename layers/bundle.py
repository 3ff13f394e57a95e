"""A tiny bundler: the page's ES modules (``layers/static/js``) as one inline script.

The map page must stay one self-contained document that also works from ``file://`` (where
browsers refuse module imports), and the app's Content-Security-Policy lists the hash of every
inline script. So the modules are joined into one classic script: dependencies first, the
``import``/``export`` keywords removed, everything inside one function scope.

Because all modules then share that scope, the bundler refuses what would change meaning:
two modules declaring the same top-level name, a module using another module's top-level name
without importing it, an import of a name the other module does not export, a cycle, and any
import or export form other than the two it understands::

    import { a, b } from './other.js';
    export function a() {}      (also: export const / let / class)

Top-level declarations start at column 0; nested ones are indented.

The page gets the bundle minified (:func:`page_script`: comments and spaces removed by rjsmin,
no renaming), which halves its weight; the CSP hash is taken from the page as served.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rjsmin

__all__ = [
    "JS_DIR",
    "BundleError",
    "Module",
    "bundle",
    "bundle_dir",
    "page_script",
    "parse_module",
]

#: The page's modules; ``main.js`` is the entry point.
JS_DIR = Path(__file__).with_name("static") / "js"

_IMPORT = re.compile(r"^import\s*\{(?P<names>[^}]*)\}\s*from\s*'\./(?P<mod>[\w-]+\.js)';?\s*$")
_EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?(?:function|const|let|class)\b)")
_DECL = re.compile(
    r"^(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|var|class)\s+(?P<name>[A-Za-z_$][\w$]*)"
)
# An identifier that is not a property (``a.name``) or an object key (``{name: …}``).
_IDENT = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$])(?!\s*:)")
# Comments, strings, template literals and regular expression literals: not code to scan for
# names. The regex-literal branch may also swallow a division (a name missed, never one added).
_NOISE = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`"""
    r"""|/(?![*/])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n\[])+/[dgimsuy]*""",
    re.DOTALL,
)


class BundleError(ValueError):
    """The modules cannot be joined without changing what they mean."""


@dataclass(frozen=True)
class Module:
    """One ES module: its imports (module → names), top-level names, exports and body."""

    name: str
    imports: dict[str, tuple[str, ...]]
    declared: tuple[str, ...]
    exported: tuple[str, ...]
    body: str


def parse_module(name: str, source: str) -> Module:
    """Return the module ``name`` read from ``source``; raise BundleError on unknown forms."""
    imports: dict[str, tuple[str, ...]] = {}
    declared: list[str] = []
    exported: list[str] = []
    lines = []
    for number, line in enumerate(source.splitlines(), start=1):
        where = f"{name}:{number}"
        if line.startswith("import"):
            m = _IMPORT.match(line)
            if not m:
                raise BundleError(f"{where}: only \"import {{ a, b }} from './x.js';\" is bundled")
            names = tuple(n.strip() for n in m.group("names").split(",") if n.strip())
            if any(" as " in n for n in names):
                raise BundleError(f"{where}: 'import … as …' is not bundled")
            imports[m.group("mod")] = imports.get(m.group("mod"), ()) + names
            continue
        if line.startswith("export"):
            if not _EXPORT.match(line):
                raise BundleError(
                    f"{where}: only 'export function|const|let|class NAME' is bundled"
                )
            line = _EXPORT.sub("", line)
            decl = _DECL.match(line)
            assert decl is not None  # _EXPORT only matches before a declaration
            exported.append(decl.group("name"))
        decl = _DECL.match(line)
        if decl:
            if decl.group("name") in declared:
                raise BundleError(f"{where}: {decl.group('name')!r} is declared twice")
            declared.append(decl.group("name"))
        lines.append(line)
    return Module(name, imports, tuple(declared), tuple(exported), "\n".join(lines))


def _order(modules: Mapping[str, Module], entry: str) -> list[str]:
    order: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            cycle = " → ".join([*visiting[visiting.index(name) :], name])
            raise BundleError(f"import cycle: {cycle}")
        if name not in modules:
            raise BundleError(f"{visiting[-1]} imports {name}, which does not exist")
        visiting.append(name)
        for dep in modules[name].imports:
            visit(dep)
        visiting.pop()
        order.append(name)

    visit(entry)
    unused = sorted(set(modules) - set(order))
    if unused:
        raise BundleError(f"modules not imported by {entry}: {unused}")
    return order


def _check(modules: Mapping[str, Module]) -> None:
    owner: dict[str, str] = {}
    for mod in modules.values():
        for name in mod.declared:
            if name in owner:
                raise BundleError(
                    f"{name!r} is declared by both {owner[name]} and {mod.name}: "
                    "bundled modules share one scope, so rename one"
                )
            owner[name] = mod.name
    for mod in modules.values():
        for dep, names in mod.imports.items():
            for name in names:
                if dep in modules and name not in modules[dep].exported:
                    raise BundleError(f"{mod.name} imports {name!r}, which {dep} does not export")
        imported = {n for names in mod.imports.values() for n in names}
        used = set(_IDENT.findall(_NOISE.sub(" ", mod.body)))
        for name in sorted(used - imported - set(mod.declared)):
            if name in owner and owner[name] != mod.name:
                raise BundleError(
                    f"{mod.name} uses {name!r} from {owner[name]} without importing it"
                )


def bundle(sources: Mapping[str, str], entry: str = "main.js") -> str:
    """Return one classic script running the modules ``sources`` (file name → text).

    Parameters
    ----------
    sources
        Every module, keyed by its file name (``"filters.js"``).
    entry
        The module that starts the page; every other module must be reachable from it.

    Returns
    -------
    str
        ``(function () { 'use strict'; … })();`` with the modules in dependency order.
    """
    modules = {name: parse_module(name, text) for name, text in sources.items()}
    if entry not in modules:
        raise BundleError(f"no entry module {entry!r} among {sorted(modules)}")
    order = _order(modules, entry)
    _check(modules)
    parts = [f"// --- {name} ---\n{modules[name].body.strip()}\n" for name in order]
    return "(function () {\n'use strict';\n" + "\n".join(parts) + "})();\n"


@cache
def bundle_dir(folder: Path = JS_DIR, entry: str = "main.js") -> str:
    """Return the bundle of every ``*.js`` file in ``folder`` (read once per process)."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.js"))}
    return bundle(sources, entry)


@cache
def page_script(folder: Path = JS_DIR, entry: str = "main.js") -> str:
    """Return :func:`bundle_dir` minified: what the page carries (read and minified once)."""
    js: str = rjsmin.jsmin(bundle_dir(folder, entry))
    return js + "\n"
