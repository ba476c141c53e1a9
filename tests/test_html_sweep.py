"""The HTML keep-threshold sweep on pages and corpus files written for the tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from cleaner.html import render_page, render_text
from training.html_sweep import RENDERING, TRAFILATURA, TrainSet, read_train, reference, renderings, report, sweep

ARTICLE = [
    "Ferry timetable doubles on the north route",
    "From Monday the north route will run every forty minutes instead of every eighty, the harbour authority said.",
    "Two refitted boats return to service after new engines were fitted at the Kellan yard. Fares stay the same, "
    "and the first departure moves to six in the morning.",
    "The authority expects the change to bring some two thousand more passengers a week during the summer months.",
]
PAGE = f"""<!DOCTYPE html><html><head><title>Ferry news</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>{ARTICLE[0]}</h1><p>{ARTICLE[1]}</p><p>Share this article on Facebook</p>
<p>{ARTICLE[2]}</p><p>Sign up for our newsletter</p><p>{ARTICLE[3]}</p></article>
<footer>© 2024 Harbour Gazette. All rights reserved.</footer></body></html>"""


def _page(split: str, html: str | None = PAGE, **extra: Any) -> dict[str, Any]:
    """A corpus record with the fields the sweep reads."""
    return {"id": f"set/{split}/{len(extra)}", "split": split, "html": html, "lang": "en", "page_type": None,
            "gold": None, "keep": [], "drop": [], "blocks": None, **extra}


def test_only_train_pages_with_html_are_read(tmp_path: Path) -> None:
    records = [_page("test", gold="secret"), _page("train", gold="a"), _page("train", html=None, gold="b")]
    with gzip.open(tmp_path / "wcxb.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in records))
    pages = read_train(tmp_path, "wcxb")
    assert [p["gold"] for p in pages] == ["a"]


def test_reference_is_the_gold_or_the_body_blocks() -> None:
    assert reference(_page("train", gold="One line.\nTwo.")) == "One line.\nTwo."
    blocks = [{"text": "Menu", "label": "boilerplate"}, {"text": "Body one.", "label": "body"},
              {"text": "Maybe", "label": "uncertain"}, {"text": "Body two.", "label": "body"}]
    assert reference(_page("train", blocks=blocks)) == "Body one.\nBody two."
    assert reference(_page("train")) is None


def test_renderings_are_the_cleaners_input_and_are_cached(tmp_path: Path) -> None:
    pages = [_page("train")]
    rendered, traf, whole = renderings(pages, "wcxb", cache=tmp_path)
    assert (rendered[0], whole[0]) == render_page(PAGE, "trafilatura") and whole == [True]
    assert ARTICLE[1] in traf[0]
    assert len(list(tmp_path.glob("wcxb--trafilatura-*.json.gz"))) == 1
    # A cached page is not rendered again: its HTML no longer matters.
    assert renderings([dict(pages[0], html="<p>other</p>")], "wcxb", cache=tmp_path) == (rendered, traf, whole)


def test_sweep_scores_clean_html_at_each_threshold() -> None:
    rendered = render_text(PAGE, "trafilatura")
    ts = TrainSet("wcxb", [_page("train", page_type="article")], ["\n".join(ARTICLE)], [rendered], [""], [True])
    # 0.1, not 0.5: the context stage scores the closing paragraph, which follows the
    # newsletter line, at about 0.24 (the nav lines score under 0.001).
    figures = sweep([ts], [0.0, 0.1])
    assert set(figures) == {"wcxb", "wcxb articles"}
    row = figures["wcxb articles"]
    assert set(row) == {TRAFILATURA, RENDERING, "0", "0.1"}
    assert row[TRAFILATURA][1] == 0.0  # an empty output finds none of the reference
    assert row[RENDERING][0] < 1.0  # the share and newsletter lines are not in the reference
    assert row["0.1"] == (1.0, 1.0, 1.0)  # the classifier removes exactly them
    text = report(figures, [ts], 0.0243, "python -m training.html_sweep")
    assert "## wcxb articles" in text and "| clean_html, threshold 0.1 (best threshold) | 1.000 | 1.000 | 1.000 |" in text
    assert "own" not in text.split("## wcxb", 1)[1]  # 0.0243 is not among the thresholds run
    text = report(figures, [ts], 0.1, "python -m training.html_sweep")
    assert "| clean_html, threshold 0.1 (best threshold) (the model's own) | 1.000 | 1.000 | 1.000 |" in text


def test_snippet_sets_use_the_snippet_metric() -> None:
    page = _page("train", keep=[ARTICLE[1], ARTICLE[3]], drop=["Sign up for our newsletter"])
    rendered = render_text(PAGE, "trafilatura")
    ts = TrainSet("trafilatura_eval", [page], [None], [rendered], [ARTICLE[1]], [True])
    row = sweep([ts], [0.1])["trafilatura_eval"]
    assert row[TRAFILATURA] == (1.0, 0.5, 2 / 3)  # one of two must-keep snippets, no must-drop one
    assert row[RENDERING][0] == 2 / 3  # both must-keep snippets and the must-drop one
    assert row["0.1"] == (1.0, 1.0, 1.0)
