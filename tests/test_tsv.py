import pytest

from cleaner import Cleaner, InputError
from cleaner.tsv import format_tsv, page_text, parse_tsv


def test_tsv_round_trip_gives_back_page_and_labels(cleaner: Cleaner) -> None:
    page = "Home › News\n\nTitle of the story\nA paragraph with\ta tab inside.\n   \nLaisser un commentaire"
    lines = cleaner.label_lines(page)
    rows = parse_tsv(format_tsv(lines))
    assert len(rows) == len(page.splitlines())
    assert page_text(rows) == page
    assert [r.label for r in rows] == [ln.label for ln in lines]


def test_parse_errors_name_the_row() -> None:
    with pytest.raises(InputError, match=r"f\.tsv:2: unknown label 'bodyy'"):
        parse_tsv("body\t-\tok\nbodyy\t-\tbad\n", "f.tsv")
    with pytest.raises(InputError, match="expected label"):
        parse_tsv("body only\n")
    with pytest.raises(InputError, match="cannot be labelled blank"):
        parse_tsv("blank\t-\ttext\n")


def test_empty_text_reads_as_blank() -> None:
    assert parse_tsv("nav\t-\t  \n")[0].label == "blank"
