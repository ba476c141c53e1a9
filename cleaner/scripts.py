"""Which writing systems a page's letters belong to, for whole batches at once.

A model learns the character n-grams of the scripts its training pages are written in; on a page
in a script it never read, those n-grams fall on buckets other text filled, and the line model can
read a whole article as a menu. ``unseen_shares`` tells how much of each page is written in scripts
a model did not learn (``Model.seen_scripts``), so that such pages can be scored without n-grams.
"""

from __future__ import annotations

from typing import Collection, Sequence

import numpy as np

from .charclass import ALPHA, char_flags, codepoints

# Unicode blocks of the letters of each script, as (first, last) code points. Letters in no block
# listed count as ``other``.
_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "latin": ((0x0041, 0x02AF), (0x1D00, 0x1DBF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF),
              (0xFB00, 0xFB06), (0xFF21, 0xFF5A)),
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "cyrillic": ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "armenian": ((0x0530, 0x058F), (0xFB13, 0xFB17)),
    "hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "syriac": ((0x0700, 0x074F),),
    "thaana": ((0x0780, 0x07BF),),
    "devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "bengali": ((0x0980, 0x09FF),),
    "gurmukhi": ((0x0A00, 0x0A7F),),
    "gujarati": ((0x0A80, 0x0AFF),),
    "oriya": ((0x0B00, 0x0B7F),),
    "tamil": ((0x0B80, 0x0BFF),),
    "telugu": ((0x0C00, 0x0C7F),),
    "kannada": ((0x0C80, 0x0CFF),),
    "malayalam": ((0x0D00, 0x0D7F),),
    "sinhala": ((0x0D80, 0x0DFF),),
    "thai": ((0x0E00, 0x0E7F),),
    "lao": ((0x0E80, 0x0EFF),),
    "tibetan": ((0x0F00, 0x0FFF),),
    "myanmar": ((0x1000, 0x109F),),
    "georgian": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC)),
    "ethiopic": ((0x1200, 0x139F), (0x2D80, 0x2DDF)),
    "khmer": ((0x1780, 0x17FF),),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "han": ((0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
            (0x20000, 0x3FFFF)),
}
OTHER = "other"
SCRIPTS: tuple[str, ...] = (*_BLOCKS, OTHER)

_ranges = sorted((a, b, SCRIPTS.index(name)) for name, blocks in _BLOCKS.items() for a, b in blocks)
_STARTS = np.array([a for a, _, _ in _ranges], dtype=np.int64)
_ENDS = np.array([b for _, b, _ in _ranges], dtype=np.int64)
_IDS = np.array([k for _, _, k in _ranges], dtype=np.int64)
_OTHER_ID = len(SCRIPTS) - 1
# The script of every code point of the basic plane, in one table: a lookup per letter, where a
# search among the blocks cost most of the time of ``unseen_shares``.
_BMP = 0x10000
_table = np.full(_BMP, _OTHER_ID, dtype=np.uint8)
for _a, _b, _k in _ranges:
    if _a < _BMP:
        _table[_a : min(_b, _BMP - 1) + 1] = _k


def _script_ids(letters: np.ndarray) -> np.ndarray:
    """Script index (into ``SCRIPTS``) of each code point of ``letters``."""
    out = _table.take(letters, mode="clip")
    beyond = np.flatnonzero(letters >= _BMP)
    if len(beyond):
        far = letters[beyond].astype(np.int64)
        k = np.maximum(_STARTS.searchsorted(far, side="right") - 1, 0)
        out[beyond] = np.where((far >= _STARTS[k]) & (far <= _ENDS[k]), _IDS[k], _OTHER_ID)
    return out


def letter_scripts(cps: np.ndarray) -> np.ndarray:
    """Script index (into ``SCRIPTS``) of every letter of the code point array ``cps``; non-letters dropped."""
    return _script_ids(cps[(char_flags(cps) & ALPHA) != 0])


def script_counts(text: str) -> dict[str, int]:
    """Letters of ``text`` per script, scripts with none left out."""
    counts = np.bincount(letter_scripts(codepoints(text)), minlength=len(SCRIPTS))
    return {SCRIPTS[k]: int(n) for k, n in enumerate(counts.tolist()) if n}


def unseen_shares(texts: Sequence[str], seen: Collection[str]) -> np.ndarray:
    """Share of each text's letters written in scripts outside ``seen``; 0 for a text without letters."""
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if not sizes.sum():
        return np.zeros(len(texts))
    cps = codepoints("".join(texts))
    learned = np.zeros(len(SCRIPTS), dtype=bool)
    learned[[SCRIPTS.index(s) for s in seen if s in SCRIPTS]] = True
    alpha = (char_flags(cps) & ALPHA) != 0
    # Every code point looked up, letter or not: cheaper than picking the letters out first.
    unseen = alpha & ~learned[_script_ids(cps)]
    # Sums per text from running sums over the one array.
    ends = np.cumsum(sizes)
    running = np.zeros((2, len(cps) + 1), dtype=np.int32)
    np.cumsum(alpha, out=running[0, 1:])
    np.cumsum(unseen, out=running[1, 1:])
    letters, out = running[:, ends] - running[:, ends - sizes]
    return np.divide(out, letters, out=np.zeros(len(texts)), where=letters > 0)
