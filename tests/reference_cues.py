"""The cue search as first written: one alternation per class, longest cue first.

Kept as the reference that the faster automaton of ``cleaner.cues`` must match exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleaner.cues import _CUES, _LEAD_STRIP, CUE_CLASSES, HEAD_CHARS, INSIDE_MIN_CHARS, TAIL_CHARS


@lru_cache(maxsize=None)
def _pattern(cls: str, inside: bool) -> re.Pattern[str]:
    """One compiled alternation per class, longest cue first."""
    cues = [c for c in set(_CUES[cls]) if not inside or len(c) >= INSIDE_MIN_CHARS]
    cues.sort(key=len, reverse=True)
    return re.compile("|".join(re.escape(c) + (r"(?!\w)" if c[-1].isalnum() else "") for c in cues))


def cue_hits(text: str) -> list[float]:
    """Return, for nav, paywall and ad in turn, (leading hit, inside hit) as 0/1 floats."""
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = text[:HEAD_CHARS] + " \n " + text[-TAIL_CHARS:]
    low = text.lower().lstrip(_LEAD_STRIP)
    out: list[float] = []
    for cls in CUE_CLASSES:
        m = _pattern(cls, False).match(low)
        lead = 1.0 if m else 0.0
        inside = 1.0 if _pattern(cls, True).search(low, m.end() if m else 0) else 0.0
        out.extend((lead, inside))
    return out
