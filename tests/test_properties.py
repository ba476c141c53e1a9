"""Property-based tests over arbitrary text: never raises, nothing lost, nothing invented.

Rerun longer with ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties.py``.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.output import render
from cleaner.tsv import parse_tsv

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CLEANER = Cleaner()
LABELS = {"body", "nav", "paywall", "ad", "blank"}
# Text shaped like scraped pages: words, punctuation, bullets, blank lines, any Unicode.
lines = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", "  ", "Read also: something", "• item", "-", "Ti resta il 50% da leggere.",
                     "A sentence that ends.", "broken in the", "middle of a sentence."]),
)
pages = st.lists(lines, max_size=30).map("\n".join)


@given(pages)
def test_tsv_has_one_valid_row_per_line(text: str) -> None:
    result = CLEANER.process(text)
    rows = parse_tsv(render(result, "tsv"))
    assert len(rows) == len(text.splitlines())
    assert [r.text for r in rows] == text.splitlines()
    for ln in result.lines:
        assert ln.label in LABELS
        if ln.probs:
            assert abs(sum(ln.probs.values()) - 1.0) < 1e-6
            assert all(0.0 <= p <= 1.0 for p in ln.probs.values())


@given(pages)
def test_clean_text_invents_nothing(text: str) -> None:
    out = CLEANER.clean(text)
    words = set(text.split())
    # Every word of the output is a word of the input: lines are only dropped, joined or cut.
    assert set(out.split()) <= words
    body = [ln.text.strip() for ln in CLEANER.label_lines(text) if ln.label == "body"]
    for piece in out.split("\n"):
        if piece:
            assert any(piece.startswith(b[:20]) or b[:20] in piece for b in body)
