import gc
import pickle

import numpy as np
import pytest

from cleaner import Cleaner, Line
from cleaner.lines import Lines, Result

PAGE = "Menu | News | Sport\n\nA title for the story\nThe first paragraph of the story, long enough to read.\n\nShare this:\n"


def _by_hand() -> Lines:
    # Lines 1, 3, 4 and 6 are content rows 0-3; 2 and 5 blank.
    probs = np.array([[0.1, 0.7, 0.1, 0.1], [0.9, 0.05, 0.03, 0.02], [0.8, 0.1, 0.05, 0.05], [0.2, 0.3, 0.1, 0.4]])
    rows = np.array([0, -1, 1, 2, -1, 3])
    texts = ["Menu", "", "Title", "Text.", " ", "Promo"]
    return Lines(texts, rows, np.array([1, 0, 0, 3]), probs)


def test_lines_read_as_the_lines_they_stand_for() -> None:
    lines = _by_hand()
    expected = [
        Line(1, "Menu", "nav", {"body": 0.1, "nav": 0.7, "paywall": 0.1, "ad": 0.1}),
        Line(2, "", "blank", {}),
        Line(3, "Title", "body", {"body": 0.9, "nav": 0.05, "paywall": 0.03, "ad": 0.02}),
        Line(4, "Text.", "body", {"body": 0.8, "nav": 0.1, "paywall": 0.05, "ad": 0.05}),
        Line(5, " ", "blank", {}),
        Line(6, "Promo", "ad", {"body": 0.2, "nav": 0.3, "paywall": 0.1, "ad": 0.4}),
    ]
    assert len(lines) == 6
    assert list(lines) == expected and lines == expected and expected == lines
    assert [lines[i] for i in range(6)] == expected
    assert lines[-1] == expected[-1] and lines[1:5:2] == expected[1:5:2]
    with pytest.raises(IndexError):
        lines[6]
    assert lines.labels == [ln.label for ln in expected]
    assert lines.texts == [ln.text for ln in expected]
    assert lines != expected[:-1] and lines != expected[::-1]
    assert all(type(ln) is Line for ln in lines)


def test_without_blanks_numbers_afresh() -> None:
    kept = _by_hand().without_blanks()
    assert [(ln.number, ln.text, ln.label) for ln in kept] == [
        (1, "Menu", "nav"), (2, "Title", "body"), (3, "Text.", "body"), (4, "Promo", "ad")]
    assert kept[3].probs["ad"] == 0.4


def test_results_pickle_and_compare() -> None:
    result = Cleaner().process(PAGE)
    back = pickle.loads(pickle.dumps(result))
    assert back == result and list(back.lines) == list(result.lines)
    assert isinstance(back.lines, Lines)
    assert Result(list(result.lines), result.text) == result


def _tracked_while_held(cleaner: Cleaner, texts: list[str]) -> int:
    """How many more objects the garbage collector tracks while the results of ``texts`` are held."""
    gc.collect()
    before = len(gc.get_objects())
    results = cleaner.process_many(texts)
    gc.collect()
    held = len(gc.get_objects()) - before
    assert sum(len(r.lines) for r in results) == sum(len(t.splitlines()) for t in texts)
    return held


def test_held_results_cost_objects_per_page_not_per_line() -> None:
    cleaner = Cleaner()
    cleaner.clean("warm up")
    short = [PAGE] * 4
    long = [PAGE * 100] * 4  # 600 lines a page
    small, large = _tracked_while_held(cleaner, short), _tracked_while_held(cleaner, long)
    # A Line (and its dict of probabilities) per input line would add about 2,400 objects.
    assert large - small < 100
