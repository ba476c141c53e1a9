"""Labelled lines from real pages: ``python -m training.derive``.

Every ``split == "train"`` page of the shared benchmark corpora is rendered into lines three ways,
the way scrapers emit text:

- ``traf``: trafilatura's default text output;
- ``traf_recall``: trafilatura favouring recall, with comments and tables;
- ``full``: every block of the page (``cleaner.html.html_lines``), menus and footers included.

Each line is aligned with the page's reference (gold text, keep/drop snippets or labelled blocks;
see ``training.align``) to decide body or not. Lines that are not body are sorted into nav, paywall
and ad from where they sit in the HTML (the tags and class/id tokens of their ancestors) and from
cue phrases (``cleaner.cues``); nav is the default. Lines alignment cannot decide are left out and
only counted.

Output, under the cache folder (outside version control; the pages are third-party text):

- ``<dataset>/<page>.<rendering>.tsv`` in the format of ``data/`` (``label<TAB>1.0<TAB>text``);
- ``manifest.json``: per-dataset and per-rendering counts and one entry per written file.

``load_derived`` reads them back as ``Doc`` objects for training. ``--audit-sample`` draws a seeded,
class-stratified sample of derived lines with their context for a hand audit, and
``--audit-summary`` turns the audit's judgements into per-class accuracy.

Test pages are never read: records whose ``split`` is not ``train`` are skipped before parsing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from cleaner.cues import AD_CUES, NAV_CUES, PAYWALL_CUES
from cleaner.html import BLOCK_TAGS, DROP_TAGS, html_lines, parse_html
from cleaner.tsv import LabelledLine

from .align import MIN_FRAGMENT_TOKENS, Decision, align_blocks, align_gold, align_snippets, key, tokens
from .data import CLASSES, ROOT, Doc, read_doc

DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_CACHE = ROOT / ".cache" / "derived"
MANIFEST = "manifest.json"
RENDERINGS = ("traf", "traf_recall", "full")
# WCXB page types that are articles; pages of other datasets have no type and count as articles.
ARTICLE_TYPES: tuple[str | None, ...] = ("article", None)
# Structural tags among a line's ancestors.
NAV_TAGS = frozenset({"nav", "menu"})
# Page frame (header, footer, forms) and side columns: nav unless something nearer says otherwise.
FRAME_TAGS = frozenset({"header", "footer", "form"})
SIDE_TAGS = frozenset({"aside"})
# Elements whose text the gold texts often leave out although it belongs to the story (code,
# data tables, captions): a line in one of them, inside the article, is neither body nor chrome.
IN_ARTICLE_TAGS = frozenset({"pre", "code", "table", "figure", "figcaption"})
CODE_TAGS = frozenset({"pre", "code"})
LAYOUT_TAGS = frozenset({"table", "tbody", "thead", "tr", "td", "th"})
# Elements whose classes describe the whole page (a "premium" body, an "ad-free" layout), not a line.
PAGE_TAGS = frozenset({"html", "body"})

# Class/id/role tokens. A token matches a set when it is in it or starts with one of its prefixes.
# Nav tokens that beat paywall and ad tokens on the same element: a "newsletter-subscribe" box is a
# sign-up prompt and a "social-teaser" row is a share row.
NAV_FIRST_TOKENS = frozenset({
    "newsletter", "newsletters", "cookie", "cookies", "consent", "gdpr", "comment", "comments", "disqus",
    "respond", "reply", "replies", "email", "mail", "mailchimp", "optin", "signup", "mc4wp", "share", "shares",
    "sharing", "sharer", "sharedaddy", "addthis", "addtoany", "social", "socials",
})
NAV_FIRST_PREFIXES = ("newsletter", "cookie", "comment", "mailchimp", "share", "social")
NAV_TOKENS = frozenset({
    "nav", "navi", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "menuitem",
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "pagination", "pager", "paginate", "byline", "author",
    "authors", "dateline", "timestamp", "date", "posted", "tagcloud", "search", "searchform", "login", "signin", "register", "account", "skip", "skiplink",
    "copyright", "legal", "print", "follow", "rating", "ratings", "prev", "previous", "next", "postnav",
    "toolbar", "topbar", "utility", "logo", "brand", "permalink", "permalinks", "archive", "archives", "toc",
    "tableofcontents",
})
NAV_PREFIXES = ("breadcrumb", "navig", "navbar", "menu", "pagination", "byline")
# The nav tokens of menus proper, where a "Popular" or "Recommended" item is still a menu item.
NAV_MENU_TOKENS = frozenset({"nav", "navi", "navbar", "navigation", "menu", "menus", "submenu", "megamenu",
                             "menuitem", "dropdown"})
NAV_MENU_PREFIXES = ("navig", "navbar", "menu")
FRAME_TOKENS = frozenset({"header", "footer", "meta", "masthead", "contentinfo"})
SIDE_TOKENS = frozenset({"widget", "widgets", "sidebar", "complementary"})
AD_TOKENS = frozenset({
    "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "advertorial", "adsense",
    "adsbygoogle", "adslot", "adunit", "adbox", "adcontainer", "adwrapper", "adwrap", "adzone", "adspace",
    "adholder", "adlabel", "adchoices", "dfp", "doubleclick", "googlead", "sponsor", "sponsors", "sponsored",
    "sponsorship", "promo", "promos", "promoted", "promotion", "promotions", "promotional", "teaser",
    "teasers", "related", "recommend", "recommended", "recommendation", "recommendations", "outbrain",
    "taboola", "zergnet", "revcontent", "mgid", "plista", "ligatus", "nativo", "affiliate", "affiliates",
    "trending", "popular", "mostread", "mostpopular", "mostviewed", "seealso", "alsoread", "readalso",
    "youmaylike", "morestories", "morenews", "morearticles", "yarpp", "partnercontent",
})
AD_PREFIXES = ("advert", "sponsor", "recommend", "related", "promo", "outbrain", "taboola", "adsbygoogle",
               "adslot", "adunit", "adsense", "teaser")
PAYWALL_TOKENS = frozenset({"paywall", "paywalled", "regwall", "metered", "subscriberonly", "tinypass"})
PAYWALL_PREFIXES = ("paywall", "regwall")
# "premium" in a class name marks badges, but also premium listings, product tiers, site menus and
# commenters' names, so it is no signal: a badge is known by its text (``BADGES``).
SUBSCRIBE_TOKENS = frozenset({"subscribe", "subscription", "subscriptions", "subscriber", "subscribers",
                              "abo", "abonnement", "abonnieren"})
SUBSCRIBE_PREFIXES = ("subscri",)
# A cookie notice is nav whatever it says: its tables name "advertisement" and "subscription" cookies.
COOKIE_TOKENS = frozenset({"cookie", "cookies", "consent", "gdpr", "cookielawinfo"})
# Marks a link to a place on the same page among an <a>'s tokens.
ANCHOR_TOKEN = "#anchor"
# A line this much made of in-page links is a table-of-contents entry or a skip link.
ANCHOR_LINE = 0.9
# Class tokens of captions written without <figcaption>.
CAPTION_TOKENS = frozenset({"caption", "captions", "figcaption", "wpcaption"})
# Sign-up boxes: whatever they say ("Already a subscriber?"), they are newsletter prompts.
NEWSLETTER_TOKENS = frozenset({"newsletter", "newsletters", "mailchimp", "optin", "signup", "mc4wp"})
# Account links are nav wherever they sit, a paywall box included.
ACCOUNT_LINKS = frozenset({"log in", "login", "sign in", "signin", "log out", "logout", "my account", "register",
                           "sign up", "create account", "create an account"})
# Attribute names that mark an ad slot whatever the element's class ("data-ad-slot").
_AD_ATTR = re.compile(r"^data-(?:ad|ads|advert|dfp|google-query-id)(?:-|$)")

# Paywall cue phrases too loose to call a line a paywall on their own: prices per month on shop
# pages, "log in", "read more", and the bare nouns "subscription" or "premium" in product names.
WEAK_PAYWALL_CUES = frozenset({
    "per month", "/month", "par mois", "al mese", "pro monat", "im monat", "al mes", "por mês", "miesięcznie",
    "per maand", "в месяц", "на місяць", "aylık", "zaloguj się", "登录", "続きを読む", "残り", "sigue leyendo",
    "continue lendo", "pozostało", "subscription", "suscripción", "assinatura", "abbonamento", "abonelik",
    "подписка", "передплата", "abonnement", "ti resta", "il vous reste", "free articles", "for members",
    "premium", "abo", "購読", "订阅", "付费", "abonnenten", "subscribe now", "abonnez-vous", "abbonati",
    "suscríbete", "assine", "abone ol", "members only", "s'abonner", "start your free trial",
})
# Of those, the ones that still mark a subscription offer or badge when the HTML gives no other sign.
MEDIUM_PAYWALL_CUES = ("subscribe now", "abonnez-vous", "abbonati", "suscríbete", "assine", "abone ol",
                       "s'abonner")
# Wall and teaser phrases the shared cue lists lack, checked like theirs.
EXTRA_PAYWALL_CUES = ("to keep reading", "keep reading with", "continue reading with", "subscribe to keep reading",
                      "exclusive to subscribers", "for paying subscribers")
EXTRA_AD_CUES = ("paid partner", "partner offers", "sponsored by", "promoted by", "around the web",
                 "from our partners", "if you liked this", "related posts", "related stories", "related articles",
                 "more from", "recommended for you", "popular posts", "recent posts", "more stories",
                 "you may also be interested", "further reading")
# A line that is nothing but one of these is a badge ("Premium", "Abo", "Plus").
BADGES = frozenset({"premium", "abo", "plus", "exklusiv", "exclusive", "abonnés", "abonnes", "subscriber only",
                    "subscribers only", "members only", "z+", "f+", "sz plus", "premium content"})
# Ad cues that name a topic (betting, dating, crypto, deals) rather than a slot or a teaser: they
# mark ads only where the HTML shows no navigation around the line ("Crypto" is also a menu item).
WEAK_AD_CUES = frozenset({
    "casino", "bonus", "betting", "bet ", "crypto", "bitcoin", "dating", "singles", "vpn", "discount", "deal",
    "promo code", "coupon", "free spins", "click here", "trending", "pr", "热门", "saiba mais", "leia mais",
    "lees meer", "lesen sie mehr", "apuestas", "scommesse", "sportwetten", "ставки", "bahis", "zakłady",
    "apostas", "казино", "знакомства", "криптовалют", "partnersuche", "site de rencontre", "célibataires",
})
# Sign-up words: a line holding one is a newsletter prompt (nav), never a wall.
NEWSLETTER_CUES = ("newsletter", "nieuwsbrief", "boletín", "e-mail", "email", "sign up", "signup", "rss", "inbox",
                   "mailing list", "unsubscribe", "stay informed", "stay up to date", "latest updates",
                   "рассылк", "розсилк", "bülten")

_LEAD_STRIP = " \t\u00a0•·▪►▶>»«-–—*|#:\"'“”„()[]"
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_WS = re.compile(r"\s+")
_LINK_ROW = re.compile(r"\s[|/•·]\s|©")
_TITLE_SEP = re.compile(r"\s+[|–—·:»›/\\-]{1,2}\s+|\s+::\s+")
log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Class and id tokens


def class_tokens(value: str) -> list[str]:
    """Split a class, id or role value into lower-case word tokens.

    Splits on anything that is not a letter or digit, at camelCase humps and between letters and
    digits: ``"adSlot-300x250 mostRead"`` gives ``ad, slot, most, read``. Generated names are
    dropped: parts that start with a digit, and of hex-like ids all but the first letters.

    Args:
        value: An attribute value (several class names separated by spaces are fine).

    Returns:
        The tokens, in order.
    """
    out: list[str] = []
    for part in re.split(r"[^0-9A-Za-z\u00c0-\uffff]+", value):
        # Generated names ("css-1caqep", "5343ad", "0ad") start with a digit: their letters are noise,
        # and an "ad" found there would mark half the page an ad slot.
        if not part or (part[0].isdigit() and not part.isdigit()):
            continue
        words = _CAMEL.findall(part) or [part]
        # Hex ids and hashes ("b5343ad4", "d1b4") alternate letters and digits; only their first
        # run of letters can mean something ("ad300x250").
        if sum(1 for a, b in zip(part, part[1:]) if a.isdigit() != b.isdigit()) >= 3:
            words = words[:1]
        out.extend(t.lower() for t in words)
    return out


def element_tokens(attrs: Mapping[str, str]) -> frozenset[str]:
    """Tokens of an element's class, id and role, plus each pair of neighbours run together.

    Pairs catch names written as one word elsewhere: ``most-read`` also gives ``mostread``,
    ``ad_slot`` gives ``adslot``, ``related-posts`` gives ``relatedposts``.

    Args:
        attrs: The element's attributes.

    Returns:
        The token set; ``ad`` is added for ``data-ad-*`` attributes.
    """
    toks: set[str] = set()
    for name in ("class", "id", "role"):
        value = attrs.get(name)
        if value:
            words = class_tokens(value)
            toks.update(words)
            toks.update(a + b for a, b in zip(words, words[1:]))
    if any(_AD_ATTR.match(name) for name in attrs):
        toks.add("ad")
    return frozenset(toks)


def _matches(toks: Iterable[str], words: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    """Whether any token is in ``words`` or starts with one of ``prefixes``."""
    return any(t in words or t.startswith(prefixes) for t in toks)


def element_signal(tag: str, toks: frozenset[str]) -> str | None:
    """What one element says about the lines inside it.

    Args:
        tag: Lower-case tag name.
        toks: Its ``element_tokens``.

    Returns:
        ``nav``, ``paywall``, ``ad``, ``subscribe`` (a subscription box: a paywall offer or an e-mail
        sign-up, the line's words decide) or None when the element says nothing. Within one element
        sign-up, comment and share tokens come first, then paywall, ad, subscribe and other nav tokens.
    """
    if _matches(toks, NAV_FIRST_TOKENS, NAV_FIRST_PREFIXES):
        return "nav"
    if _matches(toks, PAYWALL_TOKENS, PAYWALL_PREFIXES):
        return "paywall"
    if _matches(toks, AD_TOKENS, AD_PREFIXES):
        return "ad"
    if _matches(toks, SUBSCRIBE_TOKENS, SUBSCRIBE_PREFIXES):
        return "subscribe"
    if tag in NAV_TAGS or _matches(toks, NAV_TOKENS, NAV_PREFIXES):
        return "nav"
    return None


# ---------------------------------------------------------------------------------------------
# HTML context of each block


@dataclass(frozen=True, slots=True)
class Context:
    """Where a line sits in the page's HTML.

    Attributes:
        chain: The line's element and its ancestors, innermost first, as (tag, tokens, element
            number); the number identifies the element within its page.
        link_ratio: Share of the line's characters inside links.
        anchor_ratio: Share of the line's characters inside links to the page itself (``href="#..."``):
            table-of-contents entries and skip links.
    """

    chain: tuple[tuple[str, frozenset[str], int], ...] = ()
    link_ratio: float = 0.0
    anchor_ratio: float = 0.0

    def summary(self, depth: int = 8) -> str:
        """The chain as ``tag.tok.tok < tag ...``, innermost first, for audits."""
        parts = []
        for tag, toks, _ in self.chain[:depth]:
            words = sorted(t for t in toks if not t.isdigit() and len(t) < 30)
            parts.append(".".join([tag, *words[:6]]))
        return " < ".join(parts)


EMPTY_CONTEXT = Context()


def block_contexts(root: Any) -> list[tuple[str, Context]]:
    """Every block's text with its context, in the order ``html_lines`` emits the blocks.

    The walk mirrors ``cleaner.html.html_lines`` (same dropped and block tags) and also keeps the
    stack of open elements. A line's chain is the stack under its longest piece of text; elements
    are numbered in document order.

    Args:
        root: Root from ``parse_html``.

    Returns:
        (text, context) per non-empty block.
    """
    from lxml import etree

    out: list[tuple[str, Context]] = []
    buf: list[tuple[str, tuple[tuple[str, frozenset[str], int], ...]]] = []
    stack: tuple[tuple[str, frozenset[str], int], ...] = ()
    number = 0

    def flush() -> None:
        text = _WS.sub(" ", "".join(p for p, _ in buf)).strip()
        if text:
            total = links = anchors = 0
            best, best_len = buf[0][1], -1
            for piece, st in buf:
                n = len(piece.strip())
                total += n
                if any(t == "a" for t, _, _ in st):
                    links += n
                    if any(ANCHOR_TOKEN in toks for t, toks, _ in st if t == "a"):
                        anchors += n
                if n > best_len:
                    best, best_len = st, n
            total = total or 1
            out.append((text, Context(tuple(reversed(best)), links / total, anchors / total)))
        buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            # Pushed for every element, dropped ones too, since each start has its end.
            number += 1
            toks = element_tokens(el.attrib) if tag else frozenset()
            if tag == "a" and (el.get("href") or "").startswith("#"):
                toks = toks | {ANCHOR_TOKEN}  # not a class name: "#" never comes out of class_tokens
            stack = stack + ((tag, toks, number),)
            if tag in DROP_TAGS or not tag:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
            if el.text:
                buf.append((el.text, stack))
        else:
            stack = stack[:-1]
            if tag in BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append((el.tail, stack))
    flush()
    return out


class ContextIndex:
    """Finds the block a rendered line came from, to give it that block's context.

    Args:
        blocks: ``block_contexts`` of the page.
    """

    def __init__(self, blocks: Sequence[tuple[str, Context]]) -> None:
        self.keys = [key(tokens(text)) for text, _ in blocks]
        self.contexts = [ctx for _, ctx in blocks]
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(self.keys):
            if k:
                self.by_key[k].append(i)
        self.cursor = 0

    def find(self, line: str) -> Context:
        """The context of the block equal to, holding, or held by ``line``; empty when none.

        Blocks are searched from just after the previous match, so repeated texts are
        matched in page order.

        Args:
            line: One rendered line.

        Returns:
            The block's context.
        """
        k = key(tokens(line))
        if not k:
            return EMPTY_CONTEXT
        hits = self.by_key.get(k)
        if hits:
            i = next((p for p in hits if p >= self.cursor), hits[0])
            self.cursor = i + 1
            return self.contexts[i]
        padded = " " + k + " "
        n = len(self.keys)
        for j in range(n):
            i = (self.cursor + j) % n
            bk = self.keys[i]
            # A block inside the line must be a real part of it, not a one-word "Share".
            if bk and (padded in " " + bk + " " or (bk.count(" ") >= 2 and " " + bk + " " in padded)):
                self.cursor = i + 1
                return self.contexts[i]
        return EMPTY_CONTEXT


def page_titles(root: Any) -> list[str]:
    """The page's title as its HTML states it: og/twitter titles, ``<title>`` parts, matching h1s.

    Candidates need three tokens (six for Chinese/Japanese) so a bare site name is never a title;
    an h1 counts only when a meta title or ``<title>`` holds it, since some sites put their logo in h1.

    Args:
        root: Root from ``parse_html``.

    Returns:
        Title texts (possibly several variants of one title).
    """
    metas: list[str] = []
    site = ""
    for m in root.iter("meta"):
        prop = (m.get("property") or m.get("name") or "").lower()
        if prop in ("og:title", "twitter:title"):
            metas.append(m.get("content") or "")
        elif prop == "og:site_name":
            site = key(tokens(m.get("content") or ""))
    head_title = ""
    t = root.find(".//title")
    if t is not None:
        head_title = t.text_content() or ""
    # Of "<headline> | <site>" only the longest part: the shorter ones are usually the site's name.
    parts = [p for p in _TITLE_SEP.split(head_title) if p.strip()]
    cands = [*metas, head_title, *([max(parts, key=len)] if len(parts) > 1 else [])]
    keys: set[str] = set()
    for c in cands:
        toks = tokens(c)
        if len(toks) >= 3 and not (len(toks) < 6 and all(len(x) == 1 for x in toks)):
            keys.add(key(toks))
    keys.discard(site)
    title_key = " " + key(tokens(head_title)) + " "
    out = set(keys)
    for h in root.iter("h1"):
        hk = key(tokens(h.text_content() or ""))
        if hk.count(" ") >= 1 and hk != site and (hk in keys or " " + hk + " " in title_key):
            out.add(hk)
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# Sorting non-body lines


@lru_cache(maxsize=None)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation over ``cues``, longest first, each ending at a word boundary."""
    parts = sorted(set(cues), key=len, reverse=True)
    return re.compile("|".join(re.escape(c) + (r"(?!\w)" if c[-1].isalnum() else "") for c in parts))


