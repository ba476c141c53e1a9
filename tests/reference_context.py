"""The context stage as first written: context features and rule revision one page at a time.

Kept as the reference that the batched ``cleaner.context.context_features_pages`` and
``revise_pages`` (and so ``context_features`` and ``revise``) must match to the bit.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from cleaner.context import _OWN, BODY, CUE_MAX_BODY, N_CONTEXT, NAV, TITLE_LINES, WINDOW, _cue_rules
from cleaner.features import normalize


def _shift(p: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``p`` moved by ``k`` (positive: the line ``k`` before), and a flag for rows with no such line."""
    m = p.shape[0]
    out = np.zeros_like(p)
    missing = np.ones((m, 1))
    if abs(k) < m:
        if k > 0:
            out[k:] = p[:-k]
            missing[k:] = 0.0
        else:
            out[:k] = p[-k:]
            missing[:k] = 0.0
    return out, missing


def context_features(proba: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """Features of each line among its neighbours.

    Args:
        proba: Stage-1 probabilities of the content lines of one page, ``(m, 4)``.
        dense: The lines' dense features (``features.dense_features``), ``(m, N_DENSE)``.

    Returns:
        ``(m, N_CONTEXT)`` array.
    """
    m = proba.shape[0]
    if m == 0:
        return np.zeros((0, N_CONTEXT))
    logp = np.log(np.clip(proba, 1e-6, 1.0))
    parts = [logp]
    flags = []
    for k in (1, 2, -1, -2):
        shifted, missing = _shift(logp, k)
        parts.append(shifted)
        flags.append(missing)
    # Mean of the window around the line, itself excluded.
    csum = np.vstack([np.zeros((1, 4)), np.cumsum(proba, axis=0)])
    idx = np.arange(m)
    lo = np.maximum(idx - WINDOW, 0)
    hi = np.minimum(idx + WINDOW + 1, m)
    win = (csum[hi] - csum[lo] - proba) / np.maximum(hi - lo - 1, 1)[:, None]
    parts.append(win)
    body = proba[:, BODY]
    before = np.maximum.accumulate(np.concatenate([[0.0], body[:-1]]))
    after = np.maximum.accumulate(np.concatenate([body[1:], [0.0]])[::-1])[::-1]
    share_before = np.cumsum(np.concatenate([[0.0], body[:-1] > 0.5])) / np.maximum(idx, 1)
    share_after = (np.cumsum((body > 0.5)[::-1])[::-1] - (body > 0.5)) / np.maximum(m - 1 - idx, 1)
    parts.append(np.column_stack([before, after, share_before[:m], share_after]))
    parts.append(np.hstack(flags))
    parts.append(dense[:, _OWN])
    return np.hstack(parts)


def revise(
    texts: Sequence[str],
    labels: np.ndarray,
    proba: np.ndarray | None = None,
    dense: np.ndarray | None = None,
    *,
    cue_max_body: float = CUE_MAX_BODY,
    title_lines: int = TITLE_LINES,
) -> np.ndarray:
    """The first, page-by-page form of ``cleaner.context.revise``."""
    out = labels.copy()
    if proba is not None and dense is not None and len(out):
        _cue_rules(texts, out, proba, dense, cue_max_body)
    titles: list[str] = []  # the first title_lines keyed body lines
    for j, text in enumerate(texts):
        if out[j] != BODY:
            continue
        key = normalize(text)
        if not key:
            continue
        if key in titles:
            out[j] = NAV
        elif len(titles) < title_lines:
            titles.append(key)
    return out
