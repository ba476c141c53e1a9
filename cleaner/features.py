"""Features of each content line: its shape, its place in the page, cue phrases, character n-grams.

Everything here carries across languages and sites: no word lists beyond the cue
phrases, and character n-grams are hashed so that any script works.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np

from .charclass import ALPHA as _ALPHA
from .charclass import CJK as _CJK
from .charclass import DIGIT as _DIGIT
from .charclass import LOWER as _LOWER
from .charclass import PERCENT as _PERCENT
from .charclass import QUOTE as _QUOTE
from .charclass import TOPIC_CJK as _TOPIC_CJK
from .charclass import TOPIC_LETTER as _TOPIC_LETTER
from .charclass import UPPER as _UPPER
from .charclass import WORDCH as _WORDCH
from .charclass import char_flags
from .charclass import codepoints as _codepoints
from .cues import cue_hits_many
from .ngrams import distinct_texts, hashed_ngrams
from .segment import Page

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
_SEPARATOR_CPS = tuple(ord(c) for c in "|›»/·•")
_TLDS = r"(?:com|net|org|fr|it|de|ru|ua|es|pt|br|pl|nl|tr|jp|io|gg|co|uk)"
_URL = re.compile(rf"https?://|www\.|\b[\w-]+\.{_TLDS}\b", re.I)
# Necessary conditions for ``_URL`` that scan far faster, each opening with a literal character (no
# backtracking over words, no case-blind first letter): a "://", or a dot after "www" or before a
# top-level domain. Only lines they find something in are searched with ``_URL`` itself. Two patterns,
# not one alternation: the search for a literal first character is several times faster than for a set.
_URL_SCHEME = re.compile("://")
_URL_DOT = re.compile(rf"\.(?:(?<=www\.)|{_TLDS}\b)", re.I)
_DATE = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b|\d+\s?(?:min|мин|dk|分)")
# ``_DATE`` with every branch opening on the digit it starts at (``\b`` before it as a look-behind),
# which lets the scan skip from digit to digit: it finds a match in the same strings, far faster.
_DATE_SCAN = re.compile(r"\d(?:(?<!\w\d)(?:\d?[:.h]\d{2}\b|\d?[./-]\d{1,2}[./-]\d{2,4}\b|(?:(?<=1)9|(?<=2)0)\d{2}\b)"
                        r"|\d*\s?(?:min|мин|dk|分))")
_SENT_INSIDE = re.compile(r"[.!?。！？…][\"'”’»)]*\s+\S|[。！？]\S")
_WORD = re.compile(r"\w+")
_NORM = re.compile(r"\W+")
# Content words for topic overlap: runs of 4+ letters outside CJK, and every pair of CJK characters.
_CJK_RANGE = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_WORD4 = re.compile(rf"[^\W\d_{_CJK_RANGE}]{{4,}}")
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


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize`` of every line, at once over the lines joined by newlines.

    A newline is no word character and neither cased nor case-ignorable, so the joined lines lower-cased
    each alone are the lines joined then lower-cased (a final sigma stays final); line by line, the many
    lines of ASCII alone take Python's fast way. Each line then keeps its runs of word characters, one
    space between two. A text holding a newline itself is no line; such input falls back to one call
    per text.
    """
    if not texts:
        return []
    cps = _codepoints("\n".join([t.lower() for t in texts]))
    word = (char_flags(cps) & _WORDCH) != 0
    keep = word | (cps == 0x0A)
    # A run of other characters becomes a space where a word character comes before it and one
    # after it (then both on its line); elsewhere it goes, as ``strip`` drops it from the ends of a
    # line. The runs lie between two consecutive characters kept.
    kept = keep.nonzero()[0]
    gap = (kept[1:] - kept[:-1] > 1).nonzero()[0]
    space = kept[gap[word[kept[gap]] & word[kept[gap + 1]]]] + 1
    out = cps.copy()
    out[space] = 0x20
    keep[space] = True
    parts = out[keep].tobytes().decode("utf-32-le", "surrogatepass").split("\n")
    if len(parts) != len(texts):
        return [normalize(t) for t in texts]
    return parts


