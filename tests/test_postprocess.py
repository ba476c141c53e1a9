from typing import Sequence

import numpy as np
import pytest

from cleaner.postprocess import assemble, continues, split_sentences, trim_promo
from cleaner.segment import segment


@pytest.mark.parametrize("prev, line, expected", [
    ("Прецедент с Соко станет", "уроком для других платформ.", True),
    ("The mayor said that the", "budget would rise, and", True),
    ("A finished sentence.", "lowercase start", False),
    ("Subheading", "Capital start", False),
    ("Open sentence", "  • bullet item", False),
    ("Ends with a colon:", "then lowercase", False),
    ("comma,", "and then", True),
])
def test_continues(prev: str, line: str, expected: bool) -> None:
    assert continues(prev, line) is expected


def test_split_sentences_round_trip() -> None:
    text = "First one. Second « quoted ». Third? Yes! 東京は晴れ。大阪は雨。"
    parts = split_sentences(text)
    assert "".join(parts) == text
    assert [p.strip() for p in parts] == ["First one.", "Second « quoted ».", "Third?", "Yes!", "東京は晴れ。", "大阪は雨。"]


def _scorer(bad: set[str]):
    def score(sents: Sequence[str]) -> np.ndarray:
        return np.array([1.0 if s in bad else 0.0 for s in sents])
    return score


A = "Meet singles near you tonight for free."
B = "Claim fifty free spins at our casino now."
C = "This drink melts belly fat while you sleep."


def test_trim_promo_cuts_only_a_trailing_run() -> None:
    para = f"Genuine one is here. {A} Genuine two is here. {B} {C}"
    out = trim_promo(para, _scorer({A, B, C}), 0.5)
    assert out == f"Genuine one is here. {A} Genuine two is here."


def test_trim_promo_keeps_first_sentence() -> None:
    assert trim_promo(f"{A} {B}", _scorer({A, B}), 0.5) == A


def test_trim_promo_never_cuts_fragments() -> None:
    # A sentence cut short (no closing punctuation) or a tiny one is never taken for a promo.
    assert trim_promo(f"{A} Visit our casino", _scorer({"Visit our casino"}), 0.5) == f"{A} Visit our casino"
    assert trim_promo(f"{A} Goals: 5.", _scorer({"Goals: 5."}), 0.5) == f"{A} Goals: 5."


def test_assemble_joins_broken_sentences_and_keeps_layout() -> None:
    text = "Title\n\nFirst part of a\n\nINJECTED HEADLINE\n\nsentence that ends.\nNext para.\n\nFooter"
    page = segment(text)
    keep = [True, True, False, True, True, False]
    assert assemble(page, keep) == "Title\n\nFirst part of a sentence that ends.\nNext para."


def test_assemble_never_invents_text() -> None:
    text = "  • one\n  • two\nEnd."
    out = assemble(segment(text), [True, True, True])
    assert out == "• one\n• two\nEnd."
    assert assemble(segment("x\ny"), [False, False]) == ""


def test_trim_promo_lower_bar_after_a_cut() -> None:
    scores = {A: 0.75, B: 0.95}
    def score(sents: Sequence[str]) -> np.ndarray:
        return np.array([scores.get(s, 0.0) for s in sents])
    para = f"Genuine one is here. {A} {B}"
    assert trim_promo(para, score, 0.9) == "Genuine one is here."
    assert trim_promo(para, score, 0.9, run_factor=1.0) == f"Genuine one is here. {A}"
    assert trim_promo(f"Genuine one is here. {B} {A}", score, 0.9) == f"Genuine one is here. {B} {A}"


def test_assemble_scores_only_the_sentences_the_trimming_reads() -> None:
    asked: list[str] = []
    scores = {A: 0.95, B: 0.95}
    low = "The match ended level after extra time."

    def score(sents: Sequence[str]) -> np.ndarray:
        asked.extend(sents)
        return np.array([scores.get(s, 0.1) for s in sents])

    page = segment(f"Genuine one is here. {B} {A}\n\nGenuine two is here. {C} {low}")
    out = assemble(page, [True, True], score, 0.9)
    assert out == f"Genuine one is here.\n\nGenuine two is here. {C} {low}"
    # The last sentences first; B because A was cut; never C, which stands before a sentence that stays.
    assert asked == [A, low, B]
