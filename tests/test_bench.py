"""The benchmark's own measuring tools (the benchmark itself is run by hand, never timed in tests)."""

import sys

from training.bench import as_html, peak_rss


def test_peak_rss_is_the_childs_own() -> None:
    small = peak_rss([sys.executable, "-c", "pass"])
    big = peak_rss([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    assert small < 100 * 2**20  # not this (larger) test process's high-water mark
    assert big >= 300 * 2**20
    assert big - small >= 250 * 2**20


def test_as_html_wraps_each_non_blank_line_in_a_paragraph() -> None:
    page = as_html("Title & co\n\n<b>not markup</b>\n")
    assert page.count("<p>") == 2
    assert "<p>Title &amp; co</p>" in page and "&lt;b&gt;not markup&lt;/b&gt;" in page


def test_html_overhead_times_extract_clean_html_and_clean_html_many_on_the_same_pages() -> None:
    from training.bench import html_overhead

    pages = [as_html("A title\nA first paragraph of the story, long enough to be kept.\nShare this:")] * 2
    rows = html_overhead(pages, repeat=1)
    systems = [r.split(" | ")[0].lstrip("| ") for r in rows[2:6]]
    assert systems[0].startswith("trafilatura `extract`") and systems[2].startswith("trafilatura `extract`")
    assert systems[1].startswith("clean-article `clean_html`") and systems[3].startswith("clean-article `clean_html_many`")
    assert all(r.split(" | ")[1] == "2" for r in rows[2:6])  # every system timed on both pages
    assert "Ratio clean_html / extract: **" in rows[-1] and "clean_html_many / extract: **" in rows[-1]
    assert html_overhead([], repeat=1) == ["(HTML rows skipped: no real pages found)"]
