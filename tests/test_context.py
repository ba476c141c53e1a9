import numpy as np

from cleaner.context import AD, BODY, N_CONTEXT, NAV, context_features, decide, keep_whole, revise
from cleaner.features import N_DENSE


def test_decide_uses_threshold_for_body() -> None:
    proba = np.array([[0.30, 0.60, 0.05, 0.05], [0.10, 0.20, 0.10, 0.60], [0.9, 0.05, 0.03, 0.02]])
    assert decide(proba, 0.5).tolist() == [NAV, 3, BODY]
    assert decide(proba, 0.25).tolist() == [BODY, 3, BODY]


def test_revise_turns_later_copies_of_kept_lines_into_nav() -> None:
    texts = ["Big title", "Paragraph.", "big title!", "Big title"]
    labels = np.array([BODY, BODY, BODY, NAV])
    assert revise(texts, labels).tolist() == [BODY, BODY, NAV, NAV]


def test_revise_drops_copies_of_the_title_lines_only() -> None:
    # The kicker and the title are the first two body lines; their copies go wherever they come.
    texts = ["Kicker", "The title", "First paragraph.", "Spec: 2-year warranty", "Spec: 2-year warranty",
             "The title", "kicker"]
    labels = np.array([BODY] * 7)
    assert revise(texts, labels).tolist() == [BODY, BODY, BODY, BODY, BODY, NAV, NAV]
    # With one title line only the first line's copy goes; with four, the repeated spec line too.
    assert revise(texts, labels, title_lines=1).tolist() == [BODY, BODY, BODY, BODY, BODY, BODY, NAV]
    assert revise(texts, labels, title_lines=4).tolist() == [BODY, BODY, BODY, BODY, NAV, NAV, NAV]


def test_revise_counts_title_lines_among_body_lines_only() -> None:
    # A removed line before the title is not one of the title lines.
    texts = ["Menu", "Home", "The title", "Lead.", "Body.", "The title"]
    labels = np.array([NAV, NAV, BODY, BODY, BODY, BODY])
    assert revise(texts, labels, title_lines=1).tolist() == [NAV, NAV, BODY, BODY, BODY, NAV]


def test_revise_keeps_first_copy_even_if_an_earlier_copy_was_removed() -> None:
    texts = ["Big title", "Big title", "Text."]
    labels = np.array([NAV, BODY, BODY])
    assert revise(texts, labels).tolist() == [NAV, BODY, BODY]


def test_context_features_see_neighbours() -> None:
    proba = np.array([[0.97, 0.01, 0.01, 0.01], [0.01, 0.97, 0.01, 0.01], [0.01, 0.01, 0.01, 0.97]])
    ctx = context_features(proba, np.zeros((3, N_DENSE)))
    assert ctx.shape == (3, N_CONTEXT)
    logp = np.log(proba)
    np.testing.assert_allclose(ctx[1, 4:8], logp[0])   # the line before
    np.testing.assert_allclose(ctx[1, 12:16], logp[2])  # the line after
    np.testing.assert_allclose(ctx[0, 4:8], 0.0)        # nothing before the first line
    assert context_features(np.zeros((0, 4)), np.zeros((0, N_DENSE))).shape == (0, N_CONTEXT)


def test_revise_applies_cue_rules_only_when_the_model_is_unsure() -> None:
    from cleaner.features import dense_features
    from cleaner.segment import segment

    texts = ["Leggi anche: un altro articolo", "Le reste de cet article, soit 50%, est restreint aux abonnés.",
             "Lire aussi: a body line the model is sure of"]
    dense = dense_features(segment("\n".join(texts)))
    proba = np.array([[0.3, 0.1, 0.1, 0.5], [0.3, 0.1, 0.5, 0.1], [0.9, 0.05, 0.03, 0.02]])
    labels = np.array([BODY, BODY, BODY])
    assert revise(texts, labels, proba, dense).tolist() == [3, 2, BODY]


def test_a_line_that_is_only_a_cue_takes_the_cues_class_when_the_model_is_unsure() -> None:
    from cleaner.features import dense_features
    from cleaner.segment import segment

    texts = ["Les plus lus", "広告", "Share this:", "Pubblicità in calo", "Leggi anche questo articolo.", "Most read"]
    dense = dense_features(segment("\n".join(texts)))
    unsure = [0.3, 0.1, 0.3, 0.3]
    proba = np.array([unsure, unsure, unsure, unsure, unsure, [0.8, 0.1, 0.05, 0.05]])
    labels = np.array([BODY] * 6)
    # A cue plus two words ("in calo"), or a whole sentence, is not a cue line; a sure body line stays body.
    assert revise(texts, labels, proba, dense).tolist() == [3, 3, NAV, BODY, BODY, BODY]


def test_cue_line_class_reads_the_cue_and_at_most_one_more_word() -> None:
    from cleaner.cues import cue_line_class

    assert cue_line_class("» Lesen Sie auch") == "ad"
    assert cue_line_class("Читайте также:") == "ad"
    assert cue_line_class("Newsletter") == "nav"
    assert cue_line_class("Abonnez-vous") == "paywall"
    assert cue_line_class("Newsletter gratuite") == "nav"
    assert cue_line_class("Newsletter gratuite du matin") is None
    assert cue_line_class("Prevent harm") is None  # "prev" must end a word


def test_keep_whole_keeps_every_line_of_a_marked_page_that_would_lose_them_all() -> None:
    labels = np.array([NAV, AD, NAV,  # marked, nothing kept: every line becomes body
                       NAV, BODY,  # marked, one line kept: unchanged
                       NAV, NAV])  # not marked: unchanged
    out = keep_whole(labels, [3, 0, 2, 2], [True, True, True, False])
    assert out.tolist() == [BODY, BODY, BODY, NAV, BODY, NAV, NAV]
    assert labels.tolist() == [NAV, AD, NAV, NAV, BODY, NAV, NAV]  # the input is left alone
