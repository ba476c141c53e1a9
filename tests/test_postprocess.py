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


def test_trim_promo_cuts_only_a_trailing_run() -> None:
    para = "Genuine one. Promo A here. Genuine two. Promo B here. Promo C here."
    out = trim_promo(para, _scorer({"Promo A here.", "Promo B here.", "Promo C here."}), 0.5)
    assert out == "Genuine one. Promo A here. Genuine two."


def test_trim_promo_keeps_first_sentence() -> None:
    para = "Promo A here. Promo B here."
    assert trim_promo(para, _scorer({"Promo A here.", "Promo B here."}), 0.5) == "Promo A here."


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
