"""Quality gate: the shipped model on the team's held-out pages, which it never trained on.

The floors below are the measured figures rounded down a little. Raise them when the
model improves; lowering one needs a reason in the commit message, and none may go
below the product's contract in ``CONTRACT``.
"""

from pathlib import Path

import pytest

from cleaner import Cleaner
from training.data import load_team
from training.evaluate import predict, score

DATA = Path(__file__).resolve().parent.parent / "data"
# The product's promise: lose (almost) no article text, remove nearly all boilerplate.
CONTRACT = {"body_recall": 0.99, "removal": 0.95}
FLOORS = {"body_recall": 0.99, "removal": 0.95, "macro_f1": 0.85}


def test_floors_respect_the_contract() -> None:
    for key, minimum in CONTRACT.items():
        assert FLOORS[key] >= minimum, f"floor {key} lowered below the contract"


@pytest.fixture(scope="module")
def heldout_scores():  # type: ignore[no-untyped-def]
    docs = load_team("heldout", DATA)
    if not docs:
        pytest.skip("no held-out pages under data/heldout")
    cleaner = Cleaner()
    return score(docs, lambda d: predict(cleaner, d))


def test_heldout_body_recall(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].body_recall >= FLOORS["body_recall"]


def test_heldout_boilerplate_removal(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].removal >= FLOORS["removal"]


def test_heldout_macro_f1(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].macro_f1 >= FLOORS["macro_f1"]