def _cue_lead(text: str, cues: tuple[str, ...]) -> bool:
    """Whether the line starts with one of ``cues`` (after bullets and quotes)."""
    return bool(_cue_pattern(cues).match(text.lower().lstrip(_LEAD_STRIP)))


def _cue_inside(text: str, cues: tuple[str, ...]) -> bool:
    """Whether one of ``cues`` occurs anywhere in the line, starting at a word boundary."""
    low = text.lower()
    return any(m.start() == 0 or not low[m.start() - 1].isalnum() for m in _cue_pattern(cues).finditer(low))


STRONG_PAYWALL = tuple(c for c in PAYWALL_CUES if c not in WEAK_PAYWALL_CUES) + EXTRA_PAYWALL_CUES
STRONG_AD = tuple(c for c in AD_CUES if c not in WEAK_AD_CUES) + EXTRA_AD_CUES
# A line that is all link, this long and in no menu, footer or header is a headline teaser.
TEASER_TOKENS = 5
TEASER_LINK_RATIO = 0.8
WEAK_AD = tuple(c for c in AD_CUES if c in WEAK_AD_CUES)


def sort_other(text: str, ctx: Context, holders: frozenset[int] = frozenset(), nearby: str = "") -> tuple[str, str]:
    """Sort a line that is not body into nav, paywall or ad.

    The order: a cookie notice (nav); newsletter words (nav); a leading ad cue ("Read also",
    "Advertisement") unless the line is a menu item; a paywall cue; the innermost ancestor whose
    tag or class/id tokens carry a signal; a subscription offer or badge; a topical ad cue
    (betting, crypto) away from navigation; a headline link outside the page frame (ad); nav.

    Ancestors that also hold article text are passed over: an ``article.paywall`` or a
    ``div.ad-free`` wrapper describes the whole story, not the byline or share row inside it.

    Args:
        text: The line.
        ctx: Its HTML context (``EMPTY_CONTEXT`` when unknown).
        holders: Numbers of the elements that hold body lines of the page.
        nearby: The neighbouring lines; a subscription offer next to an e-mail field or a newsletter
            prompt is a sign-up, not a wall.

    Returns:
        (label, reason).
    """
    chain = [(tag, toks) for tag, toks, number in ctx.chain if tag not in PAGE_TAGS and number not in holders]
    if any(toks & COOKIE_TOKENS for _, toks in chain):
        return "nav", "ctx:cookie"  # cookie tables name "advertisement" cookies and "subscription" ones
    if any(toks & NEWSLETTER_TOKENS for _, toks in chain):
        return "nav", "ctx:newsletter"
    low = text.lower().strip(_LEAD_STRIP)
    if low in ACCOUNT_LINKS:
        return "nav", "account-link"
    if _cue_inside(text, NEWSLETTER_CUES):
        return "nav", "cue:newsletter"
    if _cue_lead(text, STRONG_AD):
        # "Most popular" or "Recommended routers" in a menu is a menu item.
        in_menu = any(tag in NAV_TAGS or _matches(toks, NAV_MENU_TOKENS, NAV_MENU_PREFIXES) for tag, toks in chain)
        return ("nav", "cue:ad-in-menu") if in_menu else ("ad", "cue:ad")
    if _cue_inside(text, STRONG_PAYWALL):
        return "paywall", "cue:paywall"
    words = tokens(text)
    medium = low in BADGES or _cue_lead(text, MEDIUM_PAYWALL_CUES)
    if medium and low not in BADGES and _cue_inside(nearby, NEWSLETTER_CUES):
        medium = False
    frame = side = False
    for tag, toks in chain:
        signal = element_signal(tag, toks)
        if signal == "subscribe":
            return ("paywall", "ctx:subscribe+cue") if medium else ("nav", "ctx:subscribe")
        if signal:
            return signal, f"ctx:{signal}"
        frame = frame or tag in FRAME_TAGS or bool(toks & FRAME_TOKENS)
        side = side or tag in SIDE_TAGS or bool(toks & SIDE_TOKENS)
    if medium:
        return "paywall", "cue:paywall-offer"
    if not (frame or side) and _cue_inside(text, WEAK_AD):
        return "ad", "cue:ad-topic"
    # A headline: mostly words (a date or "12 comments" is not one), no "Read more" or "Share", no
    # URL and no row of links ("About | Press | Contact", "Yes / No").
    headline = (sum(1 for w in words if w.isalpha() and len(w) > 1) >= TEASER_TOKENS
                and not _cue_lead(text, NAV_CUES) and " " in text.strip() and not _LINK_ROW.search(text))
    if not frame and ctx.link_ratio >= TEASER_LINK_RATIO and headline:
        return "ad", "teaser-link"
    return "nav", "structure" if frame or side else "default"


