"""Status accuracy on the hand-labelled evaluation set (tests/data/status_eval/labels.csv)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from buildcache import Built

from geo.pipeline import BuildData

SCRIPT = Path(__file__).parents[2] / "scripts" / "status_eval.py"
TARGET = 0.90
# What the rules reach against the adjudicated labels after the third round (dev 97.7 %,
# heldout 74.5 %; against the first reading: dev 90.9 %, heldout 76.4 %): a change that loses
# ground fails.
# The fresh sample (fresh.csv, now dev3.csv; two blind readings and an adjudication): 68 %.
# Dev also holds dev2.csv's 120 rows: 83.8 % before the fourth round, 88.5 % after it; the
# fifth round (rules made to follow RULES.md generally) took dev from 89.4 % to 95.3 %.
# fresh2.csv (every other cited pair, two blind readings, adjudicated): 74.5 % before round 5.
# After round 5, computed once: heldout 81.8 %, fresh 80.0 %, fresh2 80.5 %.
# For round 6 the fresh sample joined dev (dev3.csv, 80.0 % then): dev 91.8 % on 439 rows;
# 90.2 % after the dev rows of labels.csv were re-read under RULES.md.
# After round 6 (dev 90.2 → 95.4 %), computed once: heldout 81.8 %, fresh2 84.6 %.
FLOOR = {"dev": 0.954, "heldout": 0.818, "fresh2": 0.845}
SPLITS = tuple(FLOOR)
HELD_OUT = ("heldout", "fresh2")
_NOT_REACHED = (
    "issue 13 target not reached on held-out rows (after round 6: heldout 81.8 %, fresh2 84.6 %; "
    "docs/status.md); two blind readings agree on 85–97 % of rows"
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("status_eval", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("status_eval", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def accuracy(shipped_build: Built) -> dict[str, float]:
    scorer = _scorer()
    data: BuildData = shipped_build.data
    preds = scorer.predictions(data)
    labels = scorer.read_labels()
    return {s: scorer.accuracy(scorer.pairs(labels, preds, s)) for s in SPLITS}


@pytest.mark.parametrize("split", SPLITS)
def test_accuracy_does_not_fall_below_what_the_rules_reach(
    accuracy: dict[str, float], split: str
) -> None:
    assert accuracy[split] >= FLOOR[split], f"{split} accuracy {accuracy[split]:.1%}"


@pytest.mark.parametrize(
    "split",
    [
        # Met on dev since the fifth round (95.3 %); not on the held-out rows.
        "dev",
        *(
            pytest.param(split, marks=pytest.mark.xfail(strict=True, reason=_NOT_REACHED))
            for split in HELD_OUT
        ),
    ],
)
def test_accuracy_reaches_the_target(accuracy: dict[str, float], split: str) -> None:
    assert accuracy[split] >= TARGET, f"{split} accuracy {accuracy[split]:.1%} < {TARGET:.0%}"