def content_words(text: str) -> set[str]:
    """Lower-cased content words of a text: words of 4+ letters, and CJK character pairs."""
    low = text[:TOPIC_CHARS].lower()
    words = set(_WORD4.findall(low))
    for run in _CJK_RUN.findall(low):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every run of ``True`` in ``mask``."""
    step = np.diff(mask.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    return (step == 1).nonzero()[0], (step == -1).nonzero()[0]


def _content_word_ids(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The ``content_words`` of every key as pairs ``(key index, word id)``, each pair once.

    The keys are read at once, joined by newlines, which are neither letters nor CJK: the
    words are the runs of 4 or more letters, and the pairs of CJK characters, in between.
    A word is told by a hash of its code points (``_span_hashes``), not cut out as a string.
    """
    joined = "\n".join([k[:TOPIC_CHARS].lower() for k in keys])
    cps = _codepoints(joined)
    flags = char_flags(cps)
    starts, ends = _runs((flags & _TOPIC_LETTER) != 0)
    long = ends - starts >= 4
    starts, ends = starts[long], ends[long]
    cjk = (flags & _TOPIC_CJK) != 0
    pairs = (cjk[:-1] & cjk[1:]).nonzero()[0]
    if pairs.shape[0]:
        starts, ends = np.concatenate([starts, pairs]), np.concatenate([ends, pairs + 2])
    wid = _dense_ids(_span_hashes(cps, starts, ends))
    key = (cps == 0x0A).nonzero()[0].searchsorted(starts)
    # Each pair once: sort the pairs as one number each and drop repeats.
    n_ids = int(wid.max()) + 1 if wid.shape[0] else 1
    pair = np.sort(key * n_ids + wid)
    pair = pair[np.concatenate([[True], pair[1:] != pair[:-1]])] if pair.shape[0] else pair
    return pair // n_ids, pair % n_ids


# Polynomial hashing of spans of code points, modulo 2**64 (NumPy's unsigned arithmetic wraps).
# The base is odd, so it has an inverse modulo 2**64, which shifts a span's hash to its start.
# Words are at most TOPIC_CHARS (< 2**11) characters, too short for the Thue-Morse strings that make
# every odd base collide at this modulus; two different words sharing a hash by chance (about one in
# 2**64 per pair) would only count as one word in the topic shares.
_HASH_BASE = 0x9E3779B97F4A7C15
_HASH_INVERSE = pow(_HASH_BASE, -1, 2**64)


def _powers(base: int, n: int) -> np.ndarray:
    """``base ** i`` modulo 2**64 for ``i`` in ``[0, n)``."""
    out = np.full(n, base, dtype=np.uint64)
    if n:
        out[0] = 1
        np.cumprod(out, out=out)
    return out


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of the code points ``cps[starts[i]:ends[i]]`` of every span: equal spans hash alike."""
    n = cps.shape[0]
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(cps.astype(np.uint64) * _powers(_HASH_BASE, n), out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * _powers(_HASH_INVERSE, n + 1)[starts]


def _dense_ids(values: np.ndarray) -> np.ndarray:
    """Ids ``0..k-1`` of the distinct ``values``: equal values share an id (ordered by value)."""
    if not values.shape[0]:
        return values.astype(np.int64)
    order = np.argsort(values)
    ranked = values[order]
    new = np.empty(ranked.shape[0], dtype=np.int64)
    new[0] = 0
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    ids = np.empty(values.shape[0], dtype=np.int64)
    ids[order] = np.cumsum(new)
    return ids


def topic_overlap(keys: Sequence[str], page_of: np.ndarray, first: np.ndarray) -> np.ndarray:
    """For each line, the share of its content words found in one, and in two, other distinct lines of its page.

    Article lines share their story's vocabulary; teasers, promos and chrome are about something else.
    Repeated copies of a line count once, so a title does not vouch for itself.

    Args:
        keys: The ``normalize``d lines of one or more pages, in order.
        page_of: The page index of each line.
        first: Whether each line is the first of its page with its key.

    Returns:
        ``(len(keys), 2)`` array of the two shares (0 for a line without content words).
    """
    n = len(keys)
    out = np.zeros((n, 2), dtype=np.float64)
    line, wid = _content_word_ids(keys)
    if not line.shape[0]:
        return out
    # A word's document frequency in its page: the first copies of the page's lines that hold it.
    doc = page_of[line] * (int(wid.max()) + 1) + wid
    counted = np.sort(doc[first[line]])
    df = counted.searchsorted(doc, side="right") - counted.searchsorted(doc, side="left")
    n_words = np.bincount(line, minlength=n).astype(np.float64)
    has = n_words > 0
    for col, least in ((0, 2), (1, 3)):
        np.divide(np.bincount(line, weights=df >= least, minlength=n), n_words, out=out[:, col], where=has)
    return out


_LAST_STRIP = _CLOSERS + " "
_FIRST_STRIP = _CLOSERS.replace(")", "(") + "\"'“„«([ "
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")
_BULLET_CPS = frozenset(ord(c) for c in _BULLETS)
_FIRST_STRIP_CPS = frozenset(ord(c) for c in _FIRST_STRIP)
_LAST_STRIP_CPS = frozenset(ord(c) for c in _LAST_STRIP)
_TERMINAL_CPS = frozenset(ord(c) for c in _TERMINAL)
_COLON_CPS = frozenset(ord(c) for c in ":：")
# Columns of DENSE_NAMES filled from the characters of a line alone.
_N_SHAPE = 16
# The per-character counts of ``_line_shapes``: first the character classes read off the flags, then
# the spaces, the word starts, the upper-case word starts and the separator characters.
_COUNT_BITS = np.array([_ALPHA, _UPPER, _DIGIT, _WORDCH, _CJK, _QUOTE, _PERCENT], dtype=np.uint16)
(_C_ALPHA, _C_UPPER, _C_DIGIT, _C_WORD, _C_CJK, _C_QUOTE, _C_PERCENT, _C_SPACE, _C_WORD_START, _C_UPPER_WORD,
 _C_SEPARATOR) = range(11)
_N_FLAG_COUNTS = _COUNT_BITS.shape[0]
_N_COUNTS = _C_SEPARATOR + 1


def _segment_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sum of ``values[starts[i]:ends[i]]`` for every ``i``."""
    c = np.empty(values.shape[0] + 1, dtype=_running_dtype(values.shape[0]))
    c[0] = 0
    np.cumsum(values, out=c[1:])
    return c[ends] - c[starts]


