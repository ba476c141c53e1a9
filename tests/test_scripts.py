"""The scripts of a page's letters."""

import numpy as np
import pytest

from cleaner.scripts import OTHER, SCRIPTS, script_counts, unseen_shares


def test_letters_are_counted_by_script_and_nothing_else_is() -> None:
    text = "Hello, Мир! 世界 ひらがな カタカナ 한국어 العربية Ελληνικά ไทย 2024 — «…»"
    assert script_counts(text) == {"latin": 5, "cyrillic": 3, "han": 2, "kana": 8, "hangul": 3,
                                   "arabic": 7, "greek": 8, "thai": 3}


def test_letters_beyond_the_basic_plane_and_outside_every_block() -> None:
    # U+20000 is a Han ideograph beyond the basic plane; U+13A0 (Cherokee) is in no listed block.
    assert script_counts("\U00020000\u13a0ሀ") == {"han": 1, OTHER: 1, "ethiopic": 1}
    assert script_counts("") == {} and script_counts("123 -- !!") == {}


def test_accented_latin_stays_latin() -> None:
    assert script_counts("Łódź ŞİŞLİ façade Ærø ß ǅ") == {"latin": 20}


def test_unseen_share_per_text() -> None:
    shares = unseen_shares(["한국어 news", "abc", "", "123", "Ελληνικά και ελληνικά"], {"latin"})
    np.testing.assert_allclose(shares, [3 / 7, 0.0, 0.0, 0.0, 1.0])
    # A script name the table does not know is no script.
    np.testing.assert_allclose(unseen_shares(["한국어"], {"latin", "klingon"}), [1.0])
    np.testing.assert_allclose(unseen_shares(["한국어 abc"], {"latin", "hangul"}), [0.0])
    assert unseen_shares([], {"latin"}).shape == (0,)
    # Empty texts anywhere in the batch take nothing from their neighbours.
    np.testing.assert_allclose(unseen_shares(["", "ab한", "", "", "한", ""], {"latin"}), [0, 1 / 3, 0, 0, 1, 0])


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_but_other_has_letters_in_its_blocks(script: str) -> None:
    from cleaner import scripts

    if script == OTHER:
        return
    blocks = scripts._BLOCKS[script]
    letters = [chr(c) for a, b in blocks for c in range(a, b + 1) if chr(c).isalpha()]
    assert letters, script
    assert script_counts("".join(letters)) == {script: len(letters)}