# ---------------------------------------------------------------------------------------------
# Pages


@dataclass
class Rendered:
    """One page rendered one way, with its labels.

    Attributes:
        rendering: One of ``RENDERINGS``.
        lines: The rendered lines.
        decisions: Alignment's decision per line.
        labels: Final label per line (``skip`` for lines left out).
        reasons: Which rule gave each label.
        contexts: HTML context per line.
    """

    rendering: str
    lines: list[str]
    decisions: list[Decision]
    labels: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)

    def rows(self) -> list[LabelledLine]:
        """The labelled rows written to the tsv: every line but the skipped ones."""
        return [LabelledLine(lab, line) for lab, line in zip(self.labels, self.lines) if lab != "skip"]

    def counts(self) -> Counter[str]:
        """Lines per final label."""
        return Counter(self.labels)


def render(html: str) -> dict[str, list[str]]:
    """The page's lines in each rendering (a rendering that yields nothing is left out).

    Args:
        html: The page's HTML.

    Returns:
        Rendering name to lines.
    """
    import trafilatura

    out: dict[str, list[str]] = {}
    settings: tuple[tuple[str, dict[str, Any]], ...] = (
        ("traf", {}), ("traf_recall", {"favor_recall": True, "include_comments": True, "include_tables": True}))
    for name, kwargs in settings:
        try:
            text = trafilatura.extract(html, **kwargs)
        except Exception as exc:  # trafilatura raises many kinds on odd pages; the page just lacks this rendering
            log.debug("trafilatura failed (%s): %s", name, exc)
            text = None
        if text:
            out[name] = text.splitlines()
    full = html_lines(html)
    if full:
        out["full"] = full
    return out


