import numpy as np

from cleaner.cues import cue_hits
from cleaner.features import DENSE_NAMES, dense_features, featurize
from cleaner.ngrams import N_BUCKETS, _hash_sources, hashed_ngrams, ngram_source, shape_source
from cleaner.segment import segment


def col(name: str) -> int:
    return DENSE_NAMES.index(name)


def test_hashing_is_deterministic_and_per_line() -> None:
    rows, cols, vals = _hash_sources([ngram_source(t) for t in ["abc", "abc", "xyz"]])
    a = sorted(cols[rows == 0].tolist())
    assert a == sorted(cols[rows == 1].tolist())
    assert a != sorted(cols[rows == 2].tolist())
    assert cols.min() >= 0 and cols.max() < N_BUCKETS
    # " abc " has 4 bigrams, 3 trigrams, 2 four-grams, 1 five-gram.
    assert (rows == 0).sum() == 10
    np.testing.assert_allclose(vals[rows == 0], 1 / np.sqrt(10))


def test_ngrams_never_cross_lines() -> None:
    _, cols_joint, _ = hashed_ngrams(["ab", "cd"])
    _, c1, _ = hashed_ngrams(["ab"])
    _, c2, _ = hashed_ngrams(["cd"])
    assert sorted(cols_joint.tolist()) == sorted(c1.tolist() + c2.tolist())


def test_case_is_ignored_by_text_ngrams_but_kept_by_shape() -> None:
    assert ngram_source("Leggi Anche") == ngram_source("leggi anche")
    assert shape_source("Leggi Anche") != shape_source("leggi anche")


def test_shape_is_shared_across_languages() -> None:
    assert shape_source("Lesen Sie auch: Neues Bad") == shape_source("Leggi Tu anche: Nuovo Bagno")
    assert shape_source("12.03.2024, 14:20") == shape_source("01.01.1999, 09:05")
    rows, cols, _ = hashed_ngrams(["Lesen Sie auch: Neues Bad", "Leggi Tu anche: Nuovo Bagno"])
    assert set(cols[rows == 0].tolist()) & set(cols[rows == 1].tolist())


def test_repetition_and_containment() -> None:
    page = segment("You are currently viewing Big news from the harbour\nBig news from the harbour\n"
                   "Body text here.\nBig news from the harbour")
    d = dense_features(page)
    assert d[1, col("contained_in_line")] == 1.0
    assert d[0, col("contains_line")] == 1.0
    assert d[1, col("dup_earlier")] == 0.0 and d[3, col("dup_earlier")] == 1.0
    assert d[1, col("log_dup_count")] > 0 and d[2, col("log_dup_count")] == 0


def test_shape_features() -> None:
    page = segment("  • Item one\nA sentence that ends.\nbroken line continues")
    d = dense_features(page)
    assert d[0, col("start_bullet")] == 1.0
    assert d[1, col("end_terminal")] == 1.0 and d[1, col("start_upper")] == 1.0
    assert d[2, col("start_lower")] == 1.0 and d[2, col("end_alnum")] == 1.0
    assert d[0, col("is_first")] == 1.0 and d[2, col("is_last")] == 1.0


def test_cue_hits_leading_and_inside() -> None:
    nav_lead, nav_in, pw_lead, pw_in, ad_lead, ad_in = cue_hits("» Lesen Sie auch: Neues Bad")
    assert ad_lead == 1.0 and nav_lead == 0.0
    hits = cue_hits("Ti resta il 50,97% di questo articolo da leggere. Il resto è riservato agli abbonati.")
    assert hits[2] == 1.0 and hits[3] == 1.0
    assert cue_hits("The council met on Tuesday.") == [0.0] * 6


def test_featurize_sizes() -> None:
    f = featurize(segment("one\n\ntwo three"))
    assert f.n_lines == 2 and f.dense.shape == (2, len(DENSE_NAMES))
    assert set(f.rows.tolist()) == {0, 1}


def test_very_long_line_is_sampled_not_scanned_whole(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import cleaner.features as features

    seen: list[int] = []
    real = features._codepoints

    def spy(text: str) -> np.ndarray:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(features, "_codepoints", spy)
    line = "word " * 4_000_000  # 20 MB on one line
    d = dense_features(segment("Title\n" + line))
    # Characters are only ever classified over samples of the line (plus the short title): its first
    # characters, and for the key that spots repeated lines its first and last.
    assert max(seen) <= 2 * features.SAMPLE_CHARS + len(" ") + len("Title\n")
    assert d[1, col("log_chars")] > 16  # the full length still counts
    rows, cols, vals = hashed_ngrams([line])
    assert len(rows) < 2000  # n-grams of the line's ends only


def test_span_hashes_tell_words_apart_by_their_characters_alone() -> None:
    from cleaner.charclass import codepoints
    from cleaner.features import _dense_ids, _span_hashes

    text = "storm\nrain storm\nstorms\n風雨風雨\nmrots"
    words = ["storm", "rain", "storm", "storms", "風雨", "雨風", "風雨", "mrots"]
    starts = [text.index("storm"), 6, 11, 17, 24, 25, 26, 29]
    cps = codepoints(text)
    ends = [s + len(w) for s, w in zip(starts, words)]
    assert [text[a:b] for a, b in zip(starts, ends)] == words
    ids = _dense_ids(_span_hashes(cps, np.array(starts), np.array(ends))).tolist()
    # Equal words share an id wherever they stand; different ones (an anagram, a longer word) do not.
    assert ids[0] == ids[2] and ids[4] == ids[6]
    assert len({ids[k] for k in (0, 1, 3, 4, 5, 7)}) == 6
    assert sorted(set(ids)) == list(range(6))


def test_topic_overlap_counts_words_shared_with_other_lines() -> None:
    from cleaner.features import topic_overlap

    keys = ["storm hits coast", "the storm hit the coast today", "storm coast", "win a cruise now"]
    shares = topic_overlap(keys, np.zeros(4, dtype=np.int64), np.ones(4, dtype=bool))
    # Words of 4+ letters: "storm" and "coast" are in the three storm lines; "hits", "today" and
    # "cruise" in no other line. Each share counts the line itself among the lines holding a word.
    assert shares[0].tolist() == [2 / 3, 2 / 3]
    assert shares[1].tolist() == [2 / 3, 2 / 3]
    assert shares[2].tolist() == [1.0, 1.0]
    assert shares[3].tolist() == [0.0, 0.0]
    assert topic_overlap([], np.zeros(0, dtype=np.int64), np.ones(0, dtype=bool)).shape == (0, 2)
