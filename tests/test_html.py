"""The HTML path on small pages written for the tests."""

import time
from pathlib import Path

from click.testing import CliRunner

from cleaner import Cleaner, clean_html
from cleaner.cli import main
from cleaner.html import html_lines, looks_like_html, render_lines

PAGE = """<!DOCTYPE html><html><head><title>Ferry news</title><style>p {color: red}</style>
<script>var tracking = "never text";</script></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Ferry timetable doubles on the <b>north</b> route</h1>
<p>From Monday the north route will run every forty minutes instead of every eighty, the harbour authority said.</p>
<p>Two refitted boats return to service after new engines were fitted at the Kellan yard.<br>Fares stay the same.</p>
<ul><li>Every forty minutes</li><li>Two more boats</li></ul></article>
<footer>© 2024 Harbour Gazette. All rights reserved.</footer></body></html>"""


def test_lines_follow_blocks_and_drop_scripts() -> None:
    lines = html_lines(PAGE)
    assert lines == [
        "Home | News | Sport",
        "Ferry timetable doubles on the north route",
        "From Monday the north route will run every forty minutes instead of every eighty, the harbour authority said.",
        "Two refitted boats return to service after new engines were fitted at the Kellan yard.",
        "Fares stay the same.",
        "Every forty minutes",
        "Two more boats",
        "© 2024 Harbour Gazette. All rights reserved.",
    ]
    assert html_lines(PAGE.encode("utf-8")) == lines
    assert html_lines("") == [] and html_lines(b"   ") == []


def test_detection() -> None:
    assert looks_like_html(PAGE)
    assert looks_like_html("<div><p>a</p><p>b</p><p>c</p><a>d</a></div>")
    assert not looks_like_html("Title\n\nA paragraph with a < sign and a > sign.")


def test_clean_html_keeps_the_article_and_drops_chrome() -> None:
    out = clean_html(PAGE)
    assert "From Monday the north route" in out and "Kellan yard." in out
    assert "tracking" not in out
    assert Cleaner().process_html(PAGE).text == out


def test_entities_are_never_expanded_or_fetched() -> None:
    xxe = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><html><body><p>&xxe;</p></body></html>'
    host = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\x00"
    assert host not in " ".join(html_lines(xxe))
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<!DOCTYPE b [<!ENTITY l0 "lol">{lol}]><html><body><p>&l9;</p></body></html>'
    t0 = time.process_time()
    text = " ".join(html_lines(bomb))
    assert len(text) < 1000 and time.process_time() - t0 < 5


def test_deep_nesting_is_cut_not_followed() -> None:
    deep = "<div>" * 100_000 + "x" + "</div>" * 100_000
    assert isinstance(html_lines(deep), list)


def test_cli_detects_html_and_tsv_has_one_row_per_rendered_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    r = CliRunner().invoke(main, ["--format", "tsv", str(page)])
    assert r.exit_code == 0
    assert [row.split("\t", 2)[2] for row in r.stdout.splitlines()] == render_lines(PAGE)
    forced = CliRunner().invoke(main, ["--input", "text", "--format", "tsv", str(page)])
    assert len(forced.stdout.splitlines()) == len(PAGE.splitlines())
