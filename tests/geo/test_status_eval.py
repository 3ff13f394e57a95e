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
# What the rules reach today (dev 82.2 %, heldout 72.7 %): a change that loses ground fails.
FLOOR = {"dev": 0.80, "heldout": 0.70}


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
    return {s: scorer.accuracy(scorer.pairs(labels, preds, s)) for s in ("dev", "heldout")}


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_accuracy_does_not_fall_below_what_the_rules_reach(
    accuracy: dict[str, float], split: str
) -> None:
    assert accuracy[split] >= FLOOR[split], f"{split} accuracy {accuracy[split]:.1%}"


@pytest.mark.xfail(
    strict=True,
    reason="issue 13 target not reached: accuracy < 90 % (dev 82.2 %, heldout 70.9 %; docs/status.md); the reports leave many states implicit "
    "(101 of 274 labels are low confidence) and wording rules cannot read every construction",
)
@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_accuracy_reaches_the_target(accuracy: dict[str, float], split: str) -> None:
    assert accuracy[split] >= TARGET, f"{split} accuracy {accuracy[split]:.1%} < {TARGET:.0%}"
