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
