"""The five seed pages are golden fixtures: labels and clean output checked by hand."""

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.tsv import parse_tsv

from .conftest import SEED_PAGES


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: p.stem[:3])
def test_seed_labels(cleaner: Cleaner, page: Path) -> None:
    expected = parse_tsv(page.with_suffix(".tsv").read_text(encoding="utf-8"))
    got = cleaner.label_lines(page.read_text(encoding="utf-8"))
    assert [(ln.number, ln.label) for ln in got] == [(i, r.label) for i, r in enumerate(expected, 1)]


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: p.stem[:3])
def test_seed_clean_output(cleaner: Cleaner, page: Path) -> None:
    expected = page.with_name(page.stem + ".expected.txt").read_text(encoding="utf-8")
    assert cleaner.clean(page.read_text(encoding="utf-8")) + "\n" == expected
