"""Post-processing: from labelled lines to the clean article.

Clean output does more than drop lines: it rejoins paragraphs that a line break
or an injected line split mid-sentence, and cuts promotional sentences bolted
onto the end of a genuine paragraph. It never rewrites a word: every character
of the output (but the separators it puts between pieces) comes from the input.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from .features import (Features, content_words, dense_features_pages, hashed_ngrams, one_line_pages_dense, spans_at,
                       terminal_positions)
from .segment import Page, segment

# A line ending in one of these can be continued by the next line's lower-case start.
_OPEN_END = ",;-–—(/"
_CLOSERS = "\"'”’»)]）」』"
_BULLETS = "•·▪►▶◦‣●■□*-–—>»"
# Sentence ends: terminal punctuation, optional closing quotes, then a space (or none after CJK stops).
_SENT_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=\S)|[。！？][」』）]*")
# Only the last few sentences of a paragraph are candidates for a bolted-on promo, and only
# whole sentences: a fragment cut by a paywall or a line break is never one.
MAX_TRAILING_SENTENCES = 3
MIN_PROMO_WORDS = 5
# Once the last sentence is cut as a promo, the sentences before it join the cut at this lower
# share of the threshold: a bolted-on promo usually opens with a set-up sentence.
RUN_FACTOR = 0.8
# A promo is about something else: a sentence sharing at least this share of its content words with
# the rest of the article is never cut, whatever the promo model says.
MAX_PROMO_TOPIC_SHARE = 0.4
MIN_PROMO_CJK_CHARS = 15
_TERMINAL_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』）]*$")
# ``_TERMINAL_END`` as characters: a text ends a sentence when, less its closing quotes, it ends in one of these.
_TERMINALS = ".!?…。！？"
_CLOSERS_END = "\"'”’»)]」』）"
# Joins paragraphs for one scan: neither a space nor a sentence end.
_SEP = "\x00"

PromoScorer = Callable[[Sequence[str]], np.ndarray]


def continues(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence that ``previous`` left open.

    True when ``previous`` ends without closing punctuation (a letter, digit,
    comma, dash …) and ``line`` starts with a lower-case letter.
    """
    prev = previous.rstrip()
    cur = line.lstrip()
    if not prev or not cur or cur[0] in _BULLETS:
        return False
    last = prev[-1]
    return (last.isalnum() or last in _OPEN_END) and cur[0].islower()


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; joining them back gives ``text`` exactly."""
    cuts = [m.end() for m in _SENT_END.finditer(text)]
    bounds = [0] + [c for c in cuts if 0 < c < len(text)] + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def sentence_features(sentences: Sequence[str]) -> Features:
    """Features of sentences, each seen as a one-line page of its own."""
    if not sentences:
        return Features(np.zeros((0, 0)), *hashed_ngrams([]))
    rows, cols, vals = hashed_ngrams([s.strip() for s in sentences])
    return Features(sentence_dense(sentences), rows, cols, vals)


def sentence_dense(sentences: Sequence[str]) -> np.ndarray:
    """The dense part of ``sentence_features``."""
    texts = [s.strip() for s in sentences]
    # Sentences cut from lines hold no line break and are not blank: each is a page of one line,
    # whose page columns are the same for all, and segmenting them would cost as much as the rest.
    if all(texts) and "\n".join(sentences).splitlines() == list(sentences):
        return one_line_pages_dense(texts)
    return dense_features_pages([segment(s) for s in sentences])


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` matches ``_TERMINAL_END``, read off its end (a search would try every character)."""
    end = text.rstrip().rstrip(_CLOSERS_END)
    return bool(end) and end[-1] in _TERMINALS


def promo_candidate(sentence: str) -> bool:
    """Whether a sentence could be a bolted-on promo: whole (ends a sentence) and not tiny."""
    s = sentence.strip()
    if not _ends_sentence(s):
        return False
    # Split no further than the words it needs: its first ``MIN_PROMO_WORDS`` are as many as all of them.
    return len(s.split(None, MIN_PROMO_WORDS - 1)) >= MIN_PROMO_WORDS or len(s) >= MIN_PROMO_CJK_CHARS and " " not in s


def topic_share(sentence: str, article_words: set[str]) -> float:
    """Share of the sentence's content words that the rest of the article also uses."""
    words = content_words(sentence)
    return len(words & article_words) / len(words) if words else 0.0


