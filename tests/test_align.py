"""Alignment of scraped lines with reference texts, on small pages written for these tests."""

from __future__ import annotations

import pytest

from training.align import (
    Decision,
    Reference,
    align_blocks,
    align_gold,
    align_snippets,
    key,
    normalize,
    shingles,
    snippet_hit,
    tokens,
)

GOLD = """The council voted on Tuesday to build a new bridge over the river, officials said.
The bridge will cost 12 million euros and should open in 2027 according to the council plan.
Next steps
Residents can comment on the plans until the end of March at the town hall."""


def labels(decisions: list[Decision]) -> list[str]:
    """The label of each decision."""
    return [d.label for d in decisions]


@pytest.mark.parametrize("text, expected", [
    ("  «Hello,   WORLD!»  ", "hello, world"),
    ("ﬁne\u00a0print…", "fine print"),  # NFKC: ligature and no-break space; ellipsis stripped
    ("***", ""),
    ("— 3 min read —", "3 min read"),
    ("Straße", "strasse"),
])
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_tokens_ignore_punctuation_and_quote_styles() -> None:
    assert tokens("Isn’t it 2025?") == tokens("isn't it 2025") == ["isn", "t", "it", "2025"]
    assert tokens("« Read   also »") == ["read", "also"]


def test_tokens_split_chinese_and_japanese_per_character() -> None:
    assert tokens("市は来年 iPhone 15") == ["市", "は", "来", "年", "iphone", "15"]


def test_shingles() -> None:
    assert shingles(["a", "b", "c", "d", "e"], 4) == [("a", "b", "c", "d"), ("b", "c", "d", "e")]
    assert shingles(["a", "b"], 4) == [("a", "b")]
    assert shingles([], 4) == []


def test_reference_counts_whole_tokens_only() -> None:
    ref = Reference(["The bridge opens soon.", "Bridgeport is elsewhere."])
    assert ref.count("bridge") == 1  # not inside "bridgeport"
    assert ref.count("opens soon") == 1
    assert ref.count("") == 0
    assert ref.coverage(tokens("the bridge opens soon")) == 1.0


def test_align_gold_labels_a_small_page() -> None:
    lines = [
        "Home | News | Local",                     # not in the gold text
        "Council Approves New Bridge",             # the title: not in gold, but the page's title
        "By Jane Doe",                             # byline, not in gold
        "The council voted on Tuesday to build a new bridge over the river, officials said.",
        "",
        # 16 tokens, 15 shingles, 8 of them in gold: coverage 0.53 >= 0.5
        "The bridge will cost 12 million euros and open in 2027 according to the plan, the mayor added",
        "Bridge",                                  # one word found inside a paragraph: undecided
        "Council Approves New Bridge",             # second copy of the title
        "Read also: Tram line delayed again",
        "***",
        # 25 tokens, 22 shingles, 8 in gold: coverage 0.36, between 0.2 and 0.5
        "Residents can comment on the plans until the end of May at the town hall or online via "
        "the new portal of the city website",
        "Next steps",                              # a whole gold line, however short
    ]
    got = align_gold(lines, GOLD, titles=["Council approves new bridge"])
    assert labels(got) == ["other", "body", "other", "body", "blank", "body", "skip", "nav", "other", "nav",
                           "skip", "body"]
    assert [d.reason for d in got][:3] == ["not-in-gold", "title", "not-in-gold"]
    assert got[5].reason == "shingles" and got[5].coverage == pytest.approx(8 / 15)
    assert got[6].reason == "short-inside-gold"
    assert got[7].reason == "title-copy"
    assert got[9].reason == "no-words"
    assert got[10].reason == "partial" and got[10].coverage == pytest.approx(8 / 22)


def test_align_gold_title_in_gold_is_body_once() -> None:
    gold = "Council approves new bridge\n" + GOLD
    got = align_gold(["Council Approves New Bridge", "Council approves new bridge!"], gold,
                     titles=["Council approves new bridge"])
    assert labels(got) == ["body", "nav"]


def test_align_gold_copies_beyond_the_gold_text() -> None:
    para = "The council voted on Tuesday to build a new bridge over the river, officials said."
    long_para = "Residents can comment on the plans until the end of March at the town hall."
    # Each paragraph is once in the gold text: the second copy is nav when short, skipped when long.
    got = align_gold([para, long_para, para, long_para + " " + long_para, long_para], GOLD)
    assert labels(got)[:3] == ["body", "body", "nav"]
    assert got[2].reason == "copy"
    # The doubled paragraph is 30 tokens; all its shingles but the seams are in gold, the first
    # half of them unused so far, so it counts as body; the last copy is a copy again.
    assert got[3].label == "body"
    assert got[4].label == "nav" and got[4].reason == "copy"


def test_align_gold_chrome_lines_use_up_no_gold_text() -> None:
    # A table of contents repeats the subheading before it comes; flagged, it stays out of the count.
    lines = ["Next steps", "The council voted on Tuesday to build a new bridge over the river, officials said.",
             "Next steps"]
    assert labels(align_gold(lines, GOLD)) == ["body", "body", "nav"]  # unflagged: the real one is a "copy"
    got = align_gold(lines, GOLD, chrome=[True, False, False])
    assert labels(got) == ["nav", "body", "body"]
    assert got[0].reason == "in-page-link"
    assert labels(align_snippets(["Next steps"], ["next steps"], [], chrome=[True])) == ["nav"]
    assert labels(align_blocks(["Next steps"], [{"text": "Next steps", "label": "body"}], chrome=[True])) == ["nav"]