def reference_kind(record: Mapping[str, Any]) -> str:
    """Which aligner a record needs: ``gold``, ``blocks``, ``snippets`` or ``none``."""
    if record.get("gold"):
        return "gold"
    if record.get("blocks"):
        return "blocks"
    if record.get("keep") or record.get("drop"):
        return "snippets"
    return "none"


def align_record(record: Mapping[str, Any], lines: Sequence[str], titles: Sequence[str],
                 chrome: Sequence[bool] = ()) -> list[Decision]:
    """Align a rendering's lines with whatever reference the record has.

    Args:
        record: The corpus record.
        lines: Rendered lines.
        titles: ``page_titles`` of the page.
        chrome: Per line, whether it is an in-page link (see ``align_gold``).

    Returns:
        One decision per line.
    """
    kind = reference_kind(record)
    keep, drop = record.get("keep") or [], record.get("drop") or []
    if kind == "gold":
        return align_gold(lines, record["gold"], titles=titles, keep=keep, drop=drop, chrome=chrome)
    if kind == "blocks":
        return align_blocks(lines, record["blocks"], titles=titles, chrome=chrome)
    if kind == "snippets":
        return align_snippets(lines, keep, drop, titles=titles, chrome=chrome)
    return [Decision("skip", "no-reference") for _ in lines]


