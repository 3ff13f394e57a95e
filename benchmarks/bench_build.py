"""Benchmark the full build: the real corpus, and synthetic corpora 1×, 5×, 10× and 20× its size.

Usage: ``python benchmarks/bench_build.py [--repeat 3]``. Prints a Markdown table for
docs/benchmarks.md. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from geo.extract import alias_pattern  # noqa: E402
from geo.pipeline import Inputs, build  # noqa: E402


def synthetic_corpus(factor: int, dest: Path) -> Path:
    """Copy the corpus with every report repeated ``factor`` times (each copy numbered)."""
    reports = dest / "reports"
    reports.mkdir(parents=True)
    manifest = json.loads((settings.REPORTS_DIR / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["reports"]:
        text = (settings.REPORTS_DIR / entry["file"]).read_text(encoding="utf-8")
        # Number each copy so duplicated-page detection does not simply drop the copies.
        copies = [text] + [
            "\n".join(f"{line}（副本{k}）" if line.strip() else line for line in text.splitlines())
            for k in range(1, factor)
        ]
        data = "\n".join(copies).encode("utf-8")
        (reports / entry["file"]).write_bytes(data)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    (reports / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
    )
    shutil.copytree(settings.GAZETTEER_DIR, dest / "gazetteer")
    return reports


def time_build(inputs: Inputs, repeat: int) -> tuple[float, float, int]:
    times = []
    mentions = 0
    for _ in range(repeat):
        alias_pattern.cache_clear()  # measure every build cold, as a fresh process would
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            data = build(Path(tmp) / "build", inputs)
            times.append(time.perf_counter() - start)
            mentions = len(data.mentions)
    return statistics.median(times), min(times), mentions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, Python {platform.python_version()}, {platform.processor() or 'cpu'}"
    )
    rows = []
    median, best, mentions = time_build(Inputs(), args.repeat)
    size = sum(
        p.stat().st_size
        for p in settings.REPORTS_DIR.iterdir()
        if p.suffix in (".txt", ".md") and p.name != "STRUCTURE.md"
    )
    rows.append(("real corpus (1×)", size, median, best, mentions))
    for factor in (5, 10, 20):
        with tempfile.TemporaryDirectory() as tmp:
            reports = synthetic_corpus(factor, Path(tmp))
            inputs = Inputs(reports_dir=reports, gazetteer_dir=Path(tmp) / "gazetteer")
            median, best, mentions = time_build(inputs, args.repeat)
            size = sum(p.stat().st_size for p in reports.iterdir() if p.name != "manifest.json")
            rows.append((f"synthetic {factor}×", size, median, best, mentions))
    base = rows[0][2]
    print("\n| corpus | bytes | build median (s) | best (s) | mentions | time / 1× |")
    print("|---|---|---|---|---|---|")
    for name, size, median, best, mentions in rows:
        print(
            f"| {name} | {size:,} | {median:.2f} | {best:.2f} | {mentions:,} | {median / base:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
