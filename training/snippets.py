"""trafilatura's snippet metric: must-keep and must-drop text snippets looked up in an extractor's output.

This follows trafilatura's own evaluation (``tests/eval_common.py``, ``count_item`` and
``ConfusionMatrix``; the method of ``tests/comparison.py``): a must-keep snippet found in
the output is a true positive, one not found a false negative; a must-drop snippet found in
the output is a false positive, one not found a true negative. A snippet is found when its
white-space-normalised text is a substring of the white-space-normalised output (case and
punctuation count). A page with no output (``None``) finds nothing. Counts are summed over
all pages; precision is ``tp / (tp + fp)``, recall ``tp / (tp + fn)`` and F1
``2 tp / (2 tp + fp + fn)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """White space collapsed to single spaces and trimmed."""
    return _WS.sub(" ", text).strip()


@dataclass
class SnippetCounts:
    """Snippet outcomes summed over pages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def __iadd__(self, other: "SnippetCounts") -> "SnippetCounts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        return self

    @property
    def precision(self) -> float:
        """Share of the snippets found that are must-keep (NaN when none is found)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        """Share of must-keep snippets found (NaN with no must-keep snippet)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        """``2 tp / (2 tp + fp + fn)`` (NaN with nothing to count)."""
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else float("nan")


def count_page(keep: Sequence[str], drop: Sequence[str], output: str | None) -> SnippetCounts:
    """One page's snippet outcomes.

    Args:
        keep: Must-keep snippets.
        drop: Must-drop snippets.
        output: The extractor's text for the page (``None``: it gave nothing).

    Returns:
        The page's true and false positives and negatives.
    """
    if output is None:
        return SnippetCounts(0, 0, len(keep), len(drop))
    out = norm(output)
    tp = sum(norm(k) in out for k in keep)
    fp = sum(norm(d) in out for d in drop)
    return SnippetCounts(tp, fp, len(keep) - tp, len(drop) - fp)
