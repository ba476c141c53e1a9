"""Derived labels from HTML pages: class tokens, contexts, nav/paywall/ad sorting, files and loading.

Every page here is written for the tests; none comes from the benchmark corpora.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner.html import html_lines
from training.align import Decision
from training.derive import (
    EMPTY_CONTEXT,
    Context,
    ContextIndex,
    Rendered,
    _skip_code_symbols,
    audit_summary,
    block_contexts,
    class_tokens,
    derive_page,
    element_signal,
    element_tokens,
    iter_train_pages,
    load_derived,
    page_file,
    page_titles,
    parse_html,
    run,
    sort_other,
    wilson,
)

PAGE = """<!doctype html>
<html><head><title>Council approves new bridge | The Town Times</title>
<meta property="og:title" content="Council approves new bridge"></head>
<body class="single premium-article">
<header class="site-header"><a class="logo" href="/">The Town Times</a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/local">Local news</a></li>
<li><a href="/crypto">Crypto</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/local">Local</a></div>
<article class="post premium-article">
<h1 class="entry-title">Council approves new bridge</h1>
<div class="entry-meta">By Jane Doe · 4 June 2024</div>
<div class="share-buttons"><a href="#">Share on Facebook</a></div>
<p>The council voted on Tuesday to build a new bridge over the river, officials said.</p>
<div class="adSlot-300x250"><span>Advertisement</span></div>
<div class="ad_container"><p>Win big tonight at our partner casino with free spins</p></div>
<p>The bridge will cost 12 million euros and should open in 2027 according to the council plan.</p>
<div class="paywall-overlay"><p>You have used all your free stories this week</p></div>
<p class="badge">Premium</p>
<div class="subscribe-box"><p>Get the morning briefing every day</p></div>
<div class="subscribe-box"><p>Subscribe now: 1 euro for the first month</p></div>
<aside class="related-posts"><h3>More from Local</h3>
<ul><li><a href="/a">Tram line delayed again as works overrun into the summer</a></li></ul></aside>
</article>
<div id="comments"><p>Great news for the town, finally a second crossing!</p></div>
<footer><p>Copyright 2024 The Town Times</p></footer>
</body></html>"""

GOLD = """The council voted on Tuesday to build a new bridge over the river, officials said.
The bridge will cost 12 million euros and should open in 2027 according to the council plan."""


@pytest.mark.parametrize("value, expected", [
    ("adSlot-300x250 mostRead", ["ad", "slot", "most", "read"]),  # "300x250" starts with a digit
    ("css-1caqep 5343ad col-12", ["css", "col", "12"]),  # generated names are dropped whole
    ("b5343ad4-d1b4 ad300x250", ["b", "d", "ad"]),  # hex ids keep their first letters only
    ("ad_container", ["ad", "container"]),
    ("nav__item--active", ["nav", "item", "active"]),
    ("HTMLParser", ["html", "parser"]),
    ("site-header", ["site", "header"]),
    ("masthead shadow-box", ["masthead", "shadow", "box"]),
    ("RecommendedStories", ["recommended", "stories"]),
    ("", []),
])
def test_class_tokens(value: str, expected: list[str]) -> None:
    assert class_tokens(value) == expected


def test_element_tokens_add_neighbour_pairs_and_ad_attributes() -> None:
    toks = element_tokens({"class": "most-read widget", "id": "side"})
    assert {"most", "read", "mostread", "widget", "side"} <= toks
    assert "ad" in element_tokens({"data-ad-slot": "123"})
    assert "ad" not in element_tokens({"data-adjust": "1", "class": "download"})


@pytest.mark.parametrize("tag, attrs, expected", [
    ("div", {"class": "ad"}, "ad"),
    ("div", {"class": "adSlot"}, "ad"),
    ("div", {"id": "taboola-below-article"}, "ad"),
    ("aside", {"class": "related-posts"}, "ad"),
    ("div", {"class": "sponsoredContent"}, "ad"),
    ("div", {"class": "paywall-overlay"}, "paywall"),
    ("div", {"class": "premium"}, None),  # premium listings, tiers, menus: only a badge's text counts
    ("div", {"class": "paid-partner"}, None),
    ("div", {"class": "subscribe-box"}, "subscribe"),
    ("div", {"class": "newsletter-subscribe"}, "nav"),  # a sign-up box, not a wall
    ("div", {"class": "cookie-consent"}, "nav"),
    ("div", {"class": "breadcrumbs"}, "nav"),
    ("dd", {"class": "permalink"}, "nav"),
    ("div", {"class": "widget_archive"}, "nav"),
    ("nav", {}, "nav"),
    ("div", {"role": "navigation"}, "nav"),
    # Words that merely contain "ad" or "head" say nothing.
    ("div", {"class": "shadow loaded download"}, None),
    ("div", {"class": "header"}, None),  # header is weak structure, handled by sort_other
    ("div", {"class": "masthead"}, None),
    ("div", {"class": "head"}, None),
    ("p", {}, None),
])
def test_element_signal(tag: str, attrs: dict[str, str], expected: str | None) -> None:
    assert element_signal(tag, element_tokens(attrs)) == expected


def test_block_contexts_follow_html_lines() -> None:
    root = parse_html(PAGE)
    blocks = block_contexts(root)
    assert [t for t, _ in blocks] == html_lines(PAGE)
    ctx = dict(blocks)
    home = ctx["Home"]
    assert [tag for tag, _, _ in home.chain[:4]] == ["a", "li", "ul", "nav"]
    assert home.link_ratio == 1.0
    # The longest piece, "Local", decides the chain: its link, then the breadcrumb div.
    crumbs = ctx["Home › Local"]
    assert crumbs.chain[0][0] == "a" and "breadcrumbs" in crumbs.chain[1][1]
    assert crumbs.link_ratio == pytest.approx(9 / 10)  # "Home" and "Local" of "Home›Local"
    para = ctx["The council voted on Tuesday to build a new bridge over the river, officials said."]
    assert para.chain[0][0] == "p" and para.link_ratio == 0.0
    assert "premium" in para.chain[1][1]
    numbers = [n for _, _, n in para.chain]
    assert numbers == sorted(numbers, reverse=True)  # elements numbered in document order


def test_page_titles_need_meta_support() -> None:
    titles = page_titles(parse_html(PAGE))
    assert "council approves new bridge" in titles
    assert "council approves new bridge the town times" in titles
    assert "the town times" not in titles  # the shorter part of the <title> is the site's name
    no_meta = parse_html("<html><body><h1>Welcome to my site</h1><p>Text</p></body></html>")
    assert page_titles(no_meta) == []


def test_context_index_finds_blocks_in_page_order() -> None:
    one, two, para = (Context(((tag, frozenset({name}), i),)) for i, (tag, name) in
                      enumerate([("a", "one"), ("a", "two"), ("p", "para")]))
    index = ContextIndex([("Home", one), ("The bridge opens in 2027.", para), ("Home", two)])
    assert index.find("Home") is one
    assert index.find("Home") is two
    assert index.find("Home") is one  # wraps around to the first copy
    assert index.find("- The bridge opens") is para  # a list item trafilatura cut from its block
    assert index.find("Home page of the bridge fans") is EMPTY_CONTEXT  # a one-word block is no part
    assert index.find("nothing like it") is EMPTY_CONTEXT


def _ctx(html: str, text: str) -> Context:
    """The context of the block ``text`` in ``html``."""
    return dict(block_contexts(parse_html(html)))[text]


@pytest.mark.parametrize("text, expected", [
    ("Home", ("nav", "ctx:nav")),
    ("Crypto", ("nav", "ctx:nav")),  # a menu item, not a crypto promo
    ("Home › Local", ("nav", "ctx:nav")),
    ("By Jane Doe · 4 June 2024", ("nav", "structure")),  # entry-meta: weak; the premium article holds body
    ("Share on Facebook", ("nav", "ctx:nav")),  # the share row wins over the premium article around it
    ("Advertisement", ("ad", "cue:ad")),
    ("Win big tonight at our partner casino with free spins", ("ad", "ctx:ad")),
    ("You have used all your free stories this week", ("paywall", "ctx:paywall")),
    ("Premium", ("paywall", "cue:paywall-offer")),  # a badge
    ("Get the morning briefing every day", ("nav", "ctx:subscribe")),
    ("Subscribe now: 1 euro for the first month", ("paywall", "ctx:subscribe+cue")),
    ("More from Local", ("ad", "cue:ad")),
    ("Tram line delayed again as works overrun into the summer", ("ad", "ctx:ad")),
    ("Great news for the town, finally a second crossing!", ("nav", "ctx:nav")),  # comments
    ("Copyright 2024 The Town Times", ("nav", "structure")),
])
def test_sort_other_on_a_page(text: str, expected: tuple[str, str]) -> None:
    root = parse_html(PAGE)
    ctx = dict(block_contexts(root))
    body = [ctx[line] for line in GOLD.split("\n")]
    holders = frozenset(n for c in body for _, _, n in c.chain)
    assert sort_other(text, ctx[text], holders) == expected


def test_sort_other_cookie_tables_and_menu_items() -> None:
    html = ('<html><body><div class="cookie-notice"><table><tr><td>Advertisement cookies are used to show ads'
            '</td></tr></table></div><nav><ul><li>Most popular</li></ul></nav>'
            '<div class="box"><h3>Most popular</h3></div></body></html>')
    blocks = block_contexts(parse_html(html))
    text = "Advertisement cookies are used to show ads"
    assert sort_other(text, dict(blocks)[text]) == ("nav", "ctx:cookie")
    menu, heading = [c for t, c in blocks if t == "Most popular"]
    assert sort_other("Most popular", menu) == ("nav", "cue:ad-in-menu")
    assert sort_other("Most popular", heading) == ("ad", "cue:ad")


def test_teaser_rule_needs_a_headline() -> None:
    html = ('<html><body><ol><li><a href="#c1">December 12th, 2007 at 5:59 pm</a></li>'
            '<li><a href="/p">Read more about the new bridge plans</a></li></ol></body></html>')
    ctx = dict(block_contexts(parse_html(html)))
    assert sort_other("December 12th, 2007 at 5:59 pm", ctx["December 12th, 2007 at 5:59 pm"])[0] == "nav"
    text = "Read more about the new bridge plans"
    assert sort_other(text, ctx[text]) == ("nav", "default")


def test_sort_other_passes_over_elements_holding_the_article() -> None:
    html = ('<html><body><div class="paywall-wrapper"><article><p>The council voted on Tuesday.</p>'
            '<p class="note">By Jane Doe</p></article></div></body></html>')
    root = parse_html(html)
    ctx = dict(block_contexts(root))
    # Unless the wrapper is known to hold the story, its class makes the byline a paywall.
    assert sort_other("By Jane Doe", ctx["By Jane Doe"]) == ("paywall", "ctx:paywall")
    holders = frozenset(n for _, _, n in ctx["The council voted on Tuesday."].chain)
    assert sort_other("By Jane Doe", ctx["By Jane Doe"], holders) == ("nav", "default")


def test_sort_other_premium_marks_badges_only() -> None:
    html = ('<html><body><div class="premium-listing"><p>Premium</p>'
            '<p>Forensic engineering experts for hire in Maryland</p></div></body></html>')
    ctx = dict(block_contexts(parse_html(html)))
    assert sort_other("Premium", ctx["Premium"]) == ("paywall", "cue:paywall-offer")
    text = "Forensic engineering experts for hire in Maryland"
    assert sort_other(text, ctx[text]) == ("nav", "default")


def test_sort_other_newsletter_next_door_is_no_wall() -> None:
    assert sort_other("Subscribe now!", EMPTY_CONTEXT) == ("paywall", "cue:paywall-offer")
    assert sort_other("Subscribe now!", EMPTY_CONTEXT, nearby="Type your email") == ("nav", "default")
    # A wall phrase is a wall whatever is next to it.
    assert sort_other("Subscribe now to keep reading", EMPTY_CONTEXT, nearby="Type your email")[0] == "paywall"


def test_sort_other_headline_links_outside_the_frame_are_teasers() -> None:
    html = ('<html><body><div class="list"><a href="/a">Why our build times doubled after the upgrade</a></div>'
            '<footer><a href="/b">How to contact the editors of this site</a></footer>'
            '<div class="list"><a href="/c">Contact us</a></div></body></html>')
    ctx = dict(block_contexts(parse_html(html)))
    text = "Why our build times doubled after the upgrade"
    assert sort_other(text, ctx[text]) == ("ad", "teaser-link")
    text = "How to contact the editors of this site"
    assert sort_other(text, ctx[text]) == ("nav", "structure")
    assert sort_other("Contact us", ctx["Contact us"]) == ("nav", "default")


@pytest.mark.parametrize("text, expected", [
    ("Read also: Tram line delayed again", "ad"),
    ("Subscribe to continue reading", "paywall"),
    ("Already a subscriber? Log in", "paywall"),
    ("Leggi anche: Articolo riservato ai nostri abbonati", "ad"),  # a teaser, not a wall
    ("Subscribe to our newsletter", "nav"),
    ("Claim 100 free spins at the best online casino", "ad"),  # no context: topic cue counts
    ("Subscription changes", "nav"),
    ("Contact", "nav"),
])
def test_sort_other_without_context(text: str, expected: str) -> None:
    assert sort_other(text, EMPTY_CONTEXT)[0] == expected


def test_sort_other_ignores_page_wide_classes() -> None:
    ctx = _ctx('<html><body class="ad-free premium"><div><p>Terms of use</p></div></body></html>', "Terms of use")
    assert sort_other("Terms of use", ctx) == ("nav", "default")


def test_derive_page_full_rendering() -> None:
    record = {"id": "toy/1", "dataset": "toy", "html": PAGE, "gold": GOLD, "keep": [], "drop": []}
    full = {r.rendering: r for r in derive_page(record)}["full"]
    got = dict(zip(full.lines, full.labels))
    assert got["Council approves new bridge"] == "body"  # title, although not in the gold text
    assert got["The council voted on Tuesday to build a new bridge over the river, officials said."] == "body"
    assert got["Home"] == "nav"
    assert got["Advertisement"] == "ad"
    assert got["You have used all your free stories this week"] == "paywall"
    assert got["Tram line delayed again as works overrun into the summer"] == "ad"
    assert all(lab in ("body", "nav", "paywall", "ad") for lab in full.labels)
    assert [r.label for r in full.rows()] == [lab for lab in full.labels if lab != "skip"]


PAGE2 = """<html><head><title>How to parse logs quickly | Dev Notes</title></head><body>
<nav><a href="/">Home</a> <a href="/tools">Tools</a></nav>
<article><h1>How to parse logs quickly</h1>
<p>Parsing logs is easier than it looks once you split each line into fields.</p>
<h2>Tools</h2>
<p>We use a short script that reads the file line by line and counts errors.</p>
<pre><code>for line in open(path):
    count(line)</code></pre>