def derive_page(record: Mapping[str, Any]) -> list[Rendered]:
    """Render one page three ways and label every line.

    Args:
        record: A corpus record with ``html`` and a reference.

    Returns:
        One ``Rendered`` per rendering the page yields.
    """
    html = record.get("html") or ""
    root = parse_html(html) if html else None
    if root is None:
        return []
    blocks = block_contexts(root)
    titles = page_titles(root)
    rendered = render(html)
    aligned: dict[str, Rendered] = {}
    for name, lines in rendered.items():
        chrome: list[bool] = []
        if name == "full" and [t for t, _ in blocks] == list(lines):
            contexts = [c for _, c in blocks]
            # Only where the context is the line's own: a heading matched to its table-of-contents
            # entry in another rendering must not be taken for the entry.
            chrome = [c.anchor_ratio >= ANCHOR_LINE for c in contexts]
        else:
            index = ContextIndex(blocks)
            contexts = [index.find(line) for line in lines]
        r = Rendered(name, list(lines), align_record(record, lines, titles, chrome), contexts=contexts)
        aligned[name] = r
    # Elements holding body lines in any rendering describe the article, not the chrome in it. Short
    # lines are left out: "Add-ons" found in the gold text may be the menu item, not the heading.
    holders = frozenset(number for r in aligned.values() for d, line, ctx in zip(r.decisions, r.lines, r.contexts)
                        if d.label == "body" and (d.reason == "title" or len(tokens(line)) >= MIN_FRAGMENT_TOKENS)
                        for _, _, number in ctx.chain)
    for r in aligned.values():
        # Gold lines whose first copy sat in a menu: the next copy outside the chrome is the real one.
        released: Counter[str] = Counter()
        for i, (line, d, ctx) in enumerate(zip(r.lines, r.decisions, r.contexts)):
            label, reason = d.label, d.reason
            short = len(tokens(line)) < MIN_FRAGMENT_TOKENS
            if label == "body" and reason != "title" and short:
                signal = _chrome_signal(ctx, holders)
                if signal:
                    label, reason = "skip", f"short-in-{signal}"
                    released[key(tokens(line))] += 1
            elif reason == "copy" and released[key(tokens(line))] and not _chrome_signal(ctx, holders):
                released[key(tokens(line))] -= 1
                label, reason = "body", "in-gold-after-chrome"
            elif label in ("other", "nav") and reason != "no-words":
                inside = _in_article_element(ctx, holders)
                if inside:
                    label, reason = "skip", f"{reason}|in-article-{inside}"
                elif label == "other":
                    nearby = " ".join(r.lines[max(0, i - 2):i] + r.lines[i + 1:i + 3])
                    label, reason = sort_other(line, ctx, holders, nearby)
                    reason = f"{d.reason}|{reason}"
            r.labels.append(label)
            r.reasons.append(reason)
        _skip_code_symbols(r)
    return list(aligned.values())