def _running_dtype(n: int) -> type[np.signedinteger]:
    """The integer type of running counts over ``n`` characters: 32 bits where they fit, which NumPy sums
    several times faster than 64."""
    return np.int32 if n < 2**31 else np.int64


# Lines are joined with NUL to be scanned at once: it is neither a space nor a word character, nor in
# any pattern's character classes, so a pattern matches within a joined line as within the line alone,
# and a match running on to the NUL (a space then ``\S``, say) is one the line alone lacks.
_LINE_SEP = "\x00"


def spans_at(pattern: re.Pattern[str], text: str, at: Sequence[int]) -> list[tuple[int, int]]:
    """The spans of ``pattern.finditer(text)``, for a pattern that never matches empty and can only start a
    match at the positions ``at`` (in increasing order).

    A search tries the pattern at every position after the last match, at a cost per character that is
    many times that of finding the few positions a match can start at: those alone are tried here,
    in the same order, so the matches are the same.
    """
    spans = []
    after = 0
    match = pattern.match
    for pos in at:
        if pos >= after:
            m = match(text, pos)
            if m is not None:
                spans.append(m.span())
                after = m.end()
    return spans


def _matches_per_line(pattern: re.Pattern[str], joined: str, starts: np.ndarray, ends: np.ndarray,
                      at: Sequence[int] | None = None) -> np.ndarray:
    """How many times ``pattern`` matches within each line of ``joined`` (``findall`` on each line alone).

    ``at``: every position a match can start at, when the caller knows them (see ``spans_at``).
    """
    spans = [m.span() for m in pattern.finditer(joined)] if at is None else spans_at(pattern, joined, at)
    if not spans:
        return np.zeros(starts.shape[0], dtype=np.int64)
    begin, end = np.array(spans, dtype=np.int64).T
    line = starts.searchsorted(begin, side="right") - 1
    within = end <= ends[line]
    return np.bincount(line[within], minlength=starts.shape[0])


def _separators_per_line(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                         characters: np.ndarray | None = None) -> np.ndarray:
    """How many times ``_SEPARATORS`` matches within each line of joined code points, read off the code points.

    A separator character counts once each (``characters``: those counts, when the caller has them);
    " > " counts as ``findall`` takes it, left to right without overlap: of a run of them two characters
    apart, every other one.
    """
    count = _segment_sums(_among(cps, _SEPARATOR_BIT), starts, ends) if characters is None else characters
    # An arrow is a ">" between two spaces: the few ">" are found first, then their neighbours read.
    gt = (cps[1:-1] == 0x3E).nonzero()[0]
    gt += 1
    arrows = gt[(cps[gt - 1] == 0x20) & (cps[gt + 1] == 0x20)] - 1
    if arrows.shape[0]:
        opens = np.ones(arrows.shape[0], dtype=bool)
        opens[1:] = np.diff(arrows) != 2
        run_start = np.flatnonzero(opens)
        rank = np.arange(arrows.shape[0]) - run_start[np.cumsum(opens) - 1]
        taken = arrows[rank % 2 == 0]
        count = count + np.bincount(starts.searchsorted(taken, side="right") - 1, minlength=starts.shape[0])
    return count