<table><tr><td>Warnings</td><td>12</td></tr></table>
<p>Subscribe now to get every new post.</p><p>Enter your email</p>
</article>
<div class="list"><a href="/a">Why our build times doubled after the last upgrade</a></div>
</body></html>"""

GOLD2 = """Parsing logs is easier than it looks once you split each line into fields.
Tools
We use a short script that reads the file line by line and counts errors."""


def test_derive_page_code_tables_menus_and_teasers() -> None:
    record = {"id": "toy/2", "dataset": "toy", "html": PAGE2, "gold": GOLD2, "keep": [], "drop": []}
    full = {r.rendering: r for r in derive_page(record)}["full"]
    got = [(line, lab, reason) for line, lab, reason in zip(full.lines, full.labels, full.reasons)]
    assert got == [
        ("Home Tools", "nav", "not-in-gold|ctx:nav"),
        ("How to parse logs quickly", "body", "title"),
        ("Parsing logs is easier than it looks once you split each line into fields.", "body", "in-gold"),
        ("Tools", "body", "in-gold"),
        ("We use a short script that reads the file line by line and counts errors.", "body", "in-gold"),
        ("for line in open(path): count(line)", "skip", "not-in-gold|in-article-code"),
        ("Warnings", "skip", "not-in-gold|in-article-table"),
        ("12", "skip", "not-in-gold|in-article-table"),
        ("Subscribe now to get every new post.", "nav", "not-in-gold|default"),  # e-mail field next to it
        ("Enter your email", "nav", "not-in-gold|cue:newsletter"),
        ("Why our build times doubled after the last upgrade", "ad", "not-in-gold|teaser-link"),
    ]


def test_derive_page_menu_copy_of_a_gold_heading_is_skipped() -> None:
    html = PAGE2.replace('<a href="/">Home</a> <a href="/tools">Tools</a>', '<ul><li>Home</li><li>Tools</li></ul>')
    record = {"id": "toy/2", "dataset": "toy", "html": html, "gold": GOLD2, "keep": [], "drop": []}
    full = {r.rendering: r for r in derive_page(record)}["full"]
    got = [(lab, reason) for line, lab, reason in zip(full.lines, full.labels, full.reasons) if line == "Tools"]
    # The menu item comes first and matches the gold heading; the heading itself is then a "copy".
    assert got == [("skip", "short-in-nav"), ("body", "in-gold-after-chrome")]


def test_tables_inside_the_article_but_not_layout_tables() -> None:
    html = ("<html><body><table><tr><td><table class='menu-table'><tr><td>Local news today</td></tr></table></td>"
            "<td><p>The council voted on Tuesday to build a new bridge over the river.</p>"
            "<div class='wrap'><table><tr><td>Cost in 2027 euros</td></tr></table></div></td></tr></table>"
            "<table><tr><td>Weather in the valley</td></tr></table></body></html>")
    gold = "The council voted on Tuesday to build a new bridge over the river."
    record = {"id": "toy/3", "dataset": "toy", "html": html, "gold": gold, "keep": [], "drop": []}
    full = {r.rendering: r for r in derive_page(record)}["full"]
    got = dict(zip(full.lines, zip(full.labels, full.reasons)))
    assert got["Cost in 2027 euros"] == ("skip", "not-in-gold|in-article-table")  # a data table in the story
    assert got["Local news today"] == ("nav", "not-in-gold|ctx:nav")  # a menu in the layout table
    assert got["Weather in the valley"] == ("nav", "not-in-gold|default")  # a table outside the story


def test_table_of_contents_entries_are_nav_and_leave_the_heading_body() -> None:
    html = ('<html><body><article><ul class="contents"><li><a href="#steps">Next steps</a></li></ul>'
            '<p>The council voted on Tuesday to build a new bridge over the river, officials said.</p>'
            '<h2 id="steps">Next steps</h2><p class="wp-caption-text">The old bridge in 1950</p>'
            '<p>Residents can comment on the plans until the end of March at the town hall.</p></article>'
            '</body></html>')
    gold = ("The council voted on Tuesday to build a new bridge over the river, officials said.\nNext steps\n"
            "Residents can comment on the plans until the end of March at the town hall.")
    blocks = block_contexts(parse_html(html))
    assert [round(c.anchor_ratio, 1) for t, c in blocks if t == "Next steps"] == [1.0, 0.0]
    record = {"id": "toy/4", "dataset": "toy", "html": html, "gold": gold, "keep": [], "drop": []}
    full = {r.rendering: r for r in derive_page(record)}["full"]
    assert list(zip(full.lines, full.labels, full.reasons)) == [
        ("Next steps", "nav", "in-page-link"),
        ("The council voted on Tuesday to build a new bridge over the river, officials said.", "body", "in-gold"),
        ("Next steps", "body", "in-gold"),
        ("The old bridge in 1950", "skip", "not-in-gold|in-article-caption"),  # a caption by its class
        ("Residents can comment on the plans until the end of March at the town hall.", "body", "in-gold"),
    ]


def test_sort_other_sign_up_boxes_and_account_links() -> None:
    html = ('<html><body><div class="newsletter-box"><p>Already a subscriber? Manage your e-mails</p></div>'
            '<div class="paywall"><a href="/login">Log in</a><p>Subscribe to continue reading</p></div>'
            '<ul><li class="post category-news tag-local"><a href="/x">Tram line delayed again as works overrun'
            '</a></li></ul><div class="links"><a href="/a">About us and our team</a> | <a href="/b">Press and '
            'media contacts</a></div><p><a href="/u">https://example.org/a-long/path-to/some-page-here</a></p>'
            '</body></html>')
    ctx = dict(block_contexts(parse_html(html)))
    text = "Already a subscriber? Manage your e-mails"
    assert sort_other(text, ctx[text]) == ("nav", "ctx:newsletter")
    assert sort_other("Log in", ctx["Log in"]) == ("nav", "account-link")
    text = "Subscribe to continue reading"
    assert sort_other(text, ctx[text]) == ("paywall", "cue:paywall")
    # WordPress marks every post item with its category and tags: no menu for that.
    text = "Tram line delayed again as works overrun"
    assert sort_other(text, ctx[text]) == ("ad", "teaser-link")
    text = "About us and our team | Press and media contacts"
    assert sort_other(text, ctx[text]) == ("nav", "default")  # a row of links is no headline
    text = "https://example.org/a-long/path-to/some-page-here"
    assert ctx[text].link_ratio == 1.0 and sort_other(text, ctx[text]) == ("nav", "default")  # a URL is no headline


def test_skip_code_symbols() -> None:
    r = Rendered("traf", ["x = f(y)", "}", "/>", "***"], [Decision("other", "not-in-gold")] + [
        Decision("nav", "no-words")] * 3)
    r.labels = ["skip", "nav", "nav", "nav"]
    r.reasons = ["not-in-gold|in-article-code", "no-words", "no-words", "no-words"]
    _skip_code_symbols(r)
    assert r.labels == ["skip", "skip", "skip", "skip"]
    r.labels, r.reasons = ["body", "nav"], ["in-gold", "no-words"]
    r.lines = ["Text.", "***"]
    _skip_code_symbols(r)
    assert r.labels == ["body", "nav"]


def test_page_file_names() -> None:
    assert page_file("wcxb/dev/0001", "full") == "wcxb/dev__0001.full.tsv"
    assert page_file("trafilatura_eval/www.example.org.a b", "traf") == "trafilatura_eval/www.example.org.a_b.traf.tsv"


def _write_corpus(folder: Path) -> None:
    """A two-record corpus: one train page, one test page that must never be read."""
    records = [
        {"id": "toy/1", "dataset": "toy", "split": "train", "lang": None, "page_type": None,
         "gold": GOLD, "keep": [], "drop": [], "blocks": None, "html": PAGE},
        {"id": "toy/2", "dataset": "toy", "split": "test", "lang": "en", "page_type": None,
         "gold": GOLD, "keep": [], "drop": [], "blocks": None, "html": PAGE},
        {"id": "toy/3", "dataset": "toy", "split": "train", "lang": "en", "page_type": "listing",
         "gold": GOLD, "keep": [], "drop": [], "blocks": None, "html": PAGE},
    ]
    with gzip.open(folder / "toy.jsonl.gz", "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def test_iter_train_pages_skips_test_pages(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    assert [r["id"] for r in iter_train_pages(tmp_path)] == ["toy/1", "toy/3"]
    assert [r["id"] for r in iter_train_pages(tmp_path, limit=1)] == ["toy/1"]
    assert list(iter_train_pages(tmp_path, datasets=["other"])) == []


def test_run_and_load_derived(tmp_path: Path) -> None:
    corpora, cache = tmp_path / "corpora", tmp_path / "cache"
    corpora.mkdir()
    _write_corpus(corpora)
    manifest = run(corpora, cache, jobs=1)
    assert manifest["pages_read"] == {"toy": 2}
    assert not manifest["errors"]
    assert {p["id"] for p in manifest["pages"]} == {"toy/1", "toy/3"}
    full = cache / "toy" / "1.full.tsv"
    rows = full.read_text(encoding="utf-8").splitlines()
    assert all(r.split("\t")[1] == "1.0" for r in rows)
    assert "body\t1.0\tCouncil approves new bridge" in rows
    docs = load_derived(cache, renderings=["full"])
    assert [d.name for d in docs] == ["1.full"]  # the listing page is left out by default
    assert docs[0].group == "derived:toy" and docs[0].lang == "xx"
    assert docs[0].content_labels()  # every row has a known class
    assert len(load_derived(cache, renderings=["full"], page_types=None)) == 2
    saved = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    assert saved["counts"]["toy"]["full"]["body"] >= 4


def test_wilson_interval() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    lo, hi = wilson(10, 10)
    assert hi == 1.0 and lo == pytest.approx(0.7225, abs=1e-3)
    lo, hi = wilson(45, 50)
    assert lo == pytest.approx(0.786, abs=1e-3) and hi == pytest.approx(0.957, abs=1e-3)


def test_audit_summary_table() -> None:
    sample = [{"idx": 0, "label": "nav"}, {"idx": 1, "label": "nav"}, {"idx": 2, "label": "ad"},
              {"idx": 3, "label": "body"}]
    text = audit_summary(sample, {0: "nav", 1: "ad", 2: "ad", 3: "nav"}, {"body": 2, "nav": 2, "ad": 0})
    row = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert "| 2 | 1 | 50.0%" in row["nav"] and "100.0%" in row["nav"].split("|")[5]
    assert "| 1 | 0 | 0.0%" in row["body"]
    assert "Accuracy over all derived lines" in text
