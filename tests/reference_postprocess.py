"""The clean-text assembly as first written: one promo scoring call per paragraph, words recomputed per paragraph.

Kept as the reference that the batched ``cleaner.postprocess.assemble_many`` must match exactly.
"""

from __future__ import annotations

from typing import Sequence

from cleaner.features import content_words
from cleaner.postprocess import (MAX_TRAILING_SENTENCES, PromoScorer, continues, promo_candidate, split_sentences,
                                 trim_promo)
from cleaner.segment import Page


def assemble(
    page: Page,
    keep: Sequence[bool],
    score: PromoScorer | None = None,
    promo_threshold: float = 0.9,
) -> str:
    """Build the clean text from the content lines to keep.

    Args:
        page: The segmented page.
        keep: For each content line, whether it is body.
        score: Promo scorer for trailing sentences; ``None`` cuts nothing.
        promo_threshold: Minimum probability for a sentence to be cut.

    Returns:
        The clean article. A line that carries on an open sentence is joined to
        it with a space; other kept lines are separated by a blank line where the
        input had one between them, else by a newline.
    """
    paragraphs: list[str] = []
    separators: list[str] = []
    prev_line = -1
    for j, line_no in enumerate(page.content):
        if not keep[j]:
            continue
        text = page.lines[line_no].strip()
        if paragraphs and continues(paragraphs[-1], text):
            paragraphs[-1] = paragraphs[-1] + " " + text
        else:
            if paragraphs:
                gap = page.lines[prev_line + 1 : line_no]
                separators.append("\n\n" if any(not g.strip() for g in gap) else "\n")
            paragraphs.append(text)
        prev_line = line_no
    if not paragraphs:
        return ""
    if score is not None:
        trimmed = []
        for k, p in enumerate(paragraphs):
            others: set[str] = set()
            for q in paragraphs[:k] + paragraphs[k + 1 :]:
                others |= content_words(q)
            first = split_sentences(p)[0]  # the paragraph's own opening counts as article too
            trimmed.append(trim_promo(p, score, promo_threshold, article_words=others | content_words(first)))
        paragraphs = trimmed
    return paragraphs[0] + "".join(sep + p for sep, p in zip(separators, paragraphs[1:]))


def scored_tail(paragraph: str) -> list[str]:
    """The trailing sentences of a paragraph whose promo score ``trim_promo`` may read: the last run of candidates."""
    sentences = split_sentences(paragraph)
    if len(sentences) < 2:
        return []
    tail = sentences[1:][-MAX_TRAILING_SENTENCES:]
    run = 0
    for sent in tail[::-1]:
        if not promo_candidate(sent):
            break
        run += 1
    return [s.strip() for s in tail[len(tail) - run :]] if run else []