# The punctuation sets above as bits of a table indexed by code point: one lookup tells, for every
# code point of an array, whether it is in a set, where a comparison per member of the set cost a
# NumPy call each. Every member is below 0x10000, so a code point beyond, clipped to the last entry,
# reads 0, as does -1 ("none"), clipped to the first (NUL).
_FIRST_BIT, _LAST_BIT, _TERMINAL_BIT, _COLON_BIT, _BULLET_BIT, _SEPARATOR_BIT = (1 << k for k in range(6))
_PUNCT_TABLE = np.zeros(0x10000, dtype=np.uint8)
for _bit, _cps in ((_FIRST_BIT, _FIRST_STRIP_CPS), (_LAST_BIT, _LAST_STRIP_CPS), (_TERMINAL_BIT, _TERMINAL_CPS),
                   (_COLON_BIT, _COLON_CPS), (_BULLET_BIT, _BULLET_CPS), (_SEPARATOR_BIT, frozenset(_SEPARATOR_CPS))):
    _PUNCT_TABLE[sorted(_cps)] |= _bit
del _bit, _cps


def _punct(cps: np.ndarray) -> np.ndarray:
    """The punctuation bits of each code point (negative: none)."""
    return _PUNCT_TABLE.take(cps, mode="clip")


def terminal_positions(text: str) -> list[int]:
    """The positions in ``text`` of its sentence-ending punctuation, ``.!?。！？…``, in order."""
    return (_punct(_codepoints(text)) & _TERMINAL_BIT).nonzero()[0].tolist()


def _among(cps: np.ndarray, bit: int) -> np.ndarray:
    """Whether each code point (negative: none) is in the punctuation set of ``bit``."""
    return (_punct(cps) & bit) != 0


