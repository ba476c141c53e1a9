from cleaner.segment import segment


def test_lines_match_splitlines_and_blank_flags() -> None:
    text = "Title\n\n  \nBody one\nBody two\r\nlast"
    page = segment(text)
    assert page.lines == tuple(text.splitlines())
    assert page.content == (0, 3, 4, 5)
    assert page.texts == ["Title", "Body one", "Body two", "last"]
    assert page.blank_before == (False, True, False, False)
    assert page.blank_after == (True, False, False, False)


def test_empty_text_has_no_lines() -> None:
    page = segment("")
    assert page.lines == () and page.content == ()
