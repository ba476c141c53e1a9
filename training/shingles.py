"""The article-extraction-benchmark metric: word 4-gram shingles, per-page scores averaged over pages.

This follows ``evaluate.py`` of the scrapinghub/article-extraction-benchmark repository
(functions ``string_shingle_matching``, ``precision_score``, ``recall_score`` and
``metrics_from_tp_fp_fns``) step by step:

- tokens are the matches of ``\\w+`` (Unicode), taken as they are: the benchmark's pattern
  carries ``re.IGNORECASE``, which changes nothing for ``\\w``, and no token is lower-cased;
- shingles are runs of 4 consecutive tokens, counted with their multiplicity; a text of
  fewer than 4 tokens (but at least one) is one shorter shingle, an empty text has none;
- per page, true positives are the shingles both texts share (the smaller count of
  each), false positives the extra ones of the prediction and false negatives the
  missing ones; the three are divided by their sum, so that long pages weigh no more
  than short ones;
- per-page precision is 1 when there is neither a false positive nor a false negative,
  0 when there is neither a true nor a false positive, else ``tp / (tp + fp)``; recall
  likewise with false negatives;
- precision is averaged over the pages where ``tp + fp > 0`` (the prediction has
  shingles), recall over the pages where ``tp + fn > 0`` (the reference has shingles), and
  F1 is the harmonic mean of the two averages.

So an empty prediction costs recall on its page but is left out of the precision average,
exactly as in the benchmark.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import mean
from typing import Iterable, Sequence

NGRAM = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str | None) -> list[str]:
    """Word tokens of ``text`` as the benchmark finds them (``\\w+``, case kept)."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Counts of the ``n``-token shingles of ``text``."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


@dataclass(frozen=True, slots=True)
class PageMatch:
    """One page's shingle counts, normalised to sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        """The page's precision, with the benchmark's rules for empty cases."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """The page's recall, with the benchmark's rules for empty cases."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def match(true: str | None, pred: str | None, n: int = NGRAM) -> PageMatch:
    """Compare a predicted text with the reference text of one page.

    Args:
        true: The reference text.
        pred: The extractor's text (``None`` counts as empty).
        n: Shingle length in tokens.

    Returns:
        The page's true positive, false positive and false negative shares.
    """
    ts, ps = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in ts.keys() | ps.keys():
        t, p = ts.get(key, 0), ps.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageMatch(tp, fp, fn)


@dataclass(frozen=True, slots=True)
class ShingleScore:
    """Precision and recall averaged over pages, F1 of the two averages, and the page counts."""

    precision: float
    recall: float
    f1: float
    pages: int


def aggregate(matches: Iterable[PageMatch]) -> ShingleScore:
    """The benchmark's figures over pages.

    Args:
        matches: One ``PageMatch`` per page.

    Returns:
        Mean precision over pages with predicted shingles, mean recall over pages with
        reference shingles, and their harmonic mean (NaN where a mean has no page).
    """
    ms = list(matches)
    ps = [m.precision for m in ms if m.tp + m.fp > 0]
    rs = [m.recall for m in ms if m.tp + m.fn > 0]
    p = mean(ps) if ps else float("nan")
    r = mean(rs) if rs else float("nan")
    f = 2 * p * r / (p + r) if ps and rs and p + r > 0 else float("nan")
    return ShingleScore(p, r, f, len(ms))


def score(trues: Sequence[str | None], preds: Sequence[str | None]) -> ShingleScore:
    """Shingle precision, recall and F1 of predicted texts against reference texts, page by page."""
    if len(trues) != len(preds):
        raise ValueError(f"{len(trues)} references but {len(preds)} predictions")
    return aggregate(match(t, p) for t, p in zip(trues, preds))