def trim_promo(
    paragraph: str,
    score: PromoScorer,
    threshold: float,
    run_factor: float = RUN_FACTOR,
    article_words: set[str] | Callable[[], set[str]] | None = None,
    max_topic_share: float = MAX_PROMO_TOPIC_SHARE,
) -> str:
    """Cut promotional sentences from the end of ``paragraph``.

    Args:
        paragraph: A paragraph kept as body.
        score: Gives the promo probability of each of a list of sentences.
        threshold: Minimum probability for the last sentence to be cut.
        run_factor: Sentences before a cut one are cut too from ``threshold * run_factor``.
        article_words: Content words of the rest of the article (or a function giving
            them, called only if a sentence is about to be cut); a sentence sharing
            ``max_topic_share`` of its own with them stays.
        max_topic_share: See ``article_words``.

    Returns:
        The paragraph, less the run of trailing promo sentences; the first sentence always stays.
    """
    sentences = split_sentences(paragraph)
    if len(sentences) < 2:
        return paragraph
    tail = sentences[1:][-MAX_TRAILING_SENTENCES:]
    probs = score([s.strip() for s in tail])
    keep = len(sentences)
    bar = threshold
    for sent, p in zip(tail[::-1], probs[::-1]):
        if p < bar or not promo_candidate(sent):
            break
        if article_words is not None:
            if callable(article_words):
                article_words = article_words()
            if topic_share(sent, article_words) >= max_topic_share:
                break
        keep -= 1
        bar = threshold * run_factor
    if keep == len(sentences):
        return paragraph
    return "".join(sentences[:keep]).rstrip()


def _paragraphs(page: Page, keep: Sequence[bool]) -> tuple[list[str], list[str]]:
    """The kept lines joined into paragraphs, and the separator before each paragraph but the first."""
    paragraphs: list[str] = []
    separators: list[str] = []
    lines = page.lines
    kept = keep.tolist() if isinstance(keep, np.ndarray) else keep
    prev_line = prev_j = -1
    for j, line_no in enumerate(page.content):
        if not kept[j]:
            continue
        text = lines[line_no].strip()
        # ``continues`` asks for a lower-case start first: most lines fail that at once.
        if paragraphs and text[:1].islower() and continues(paragraphs[-1], text):
            paragraphs[-1] = paragraphs[-1] + " " + text
        else:
            if paragraphs:
                # A blank line lies between the two when they are further apart than content lines are.
                separators.append("\n\n" if line_no - prev_line > j - prev_j else "\n")
            paragraphs.append(text)
        prev_line, prev_j = line_no, j
    return paragraphs, separators


def _scored_tails(paragraphs: Sequence[str]) -> list[list[str]]:
    """For each paragraph, the trailing sentences whose promo score ``trim_promo`` may read, stripped:
    the last run of promo candidates among its last ``MAX_TRAILING_SENTENCES`` (never its first).

    The paragraphs are scanned joined by NUL, neither a space nor a sentence end: a sentence end
    found within a paragraph is one it has alone, and one running on to the NUL would cut at the
    paragraph's end, which ``split_sentences`` drops too.
    """
    out: list[list[str]] = [[] for _ in paragraphs]
    # The last sentence ends where its paragraph does: unless that is the end of a sentence, it is
    # no candidate, and the run is empty (the paragraph need not be split).
    todo = [k for k, p in enumerate(paragraphs) if _ends_sentence(p)]
    if not todo:
        return out
    texts = [paragraphs[k] for k in todo]
    length = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    start = np.cumsum(length + 1) - (length + 1)
    joined = _SEP.join(texts)
    # A sentence end opens with a terminal: the pattern is tried at those alone.
    cut = np.array([end for _, end in spans_at(_SENT_END, joined, terminal_positions(joined))], dtype=np.int64)
    which = start.searchsorted(cut, side="right") - 1
    cut -= start[which]
    inside = (cut > 0) & (cut < length[which])
    cut, which = cut[inside].tolist(), which[inside]
    # The cuts of each paragraph are cut[first[i]:stop[i]]; sentence s > 0 opens at its s-th cut.
    paragraph = np.arange(len(texts))
    first = which.searchsorted(paragraph, side="left").tolist()
    stop = which.searchsorted(paragraph, side="right").tolist()
    for k, text, a, b in zip(todo, texts, first, stop):
        if a == b:
            continue  # one sentence
        bounds = cut[max(a, b - MAX_TRAILING_SENTENCES) : b] + [len(text)]
        tail = [text[x:y] for x, y in zip(bounds, bounds[1:])]
        run = 0
        for sent in tail[::-1]:
            if not promo_candidate(sent):
                break
            run += 1
        out[k] = [t.strip() for t in tail[len(tail) - run :]]
    return out


