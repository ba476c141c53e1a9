"""Character classes of code points, for whole arrays at once.

Every class is decided by Python's own ``str`` predicates (``isalpha``, ``isupper``, the ``\\w`` of ``re`` …), so the
result is exactly what a loop over characters would give; a table indexed by code point, filled in
lazily, gives them at NumPy speed.
"""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"\w+")

# Character classes, looked up per code point from a table that fills itself lazily:
# Python's own str predicates decide each class, so the result is exactly what a
# per-character loop would give, at NumPy speed.
ALPHA, UPPER, LOWER, DIGIT, WORDCH, CJK, QUOTE, PERCENT, TOPIC_LETTER, TOPIC_CJK = (1 << k for k in range(10))
# Set in the table for every code point filled in, so that one lookup also tells which are not yet.
KNOWN = 1 << 15
_TABLE_SIZE = 0x10000
_flags_table = np.zeros(_TABLE_SIZE, dtype=np.uint16)
_QUOTES = frozenset("\"“”«»„")


def _char_flags(ch: str) -> int:
    """The class bits of one character."""
    o = ord(ch)
    return ((ALPHA if ch.isalpha() else 0) | (UPPER if ch.isupper() else 0) | (LOWER if ch.islower() else 0)
            | (DIGIT if ch.isdigit() else 0) | (WORDCH if _WORD.match(ch) else 0)
            | (CJK if is_cjk(ch) else 0) | (QUOTE if ch in _QUOTES else 0) | (PERCENT if o == 0x25 else 0)
            | (TOPIC_LETTER if is_topic_letter(ch) else 0) | (TOPIC_CJK if in_cjk_range(o) else 0))


def in_cjk_range(o: int) -> bool:
    """Whether a code point is in the CJK ranges of ``features.content_words``."""
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF


def is_topic_letter(ch: str) -> bool:
    """Whether a character is one ``_WORD4`` runs are made of: a word character, no digit (``\\d``), no
    underscore, no CJK. Tested without compiling that class, which costs milliseconds at start-up."""
    return ch != "_" and not ch.isdecimal() and not in_cjk_range(ord(ch)) and bool(_WORD.match(ch))


def char_flags(cps: np.ndarray) -> np.ndarray:
    """Class bits of every code point of ``cps`` (``uint32``); ``KNOWN`` is set too."""
    # A code point beyond the table reads its last entry here; it is looked up on its own below.
    out = _flags_table.take(cps, mode="clip")
    if not out.shape[0]:
        return out
    # ``KNOWN`` is the highest bit: one reduction tells whether an entry is not filled in yet.
    if np.minimum.reduce(out) < KNOWN:
        small = np.minimum(cps, _TABLE_SIZE - 1)
        # A set, not np.unique: that pulls in numpy.ma, a cost every cold start would pay.
        for c in set(small[out < KNOWN].tolist()):
            _flags_table[c] = _char_flags(chr(c)) | KNOWN
        out = _flags_table.take(cps, mode="clip")
    if np.maximum.reduce(cps) >= _TABLE_SIZE:
        beyond = np.flatnonzero(cps >= _TABLE_SIZE)
        out[beyond] = [_char_flags(chr(c)) | KNOWN for c in cps[beyond].tolist()]
    return out


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as ``uint32``."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def is_cjk(ch: str) -> bool:
    """Han, kana or hangul."""
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