def _chrome_signal(ctx: Context, holders: frozenset[int]) -> str | None:
    """The first nav/ad/paywall signal among the ancestors that hold no article text."""
    for tag, toks, number in ctx.chain:
        if tag in PAGE_TAGS or number in holders:
            continue
        signal = element_signal(tag, toks)
        if signal in ("nav", "ad", "paywall"):
            return signal
    return None


def _in_article_element(ctx: Context, holders: frozenset[int]) -> str | None:
    """``code``, ``table``... when the line sits in such an element placed inside the article.

    Code is skipped wherever it is. A table or figure counts when an element holding article text
    encloses it with no menu, side column, frame, ad box or table cell in between, since old pages
    lay out their menus with tables too.
    """
    chain = ctx.chain
    for j, (tag, toks, number) in enumerate(chain):
        if number in holders or not (tag in IN_ARTICLE_TAGS or toks & CAPTION_TOKENS):
            continue
        if tag in CODE_TAGS:
            return "code"
        if tag not in IN_ARTICLE_TAGS:
            tag = "caption"
        for up_tag, up_toks, up_number in chain[j + 1:]:
            if up_tag in PAGE_TAGS:
                break  # <body> holds everything: a table right under it is no part of the story
            if up_number in holders:
                return tag
            # A cell of a layout table on the way up: this is a menu or a side column of an old page.
            if (up_tag in LAYOUT_TAGS or element_signal(up_tag, up_toks) or up_tag in FRAME_TAGS
                    or up_tag in SIDE_TAGS or up_toks & (FRAME_TOKENS | SIDE_TOKENS)):
                break
        return None
    return None


def _skip_code_symbols(r: Rendered) -> None:
    """Skip symbol-only lines ("/>", "}") next to skipped code: they are code too, not separators."""
    changed = True
    while changed:
        changed = False
        for i, reason in enumerate(r.reasons):
            if reason != "no-words" or r.labels[i] == "skip":
                continue
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(r.lines)]
            if any(r.labels[j] == "skip" and "code" in r.reasons[j] for j in near):
                r.labels[i], r.reasons[i] = "skip", "no-words|code"
                changed = True


def page_file(record_id: str, rendering: str) -> str:
    """The tsv's path under the cache, from the record id: ``wcxb/dev/0001`` -> ``wcxb/dev__0001.full.tsv``."""
    dataset, _, rest = record_id.partition("/")
    safe = re.sub(r"[^0-9A-Za-z._-]+", "_", rest.replace("/", "__")) or "page"
    return f"{dataset}/{safe}.{rendering}.tsv"


def format_rows(rows: Iterable[LabelledLine]) -> str:
    """Rows in the ``data/`` format, score column 1.0 (blank rows keep an empty text)."""
    return "".join(f"{r.label}\t1.0\t{r.text}\n" for r in rows)


# ---------------------------------------------------------------------------------------------
# Corpus


_SPLIT = re.compile(r'"split"\s*:\s*"([^"]*)"')


