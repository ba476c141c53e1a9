"""Hashed character n-grams of lines: of their text and of their shape, for a whole batch at once.

Character 2- to 5-grams of each line (lower-cased, its start and end only when it is long) and of
its shape (runs of upper-case, lower-case, digits and caseless letters, punctuation kept) are hashed
into ``N_BUCKETS`` buckets over one code point array for all the lines, so that any script works and
no Python loop runs per n-gram.
"""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np

from .charclass import ALPHA as _ALPHA
from .charclass import DIGIT as _DIGIT
from .charclass import LOWER as _LOWER
from .charclass import UPPER as _UPPER
from .charclass import char_flags
from .charclass import codepoints as _codepoints

NGRAM_ORDERS: tuple[int, ...] = (2, 3, 4, 5)
N_BUCKETS = 1 << 16
# Long lines contribute n-grams from their start and end only: cues sit there, and it keeps cost linear.
HEAD_CHARS = 160
TAIL_CHARS = 100

_MIX = np.uint64(0x9E3779B97F4A7C15)
_MUL = np.uint64(1000003)
# One seed per n-gram order, so that "ab" and " ab" never share a hash by construction.
_SEEDS = {n: np.uint64((n * 0x9E3779B97F4A7C15) % (1 << 64)) for n in NGRAM_ORDERS}
_SHIFT_1, _SHIFT_2 = np.uint64(29), np.uint64(32)
_BUCKET_MASK = np.uint64(N_BUCKETS - 1)


def ngram_source(text: str) -> str:
    """The part of a line whose character n-grams are hashed, lower-cased and space-padded."""
    low = text.lower()
    if len(low) > HEAD_CHARS + TAIL_CHARS:
        low = low[:HEAD_CHARS] + " " + low[-TAIL_CHARS:]
    return " " + low + " "


_SHAPE_UPPER, _SHAPE_LOWER, _SHAPE_DIGIT, _SHAPE_OTHER = "\ue001", "\ue002", "\ue003", "\ue004"
SHAPE_HEAD = 60
SHAPE_TAIL = 20


def shape_source(text: str) -> str:
    """The line's shape: each run of upper, lower, digit or caseless letters becomes one private-use
    character, punctuation and spaces stay. "Lesen Sie auch: Neues Bad" -> "Aa Aa a: Aa Aa"-like.

    The shape carries across languages and scripts where the characters themselves do not.
    """
    head = text[:SHAPE_HEAD] + (" … " + text[-SHAPE_TAIL:] if len(text) > SHAPE_HEAD + SHAPE_TAIL else "")
    out: list[str] = []
    for ch in head:
        if ch.isupper():
            c = _SHAPE_UPPER
        elif ch.islower():
            c = _SHAPE_LOWER
        elif ch.isdigit():
            c = _SHAPE_DIGIT
        elif ch.isalpha():
            c = _SHAPE_OTHER
        else:
            c = ch
        # Lower-case, digit and caseless runs collapse ("Aa", "a", "0"); upper-case runs do not ("AAA").
        if out and c != _SHAPE_UPPER and out[-1][-1] == c:
            continue
        if out and c == _SHAPE_LOWER and out[-1] == _SHAPE_UPPER:
            out[-1] = _SHAPE_UPPER + _SHAPE_LOWER
            continue
        out.append(c)
    return "\u2402" + "".join(out) + "\u2403"