def test_align_gold_short_reworded_line_is_skipped_not_other() -> None:
    # "Step 2: next steps" is not in the gold text, but its word pair "next steps" is (1 of 3 pairs)
    # -> other; "Next steps ahead" has 1 of 2 pairs in gold -> skipped.
    got = align_gold(["Step 2: next steps", "Next steps ahead"], GOLD)
    assert labels(got) == ["other", "skip"]
    assert got[1].reason == "short-partial"


def test_align_gold_snippets_veto_conflicts() -> None:
    para = "The council voted on Tuesday to build a new bridge over the river, officials said."
    got = align_gold([para, "Sign up for our newsletter today to get all the news first"], GOLD,
                     keep=["sign up for our newsletter today"], drop=["the council voted on tuesday to build"])
    # The drop snippet covers 7 of the paragraph's 15 tokens: not enough to veto it.
    assert labels(got) == ["body", "skip"]
    assert got[1].reason == "conflict-keep"
    got = align_gold([para], GOLD, drop=["the council voted on tuesday to build a new bridge"])
    assert labels(got) == ["skip"] and got[0].reason == "conflict-drop"


def test_snippet_hit() -> None:
    snippets = [key(tokens(s)) for s in ["31. Mai", "Impressum", "the mayor opened the new library"]]
    assert snippet_hit("impressum", 1, snippets, whole_line=True)
    assert snippet_hit("31 mai 2012", 3, snippets, whole_line=True)  # 2 of 3 tokens
    # A drop snippet that is a small part of a long line does not mark it.
    assert not snippet_hit("am 31 mai hat der stadtrat den neuen haushalt beschlossen", 10, snippets,
                           whole_line=True)
    # Keep snippets mark any line that holds them ...
    assert snippet_hit("yesterday the mayor opened the new library in town", 10, snippets, whole_line=False)
    # ... and a line inside a snippet needs four tokens.
    assert snippet_hit("the mayor opened the", 4, snippets, whole_line=False)
    assert not snippet_hit("the mayor", 2, snippets, whole_line=False)


def test_align_snippets_trafilatura_eval_style_page() -> None:
    keep = ["Die Stadtbibliothek öffnet am Montag ihre neuen Räume", "Der Eintritt bleibt frei."]
    drop = ["Impressum", "31. Mai", "Jetzt den Newsletter abonnieren"]
    lines = [
        "Impressum",                                                                    # drop
        "31. Mai 2012",                                                                 # drop: 2 of 3 tokens
        "Die Stadtbibliothek öffnet am Montag ihre neuen Räume in der Altstadt.",      # keep
        "Am 31. Mai hat der Stadtrat den neuen Haushalt für die Bibliothek beschlossen.",  # no snippet decides
        "Kontakt",                                                                      # no snippet
        "Der Eintritt bleibt frei. Jetzt den Newsletter abonnieren",  # both: the drop snippet is 4 of 8 tokens
        "",
        "Der Eintritt bleibt frei.",                                                    # keep
        "Bibliothek öffnet neue Räume - Stadtanzeiger",                                # title
    ]
    got = align_snippets(lines, keep, drop, titles=["Bibliothek öffnet neue Räume - Stadtanzeiger"])
    assert labels(got) == ["other", "other", "body", "skip", "skip", "skip", "blank", "body", "body"]
    assert [got[3].reason, got[4].reason, got[5].reason] == ["unlabelled", "unlabelled", "conflict"]


def test_align_snippets_repeated_keep_line_is_a_copy() -> None:
    got = align_snippets(["Der Eintritt bleibt frei.", "Der Eintritt bleibt frei."], ["Der Eintritt bleibt frei."], [])
    assert labels(got) == ["body", "nav"]


def test_align_blocks_canola_style() -> None:
    blocks = [
        {"text": "Search Asia Times", "label": "boilerplate"},
        {"text": "Korea", "label": "uncertain"},
        {"text": "Ships carrying weapons parts will be stopped on the high seas, eleven nations agreed.",
         "label": "body"},
        {"text": "The first exercise is planned for next week off the coast of Australia.", "label": "body"},
        {"text": "Copyright 2003 Asia Times Online. All rights reserved.", "label": "boilerplate"},
        {"text": "Search Asia Times", "label": "body"},  # same text as the first block, other label
    ]
    lines = [
        "Search Asia Times",                     # first block with this text: boilerplate
        "Korea",                                 # uncertain
        # two body blocks on one line: contained in neither, shingle coverage 1.0 of body
        "Ships carrying weapons parts will be stopped on the high seas, eleven nations agreed. "
        "The first exercise is planned for next week off the coast of Australia.",
        "Copyright 2003 Asia Times Online.",     # inside a boilerplate block
        "Nobody voted on this line at all, it was never annotated",
        "Search Asia Times",                     # the later block with this text: body
    ]
    got = align_blocks(lines, blocks)
    assert labels(got) == ["other", "skip", "body", "other", "skip", "body"]
    assert [d.reason for d in got] == ["block", "uncertain", "blocks", "blocks", "unmatched", "block"]
