"""Context: revise each line's label from its neighbours.

Two pure stages in the manner of jusText: ``context_features`` turns the
stage-1 probabilities of a page into features of each line among its
neighbours (the model's stage 2 scores them), and ``decide`` / ``revise`` turn
probabilities into labels with explicit, testable rules.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .cues import cue_line_classes
from .features import DENSE_NAMES, SAMPLE_CHARS, normalize, normalize_many

WINDOW = 5
# A line that opens with a teaser or paywall cue and a colon ("Leggi anche: …", "À voir aussi : …")
# takes that class unless the model is at least this sure it is body.
CUE_MAX_BODY = 0.5
# A later copy of one of a page's first this many body lines (its title, or a kicker and the title) is
# a further copy of the title: navigation. Copies of later lines stay as the model labels them: on
# real pages they are mostly genuine (the same spec line under each product of a review, a quote
# pulled out and repeated), and the model sees them as copies anyway (``dup_earlier``).
TITLE_LINES = 2
_AD_LEAD = DENSE_NAMES.index("ad_lead")
_PAYWALL_LEAD = DENSE_NAMES.index("paywall_lead")
_COLON_PREFIX = DENSE_NAMES.index("colon_prefix")
_PAYWALL_INSIDE = DENSE_NAMES.index("paywall_inside")
_HAS_PERCENT = DENSE_NAMES.index("has_percent")
_OWN = tuple(DENSE_NAMES.index(n) for n in (
    "log_chars", "end_terminal", "start_lower", "dup_earlier", "blank_before", "blank_after", "rel_pos",
    "contains_line", "start_bullet",
))
N_CONTEXT = 4 * 5 + 4 + 4 + 4 + len(_OWN)
# The context columns: the log-probabilities of the line and of its neighbours ``_SHIFTS`` lines away,
# the window's mean probabilities, the body probabilities around it, whether each neighbour is missing
# (from column ``_NONE_AT``), and the line's own dense features.
_SHIFTS = (1, 2, -1, -2)
_NONE_AT = 4 * 5 + 4 + 4
BODY, NAV, PAYWALL, AD = 0, 1, 2, 3
_CUE_LABEL = {"nav": NAV, "paywall": PAYWALL, "ad": AD}


def context_features(proba: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """Features of each line among its neighbours.

    Args:
        proba: Stage-1 probabilities of the content lines of one page, ``(m, 4)``.
        dense: The lines' dense features (``features.dense_features``), ``(m, N_DENSE)``.

    Returns:
        ``(m, N_CONTEXT)`` array; see ``context_features_pages`` for several pages at once.
    """
    return context_features_pages(proba, dense, [proba.shape[0]])


def context_features_pages(proba: np.ndarray, dense: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    """``context_features`` of the lines of several pages at once, stacked in order.

    Each value equals, to the last bit, what working one page at a time gives.

    Args:
        proba: Stage-1 probabilities of the content lines of all the pages, ``(n, 4)``.
        dense: Their dense features, ``(n, N_DENSE)``.
        sizes: The number of lines of each page.

    Returns:
        ``(n, N_CONTEXT)`` array.
    """
    n = proba.shape[0]
    if n == 0:
        return np.zeros((0, N_CONTEXT))
    size = np.asarray(sizes, dtype=np.int64)
    size = size[size > 0]
    start = size.cumsum() - size
    page = np.arange(size.shape[0]).repeat(size)
    m = size[page]
    idx = np.arange(n) - start[page]
    k_classes = proba.shape[1]
    # The columns are filled in place, one array rather than a stack of parts.
    out = np.empty((n, N_CONTEXT))
    logp = np.log(np.minimum(np.maximum(proba, 1e-6), 1.0))
    out[:, :k_classes] = logp
    for j, k in enumerate(_SHIFTS):
        # The neighbour ``k`` lines before (after, for negative ``k``) on the page, and whether there is none.
        has = (idx >= k) & (idx - k < m)
        shifted = out[:, k_classes * (j + 1) : k_classes * (j + 2)]
        shifted[...] = 0.0
        rows = has.nonzero()[0]
        shifted[rows] = logp[rows - k]
        out[:, _NONE_AT + j] = ~has
    # Mean of the window around the line, itself excluded, from running sums that start afresh
    # on each page (one zero row before each page's).
    csum = np.zeros((n + size.shape[0], k_classes))
    for p, (a, b) in enumerate(zip(start.tolist(), (start + size).tolist())):
        np.cumsum(proba[a:b], axis=0, out=csum[a + p + 1 : b + p + 1])
    zero_row = start[page] + page
    lo = np.maximum(idx - WINDOW, 0)
    hi = np.minimum(idx + WINDOW + 1, m)
    window = k_classes * (len(_SHIFTS) + 1)
    out[:, window : window + k_classes] = ((csum[zero_row + hi] - csum[zero_row + lo] - proba)
                                           / np.maximum(hi - lo - 1, 1)[:, None])
    body = proba[:, BODY]
    previous = np.zeros(n)
    previous[idx > 0] = body[(idx > 0).nonzero()[0] - 1]
    following = np.zeros(n)
    following[idx < m - 1] = body[(idx < m - 1).nonzero()[0] + 1]
    sure = (body > 0.5).astype(np.int64)
    upto = sure.cumsum()
    earlier = upto - sure - (upto - sure)[start][page]
    later = (upto[start + size - 1])[page] - upto
    around = window + k_classes
    out[:, around] = _running_max(previous, page)
    out[:, around + 1] = _running_max(following[::-1], page[-1] - page[::-1])[::-1]
    out[:, around + 2] = earlier / np.maximum(idx, 1)
    out[:, around + 3] = later / np.maximum(m - 1 - idx, 1)
    out[:, _NONE_AT + len(_SHIFTS) :] = dense[:, _OWN]
    return out


def _running_max(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The maximum of ``values`` so far within each run of equal, non-decreasing ``group``.

    The values are replaced by their ranks, offset by group so that a later group outranks every
    earlier one: one running maximum over all then restarts at each group, and is exact.
    """
    n = values.shape[0]
    order = np.argsort(values, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    offset = group.astype(np.int64) * n
    return values[order[np.maximum.accumulate(rank + offset) - offset]]


def decide(proba: np.ndarray, threshold: float | np.ndarray) -> np.ndarray:
    """Label index of each line: body when ``P(body) >= threshold`` (one for all lines, or one per
    line), else the likeliest other class."""
    labels = np.argmax(proba[:, 1:], axis=1) + 1
    labels[proba[:, BODY] >= threshold] = BODY
    return labels


def revise(
    texts: Sequence[str],
    labels: np.ndarray,
    proba: np.ndarray | None = None,
    dense: np.ndarray | None = None,
    *,
    cue_max_body: float = CUE_MAX_BODY,
    title_lines: int = TITLE_LINES,
) -> np.ndarray:
    """Rules that hold whatever the model says.

    A line that opens with a teaser cue and a colon ("Leggi anche: …") is an ad,
    and one that opens with a paywall cue and a colon, or names a share of the
    article beside a paywall cue ("Le reste de cet article, soit 50,97%, est
    restreint aux abonnés"), a paywall notice; a line that is a cue phrase and
    nothing more ("Les plus lus", "Partner content") takes the cue's class; each
    unless the model gives it a body probability of at least ``cue_max_body``. A line that
    repeats one of the first ``title_lines`` lines kept as body is a further copy of the
    title and becomes navigation: the first copy stays, later ones go.
    """
    return revise_pages(texts, labels, proba, dense, [len(texts)], cue_max_body=cue_max_body,
                        title_lines=title_lines)


def revise_pages(
    texts: Sequence[str],
    labels: np.ndarray,
    proba: np.ndarray | None,
    dense: np.ndarray | None,
    sizes: Sequence[int],
    keys: Sequence[str] | None = None,
    *,
    cue_max_body: float = CUE_MAX_BODY,
    title_lines: int = TITLE_LINES,
) -> np.ndarray:
    """``revise`` of the lines of several pages at once: the same rules, copies looked for within each page.

    Args:
        texts: The content lines of all the pages, in order.
        labels: Their labels before revision.
        proba: Their probabilities (``None``: the copy rule alone applies).
        dense: Their dense features (``None``: likewise).
        sizes: The number of lines of each page.
        keys: ``features.line_keys`` of the texts, when the caller has them (a line longer than its
            sample is keyed afresh).
        cue_max_body: See ``revise``.
        title_lines: See ``revise``.

    Returns:
        The revised labels.
    """
    out = labels.copy()
    if len(out) and proba is not None and dense is not None:
        _cue_rules(texts, out, proba, dense, cue_max_body)
    body = (out == BODY).nonzero()[0]
    page = np.arange(len(sizes)).repeat(sizes)[body].tolist()
    body_lines = body.tolist()
    if keys is None:
        body_keys = normalize_many([texts[j] for j in body_lines])
    else:
        body_keys = [keys[j] if len(texts[j]) <= SAMPLE_CHARS else normalize(texts[j]) for j in body_lines]
    titles: set[tuple[int, str]] = set()
    seen = [0] * len(sizes)  # body lines met so far on each page
    for j, p, key in zip(body_lines, page, body_keys):
        if not key:
            continue
        if (p, key) in titles:
            out[j] = NAV
            continue
        if seen[p] < title_lines:
            titles.add((p, key))
        seen[p] += 1
    return out


def _cue_rules(texts: Sequence[str], out: np.ndarray, proba: np.ndarray, dense: np.ndarray,
               cue_max_body: float) -> None:
    """Apply ``revise``'s cue rules to the labels ``out``, in place."""
    unsure = proba[:, BODY] < cue_max_body
    colon = dense[:, _COLON_PREFIX] > 0
    paywall_cue = (dense[:, _PAYWALL_LEAD] > 0) | (dense[:, _PAYWALL_INSIDE] > 0)
    out[unsure & colon & (dense[:, _PAYWALL_LEAD] > 0)] = PAYWALL
    out[unsure & paywall_cue & (dense[:, _HAS_PERCENT] > 0)] = PAYWALL
    out[unsure & colon & (dense[:, _AD_LEAD] > 0)] = AD
    lines = (unsure & (out == BODY)).nonzero()[0].tolist()
    for j, cls in zip(lines, cue_line_classes([texts[j] for j in lines])):
        if cls is not None:
            out[j] = _CUE_LABEL[cls]


def keep_whole(labels: np.ndarray, sizes: Sequence[int], whole: Sequence[bool]) -> np.ndarray:
    """Labels with every line of a page made body where the page is marked ``whole`` and none of its lines is body.

    A page is marked when another extractor already chose its lines as the page's main content
    (trafilatura's rendering of an HTML page). Rejecting every one of them means the page is out
    of the classifier's depth (the whole page as one wall of text, a product grid), not that it
    holds no article: trafilatura's choice then stands, where an empty article would lose the page.

    Args:
        labels: Label index of the content lines of all the pages, in order.
        sizes: The number of lines of each page.
        whole: For each page, whether its lines are kept whole rather than all dropped.

    Returns:
        The labels, changed on those pages alone.
    """
    out = labels.copy()
    start = 0
    for size, mark in zip(sizes, whole):
        if mark and size and not np.any(out[start : start + size] == BODY):
            out[start : start + size] = BODY
        start += size
    return out