def _first_and_last(texts: Sequence[str], cps: np.ndarray, punct: np.ndarray, starts: np.ndarray,
                    ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code point each line opens with and the one it ends in, read off the joined samples; -1 for none.

    The first is that of ``t.lstrip(_FIRST_STRIP)``, or the line's own first when nothing is left;
    the last that of ``t[-200:].rstrip(_LAST_STRIP)``. A line longer than its sample is read as text.
    ``punct`` holds the punctuation bits of the code points.
    """
    n = cps.shape[0]
    first = np.full(len(texts), -1, dtype=np.int64)
    last = np.full(len(texts), -1, dtype=np.int64)
    if n:
        filled = ends > starts
        at_start = np.minimum(starts, n - 1)
        # The first character at or after each line's start that is not stripped (n: none), and the last
        # before its end (-1: none), found among the positions of such characters.
        kept = ((punct & _FIRST_BIT) == 0).nonzero()[0]
        at = kept.searchsorted(starts)
        ahead = np.where(at < kept.shape[0], kept.take(at, mode="clip"), n) if kept.shape[0] else np.full_like(starts, n)
        kept = ((punct & _LAST_BIT) == 0).nonzero()[0]
        at = kept.searchsorted(ends) - 1
        behind = np.where(at >= 0, kept.take(at, mode="clip"), -1) if kept.shape[0] else np.full_like(ends, -1)
        first[filled] = cps[np.where(ahead < ends, ahead, at_start)][filled]
        seen = filled & (behind >= np.maximum(starts, ends - 200))
        last[seen] = cps[behind[seen]]
    for i in [i for i, t in enumerate(texts) if len(t) > SAMPLE_CHARS]:
        c = texts[i].lstrip(_FIRST_STRIP)[:1] or texts[i][:1]
        first[i] = ord(c) if c else -1
        c = texts[i][-200:].rstrip(_LAST_STRIP)[-1:]
        last[i] = ord(c) if c else -1
    return first, last


class _Counts(NamedTuple):
    """What ``_line_shapes`` counts in each line that the other line columns reuse."""

    full: np.ndarray         # characters
    words: np.ndarray        # word starts (in the sample)
    upper_words: np.ndarray  # upper-case word starts
    word_chars: np.ndarray   # word characters
    letters: np.ndarray
    uppers: np.ndarray
    cjk: np.ndarray          # CJK characters in the first 4000
    quote: np.ndarray        # whether it holds a quotation mark
    digits200: np.ndarray    # digits in the first 200 characters


def _head_sums(marks: np.ndarray, starts: np.ndarray, ends: np.ndarray, limit: int,
               dtype: type[np.signedinteger]) -> np.ndarray:
    """How many of the first ``limit`` characters of each line are marked: sums over the spans
    ``[start, min(end, start + limit))`` and the rest up to the next line's start, in one pass.

    ``marks`` has one entry more than the joined lines, unmarked, as a NUL follows every other line.
    """
    m = starts.shape[0]
    if not m:
        return np.zeros(0, dtype=dtype)
    bounds = np.empty(2 * m, dtype=np.int64)
    bounds[0::2] = starts
    np.minimum(ends, starts + limit, out=bounds[1::2])
    # An empty head (an empty line) sums, as ``reduceat`` does, its first character alone: the NUL after
    # the line, or the last, unmarked, entry.
    return np.add.reduceat(marks, bounds, dtype=dtype)[0::2]


def _line_shapes(texts: Sequence[str]) -> tuple[np.ndarray, _Counts]:
    """Features of each line on its own, for many lines at once.

    Returns:
        ``(shape, counts)``: the first ``_N_SHAPE`` dense columns, and the counts per line that the
        other line columns reuse.
    """
    m = len(texts)
    full = np.fromiter(map(len, texts), dtype=np.int64, count=m)
    samples = [t if len(t) <= SAMPLE_CHARS else t[:SAMPLE_CHARS] for t in texts]
    n = np.minimum(full, SAMPLE_CHARS)
    joined = _LINE_SEP.join(samples)
    cps = _codepoints(joined)
    flags = char_flags(cps)
    punct = _punct(cps)
    starts = np.zeros(m, dtype=np.int64)
    if m > 1:
        np.cumsum(n[:-1] + 1, out=starts[1:])
    ends = starts + n
    # Every per-character count at once: one row per class, one sum per line over all rows (a NumPy
    # call per class cost more than the counting). A line's span runs on over the NUL after it, which
    # is in no class; a last column, in none either, gives the last line (even an empty one) a span.
    size = cps.shape[0]
    marks = np.zeros((_N_COUNTS, size + 1), dtype=bool)
    np.not_equal(_COUNT_BITS[:, None] & flags, 0, out=marks[:_N_FLAG_COUNTS, :size])
    word = marks[_C_WORD]
    np.equal(cps, 0x20, out=marks[_C_SPACE, :size])
    word_start = marks[_C_WORD_START]
    word_start[:] = word
    word_start[1:] &= ~word[:-1]
    np.logical_and(word_start, marks[_C_UPPER], out=marks[_C_UPPER_WORD])
    np.not_equal(punct & _SEPARATOR_BIT, 0, out=marks[_C_SEPARATOR, :size])
    counting = _running_dtype(size)
    counts = np.zeros((_N_COUNTS, m), dtype=counting)
    if m:
        # Row by row: twice as fast as one ``reduceat`` over both axes.
        for row, out in zip(marks, counts):
            np.add.reduceat(row, starts, dtype=counting, out=out)
    letters, uppers, digits, word_chars = counts[_C_ALPHA], counts[_C_UPPER], counts[_C_DIGIT], counts[_C_WORD]
    spaces, words, upper_words = counts[_C_SPACE], counts[_C_WORD_START], counts[_C_UPPER_WORD]
    quote, percent = counts[_C_QUOTE] > 0, counts[_C_PERCENT] > 0
    cjk = _head_sums(marks[_C_CJK], starts, ends, 4000, counting)
    digits200 = _head_sums(marks[_C_DIGIT], starts, ends, 200, counting)
    long = full > SAMPLE_CHARS
    n_words = words
    if long.any():
        n_words = words.astype(np.int64)
        n_words[long] = (words[long] * full[long] / n[long]).astype(np.int64)
    # -1 stands for "no such character" (a line of closing quotes has no last one).
    first_cp, last_cp = _first_and_last(texts, cps, punct, starts, ends)
    # The class bits of both ends of every line in one lookup (none: 0).
    ends_cp = np.concatenate([first_cp, last_cp])
    end_flags = np.where(ends_cp >= 0, char_flags(np.maximum(ends_cp, 0).astype(np.uint32)), 0)
    first_flags, last_flags = end_flags[:m], end_flags[m:]
    last_punct = _punct(last_cp)
    filled = ends > starts
    at_start = np.minimum(starts, cps.shape[0] - 1)
    numbered = np.zeros(m, dtype=bool)
    for i in (filled & ((flags[at_start] & _DIGIT) != 0)).nonzero()[0].tolist():
        numbered[i] = bool(_NUMBERED.match(texts[i]))
    out = np.empty((m, _N_SHAPE), dtype=np.float64)
    out[:, 0] = np.log1p(full)
    out[:, 1] = np.log1p(n_words)
    out[:, 2] = (last_punct & _TERMINAL_BIT) != 0
    # A line of closing quotes alone has no last character; it has always counted as ending in a colon.
    out[:, 3] = (last_cp < 0) | ((last_punct & _COLON_BIT) != 0)
    # ``str.isalnum``: a word character (``\w``) other than the underscore.
    out[:, 4] = ((last_flags & _WORDCH) != 0) & (last_cp != 0x5F)
    out[:, 5] = (filled & ((punct[at_start] & _BULLET_BIT) != 0)) | numbered
    out[:, 6] = (first_flags & _UPPER) != 0
    out[:, 7] = (first_flags & _LOWER) != 0
    out[:, 8] = (first_flags & _DIGIT) != 0
    out[:, 9] = digits / n
    out[:, 10] = np.divide(uppers, letters, out=np.zeros(m), where=letters > 0)
    out[:, 11] = (n - letters - digits - spaces) / n
    # A sentence end inside the line opens with a terminal (``_TERMINAL`` is ``_SENT_INSIDE``'s first set).
    terminals = (punct & _TERMINAL_BIT).nonzero()[0].tolist()
    out[:, 12] = np.log1p(_matches_per_line(_SENT_INSIDE, joined, starts, ends, terminals))
    out[:, 13] = False
    # Lines where no necessary part of a URL is found are no URL's; only the others are searched.
    hints = _matches_per_line(_URL_DOT, joined, starts, ends) + _matches_per_line(_URL_SCHEME, joined, starts, ends)
    for i in hints.nonzero()[0].tolist():
        out[i, 13] = bool(_URL.search(samples[i]))
    out[:, 14] = percent
    out[:, 15] = np.log1p(_separators_per_line(cps, starts, ends, counts[_C_SEPARATOR]))
    return out, _Counts(full, words, upper_words, word_chars, letters, uppers, cjk, quote, digits200)


def _containment(norms: Sequence[str], texts: Sequence[str], page: np.ndarray) -> tuple[list[float], list[bool]]:
    """Which lines contain another line of their page as a leading or trailing run of words, and which lines are
    so contained, for the lines of many pages at once.

    A leading run can only equal a short line that opens with the same word and has as many words, a
    trailing run one that closes with the same word. Most lines open and close only short lines of as
    many words or more, the short ones themselves first: those are ruled out with arrays, all pages
    together, and only the rest have runs built, of those lengths alone.
    """
    n = len(norms)
    contains = [0.0] * n
    inner = [False] * n
    key_len = np.fromiter(map(len, norms), dtype=np.int64, count=n)
    text_len = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    # Lines that may turn up inside longer ones (titles inside "You are viewing …" or "… | Site").
    short = (text_len >= MIN_CONTAINED_CHARS) & (text_len <= 300) & (key_len > 0)
    if not short.any():
        return contains, inner
    n_words = np.fromiter(map(str.count, norms, itertools.repeat(" ")), dtype=np.int64, count=n) + 1
    ids: dict[str, int] = {}
    counter = itertools.count()
    heads = np.fromiter(map(ids.setdefault, (k.partition(" ")[0] for k in norms), counter), dtype=np.int64, count=n)
    tails = np.fromiter(map(ids.setdefault, (k.rpartition(" ")[2] for k in norms), counter), dtype=np.int64, count=n)
    span = int(max(heads.max(), tails.max())) + 1
    # A word of a page as one number, and the word counts of the page's short lines by it, sorted.
    head_groups, tail_groups = page * span + heads, page * span + tails
    head_sorted, head_counts = _grouped(head_groups[short], n_words[short])
    tail_sorted, tail_counts = _grouped(tail_groups[short], n_words[short])
    candidates = np.flatnonzero((key_len <= MAX_AFFIX_CHARS)
                                & ((_fewest(head_sorted, head_counts, head_groups) < n_words)
                                   | (_fewest(tail_sorted, tail_counts, tail_groups) < n_words)))
    if not candidates.shape[0]:
        return contains, inner
    spans = [(sorted_.searchsorted(groups[candidates], side="left").tolist(),
              sorted_.searchsorted(groups[candidates], side="right").tolist(), counts.tolist())
             for sorted_, counts, groups in ((head_sorted, head_counts, head_groups),
                                             (tail_sorted, tail_counts, tail_groups))]
    (head_lo, head_hi, head_list), (tail_lo, tail_hi, tail_list) = spans
    page_list = page.tolist()
    short_lines = short.nonzero()[0]
    short_page = page[short_lines]
    short_keys: dict[int, set[str]] = {}
    found: dict[int, set[str]] = {}
    for k, j in enumerate(candidates.tolist()):
        p = page_list[j]
        if p not in short_keys:
            lo, hi = np.searchsorted(short_page, [p, p + 1]).tolist()
            short_keys[p] = {norms[i] for i in short_lines[lo:hi].tolist()}
        key, words = norms[j], int(n_words[j])
        # Runs of fewer words than the line, and of at most MAX_AFFIX_WORDS fewer.
        least = words - min(words, MAX_AFFIX_WORDS) + 1
        parts = key.split(" ")
        affixes = [" ".join(parts[words - w :]) for w in set(tail_list[tail_lo[k] : tail_hi[k]]) if least <= w < words]
        affixes += [" ".join(parts[:w]) for w in set(head_list[head_lo[k] : head_hi[k]]) if least <= w < words]
        for affix in affixes:
            if affix in short_keys[p]:
                contains[j] = 1.0
                found.setdefault(p, set()).add(affix)
    for j, (p, key) in enumerate(zip(page_list, norms)):
        inner[j] = p in found and key in found[p]
    return contains, inner


def _grouped(groups: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``groups`` sorted, and ``counts`` in the same order, each group's in increasing order."""
    order = np.lexsort((counts, groups))
    return groups[order], counts[order]


def _fewest(sorted_groups: np.ndarray, counts: np.ndarray, lookup: np.ndarray) -> np.ndarray:
    """The smallest count of each looked-up group (from ``_grouped``); the largest integer for a group not there."""
    pos = np.minimum(sorted_groups.searchsorted(lookup, side="left"), sorted_groups.shape[0] - 1)
    return np.where(sorted_groups[pos] == lookup, counts[pos], np.iinfo(np.int64).max)


def _line_columns(texts: Sequence[str]) -> np.ndarray:
    """Every dense column that depends on a line alone, for many lines at once (page columns left at 0)."""
    repeated = distinct_texts(texts)
    if repeated is not None:
        distinct, index = repeated
        return _line_columns(distinct)[index]
    m = len(texts)
    out = np.zeros((m, N_DENSE), dtype=np.float64)
    shape, counts = _line_shapes(texts)
    out[:, :_N_SHAPE] = shape
    full, words, upper_words, word_chars, letters, uppers, cjk, quote, digits200 = counts
    c = _N_SHAPE
    out[:, c + 12] = np.divide(upper_words, words, out=np.zeros(m), where=words > 0)
    out[:, c + 13] = np.divide(word_chars, words, out=np.zeros(m), where=words > 0) / 10.0
    colons = [t[:SAMPLE_CHARS].find(":", 0, 200) for t in texts]
    out[:, c + 14] = [0 < k <= 30 and k < n - 1 for k, n in zip(colons, full.tolist())]
    out[:, c + 15] = [t.startswith("#") for t in texts]
    # Every date pattern has a digit: lines without one in their first 200 characters are skipped.
    dated = (digits200 > 0).nonzero()[0]
    heads = [texts[i][:200] for i in dated.tolist()]
    length = np.fromiter(map(len, heads), dtype=np.int64, count=len(heads))
    start = np.zeros(len(heads), dtype=np.int64)
    np.cumsum(length[:-1] + 1, out=start[1:])
    out[dated, c + 16] = _matches_per_line(_DATE_SCAN, _LINE_SEP.join(heads), start, start + length) > 0
    out[:, c + 17] = cjk / np.minimum(full, 4000)
    out[:, c + 18] = (letters >= 4) & (np.divide(uppers, letters, out=np.zeros(m), where=letters > 0) > 0.9)
    out[:, c + 19] = [t.endswith(("...", "…")) for t in texts]
    out[:, c + 20] = quote
    out[:, c + 21 : c + 27] = cue_hits_many(texts)
    return out


def _fill_page_columns(pages: Sequence[Page], sizes: Sequence[int], texts: Sequence[str], out: np.ndarray,
                       keys: Sequence[str] | None) -> None:
    """Fill in the columns that depend on a page as a whole, for the lines of many pages at once.

    Args:
        pages: The pages.
        sizes: The number of content lines of each page.
        texts: The content lines of all pages, in order.
        out: Their dense features, with the line columns filled in.
        keys: ``line_keys`` of the texts, or ``None`` to work out those needed.
    """
    n = len(texts)
    c = _N_SHAPE
    size = np.array(sizes, dtype=np.int64)
    start = np.zeros(len(pages), dtype=np.int64)
    np.cumsum(size[:-1], out=start[1:])
    out[:, c + 10] = np.fromiter(itertools.chain.from_iterable(p.blank_before for p in pages), dtype=bool, count=n)
    out[:, c + 11] = np.fromiter(itertools.chain.from_iterable(p.blank_after for p in pages), dtype=bool, count=n)
    filled = size > 0
    out[start[filled], c + 1] = 1.0
    out[start[filled] + size[filled] - 1, c + 2] = 1.0
    page_of = np.arange(len(pages)).repeat(size)
    full = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    out[:, c + 9] = full / np.maximum.reduceat(full, start[filled])[filled.cumsum()[page_of] - 1]
    m = size[page_of]
    j = (np.arange(n) - start[page_of]).astype(np.float64)
    # A page of one line is first and last, unrepeated, as long as the longest, sharing no topic.
    multi = (m > 1).nonzero()[0]
    if not multi.shape[0]:
        return
    j, m = j[multi], m[multi]
    out[multi, c] = j / (m - 1)
    out[multi, c + 3] = np.log1p(j)
    out[multi, c + 4] = np.log1p(m - 1 - j)
    mtexts = [texts[i] for i in multi.tolist()]
    norms = line_keys(mtexts) if keys is None else [keys[i] for i in multi.tolist()]
    # Key ids unique within a page, in order of first appearance: a line is a first copy when
    # its id is above every id before it.
    kid: list[int] = []
    at = 0
    for k in size[size > 1].tolist():
        ids: dict[str, int] = {}
        kid.extend(ids.setdefault(key, at + len(ids)) for key in norms[at : at + k])
        at += k
    contains, inner = _containment(norms, mtexts, page_of[multi])
    key_id = np.array(kid, dtype=np.int64)
    first = np.ones(key_id.shape[0], dtype=bool)
    first[1:] = key_id[1:] > np.maximum.accumulate(key_id)[:-1]
    out[multi, c + 5] = np.log1p(np.bincount(key_id)[key_id] - 1)
    out[multi, c + 6] = ~first
    out[multi, c + 7] = contains
    out[multi, c + 8] = inner
    out[multi, c + 27 : c + 29] = topic_overlap(norms, page_of[multi], first)


def dense_features(page: Page) -> np.ndarray:
    """Dense features of every content line of ``page``, in order."""
    return dense_features_pages([page])


def line_keys(texts: Sequence[str]) -> list[str]:
    """The key each line's copies are found by: ``normalize`` of it, or of both ends of a very long one."""
    return normalize_many([t if len(t) <= SAMPLE_CHARS else t[:SAMPLE_CHARS] + " " + t[-SAMPLE_CHARS:] for t in texts])


def dense_features_pages(pages: Sequence[Page], texts_per_page: Sequence[Sequence[str]] | None = None,
                         keys: Sequence[str] | None = None) -> np.ndarray:
    """Dense features of the content lines of several pages, stacked in order.

    The per-character work runs once over all the pages' lines together, and what depends on
    a page as a whole (position, repetition, topic) over all the pages together too.

    Args:
        pages: The pages.
        texts_per_page: Each page's ``texts``, when the caller has them already.
        keys: ``line_keys`` of all the pages' lines, when the caller has them already.
    """
    if texts_per_page is None:
        texts_per_page = [p.texts for p in pages]
    texts = [t for ts in texts_per_page for t in ts]
    if not texts:
        return np.zeros((0, N_DENSE), dtype=np.float64)
    out = _line_columns(texts)
    _fill_page_columns(pages, [len(ts) for ts in texts_per_page], texts, out, keys)
    return out


# The page columns that ``_fill_page_columns`` sets to 1 for a page of one content line with no blank
# line around it; the others stay 0.
_ONE_LINE_PAGE = [DENSE_NAMES.index(n) for n in ("is_first", "is_last", "len_rel_max")]


def one_line_pages_dense(texts: Sequence[str]) -> np.ndarray:
    """``dense_features_pages`` of pages of one content line each, without a blank line, given those lines.

    Such a page's line is its first and last, as long as its longest, and alone: its page columns are
    the same for every such page, set here without a pass over pages.

    Args:
        texts: The line of each page, stripped and not blank.
    """
    if not texts:
        return np.zeros((0, N_DENSE), dtype=np.float64)
    out = _line_columns(texts)
    out[:, _ONE_LINE_PAGE] = 1.0
    return out


def featurize(page: Page) -> Features:
    """All features of the content lines of ``page``."""
    return featurize_pages([page])


def featurize_pages(pages: Sequence[Page]) -> Features:
    """All features of the content lines of several pages, stacked in order."""
    rows, cols, vals = hashed_ngrams([t for p in pages for t in p.texts])
    return Features(dense_features_pages(pages), rows, cols, vals)