def _shape_codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``shape_source`` of every text, as one code point array and the length of each."""
    m = len(texts)
    heads = [t[:SHAPE_HEAD] + (" … " + t[-SHAPE_TAIL:] if len(t) > SHAPE_HEAD + SHAPE_TAIL else "") for t in texts]
    lens = np.fromiter(map(len, heads), dtype=np.int64, count=m)
    cps = _codepoints("".join(heads))
    flags = char_flags(cps)
    # Each character's class code, looked up by its four class bits at once (0: it stays as it is).
    cls = _SHAPE_CLASS.take(flags & _SHAPE_BITS)
    np.copyto(cls, cps, where=cls == 0)
    upper = (flags & _UPPER) != 0
    # Runs of one class collapse except upper-case ones, as in ``shape_source``.
    keep = np.ones(cps.shape[0], dtype=bool)
    keep[1:] = (cls[1:] != cls[:-1]) | upper[1:]
    starts = np.zeros(m, dtype=np.int64)
    if m > 1:
        starts[1:] = np.cumsum(lens[:-1])
    keep[starts[lens > 0]] = True
    line_of = np.arange(m, dtype=np.int64).repeat(lens)
    kept_line = line_of[keep]
    kept_n = np.bincount(kept_line, minlength=m)
    out_lens = kept_n + 2
    out_starts = np.zeros(m, dtype=np.int64)
    if m > 1:
        out_starts[1:] = np.cumsum(out_lens[:-1])
    out = np.empty(int(out_lens.sum()), dtype=np.uint32)
    out[out_starts] = 0x2402
    out[out_starts + out_lens - 1] = 0x2403
    kept_starts = np.zeros(m, dtype=np.int64)
    if m > 1:
        kept_starts[1:] = np.cumsum(kept_n[:-1])
    rank = np.arange(kept_line.shape[0], dtype=np.int64) - kept_starts[kept_line]
    out[out_starts[kept_line] + 1 + rank] = cls[keep]
    return out, out_lens


_SHAPE_CODES = {c: ord(c) for c in (_SHAPE_UPPER, _SHAPE_LOWER, _SHAPE_DIGIT, _SHAPE_OTHER)}
# The shape code of a character by its upper, lower, digit and letter bits, in ``shape_source``'s order of
# precedence; 0 for none of them.
_SHAPE_BITS = _ALPHA | _UPPER | _LOWER | _DIGIT
_SHAPE_CLASS = np.array([_SHAPE_CODES[_SHAPE_UPPER] if b & _UPPER else _SHAPE_CODES[_SHAPE_LOWER] if b & _LOWER
                         else _SHAPE_CODES[_SHAPE_DIGIT] if b & _DIGIT else _SHAPE_CODES[_SHAPE_OTHER] if b & _ALPHA
                         else 0 for b in range(_SHAPE_BITS + 1)], dtype=np.uint32)


def hashed_ngrams(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash the character n-grams of every text, and of its shape, at once.

    Returns:
        ``(rows, cols, vals)`` as ``_hash_sources`` gives them for the texts followed by their shapes.
    """
    r1, c1, v1 = _hash_sources([ngram_source(t) for t in texts])
    r2, c2, v2 = _hash_codepoints(*_shape_codepoints(texts))
    return np.concatenate([r1, r2]), np.concatenate([c1, c2]), np.concatenate([v1, v2])


