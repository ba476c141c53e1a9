"""Align scraped lines with a page's reference text to decide which lines are the article.

Three kinds of reference exist in the benchmark corpora, and each has its aligner:

- ``align_gold``: the page's main text (one paragraph per line). A line is body when its words are
  in the gold text, other when they are not, and skipped when the evidence is mixed.
- ``align_snippets``: only must-keep and must-drop snippets. Lines that hold no snippet are skipped.
- ``align_blocks``: text blocks labelled body, boilerplate or uncertain by people.

Every aligner returns one ``Decision`` per line. ``other`` means "not the article"; which of nav,
paywall or ad it is comes later, from the page's HTML (``training.derive``). Lines that cannot be
decided confidently get ``skip`` and are left out of the derived data rather than guessed.

Text is compared as word tokens (``tokens``), so punctuation, quote styles, case and spacing never
decide a match. Chinese and Japanese text, written without spaces, counts each character as a token.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

# Word shingles of this many tokens measure how much of a long line is in the reference.
SHINGLE = 4
# Lines with at least this many tokens are judged by shingle coverage, shorter ones by containment.
LONG_TOKENS = 8
# A short line found inside a reference paragraph (not as a whole paragraph) is body only from this
# length on: "Home" or "June 4, 2024" also occur inside articles, a four-word fragment rarely does.
MIN_FRAGMENT_TOKENS = 4
# Shingle coverage at or above BODY_MIN makes a long line body, at or below OTHER_MAX other.
BODY_MIN = 0.5
OTHER_MAX = 0.2
# A short line not found whole in the reference but with this share of its word pairs there is
# a reworded copy (a numbered subheading, a caption with its credit) and is skipped, not called other.
SHORT_PARTIAL = 0.5
# Copies of the title or of a body line beyond what the reference holds: up to this many tokens they
# are title-like and labelled nav (the guide's "further copies of the title"), longer ones skipped.
COPY_NAV_TOKENS = 15
# A later line whose shingles were all used by earlier body lines, at least to this share, is a copy.
COPY_SHARE = 0.8

LABELS = ("body", "other", "nav", "skip", "blank")

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u30fc"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Decision:
    """What alignment says about one line.

    Attributes:
        label: ``body``; ``other`` (not the article, class decided later); ``nav`` (decided here:
            a further copy of the title, or a line without words); ``skip`` (undecided, left out);
            ``blank`` (empty line).
        reason: Short tag saying which rule decided, for audits.
        coverage: Share of the line found in the body reference, when measured.
    """

    label: str
    reason: str
    coverage: float = 0.0


def _edge_punct(ch: str) -> bool:
    """Whether ``ch`` is punctuation, a symbol or white space."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def normalize(text: str) -> str:
    """NFKC, lower case, white space collapsed and punctuation stripped at both ends.

    Args:
        text: Any text.

    Returns:
        The normalised text; ``""`` when nothing but punctuation and spaces is left.
    """
    text = _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    start, end = 0, len(text)
    while start < end and _edge_punct(text[start]):
        start += 1
    while end > start and _edge_punct(text[end - 1]):
        end -= 1
    return text[start:end]


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` after ``normalize``; each Chinese or Japanese character is a token.

    Args:
        text: Any text.

    Returns:
        Tokens in order; punctuation never forms a token.
    """
    return _TOKEN.findall(normalize(text))


def key(toks: Sequence[str]) -> str:
    """The comparison key of a token list: tokens joined by single spaces."""
    return " ".join(toks)


def shingles(toks: Sequence[str], n: int = SHINGLE) -> list[tuple[str, ...]]:
    """Overlapping ``n``-token windows of ``toks`` (one window of all tokens when shorter).

    Args:
        toks: Tokens of one text.
        n: Window length.

    Returns:
        The windows in order.
    """
    if len(toks) <= n:
        return [tuple(toks)] if toks else []
    return [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]


class Reference:
    """A reference text prepared for containment and shingle look-ups.

    Args:
        texts: The reference's paragraphs (or blocks), in order.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.lines: list[str] = []
        stream: list[str] = []
        for text in texts:
            toks = tokens(text)
            if toks:
                self.lines.append(key(toks))
                stream.extend(toks)
        # Padded with spaces so that " key " finds whole-token matches only.
        self.text = " " + " ".join(stream) + " "
        self.line_counts = Counter(self.lines)
        self.shingle_counts = Counter(shingles(stream)) if len(stream) >= SHINGLE else Counter()
        self.pair_counts = Counter(shingles(stream, 2)) if len(stream) >= 2 else Counter()

    def count(self, k: str) -> int:
        """How often the token string ``k`` occurs in the reference, on token boundaries."""
        return self.text.count(" " + k + " ") if k else 0

    def coverage(self, toks: Sequence[str], n: int = SHINGLE) -> float:
        """Share of the ``n``-token shingles of ``toks`` that occur in the reference."""
        counts = self.shingle_counts if n == SHINGLE else self.pair_counts
        grams = shingles(toks, n)
        if not grams:
            return 0.0
        return sum(1 for g in grams if g in counts) / len(grams)


def _snippet_keys(snippets: Iterable[str]) -> list[str]:
    """Comparison keys of the non-empty snippets."""
    return [k for k in (key(tokens(s)) for s in snippets) if k]


def snippet_hit(k: str, n_tokens: int, snippets: Sequence[str], *, whole_line: bool) -> bool:
    """Whether the line with key ``k`` is marked by one of the snippet keys.

    Args:
        k: The line's key.
        n_tokens: Number of tokens in the line.
        snippets: Snippet keys (see ``key``).
        whole_line: For drop snippets: a snippet inside the line must make up at least half of the
            line's tokens, since "Home" or a date as a drop snippet says nothing about a paragraph
            that happens to contain the word. Keep snippets mark any line that holds them.

    Returns:
        True when a snippet lies in the line or the line lies in a snippet. A line inside a
        snippet must be the whole snippet or at least ``MIN_FRAGMENT_TOKENS`` long.
    """
    padded = " " + k + " "
    for s in snippets:
        s_len = s.count(" ") + 1
        if " " + s + " " in padded and (not whole_line or 2 * s_len >= n_tokens):
            return True
        if n_tokens >= MIN_FRAGMENT_TOKENS and padded in " " + s + " ":
            return True
    return False


def _is_title(k: str, titles: frozenset[str]) -> bool:
    """Whether the line key is one of the page's title keys."""
    return bool(k) and k in titles


class _Copies:
    """Tracks what earlier body lines used up, to catch repeated copies of the same text."""

    def __init__(self, ref: Reference | None) -> None:
        self.ref = ref
        self.keys: Counter[str] = Counter()
        self.grams: Counter[tuple[str, ...]] = Counter()

    def is_copy(self, k: str, toks: Sequence[str]) -> bool:
        """Record a body line; True when the reference holds fewer copies than the page has so far."""
        ref = self.ref
        self.keys[k] += 1
        if ref is None:
            return self.keys[k] > 1
        allowed = ref.count(k)
        if allowed:
            return self.keys[k] > allowed
        grams = shingles(toks)
        used = 0
        for g in grams:
            self.grams[g] += 1
            if self.grams[g] > ref.shingle_counts.get(g, 0):
                used += 1
        return bool(grams) and used >= COPY_SHARE * len(grams)


def _copy_decision(n_tokens: int) -> Decision:
    """A repeated body line: nav when short enough to be a title copy, else skipped."""
    if n_tokens <= COPY_NAV_TOKENS:
        return Decision("nav", "copy")
    return Decision("skip", "copy")


def _gold_one(toks: list[str], k: str, ref: Reference) -> Decision:
    """Body/other/skip for one line against the gold text, before titles, snippets and copies."""
    n = len(toks)
    if ref.count(k):
        if k in ref.line_counts or n >= MIN_FRAGMENT_TOKENS:
            return Decision("body", "in-gold", 1.0)
        return Decision("skip", "short-inside-gold", 1.0)
    if n >= LONG_TOKENS:
        cov = ref.coverage(toks)
        if cov >= BODY_MIN:
            return Decision("body", "shingles", cov)
        if cov <= OTHER_MAX:
            return Decision("other", "not-in-gold", cov)
        return Decision("skip", "partial", cov)
    cov = ref.coverage(toks, 2) if n >= 2 else 0.0
    if cov >= SHORT_PARTIAL:
        return Decision("skip", "short-partial", cov)
    return Decision("other", "not-in-gold", cov)


def align_gold(
    lines: Sequence[str],
    gold: str,
    *,
    titles: Iterable[str] = (),
    keep: Sequence[str] = (),
    drop: Sequence[str] = (),
    chrome: Sequence[bool] = (),
) -> list[Decision]:
    """Label lines against the page's gold main text.

    Args:
        lines: The rendered page, one entry per line.
        gold: Reference main text, one paragraph per line.
        titles: The page's title as found in its HTML (any number of variants). The first line equal
            to a title is body even when the gold text leaves the title out; later ones are nav.
        keep: Must-keep snippets, when the page has them: a line the gold calls other but that
            holds a keep snippet is skipped as a conflict.
        drop: Must-drop snippets: a line the gold calls body but that is a drop snippet is skipped.
        chrome: Per line, whether it is known to be page chrome whatever its words (a table of
            contents entry linking within the page): such lines are nav and use up no gold text,
            so the heading they repeat stays body.

    Returns:
        One decision per line.
    """
    ref = Reference(gold.split("\n"))
    title_keys = frozenset(k for k in (key(tokens(t)) for t in titles) if k)
    keep_keys, drop_keys = _snippet_keys(keep), _snippet_keys(drop)
    copies = _Copies(ref)
    title_seen = False
    out: list[Decision] = []
    for i, line in enumerate(lines):
        if not line.strip():
            out.append(Decision("blank", "blank"))
            continue
        if i < len(chrome) and chrome[i]:
            out.append(Decision("nav", "in-page-link"))
            continue
        toks = tokens(line)
        if not toks:
            out.append(Decision("nav", "no-words"))  # separators and stray symbols are chrome
            continue
        k = key(toks)
        if _is_title(k, title_keys):
            out.append(Decision("nav", "title-copy") if title_seen else Decision("body", "title", 1.0))
            title_seen = True
            copies.is_copy(k, toks)
            continue
        d = _gold_one(toks, k, ref)
        if d.label == "body":
            if drop_keys and snippet_hit(k, len(toks), drop_keys, whole_line=True) and not (
                keep_keys and snippet_hit(k, len(toks), keep_keys, whole_line=False)
            ):
                d = Decision("skip", "conflict-drop", d.coverage)
            elif copies.is_copy(k, toks):
                d = _copy_decision(len(toks))
        elif d.label == "other" and keep_keys and snippet_hit(k, len(toks), keep_keys, whole_line=False):
            d = Decision("skip", "conflict-keep", d.coverage)
        out.append(d)
    return out


def align_snippets(
    lines: Sequence[str],
    keep: Sequence[str],
    drop: Sequence[str],
    *,
    titles: Iterable[str] = (),
    chrome: Sequence[bool] = (),
) -> list[Decision]:
    """Label lines from must-keep and must-drop snippets only.

    A line holding (or lying inside) a keep snippet is body, one that is a drop snippet is other,
    one that matches both is skipped, and so is every line no snippet speaks about: the page is only
    partly labelled.

    Args:
        lines: The rendered page, one entry per line.
        keep: Must-keep snippets.
        drop: Must-drop snippets.
        titles: The page's title variants; handled as in ``align_gold``.
        chrome: Lines known to be page chrome; handled as in ``align_gold``.

    Returns:
        One decision per line.
    """
    title_keys = frozenset(k for k in (key(tokens(t)) for t in titles) if k)
    keep_keys, drop_keys = _snippet_keys(keep), _snippet_keys(drop)
    copies = _Copies(None)
    title_seen = False
    out: list[Decision] = []
    for i, line in enumerate(lines):
        if not line.strip():
            out.append(Decision("blank", "blank"))
            continue
        if i < len(chrome) and chrome[i]:
            out.append(Decision("nav", "in-page-link"))
            continue
        toks = tokens(line)
        if not toks:
            out.append(Decision("nav", "no-words"))
            continue
        k = key(toks)
        kept = snippet_hit(k, len(toks), keep_keys, whole_line=False)
        dropped = snippet_hit(k, len(toks), drop_keys, whole_line=True)
        if _is_title(k, title_keys) and not dropped:
            out.append(Decision("nav", "title-copy") if title_seen else Decision("body", "title", 1.0))
            title_seen = True
            continue
        if kept and dropped:
            out.append(Decision("skip", "conflict"))
        elif kept:
            out.append(_copy_decision(len(toks)) if copies.is_copy(k, toks) else Decision("body", "keep", 1.0))
        elif dropped:
            out.append(Decision("other", "drop"))
        else:
            out.append(Decision("skip", "unlabelled"))
    return out


def align_blocks(
    lines: Sequence[str],
    blocks: Sequence[Mapping[str, str]],
    *,
    titles: Iterable[str] = (),
    chrome: Sequence[bool] = (),
) -> list[Decision]:
    """Label lines from text blocks labelled ``body``, ``boilerplate`` or ``uncertain``.

    A line equal to a block takes that block's label (repeated texts are matched in page order).
    Otherwise the line is body when most of it lies in body blocks and hardly any in boilerplate
    blocks, other in the mirror case, and skipped when uncertain blocks hold it, the evidence is
    mixed, or no block holds it (text nobody voted on).

    Args:
        lines: The rendered page, one entry per line.
        blocks: ``{"text": ..., "label": ...}`` in page order.
        titles: The page's title variants; handled as in ``align_gold``.
        chrome: Lines known to be page chrome; handled as in ``align_gold``.

    Returns:
        One decision per line.
    """
    title_keys = frozenset(k for k in (key(tokens(t)) for t in titles) if k)
    by_key: dict[str, list[tuple[int, str]]] = {}
    texts: dict[str, list[str]] = {"body": [], "boilerplate": [], "uncertain": []}
    for i, b in enumerate(blocks):
        label = b.get("label", "")
        text = b.get("text", "") or ""
        k = key(tokens(text))
        if not k or label not in texts:
            continue
        by_key.setdefault(k, []).append((i, label))
        texts[label].append(text)
    refs = {label: Reference(t) for label, t in texts.items()}
    cursor = 0
    title_seen = False
    copies = _Copies(refs["body"])
    out: list[Decision] = []
    for i, line in enumerate(lines):
        if not line.strip():
            out.append(Decision("blank", "blank"))
            continue
        if i < len(chrome) and chrome[i]:
            out.append(Decision("nav", "in-page-link"))
            continue
        toks = tokens(line)
        if not toks:
            out.append(Decision("nav", "no-words"))
            continue
        k = key(toks)
        if _is_title(k, title_keys):
            out.append(Decision("nav", "title-copy") if title_seen else Decision("body", "title", 1.0))
            title_seen = True
            continue
        hits = by_key.get(k)
        if hits:
            # The first block with this text at or after the previous match, else the first one.
            pos, label = next(((p, lab) for p, lab in hits if p >= cursor), hits[0])
            cursor = pos + 1
            d = {"body": Decision("body", "block", 1.0), "boilerplate": Decision("other", "block"),
                 "uncertain": Decision("skip", "uncertain")}[label]
        else:
            d = _blocks_cover(toks, k, refs)
        if d.label == "body" and copies.is_copy(k, toks):
            d = _copy_decision(len(toks))
        out.append(d)
    return out


def _share(toks: list[str], k: str, ref: Reference) -> float:
    """Share of a line found in one reference: 1 when contained whole, else shingle coverage."""
    if ref.count(k):
        return 1.0
    return ref.coverage(toks) if len(toks) >= LONG_TOKENS else 0.0


def _blocks_cover(toks: list[str], k: str, refs: Mapping[str, Reference]) -> Decision:
    """Decision for a line that matches no block exactly."""
    body, boiler, unsure = (_share(toks, k, refs[name]) for name in ("body", "boilerplate", "uncertain"))
    short = len(toks) < MIN_FRAGMENT_TOKENS
    if unsure >= BODY_MIN:
        return Decision("skip", "uncertain", body)
    if body >= BODY_MIN and boiler <= OTHER_MAX and not short:
        return Decision("body", "blocks", body)
    if boiler >= BODY_MIN and body <= OTHER_MAX and not short:
        return Decision("other", "blocks", body)
    return Decision("skip", "unmatched", body)