def iter_train_pages(
    corpora: Path, datasets: Sequence[str] | None = None, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The ``split == "train"`` records of the corpora, dataset by dataset.

    A record's split is read from its raw line before the line is parsed, so test pages are never
    materialised.

    Args:
        corpora: Folder of ``<dataset>.jsonl.gz`` files.
        datasets: Only these datasets (file stems); all when None.
        limit: At most this many pages per dataset.

    Yields:
        Train records.
    """
    for path in sorted(Path(corpora).glob("*.jsonl.gz")):
        name = path.name.removesuffix(".jsonl.gz")
        if datasets and name not in datasets:
            continue
        n = 0
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for raw in f:
                m = _SPLIT.search(raw[:2000])
                if m and m.group(1) != "train":
                    continue
                record = json.loads(raw)
                if record.get("split") != "train":
                    continue
                yield record
                n += 1
                if limit is not None and n >= limit:
                    break


def _work(record: dict[str, Any]) -> dict[str, Any]:
    """Derive one page in a worker: the rows to write and the counts, nothing else."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    meta = {k: record.get(k) for k in ("id", "dataset", "lang", "page_type")}
    meta["reference"] = reference_kind(record)
    try:
        rendered = derive_page(record)
    except Exception as exc:  # one broken page must not stop a run over two thousand
        return {**meta, "error": f"{type(exc).__name__}: {exc}", "renderings": []}
    items = []
    for r in rendered:
        reasons = Counter(reason for lab, reason in zip(r.labels, r.reasons) if lab == "skip")
        items.append({"rendering": r.rendering, "tsv": format_rows(r.rows()), "counts": dict(r.counts()),
                      "skip_reasons": dict(reasons)})
    return {**meta, "renderings": items}


def run(corpora: Path, cache: Path, jobs: int = 1, limit: int | None = None,
        datasets: Sequence[str] | None = None) -> dict[str, Any]:
    """Derive every train page and write the tsv files and the manifest.

    Args:
        corpora: Folder of the benchmark corpora.
        cache: Output folder.
        jobs: Worker processes.
        limit: At most this many pages per dataset.
        datasets: Only these datasets.

    Returns:
        The manifest.
    """
    cache.mkdir(parents=True, exist_ok=True)
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    skips: dict[str, Counter[str]] = defaultdict(Counter)
    pages: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    n_pages: Counter[str] = Counter()
    no_body: Counter[str] = Counter()
    records = iter_train_pages(corpora, datasets, limit)
    with Pool(jobs) if jobs > 1 else _Serial() as pool:
        for i, res in enumerate(pool.imap_unordered(_work, records, chunksize=1), 1):
            ds = res["dataset"]
            n_pages[ds] += 1
            if "error" in res:
                errors.append({"id": res["id"], "error": res["error"]})
            for item in res["renderings"]:
                c = Counter(item["counts"])
                counts[ds][item["rendering"]].update(c)
                skips[ds].update(item["skip_reasons"])
                if not c["body"]:
                    no_body[ds] += 1  # a page with no body line is not a page to learn from
                    continue
                rel = page_file(res["id"], item["rendering"])
                out = cache / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(item["tsv"], encoding="utf-8")
                pages.append({
                    "id": res["id"], "dataset": ds, "lang": res["lang"], "page_type": res["page_type"],
                    "reference": res["reference"], "rendering": item["rendering"], "file": rel,
                    "counts": {k: c[k] for k in (*CLASSES, "blank", "skip") if c[k]},
                    # Snippet pages only label the lines a snippet speaks about.
                    "partial": res["reference"] == "snippets",
                })
            if i % 100 == 0:
                log.info("%d pages", i)
    pages.sort(key=lambda p: (p["id"], RENDERINGS.index(p["rendering"])))
    manifest = {
        "renderings": list(RENDERINGS),
        "pages_read": dict(n_pages),
        "files": len(pages),
        "no_body_renderings": dict(no_body),
        "counts": {ds: {r: dict(c) for r, c in by_r.items()} for ds, by_r in sorted(counts.items())},
        "skip_reasons": {ds: dict(c) for ds, c in sorted(skips.items())},
        "errors": errors,
        "pages": pages,
    }
    (cache / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


class _Serial:
    """Stands in for a process pool when one job is asked for."""

    def __enter__(self) -> "_Serial":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap_unordered(self, fn: Any, items: Iterable[Any], chunksize: int = 1) -> Iterator[Any]:
        """Map in this process."""
        return map(fn, items)


# ---------------------------------------------------------------------------------------------
# Loading


def _selected(page: Mapping[str, Any], datasets: Sequence[str] | None, renderings: Sequence[str] | None,
              page_types: Sequence[str | None] | None, include_partial: bool) -> bool:
    """Whether a manifest entry passes the loader's filters."""
    return ((datasets is None or page["dataset"] in datasets)
            and (renderings is None or page["rendering"] in renderings)
            and (page_types is None or page.get("page_type") in page_types)
            and (include_partial or not page.get("partial")))


def load_derived(
    cache_dir: Path = DEFAULT_CACHE,
    *,
    datasets: Sequence[str] | None = None,
    renderings: Sequence[str] | None = None,
    page_types: Sequence[str | None] | None = ARTICLE_TYPES,
    include_partial: bool = True,
) -> list[Doc]:
    """The derived pages as ``Doc`` objects.

    Args:
        cache_dir: The folder ``python -m training.derive`` wrote.
        datasets: Only these datasets; all when None.
        renderings: Only these renderings (``traf``, ``traf_recall``, ``full``); all when None.
        page_types: Only pages of these WCXB page types (None stands for pages without a type, i.e.
            every other dataset). The default keeps articles: the gold text of listing, product or
            forum pages calls their teasers and posts the main text, which is not what an article
            cleaner should learn. Pass None for every page.
        include_partial: Keep snippet-labelled pages, which hold only the lines a snippet decided.

    Returns:
        One ``Doc`` per (page, rendering): name ``<page>.<rendering>``, group ``derived:<dataset>``,
        lang from the corpus (``xx`` when unknown).
    """
    cache_dir = Path(cache_dir)
    manifest = json.loads((cache_dir / MANIFEST).read_text(encoding="utf-8"))
    return [read_doc(cache_dir / p["file"], p.get("lang") or "xx", f"derived:{p['dataset']}")
            for p in manifest["pages"] if _selected(p, datasets, renderings, page_types, include_partial)]


# ---------------------------------------------------------------------------------------------
# Audit


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` trials.

    Args:
        k: Successes.
        n: Trials.
        z: Normal quantile (1.96 for 95 %).

    Returns:
        (low, high); (0, 1) when ``n`` is 0.
    """
    if n == 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def draw_sample(cache: Path, corpora: Path, n: int, seed: int,
                minimum: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """A seeded, class-stratified sample of derived lines with their context, for a hand audit.

    Nav, paywall and ad get at least ``minimum`` lines each (as many as exist when fewer), body
    gets the rest of ``n``. The sampled pages are derived again to recover each line's rule and
    HTML context.

    Args:
        cache: The derived data folder.
        corpora: The corpora folder (to re-derive the sampled pages).
        n: Sample size.
        seed: Random seed.
        minimum: Lines per class at least; defaults to 60 nav, 50 paywall, 60 ad.

    Returns:
        One dict per sampled line: idx, id, rendering, line number, label, reason, context and
        the neighbouring lines.
    """
    minimum = dict(minimum or {"nav": 60, "paywall": 50, "ad": 60})
    docs_meta = [p for p in json.loads((cache / MANIFEST).read_text(encoding="utf-8"))["pages"]
                 if _selected(p, None, None, ARTICLE_TYPES, True)]
    population: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pi, p in enumerate(docs_meta):
        rows = (cache / p["file"]).read_text(encoding="utf-8").split("\n")
        for li, row in enumerate(rows):
            label = row.split("\t", 1)[0]
            if label in CLASSES:
                population[label].append((pi, li))
    rng = random.Random(seed)
    want = {c: min(len(population[c]), minimum.get(c, 0)) for c in ("nav", "paywall", "ad")}
    want["body"] = min(len(population["body"]), max(0, n - sum(want.values())))
    picked: list[tuple[str, int, int]] = []
    for c in CLASSES:
        picked.extend((c, pi, li) for pi, li in rng.sample(population[c], want[c]))
    by_page: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for c, pi, li in picked:
        by_page[pi].append((c, li))
    wanted_ids = {docs_meta[pi]["id"] for pi in by_page}
    records = {r["id"]: r for r in iter_train_pages(corpora) if r["id"] in wanted_ids}
    derived_cache: dict[str, dict[str, Rendered]] = {}
    out: list[dict[str, Any]] = []
    for pi, items in by_page.items():
        meta = docs_meta[pi]
        if meta["id"] not in derived_cache:
            derived_cache[meta["id"]] = {r.rendering: r for r in derive_page(records[meta["id"]])}
        r = derived_cache[meta["id"]][meta["rendering"]]
        kept = [i for i, lab in enumerate(r.labels) if lab != "skip"]
        for c, li in items:
            i = kept[li]
            assert r.labels[i] == c, (meta["file"], li)
            out.append({
                "id": meta["id"], "rendering": meta["rendering"], "page_type": meta["page_type"],
                "line": i, "label": c, "reason": r.reasons[i], "context": r.contexts[i].summary(),
                "link_ratio": round(r.contexts[i].link_ratio, 2),
                "before": [f"{r.labels[j]}: {r.lines[j][:160]}" for j in range(max(0, i - 2), i)],
                "text": r.lines[i],
                "after": [f"{r.labels[j]}: {r.lines[j][:160]}" for j in range(i + 1, min(len(r.lines), i + 3))],
            })
    rng.shuffle(out)
    for idx, item in enumerate(out):
        item["idx"] = idx
    return out


def audit_summary(sample: Sequence[Mapping[str, Any]], judged: Mapping[int, str],
                  population: Mapping[str, int] | None = None) -> str:
    """Per-class accuracy of derived labels from hand judgements, as a markdown table.

    Args:
        sample: ``draw_sample`` output.
        judged: Sample idx to the label a reader gave the line (``body``/``nav``/``paywall``/``ad``).
        population: Derived lines per class, to weight an overall figure; none when missing.

    Returns:
        Markdown: per class the sample size, share judged correct with its 95 % Wilson interval,
        and the share judged at least on the right side of body / not body.
    """
    per: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in sample:
        if item["idx"] in judged:
            per[item["label"]].append((item["label"], judged[item["idx"]]))
    lines = ["| derived label | audited | correct | accuracy (95% CI) | body/not-body correct | judged as |",
             "|---|---:|---:|---|---:|---|"]
    overall = 0.0
    for c in CLASSES:
        pairs = per.get(c, [])
        k = sum(a == b for a, b in pairs)
        side = sum((a == "body") == (b == "body") for a, b in pairs)
        lo, hi = wilson(k, len(pairs))
        acc = k / len(pairs) if pairs else float("nan")
        conf = Counter(b for _, b in pairs)
        seen = ", ".join(f"{lab} {conf[lab]}" for lab in CLASSES if conf[lab])
        lines.append(f"| {c} | {len(pairs)} | {k} | {acc:.1%} ({lo:.1%}–{hi:.1%}) | "
                     f"{side / len(pairs) if pairs else float('nan'):.1%} | {seen} |")
        if population:
            overall += acc * population.get(c, 0) / max(1, sum(population.values()))
    if population:
        lines.append("")
        lines.append(f"Accuracy over all derived lines, weighting each class by its share: {overall:.1%}.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    """Derive labelled lines from the train pages, or draw or summarise an audit sample.

    Args:
        argv: Command-line arguments (``sys.argv[1:]`` when None).

    Returns:
        Exit code.
    """
    ap = argparse.ArgumentParser(prog="python -m training.derive", description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="benchmark corpora folder")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="output folder (kept out of git)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--limit", type=int, default=None, help="at most N pages per dataset")
    ap.add_argument("--datasets", nargs="*", default=None, help="only these datasets")
    ap.add_argument("--audit-sample", type=int, metavar="N", help="write an audit sample of N lines instead")
    ap.add_argument("--seed", type=int, default=1, help="audit sample seed")
    ap.add_argument("--audit-summary", type=Path, metavar="JUDGED",
                    help="summarise judgements (tsv: idx<TAB>label) of the sample drawn with --seed")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    audit_dir = args.cache / "audit"
    sample_path = audit_dir / f"sample-{args.seed}.jsonl"
    if args.audit_sample:
        audit_dir.mkdir(parents=True, exist_ok=True)
        sample = draw_sample(args.cache, args.corpora, args.audit_sample, args.seed)
        sample_path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sample), encoding="utf-8")
        print(f"{len(sample)} lines -> {sample_path}")
        return 0
    if args.audit_summary:
        sample = [json.loads(x) for x in sample_path.read_text(encoding="utf-8").splitlines()]
        judged = {}
        for row in args.audit_summary.read_text(encoding="utf-8").splitlines():
            parts = row.split("\t")
            if len(parts) >= 2 and parts[0].strip().isdigit():
                judged[int(parts[0])] = parts[1].strip()
        manifest = json.loads((args.cache / MANIFEST).read_text(encoding="utf-8"))
        pop: Counter[str] = Counter()
        for p in manifest["pages"]:
            if _selected(p, None, None, ARTICLE_TYPES, True):
                pop.update({c: p["counts"].get(c, 0) for c in CLASSES})
        print(audit_summary(sample, judged, pop))
        return 0
    if not args.corpora.is_dir():
        print(f"error: corpora folder not found: {args.corpora}", file=sys.stderr)
        return 2
    manifest = run(args.corpora, args.cache, args.jobs, args.limit, args.datasets)
    for ds, by_r in manifest["counts"].items():
        for r, c in by_r.items():
            print(ds, r, " ".join(f"{k}={c.get(k, 0)}" for k in (*CLASSES, "skip")))
    print(f"{manifest['files']} files, {len(manifest['errors'])} errors -> {args.cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
