"""Cut Font Awesome down to the icons the map uses: one small stylesheet and a subset font.

    python scripts/subset_icons.py FA_DIR DEST_DIR

FA_DIR is a vendored ``@fortawesome/fontawesome-free@<version>`` folder (``css/all.min.css``,
``webfonts/fa-solid-900.woff2``); DEST_DIR gets ``css/icons.css``, ``webfonts/fa-solid-900.woff2``
and the licence. The icons are ``layers.style.ICONS``; tests/layers/test_assets.py fails when
the map uses an icon the subset lacks. Called by scripts/vendor_assets.sh.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from fontTools import subset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from layers.style import ICONS

HEAD = (
    '@font-face{font-family:"Font Awesome 6 Free";font-style:normal;font-weight:900;'
    'font-display:block;src:url(../webfonts/fa-solid-900.woff2) format("woff2")}\n'
    '.fa-solid,.fas{font-family:"Font Awesome 6 Free";font-weight:900;display:inline-block;'
    "font-style:normal;font-variant:normal;line-height:1;text-rendering:auto;"
    "-moz-osx-font-smoothing:grayscale;-webkit-font-smoothing:antialiased}\n"
)


def codepoints(css: str) -> dict[str, str]:
    """Return ``{icon name: codepoint hex}`` from Font Awesome's stylesheet."""
    out: dict[str, str] = {}
    for selectors, code in re.findall(r'([^{}]+)\{content:"\\([0-9a-f]+)"\}', css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            out.setdefault(name, code)
    return out


def main(source: Path, dest: Path) -> None:
    """Write the subset of ``source`` into ``dest``."""
    table = codepoints((source / "css" / "all.min.css").read_text(encoding="utf-8"))
    missing = [i for i in ICONS if i not in table]
    if missing:
        raise SystemExit(f"not in Font Awesome: {missing}")
    (dest / "css").mkdir(parents=True, exist_ok=True)
    (dest / "webfonts").mkdir(parents=True, exist_ok=True)
    rules = "".join(f'.fa-{i}:before{{content:"\\{table[i]}"}}\n' for i in ICONS)
    (dest / "css" / "icons.css").write_text(HEAD + rules, encoding="utf-8")
    subset.main(
        [
            str(source / "webfonts" / "fa-solid-900.ttf"),
            "--unicodes=" + ",".join(f"U+{table[i]}" for i in ICONS),
            "--flavor=woff2",
            "--layout-features=*",
            "--no-hinting",
            f"--output-file={dest / 'webfonts' / 'fa-solid-900.woff2'}",
        ]
    )
    shutil.copy(source / "LICENSE.txt", dest / "LICENSE.txt")
    print(f"{len(ICONS)} icons → {dest}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