def _tail_scores(tails: Sequence[Sequence[str]], score: PromoScorer, threshold: float,
                 run_factor: float = RUN_FACTOR) -> list[np.ndarray]:
    """Promo scores of the sentences of each tail that ``trim_promo`` reads, 0 for the others.

    ``trim_promo`` reads a tail from its last sentence back and stops at the first score under
    the bar, so the sentences are scored a rank at a time, all tails together: the last ones,
    then the one before in the tails whose run goes on, and so on. Most tails end at their last
    sentence, and a sentence scored costs as much as a line of the page.
    """
    # Most paragraphs have no tail: they share one empty array.
    none = np.zeros(0)
    out = [np.zeros(len(t)) if t else none for t in tails]
    todo = [k for k, t in enumerate(tails) if t]
    rank = 1
    while todo:
        probs = score([tails[k][-rank] for k in todo])
        bar = threshold if rank == 1 else threshold * run_factor
        going = []
        for k, p in zip(todo, probs):
            out[k][-rank] = p
            if p >= bar and rank < len(tails[k]):
                going.append(k)
        todo, rank = going, rank + 1
    return out


class _PageWords:
    """Content words of each paragraph of a page, worked out once and only when asked for."""

    def __init__(self, paragraphs: Sequence[str]) -> None:
        self.paragraphs = paragraphs
        self._words: list[set[str]] | None = None

    def __call__(self) -> list[set[str]]:
        if self._words is None:
            self._words = [content_words(p) for p in self.paragraphs]
        return self._words


class _Others:
    """Content words of every paragraph but one, worked out only when asked for."""

    def __init__(self, words: _PageWords, k: int) -> None:
        self.words, self.k = words, k

    def __call__(self) -> set[str]:
        # The paragraph's own opening counts as article too.
        out = content_words(split_sentences(self.words.paragraphs[self.k])[0])
        for j, w in enumerate(self.words()):
            if j != self.k:
                out |= w
        return out


def assemble_many(
    pages: Sequence[Page],
    keeps: Sequence[Sequence[bool]],
    score: PromoScorer | None = None,
    promo_threshold: float = 0.9,
) -> list[str]:
    """``assemble`` several pages, scoring their candidate promo sentences together."""
    built = [_paragraphs(p, k) for p, k in zip(pages, keeps)]
    if score is None:
        return [_join(paras, seps) for paras, seps in built]
    found = iter(_scored_tails([p for paras, _ in built for p in paras]))
    tails = [[next(found) for _ in paras] for paras, _ in built]
    scores = iter(_tail_scores([t for page_tails in tails for t in page_tails], score, promo_threshold))
    out = []
    for (paras, seps), page_tails in zip(built, tails):
        words = _PageWords(paras)
        trimmed = []
        for k, (p, tail) in enumerate(zip(paras, page_tails)):
            mine = next(scores)
            # ``trim_promo`` reads the last sentence first: under the threshold, it cuts nothing.
            if not tail or mine[-1] < promo_threshold:
                trimmed.append(p)
                continue

            def scorer(sentences: Sequence[str], mine: np.ndarray = mine) -> np.ndarray:
                # Sentences before the scored run are never cut, whatever their score.
                return np.concatenate([np.zeros(len(sentences) - len(mine)), mine])

            trimmed.append(trim_promo(p, scorer, promo_threshold, article_words=_Others(words, k)))
        out.append(_join(trimmed, seps))
    return out


def _join(paragraphs: Sequence[str], separators: Sequence[str]) -> str:
    """Paragraphs with their separators between them."""
    if not paragraphs:
        return ""
    return paragraphs[0] + "".join(sep + p for sep, p in zip(separators, paragraphs[1:]))


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
    return assemble_many([page], [keep], score, promo_threshold)[0]
