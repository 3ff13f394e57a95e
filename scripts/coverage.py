"""Measure how much of an independent inventory of named Shanghai places the build covers.

    python scripts/coverage.py                      # summary + every miss
    python scripts/coverage.py --doc docs/coverage.md

The matching rules live in ``geo/coverage.py`` (its docstring says what "covered" means).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import coverage, settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--build", type=Path, default=settings.BUILD_DIR)
    ap.add_argument("--doc", type=Path, help="rewrite the generated part of this Markdown file")
    args = ap.parse_args(argv)
    text = coverage.report_markdown(coverage.measure(args.build))
    if args.doc:
        doc = args.doc.read_text(encoding="utf-8")
        args.doc.write_text(coverage.replace_generated(doc, text), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
