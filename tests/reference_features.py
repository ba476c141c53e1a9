"""Features of each content line: its shape, its place in the page, cue phrases, character n-grams.

Everything here carries across languages and sites: no word lists beyond the cue
phrases, and character n-grams are hashed so that any script works.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from cleaner.cues import cue_hits
# The per-line definitions of what is hashed are the library's own spec (its batched code computes them
# with NumPy); the reference hashes them the first, line-by-line way.
from cleaner.ngrams import ngram_source, shape_source
from cleaner.segment import Page

NGRAM_ORDERS: tuple[int, ...] = (2, 3, 4, 5)
N_BUCKETS = 1 << 16
# A line of at least this many characters can be found inside another ("You are currently viewing <title>").
MIN_CONTAINED_CHARS = 15
MAX_AFFIX_WORDS = 40
# Only lines up to this long are searched for copies of other lines; longer ones are paragraphs.
MAX_AFFIX_CHARS = 2000
# Character-class ratios of a very long line are read off its first characters: enough to tell
# its shape, and it keeps a 20 MB line from costing seconds.
SAMPLE_CHARS = 20000

_TERMINAL = set(".!?。！？…")
_CLOSERS = "\"'”’»)]）」』"
_BULLETS = set("•·▪►▶◦‣●■□*-–—>»")
_SEPARATORS = re.compile(r"[|›»/·•]| > ")
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|fr|it|de|ru|ua|es|pt|br|pl|nl|tr|jp|io|gg|co|uk)\b", re.I)
_DATE = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b|\d+\s?(?:min|мин|dk|分)")
_SENT_INSIDE = re.compile(r"[.!?。！？…][\"'”’»)]*\s+\S|[。！？]\S")
_WORD = re.compile(r"\w+")
_NORM = re.compile(r"\W+")
# Content words for topic overlap: runs of 4+ letters outside CJK, and every pair of CJK characters.
_CJK_RANGE = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_WORD4 = re.compile(rf"(?:(?![{_CJK_RANGE}])[^\W\d_]){{4,}}")
_CJK_RUN = re.compile(rf"[{_CJK_RANGE}]{{2,}}")
TOPIC_CHARS = 2000

DENSE_NAMES: tuple[str, ...] = (
    "log_chars", "log_words", "end_terminal", "end_colon", "end_alnum", "start_bullet", "start_upper",
    "start_lower", "start_digit", "frac_digit", "frac_upper", "frac_punct", "log_sentences", "has_url",
    "has_percent", "log_separators", "rel_pos", "is_first", "is_last", "log_from_start", "log_from_end",
    "log_dup_count", "dup_earlier", "contains_line", "contained_in_line", "len_rel_max", "blank_before",
    "blank_after", "title_case", "avg_word_len", "colon_prefix", "markdown_heading", "has_date",
    "frac_cjk", "all_caps", "end_ellipsis", "has_quote",
    "nav_lead", "nav_inside", "paywall_lead", "paywall_inside", "ad_lead", "ad_inside",
    "topic_shared", "topic_shared2",
)
N_DENSE = len(DENSE_NAMES)


@dataclass(frozen=True, slots=True)
class Features:
    """Features of the content lines of one or more pages.

    Attributes:
        dense: ``(n_lines, N_DENSE)`` float array.
        rows: Line index of each hashed n-gram entry.
        cols: Bucket of each entry, in ``[0, N_BUCKETS)``.
        vals: Value of each entry (occurrences scaled by the line's n-gram count).
    """

    dense: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    @property
    def n_lines(self) -> int:
        """Number of lines described."""
        return int(self.dense.shape[0])


def normalize(text: str) -> str:
    """Lower-case, punctuation-free form used to spot repeated lines."""
    return _NORM.sub(" ", text.lower()).strip()


def content_words(text: str) -> set[str]:
    """Lower-cased content words of a text: words of 4+ letters, and CJK character pairs."""
    low = text[:TOPIC_CHARS].lower()
    words = set(_WORD4.findall(low))
    for run in _CJK_RUN.findall(low):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def topic_overlap(norms: Sequence[str]) -> list[tuple[float, float]]:
    """For each line, the share of its content words found in one, and in two, other distinct lines.

    Article lines share their story's vocabulary; teasers, promos and chrome are about something else.
    Repeated copies of a line count once, so a title does not vouch for itself.
    """
    tokens = [content_words(k) for k in norms]
    df: dict[str, int] = {}
    seen: set[str] = set()
    for key, toks in zip(norms, tokens):
        if key in seen:
            continue
        seen.add(key)
        for t in toks:
            df[t] = df.get(t, 0) + 1
    out = []
    for toks in tokens:
        if not toks:
            out.append((0.0, 0.0))
            continue
        one = sum(df[t] >= 2 for t in toks) / len(toks)
        two = sum(df[t] >= 3 for t in toks) / len(toks)
        out.append((one, two))
    return out


def _is_cjk(ch: str) -> bool:
    """Han, kana or hangul."""
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


def _shape(text: str) -> tuple[list[float], list[str], int, int, int, int]:
    """Features of a line on its own, plus the counts ``dense_features`` reuses."""
    full = len(text)
    text_s = text if full <= SAMPLE_CHARS else text[:SAMPLE_CHARS]
    n = len(text_s)
    words = _WORD.findall(text_s)
    n_words = len(words) if full <= SAMPLE_CHARS else int(len(words) * full / n)
    core = text[-200:].rstrip(_CLOSERS + " ")
    last = core[-1] if core else ""
    first = text.lstrip(_CLOSERS.replace(")", "(") + "\"'“„«([ ")[:1] or text[:1]
    letters = sum(ch.isalpha() for ch in text_s)
    upper = sum(ch.isupper() for ch in text_s)
    digits = sum(ch.isdigit() for ch in text_s)
    spaces = text_s.count(" ")
    punct = n - letters - digits - spaces
    cjk = sum(_is_cjk(ch) for ch in text_s[:4000])
    colon = text_s.find(":", 0, 200)
    return [
        float(np.log1p(full)),
        float(np.log1p(n_words)),
        float(last in _TERMINAL),
        float(last in ":："),
        float(last.isalnum()),
        float(text[:1] in _BULLETS or bool(re.match(r"\d{1,2}[.)]\s", text))),
        float(first.isupper()),
        float(first.islower()),
        float(first.isdigit()),
        digits / n,
        upper / letters if letters else 0.0,
        punct / n,
        float(np.log1p(len(_SENT_INSIDE.findall(text_s)))),
        float(bool(_URL.search(text_s))),
        float("%" in text_s),
        float(np.log1p(len(_SEPARATORS.findall(text_s)))),
    ], words, colon, cjk, letters, upper


def dense_features(page: Page) -> np.ndarray:
    """Dense features of every content line of ``page``, in order."""
    texts = page.texts
    m = len(texts)
    out = np.zeros((m, N_DENSE), dtype=np.float64)
    if m == 0:
        return out
    norms = [normalize(t if len(t) <= SAMPLE_CHARS else t[:SAMPLE_CHARS] + " " + t[-SAMPLE_CHARS:]) for t in texts]
    counts: dict[str, int] = {}
    for key in norms:
        counts[key] = counts.get(key, 0) + 1
    # Lines that may turn up inside longer ones (titles inside "You are viewing …" or "… | Site").
    short_keys = {k for k, t in zip(norms, texts) if MIN_CONTAINED_CHARS <= len(t) <= 300 and k}
    inner: set[str] = set()
    contains = [0.0] * m
    for j, key in enumerate(norms):
        if len(key) > MAX_AFFIX_CHARS:
            continue
        parts = key.split(" ")
        if len(parts) < 2:
            continue
        for k in range(1, min(len(parts), MAX_AFFIX_WORDS)):
            for affix in (" ".join(parts[k:]), " ".join(parts[:-k])):
                if affix in short_keys:
                    contains[j] = 1.0
                    inner.add(affix)
    max_len = max(len(t) for t in texts)
    topics = topic_overlap(norms)
    seen: set[str] = set()
    for j, text in enumerate(texts):
        shape, words, colon, cjk, letters, upper = _shape(text)
        key = norms[j]
        n = len(text)
        n_words = len(words)
        cjk_share = cjk / min(n, 4000)
        row = shape + [
            j / (m - 1) if m > 1 else 0.0,
            float(j == 0),
            float(j == m - 1),
            float(np.log1p(j)),
            float(np.log1p(m - 1 - j)),
            float(np.log1p(counts[key] - 1)),
            float(key in seen),
            contains[j],
            float(key in inner),
            n / max_len,
            float(page.blank_before[j]),
            float(page.blank_after[j]),
            sum(w[:1].isupper() for w in words) / n_words if n_words else 0.0,
            sum(len(w) for w in words) / n_words / 10.0 if n_words else 0.0,
            float(0 < colon <= 30 and colon < n - 1),
            float(text.startswith("#")),
            float(bool(_DATE.search(text[:200]))),
            cjk_share,
            float(letters >= 4 and upper / letters > 0.9),
            float(text.endswith(("...", "…"))),
            float(any(q in text[:SAMPLE_CHARS] for q in "\"“”«»„")),
        ] + cue_hits(text) + list(topics[j])
        seen.add(key)
        out[j] = row
    return out


_MIX = np.uint64(0x9E3779B97F4A7C15)
_MUL = np.uint64(1000003)
# One seed per n-gram order, so that "ab" and " ab" never share a hash by construction.
_SEEDS = {n: np.uint64((n * 0x9E3779B97F4A7C15) % (1 << 64)) for n in NGRAM_ORDERS}


def hashed_ngrams(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash the character n-grams of every text, and of its shape, at once.

    Returns:
        ``(rows, cols, vals)`` as ``_hash_sources`` gives them for the texts followed by their shapes.
    """
    r1, c1, v1 = _hash_sources([ngram_source(t) for t in texts])
    r2, c2, v2 = _hash_sources([shape_source(t) for t in texts])
    return np.concatenate([r1, r2]), np.concatenate([c1, c2]), np.concatenate([v1, v2])


def _hash_sources(sources: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash the character n-grams of every source string at once.

    Returns:
        ``(rows, cols, vals)``: text index, bucket and value of each n-gram
        occurrence; values are ``1/sqrt(number of n-grams of the text)`` so that
        long and short lines weigh alike.
    """
    if not sources:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    lengths = np.fromiter((len(s) for s in sources), dtype=np.int64, count=len(sources))
    cps = np.frombuffer("".join(sources).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    line_of = np.repeat(np.arange(len(sources), dtype=np.int64), lengths)
    total = cps.shape[0]
    rows_l, cols_l = [], []
    for n in NGRAM_ORDERS:
        if total < n:
            continue
        k = total - n + 1
        h = np.full(k, _SEEDS[n], dtype=np.uint64)
        for off in range(n):
            h = (h ^ cps[off : off + k]) * _MUL
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
        valid = line_of[:k] == line_of[n - 1 : n - 1 + k]
        rows_l.append(line_of[:k][valid])
        cols_l.append((h[valid] & np.uint64(N_BUCKETS - 1)).astype(np.int64))
    rows = np.concatenate(rows_l) if rows_l else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols_l) if cols_l else np.zeros(0, dtype=np.int64)
    per_line = np.bincount(rows, minlength=len(sources)).astype(np.float64)
    vals = 1.0 / np.sqrt(per_line[rows])
    return rows, cols, vals


def featurize(page: Page) -> Features:
    """All features of the content lines of ``page``."""
    rows, cols, vals = hashed_ngrams(page.texts)
    return Features(dense_features(page), rows, cols, vals)
