"""The trafilatura rendering of HTML pages, its signals and fallback, and the benchmark's metrics.

Pages are small and written for the tests. The one test that needs the shared benchmark
corpora skips when they are absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner.html as chtml
from cleaner import Cleaner, clean_html
from cleaner.cli import main
from cleaner.html import Block, align_blocks, full_blocks, html_blocks, html_lines, render_lines, render_text
from training import shingles
from training.linerules import c4_keep, gopher_keep, refinedweb_keep
from training.snippets import SnippetCounts, count_page

ROOT = Path(__file__).resolve().parent.parent
PARAS = [
    "The harbour authority confirmed on Monday that the north ferry route will run every forty minutes "
    "from the first of June, doubling the number of crossings on the busiest line of the bay.",
    "Two refitted boats return to service after new engines were fitted at the Kellan yard over the winter, "
    "and the operator says both passed their sea trials without a single fault.",
    "Fares stay the same for residents, while visitors will pay fifty cents more for a single crossing, "
    "a rise the council says covers the extra fuel and crew for the added sailings.",
    "The first boat leaves the north pier at six in the morning and the last returns shortly before midnight, "
    "with a later sailing on Fridays and Saturdays throughout the summer months.",
]
ARTICLE = f"""<!DOCTYPE html><html><head><title>Ferry timetable doubles</title>
<script>var tracking = "never text";</script></head><body>
<header class="site-header"><nav id="mainMenu" class="top-nav"><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
</header>
<main><article class="story-body">
<h1>Ferry timetable doubles on the north route</h1>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<h2>What changes for passengers</h2>
<p>{PARAS[2]}</p>
<ul><li>Every forty minutes on weekdays</li><li>Two more boats in service</li></ul>
<table><tr><td>Monday to Friday</td><td>every 40 minutes</td></tr><tr><td>Weekend</td><td>every hour</td></tr></table>
<p>{PARAS[3]}</p>
</article></main>
<footer class="site-footer"><p>© 2024 Harbour Gazette. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer></body></html>"""


# ---------------------------------------------------------------- rendering


def test_trafilatura_rendering_keeps_every_article_line_and_adds_no_markup() -> None:
    lines = render_lines(ARTICLE)
    for para in PARAS:
        assert para in lines
    assert "What changes for passengers" in lines
    # List items and table rows come out as plain lines: no bullet or pipe added.
    assert "Every forty minutes on weekdays" in lines and "Two more boats in service" in lines
    assert "Monday to Friday every 40 minutes" in lines and "Weekend every hour" in lines
    assert not any(line.startswith(("- ", "|")) for line in lines)
    # The menu is outside the main content; the script never is text.
    assert "Home" not in lines and not any("tracking" in line for line in lines)
    assert render_lines(ARTICLE.encode("utf-8")) == lines


def test_trafilatura_lines_read_the_same_tree_as_its_default_result() -> None:
    """Asking trafilatura for its tree alone changes nothing in it: the lines are those of its default result."""
    import trafilatura

    for page in (ARTICLE, ARTICLE.replace("<main>", "<main><blockquote>A quoted line.</blockquote>")):
        doc = trafilatura.bare_extraction(page, **chtml.TRAFILATURA_SETTINGS)
        assert doc is not None and doc.text
        assert chtml.trafilatura_lines(page) == chtml._traf_lines(doc.body)


def test_render_text_separates_trafilatura_lines_with_blank_lines_and_full_lines_with_newlines() -> None:
    traf = render_text(ARTICLE)
    assert [t for t in traf.split("\n\n")] == render_lines(ARTICLE)
    assert render_text(ARTICLE, "full").split("\n") == html_lines(ARTICLE)


def test_full_rendering_is_html_lines() -> None:
    assert render_lines(ARTICLE, "full") == html_lines(ARTICLE)
    assert [b.text for b in full_blocks(ARTICLE)] == html_lines(ARTICLE)


def test_fallback_to_the_full_page_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chtml, "trafilatura_lines", lambda html: [])
    assert render_lines(ARTICLE) == html_lines(ARTICLE)
    assert [b.text for b in html_blocks(ARTICLE)] == html_lines(ARTICLE)
    result = Cleaner().process_html(ARTICLE)
    assert [ln.text for ln in result.lines] == html_lines(ARTICLE)


def test_a_crash_inside_trafilatura_is_nothing_found(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("extractor failure")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    assert chtml.trafilatura_lines(ARTICLE) == []
    assert render_lines(ARTICLE) == html_lines(ARTICLE)


def test_empty_and_tiny_pages() -> None:
    assert render_lines("") == [] and render_lines(b"  ") == []
    assert html_blocks("") == []
    assert clean_html("") == ""
    tiny = "<html><body><div>Hello</div></body></html>"
    assert render_lines(tiny) == ["Hello"]  # trafilatura keeps it or the fallback does


def test_unknown_rendering_is_refused() -> None:
    with pytest.raises(ValueError, match="render must be one of"):
        render_lines(ARTICLE, "markdown")
    with pytest.raises(ValueError):
        Cleaner().process_html(ARTICLE, render="markdown")


# ---------------------------------------------------------------- process_html and the CLI


def test_process_html_has_one_numbered_line_per_rendered_line() -> None:
    result = Cleaner().process_html(ARTICLE)
    assert [ln.text for ln in result.lines] == render_lines(ARTICLE)
    assert [ln.number for ln in result.lines] == list(range(1, len(result.lines) + 1))
    assert all(ln.label != "blank" for ln in result.lines)
    assert PARAS[0] in result.text and PARAS[3] in result.text
    assert result.text == clean_html(ARTICLE)
    full = Cleaner().process_html(ARTICLE, render="full")
    assert [ln.text for ln in full.lines] == html_lines(ARTICLE)
    assert clean_html(ARTICLE, render="full") == full.text


def test_cli_input_html_is_forced_on_a_fragment_it_would_not_detect(tmp_path: Path) -> None:
    fragment = "<p>" + PARAS[0] + "</p>\n<p>" + PARAS[1] + "</p>"
    page = tmp_path / "fragment.txt"
    page.write_text(fragment, encoding="utf-8")
    auto = CliRunner().invoke(main, ["--format", "tsv", str(page)])
    assert auto.exit_code == 0 and "<p>" in auto.stdout  # read as text: the tags stay
    forced = CliRunner().invoke(main, ["--input", "html", "--format", "tsv", str(page)])
    assert forced.exit_code == 0
    rows = [row.split("\t", 2)[2] for row in forced.stdout.splitlines()]
    assert rows == render_lines(fragment) and "<p>" not in forced.stdout


def test_text_input_never_imports_trafilatura_or_scikit_learn(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Home | News\n\n" + PARAS[0] + "\n\n" + PARAS[1] + "\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cleaner.cli import main\n"
        "r = CliRunner().invoke(main, [sys.argv[1]])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(','.join(m for m in ('trafilatura', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------- signals and alignment


def test_full_blocks_carry_tag_path_class_tokens_and_link_density() -> None:
    blocks = {b.text: b for b in full_blocks(ARTICLE)}
    menu = blocks["Home"]
    assert menu.tag == "li" and menu.path[-4:] == ("header", "nav", "ul", "li")
    assert menu.link_density == 1.0
    # Nearest element first; camelCase and dashes split: id="mainMenu" class="top-nav".
    assert menu.tokens[:4] == ("top", "nav", "main", "menu") and "site" in menu.tokens
    para = blocks[PARAS[0]]
    assert para.tag == "p" and para.tokens == ("story", "body") and para.link_density == 0.0
    assert blocks["Privacy | Terms"].link_density == pytest.approx(12 / 13, abs=1e-4)  # 12 link chars of 13
    assert blocks["Weekend"].tag == "td"


def test_trafilatura_blocks_take_the_signals_of_the_element_they_came_from() -> None:
    blocks = html_blocks(ARTICLE)
    assert [b.text for b in blocks] == render_lines(ARTICLE)
    by_text = {b.text: b for b in blocks}
    assert by_text[PARAS[1]].tag == "p" and by_text[PARAS[1]].path[-2:] == ("article", "p")
    assert by_text["What changes for passengers"].tag == "h2"
    assert by_text["Every forty minutes on weekdays"].tag == "li"
    assert by_text["Weekend every hour"].tag == "td"  # a row takes its first cell's element


def test_align_blocks_in_order_with_restart_and_unmatched_lines() -> None:
    page = [Block("Menu", "li"), Block("A first paragraph of the story.", "p"), Block("Share", "a"),
            Block("A first paragraph of the story.", "div"), Block("Cell one", "td"), Block("Cell two", "td")]
    lines = ["A first paragraph of the story.", "a first  PARAGRAPH of the story.", "first paragraph",
             "Cell one Cell two", "Menu", "Never on the page"]
    got = align_blocks(lines, page)
    assert [b.text for b in got] == lines
    # The repeat goes to the later copy (search continues from the last match), case and spaces aside.
    assert [b.tag for b in got[:2]] == ["p", "div"]
    assert got[2].tag == "div"  # contained in the current block
    assert got[3].tag == "td"  # starts with a block: the row's first cell
    assert got[4].tag == "li"  # not after the last match: found from the top
    assert got[5] == Block("Never on the page")  # no signals
    assert got[5].tag is None and got[5].link_density is None and got[5].tokens == ()


# ---------------------------------------------------------------- the shingle metric


def test_shingles_are_case_kept_word_4grams() -> None:
    assert shingles.tokenize("It's 4 o'clock, Zürich!") == ["It", "s", "4", "o", "clock", "Zürich"]
    assert shingles.shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles.shingles("one two") == {("one", "two"): 1}  # under 4 tokens: one shorter shingle
    assert shingles.shingles("") == {} and shingles.shingles(None) == {}


def test_page_match_hand_computed() -> None:
    # true shingles abcd, bcde; predicted abcd: tp 1, fp 0, fn 1, over 2 -> 0.5, 0, 0.5.
    m = shingles.match("a b c d e", "a b c d")
    assert (m.tp, m.fp, m.fn) == (0.5, 0.0, 0.5)
    assert m.precision == 1.0 and m.recall == 0.5
    # Repeats count: "a b c d a b c d" has abcd twice, bcda, cdab, dabc: 5 shingles; one predicted.
    m = shingles.match("a b c d a b c d", "a b c d")
    assert m.precision == 1.0 and m.recall == pytest.approx(1 / 5)
    # Case is kept, as in the benchmark: no shingle in common.
    m = shingles.match("The cat sat down", "the cat sat down")
    assert (m.precision, m.recall) == (0.0, 0.0)
    # Both empty: all zero, precision and recall 1 by the benchmark's rule, but no average counts it.
    m = shingles.match("", "")
    assert (m.tp, m.fp, m.fn) == (0.0, 0.0, 0.0) and m.precision == m.recall == 1.0


def test_aggregate_hand_computed_with_the_empty_case_rules() -> None:
    pages = [
        ("a b c d e", "a b c d"),  # precision 1, recall 0.5
        ("x y z w", ""),  # nothing predicted: recall 0, left out of the precision average
        ("", "p q r s t"),  # no reference: precision 0, left out of the recall average
        ("", ""),  # left out of both
    ]
    s = shingles.score([t for t, _ in pages], [p for _, p in pages])
    # precision = mean(1, 0) = 0.5; recall = mean(0.5, 0) = 0.25; F1 = 2 * 0.5 * 0.25 / 0.75 = 1/3.
    assert s.precision == 0.5 and s.recall == 0.25 and s.f1 == pytest.approx(1 / 3)
    assert s.pages == 4
    with pytest.raises(ValueError):
        shingles.score(["a"], [])


# ---------------------------------------------------------------- the snippet metric


def test_snippet_counts_hand_computed() -> None:
    keep, drop = ["Alpha  beta", "gamma"], ["Menu", "Footer text"]
    # Output, white space normalised: "Alpha beta and more. Menu": keep 1 found (tp), "gamma" not (fn),
    # "Menu" found (fp), "Footer text" not (tn).
    c = count_page(keep, drop, "Alpha\nbeta and more.\n\nMenu")
    assert (c.tp, c.fp, c.fn, c.tn) == (1, 1, 1, 1)
    assert count_page(keep, drop, "alpha beta").tp == 0  # case counts
    # No output: every keep snippet missed, every drop snippet avoided.
    total = SnippetCounts()
    total += c
    total += count_page(keep, drop, None)
    assert (total.tp, total.fp, total.fn, total.tn) == (1, 1, 3, 3)
    # precision 1/2, recall 1/4, F1 = 2*1 / (2*1 + 1 + 3) = 1/3.
    assert total.precision == 0.5 and total.recall == 0.25 and total.f1 == pytest.approx(1 / 3)
    assert SnippetCounts().f1 != SnippetCounts().f1  # nothing counted: NaN


# ---------------------------------------------------------------- line rules


@pytest.mark.parametrize(("line", "kept"), [
    ("The council approved the budget on Tuesday.", True),
    ("A wiki line that ends with a citation.[12]", True),
    ('He said it was "final."', True),
    ("Two words.", False),  # fewer than 3 words
    ("The council approved the budget on Tuesday", False),  # no terminal punctuation
    ("And then there was more...", False),  # ellipsis
    ("Please enable JavaScript to see this page.", False),
    ("Read our privacy policy before you go.", False),
    ("This site uses cookies to improve things.", False),
    ("A line with a " + "x" * 1001 + " word.", False),
])
def test_c4_line_rules(line: str, kept: bool) -> None:
    assert c4_keep(line) is kept


@pytest.mark.parametrize(("line", "kept"), [
    ("An ordinary line of text", True),
    ("  • a bulleted menu entry", False),
    ("The story goes on...", False),
    ("The story goes on…", False),
])
def test_gopher_line_rules(line: str, kept: bool) -> None:
    assert gopher_keep(line) is kept


@pytest.mark.parametrize(("line", "kept"), [
    ("The council approved the budget on Tuesday after a long debate.", True),
    ("HOME NEWS SPORT WEATHER", False),  # mainly upper case
    ("2024 05", False),  # only digits
    ("3 likes", False),  # a counter
    ("Subscribe", False),  # one word
    ("Sign in to comment", False),  # short, starts with a boilerplate phrase
    ("Click here to read more", False),  # short, ends with one
    ("You have 2 items in cart now", False),  # short, has one anywhere
    ("Share prices rose sharply on Monday as investors welcomed the long-awaited figures "
     "from the central bank and the treasury.", True),  # a phrase, but not a short line
    ("", False),
])
def test_refinedweb_line_rules(line: str, kept: bool) -> None:
    assert refinedweb_keep(line) is kept


# ---------------------------------------------------------------- the benchmark command


CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.mark.corpora
@pytest.mark.skipif(not (CORPORA / "scrapinghub_aeb.jsonl.gz").exists(),
                    reason="the shared benchmark corpora (../shared/corpora) are not on this machine")
def test_benchmark_runs_end_to_end_on_a_few_test_pages(tmp_path: Path) -> None:
    pytest.importorskip("readability")
    pytest.importorskip("boilerpy3")
    from training.benchmark import main as bench

    out = tmp_path / "report.md"
    assert bench(["--limit", "2", "--datasets", "scrapinghub_aeb", "seeds", "--out", str(out), "-j", "1",
                  "--no-cache"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "### scrapinghub_aeb (2 test pages" in text and "| trafilatura + clean-article |" in text
    assert "### seeds" in text and "| RefinedWeb line rules |" in text
    assert out.with_suffix(".png").stat().st_size > 0
