"""Quality gate: the shipped model on the team's held-out pages, which it never trained on.

``FLOORS`` are the measured figures rounded down a little: raise them when the model
improves; lowering one needs a reason in the commit message. ``CONTRACT`` is the
product's promise (lose almost no article text, remove nearly all boilerplate) on the
held-out pages as a whole: the floors may not fall below it.
"""

from pathlib import Path

import pytest

from cleaner import Cleaner
from training.data import load_team
from training.evaluate import predict, promo_trim_rates, score

DATA = Path(__file__).resolve().parent.parent / "data"
CONTRACT = {"body_recall": 0.99, "removal": 0.95}
FLOORS = {"body_recall": 0.99, "removal": 0.95, "macro_f1": 0.95}
MAX_FALSE_PROMO_CUT = 0.01


@pytest.fixture(scope="module")
def heldout():  # type: ignore[no-untyped-def]
    docs = load_team("heldout", DATA)
    if not docs:
        pytest.skip("no held-out pages under data/heldout")
    return docs


@pytest.fixture(scope="module")
def heldout_scores(heldout):  # type: ignore[no-untyped-def]
    cleaner = Cleaner()
    return score(heldout, lambda d: predict(cleaner, d))


def test_body_recall_floor_is_the_contract() -> None:
    assert FLOORS["body_recall"] >= CONTRACT["body_recall"]


def test_heldout_body_recall(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].body_recall >= FLOORS["body_recall"]


def test_heldout_boilerplate_removal(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].removal >= FLOORS["removal"]


def test_heldout_macro_f1(heldout_scores) -> None:  # type: ignore[no-untyped-def]
    assert heldout_scores["all"].macro_f1 >= FLOORS["macro_f1"]


def test_removal_floor_is_the_contract() -> None:
    assert FLOORS["removal"] >= CONTRACT["removal"]


def test_promo_cut_never_takes_article_sentences(heldout) -> None:  # type: ignore[no-untyped-def]
    rates = promo_trim_rates(Cleaner(), heldout)
    assert rates["paragraphs"] > 50
    assert rates["false_cut_rate"] <= MAX_FALSE_PROMO_CUT
