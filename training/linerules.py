"""Line-level rules of three web-corpus pipelines, as baselines for labelling lines keep or remove.

Each rule set here keeps or removes one line at a time. The pipelines also have rules that
drop a whole document (too few sentences, a curly bracket, too many flagged words); those
are left out, since the benchmark scores lines, not documents.

C4 (Raffel et al., 2020, section 2.2; as implemented by datatrove's ``C4QualityFilter`` with
its defaults and ``split_paragraph=True``). A line is removed when

- one of its words is longer than 1000 characters;
- after Wikipedia-style citation marks (``[1]``, ``[edit]``, ``[citation needed]``) are
  removed, it does not end in terminal punctuation (``.``, ``?``, ``!``, ``"`` or ``'``), or
  ends in an ellipsis ``...``;
- it has fewer than 3 words (white-space separated);
- it mentions "javascript" (any case);
- it contains one of the policy phrases "terms of use", "privacy policy", "cookie policy",
  "uses cookies", "use of cookies", "use cookies" (any case).

Not applied (document level): fewer than 5 sentences, "lorem ipsum", a curly bracket, the
bad-words list.

Gopher (Rae et al., 2021, appendix A.1.1, "quality filters"). Its line-level criteria are
two ratios over a document's lines; here each is applied to the line itself. A line is
removed when

- it starts with a bullet point (``•``; leading white space ignored), or
- it ends with an ellipsis (``...`` or ``…``).

Not applied (document level): word counts, mean word length, symbol-to-word ratios, the
share of alphabetic words, the stop-word rule, and the repetition filters.

RefinedWeb (Penedo et al., 2023, appendix G.2, "line-wise corrections"). A line is removed when

- it is mainly upper case: at least 70% of its characters are upper-case letters;
- it is only digits (white space ignored);
- it is a counter: a number and one word ("3 likes");
- it is one word;
- it is short (at most 10 words) and holds a boilerplate phrase at its start, at its end or
  anywhere. The paper gives examples ("sign-in", "Read more...", "items in cart") but not
  its lists; ``REFINEDWEB_START``, ``REFINEDWEB_END`` and ``REFINEDWEB_ANYWHERE`` are this
  project's stand-in lists, English only, built from those examples and common menu phrases.
  RefinedWeb cuts the phrase out of the line; here the whole line is removed.

Not applied (document level): dropping a document whose removed lines hold more than 5% of
its words.

These rules were written for English: Chinese, Japanese and Thai lines have no spaces, so
"one word" and "fewer than 3 words" remove most of them.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_ELLIPSIS = "..."
C4_MIN_WORDS = 3
C4_MAX_WORD_LENGTH = 1000
C4_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")

GOPHER_BULLETS = ("•",)
GOPHER_ELLIPSES = ("...", "…")

REFINEDWEB_UPPER_SHARE = 0.7
REFINEDWEB_SHORT_WORDS = 10
_COUNTER = re.compile(r"^\d+\s+\S+$")
REFINEDWEB_START = ("sign in", "sign-in", "sign up", "sign-up", "log in", "log-in", "login", "register",
                    "subscribe", "share", "follow us", "skip to", "back to", "previous", "next", "home")
REFINEDWEB_END = ("read more", "read more...", "read more…", "continue reading", "see more", "learn more",
                  "show more", "more")
REFINEDWEB_ANYWHERE = ("items in cart", "item in cart", "your cart", "all rights reserved", "cookie", "newsletter",
                       "privacy policy", "terms of service", "terms of use", "comments")


def c4_keep(line: str) -> bool:
    """Whether C4's line rules keep ``line``."""
    line = line.strip()
    words = line.split()
    if any(len(w) > C4_MAX_WORD_LENGTH for w in words):
        return False
    line = C4_CITATION.sub("", line)
    if not line.endswith(C4_END_PUNCTUATION) or line.endswith(C4_ELLIPSIS):
        return False
    if len(words) < C4_MIN_WORDS:
        return False
    low = line.lower()
    if "javascript" in low:
        return False
    return not any(p in low for p in C4_POLICY)


def gopher_keep(line: str) -> bool:
    """Whether Gopher's line-level criteria keep ``line``."""
    s = line.strip()
    return not (s.startswith(GOPHER_BULLETS) or s.endswith(GOPHER_ELLIPSES))


def _has_phrase(low: str, phrases: Sequence[str], where: str) -> bool:
    """Whether a lower-cased line has one of ``phrases`` as whole words at its ``start``, ``end`` or ``any``where."""
    for p in phrases:
        q = re.escape(p)
        pattern = {"start": rf"^{q}(?!\w)", "end": rf"(?<!\w){q}$", "any": rf"(?<!\w){q}(?!\w)"}[where]
        if re.search(pattern, low):
            return True
    return False


def refinedweb_keep(line: str) -> bool:
    """Whether RefinedWeb's line-wise corrections keep ``line``."""
    s = line.strip()
    if not s:
        return False
    if sum(c.isupper() for c in s) / len(s) >= REFINEDWEB_UPPER_SHARE:
        return False
    if "".join(s.split()).isdigit():
        return False
    if _COUNTER.match(s):
        return False
    words = s.split()
    if len(words) == 1:
        return False
    if len(words) <= REFINEDWEB_SHORT_WORDS:
        low = s.lower()
        if (_has_phrase(low, REFINEDWEB_START, "start") or _has_phrase(low, REFINEDWEB_END, "end")
                or _has_phrase(low, REFINEDWEB_ANYWHERE, "any")):
            return False
    return True


RULES: dict[str, Callable[[str], bool]] = {
    "C4 line rules": c4_keep,
    "Gopher line rules": gopher_keep,
    "RefinedWeb line rules": refinedweb_keep,
}
