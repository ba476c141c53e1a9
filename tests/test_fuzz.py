"""Fuzzing the decoder and the HTML path with arbitrary bytes and markup.

Rerun longer with ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_fuzz.py``.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.decoding import decode
from cleaner.errors import InputError
from cleaner.html import html_lines

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TAGS = ["<p>", "</p>", "<div>", "</div>", "<br>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>",
        "<!DOCTYPE x [<!ENTITY e 'v'>]>", "&e;", "&amp;", "&#0;", "&#x110000;", "<li>", "<table><tr><td>", "\x00"]
markup = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=30)), max_size=40).map("".join)


@given(st.binary(max_size=2000))
def test_decode_returns_text_or_refuses(data: bytes) -> None:
    try:
        out = decode(data)
    except InputError:
        return
    assert isinstance(out, str)


@given(st.one_of(markup, st.binary(max_size=2000)))
def test_html_path_never_raises(html: str | bytes) -> None:
    try:
        lines = html_lines(html)
    except InputError:  # undecodable or binary bytes
        return
    assert all(line.strip() == line and line for line in lines)
    Cleaner().clean("\n".join(lines))