def _hash_sources(sources: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash the character n-grams of every source string at once; see ``_hash_codepoints``."""
    lengths = np.fromiter(map(len, sources), dtype=np.int64, count=len(sources))
    return _hash_codepoints(_codepoints("".join(sources)), lengths)


def _hash_codepoints(cps32: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash the character n-grams of consecutive texts given as one code point array.

    Args:
        cps32: The code points of all texts, one after the other.
        lengths: The length of each text.

    Returns:
        ``(rows, cols, vals)``: text index, bucket and value of each n-gram
        occurrence; values are ``1/sqrt(number of n-grams of the text)`` so that
        long and short lines weigh alike.
    """
    n_texts = lengths.shape[0]
    if n_texts == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    cps = cps32.astype(np.uint64)
    line_of = np.repeat(np.arange(n_texts, dtype=np.int64), lengths)
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
    per_line = np.bincount(rows, minlength=n_texts).astype(np.float64)
    vals = 1.0 / np.sqrt(per_line[rows])
    return rows, cols, vals


# Positions hashed at a time by ``hashed_dot``: its arrays stay in cache and are reused, chunk after chunk.
HASH_CHUNK = 1 << 14


def hashed_dot(texts: Sequence[str], coef: np.ndarray) -> np.ndarray:
    """The product of the hashed n-grams of ``texts`` (as ``hashed_ngrams`` gives them) with ``coef``.

    The n-grams are hashed a chunk at a time and each chunk's coefficients summed at once, so
    that no array holds an entry per n-gram.

    Args:
        texts: Lines.
        coef: ``(N_BUCKETS, k)`` coefficients, or ``padded_coef`` of them (faster when used again).

    Returns:
        ``(len(texts), k)`` array: row ``i`` is the sum over line ``i``'s n-grams of their
        bucket's coefficients times their value.
    """
    if coef.shape[0] == N_BUCKETS:
        coef = padded_coef(coef)
    repeated = distinct_texts(texts)
    if repeated is not None:
        distinct, index = repeated
        return hashed_dot(distinct, coef)[index]
    text_cps, text_lengths = _ngram_codepoints(texts)
    shape_cps, shape_lengths = _shape_codepoints(texts)
    if text_cps.shape[0] + shape_cps.shape[0] <= HASH_CHUNK:
        # A small input (a page) in one pass: half the NumPy calls, which are most of what it costs.
        # A batch is faster in two, each hashed in its own chunks.
        sums = _hashed_sums(np.concatenate([text_cps, shape_cps]), np.concatenate([text_lengths, shape_lengths]), coef)
        return sums[: len(texts)] + sums[len(texts) :]
    out = _hashed_sums(text_cps, text_lengths, coef)
    out += _hashed_sums(shape_cps, shape_lengths, coef)
    return out


def _ngram_codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``ngram_source`` of every text, as one code point array and the length of each.

    The texts are lower-cased one by one: the many of ASCII alone take Python's fast way, which lower-casing
    them joined would not.
    """
    if not texts:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    lows = [t.lower() for t in texts]
    lows = [low if len(low) <= HEAD_CHARS + TAIL_CHARS else low[:HEAD_CHARS] + " " + low[-TAIL_CHARS:] for low in lows]
    lengths = np.fromiter(map(len, lows), dtype=np.int64, count=len(lows)) + 2
    return _codepoints(" " + "  ".join(lows) + " "), lengths


def padded_coef(coef: np.ndarray) -> np.ndarray:
    """``(N_BUCKETS, k)`` coefficients and a last row of zeros, the bucket ``hashed_dot`` gives non-n-grams."""
    return np.vstack([coef, np.zeros((1, coef.shape[1]), dtype=coef.dtype)])


def _hashed_sums(cps32: np.ndarray, lengths: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """``hashed_dot`` for consecutive texts given as one code point array, as ``_hash_codepoints`` hashes them."""
    out = np.zeros((lengths.shape[0], coef.shape[1]), dtype=np.float64)
    filled = lengths > 0
    if not filled.any():
        return out
    ends = lengths[filled].cumsum()
    starts = ends - lengths[filled]
    sums = np.zeros((ends.shape[0], coef.shape[1]), dtype=np.float64)
    total = int(ends[-1])
    reach = max(NGRAM_ORDERS) - 1
    chars = np.zeros(HASH_CHUNK + reach, dtype=np.uint64)
    h = np.empty(HASH_CHUNK, dtype=np.uint64)
    tmp = np.empty(HASH_CHUNK, dtype=np.uint64)
    for a in range(0, total, HASH_CHUNK):
        size = min(HASH_CHUNK, total - a)
        # The chunk's characters and the few after it; zeros past the end.
        got = min(size + reach, total - a)
        chars[:got] = cps32[a : a + got]
        chars[got:] = 0
        # The texts with a character in the chunk, where each begins in it (the first may begin before),
        # and how many characters each position has left in its text.
        lo = int(ends.searchsorted(a, side="right"))
        hi = int(starts.searchsorted(a + size, side="left"))
        bounds = np.maximum(starts[lo:hi] - a, 0)
        # The k-th position from the end of each text, k = 1 .. reach, where it lies in the text and
        # the chunk: a window of n characters there runs past the end of its text when k < n.
        last = (ends[lo:hi] - a)[:, None] - np.arange(1, reach + 1)
        last_in = (last >= bounds[:, None]) & (last < size)
        acc = None
        for n in NGRAM_ORDERS:
            bucket = _hash_windows(chars, n, size, h[:size], tmp[:size]).view(np.int64)
            # A window running past the end of its text is no n-gram: it takes the zero row.
            bucket[last[:, : n - 1][last_in[:, : n - 1]]] = N_BUCKETS
            rows = coef.take(bucket, axis=0)
            if acc is None:
                acc = rows
            else:
                acc += rows
        assert acc is not None  # NGRAM_ORDERS is never empty
        sums[lo:hi] += np.add.reduceat(acc, bounds, axis=0)
    count = np.zeros(ends.shape[0], dtype=np.int64)
    for n in NGRAM_ORDERS:
        count += np.maximum(lengths[filled] - n + 1, 0)
    # Each n-gram's value, 1/sqrt(the text's number of n-grams), is the same over a text.
    scale = np.divide(1.0, np.sqrt(count), out=np.zeros(count.shape[0]), where=count > 0)
    out[filled] = sums * scale[:, None]
    return out


def _hash_windows(chars: np.ndarray, n: int, size: int, h: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """The bucket of the ``n``-gram at each of the first ``size`` positions of ``chars``, into ``h``."""
    np.bitwise_xor(chars[:size], _SEEDS[n], out=h)
    np.multiply(h, _MUL, out=h)
    for off in range(1, n):
        np.bitwise_xor(h, chars[off : off + size], out=h)
        np.multiply(h, _MUL, out=h)
    np.right_shift(h, _SHIFT_1, out=tmp)
    np.bitwise_xor(h, tmp, out=h)
    np.multiply(h, _MIX, out=h)
    np.right_shift(h, _SHIFT_2, out=tmp)
    np.bitwise_xor(h, tmp, out=h)
    np.bitwise_and(h, _BUCKET_MASK, out=h)
    return h


def distinct_texts(texts: Sequence[str]) -> tuple[list[str], np.ndarray] | None:
    """The distinct texts in order of first appearance and the index among them of each text;
    ``None`` when no text repeats (menus and footers do, across the pages of a site)."""
    first: dict[str, int] = {}
    at = np.fromiter(map(first.setdefault, texts, itertools.count()), dtype=np.int64, count=len(texts))
    if len(first) == len(texts):
        return None
    return list(first), np.fromiter(first.values(), dtype=np.int64, count=len(first)).searchsorted(at)
