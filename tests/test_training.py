"""The training command end to end on a tiny corpus."""

from pathlib import Path

from cleaner import Cleaner
from cleaner.model import load_model
from training.train import main

ROOT = Path(__file__).resolve().parent.parent


def _tiny_corpus(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for split in ("train", "heldout"):
        (data / split / "fr").mkdir(parents=True)
    pages = sorted((ROOT / "data" / "train").glob("*/*.tsv"))[:12]
    for p in pages:
        (data / "train" / "fr" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    seed = ROOT / "seeds" / "004_1be04e69967984fd.tsv"
    (data / "heldout" / "fr" / "fr-h01-seed.tsv").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    seed = ROOT / "seeds" / "003_33cd213e17c77d3c.tsv"
    (data / "heldout" / "fr" / "fr-h11-seed.tsv").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    return data


def test_train_command_writes_a_loadable_model_and_card(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    code = main(["--data-dir", str(_tiny_corpus(tmp_path)), "--seeds-dir", str(ROOT / "seeds"),
                 "--out", str(out), "--no-lolo", "--no-baselines", "--no-derived", "--ngram-dropout", "0.5"])
    assert code == 0
    model = load_model(out)
    card = (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "sha256" in card and "Held-out" in card
    assert "every line without its n-grams, at 0.5 of the line's weight" in card
    assert "Out of fold on the training pages" in card
    # Each held-out batch gets its own row.
    assert "| pages h01-h10 |" in card and "| pages h11-h20 |" in card
    lines = Cleaner(model=out).label_lines((ROOT / "seeds" / "003_33cd213e17c77d3c.txt").read_text(encoding="utf-8"))
    # The seeds were in its training data: it must at least fit them.
    assert [ln.label for ln in lines] == ["body"] * 6 + ["paywall", "nav"]
    assert 0.0 < model.threshold <= 0.5
    # Its pages are in Latin letters, two seeds in Cyrillic: a page in any other script goes to the fallback.
    assert model.has_fallback and model.seen_scripts == {"cyrillic", "latin"}
    assert 0.0 < model.fallback_threshold <= 0.5
    assert "Scripts learned: cyrillic, latin (" in card and "The fallback, out of fold" in card


def test_seen_scripts_are_those_of_enough_letters_of_the_pages() -> None:
    from training.data import Doc
    from training.fit import seen_scripts
    from cleaner.tsv import LabelledLine

    docs = [Doc("a", "fr", "train", [LabelledLine("body", "Un article en français, assez long pour compter.")]),
            Doc("b", "ko", "train", [LabelledLine("nav", "한국어")])]
    # 39 Latin letters and 3 Hangul: Hangul is 7.1% of the letters.
    assert seen_scripts(docs, min_share=0.05) == ["hangul", "latin"]
    assert seen_scripts(docs, min_share=0.1) == ["latin"]
    assert seen_scripts([], min_share=0.1) == []


def test_derived_pages_train_stage_one_with_their_share_of_the_weight() -> None:
    from dataclasses import replace

    from training.data import load_team
    from training.fit import fit_model

    own = load_team("train", ROOT / "data")[:12]
    derived = [replace(d, group="derived:test") for d in load_team("train", ROOT / "data")[12:20]]
    model, facts = fit_model(own, n_folds=3, derived=derived, derived_share=0.5)
    n_own = sum(len(d.content_labels()) for d in own)
    n_derived = sum(len(d.content_labels()) for d in derived)
    assert facts["n_derived_pages"] == 8 and facts["n_derived_lines"] == n_derived
    assert abs(facts["derived_weight"] - 0.5 * n_own / n_derived) < 1e-12
    # Out-of-fold output and the threshold answer to the own pages alone.
    assert len(facts["oof_labels"]) == n_own
    assert 0.0 < model.threshold <= 0.5


def test_heldout_batch_comes_from_the_page_number() -> None:
    from training.data import Doc, heldout_batch

    def batch(name: str) -> str:
        return heldout_batch(Doc(name, "fr", "heldout", []))

    assert batch("fr-h01-x") == batch("fr-h10-x") == "h01-h10"
    assert batch("fr-h11-x") == batch("fr-h20-x") == "h11-h20"
    assert batch("fr-h21-x") == batch("fr-001-x") == "other"


def test_oof_keep_counts_body_kept_and_the_rest_removed() -> None:
    import numpy as np

    from training.train import oof_keep

    proba = np.array([[0.9, 0.1, 0, 0], [0.3, 0.7, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0, 0, 0.8]])
    labels = np.array([0, 0, 1, 3])
    # Body lines at 0.9 and 0.3: one of two kept at 0.4; others at 0.5 and 0.2: one of two removed.
    assert oof_keep({"oof_proba": proba, "oof_labels": labels}, 0.4) == (0.5, 0.5)
    assert oof_keep({"oof_proba": proba, "oof_labels": labels}, 0.1) == (1.0, 0.0)
    assert oof_keep({}, 0.4) is None


def test_ngram_dropout_teaches_the_dense_part_to_stand_alone() -> None:
    # A page in a language the model never saw brings n-grams it has no weights for: the dense
    # features alone must then carry it. Stage 1 trained with copies of its lines stripped of n-grams
    # labels such lines better than one trained without them.
    import numpy as np

    from cleaner.features import Features
    from training.data import load_team
    from training.fit import LineModel, LineSet, fit_lines

    docs = load_team("train", ROOT / "data")[::10]
    data = LineSet.build(docs)
    idx = list(range(len(docs)))
    bare = [Features(f.dense, f.rows[:0], f.cols[:0], f.vals[:0]) for f in data.feats]

    def accuracy(lm: LineModel, feats: list[Features]) -> float:
        return float(np.mean(np.concatenate([lm.proba(f).argmax(axis=1) for f in feats]) == data.y))

    plain, dropped = fit_lines(data, idx), fit_lines(data, idx, ngram_dropout=1.0)
    assert accuracy(dropped, bare) > accuracy(plain, bare) + 0.02
    # With its n-grams a line is labelled as well as before.
    assert accuracy(dropped, data.feats) >= accuracy(plain, data.feats) - 0.005


def test_fallback_context_trees_have_leaves_of_at_least_their_minimum_of_lines() -> None:
    # The fallback's context trees must not give a few lines a leaf of their own: with 20-line leaves
    # they learned such a pocket and sent two Hindi paragraphs the line trees were sure of to nav.
    # Counted by walking the training lines down every tree.
    import numpy as np

    from cleaner.context import context_features
    from cleaner.model import softmax
    from training.data import load_team
    from training.fit import FALLBACK_CONTEXT_MIN_LEAF, LineSet, fit_context

    docs = load_team("train", ROOT / "data")[::8]
    data = LineSet.build(docs)
    idx = list(range(len(docs)))
    rng = np.random.default_rng(0)
    # Stage-1 output that is right more often than not, as out-of-fold output is.
    probas = [softmax(2.0 * np.eye(4)[y] + rng.normal(0.0, 1.0, (len(y), 4))) for y in data.labels]
    ctx = np.vstack([context_features(p, data.feats[i].dense) for p, i in zip(probas, idx)])

    def fewest_lines_in_a_leaf(trees) -> int:  # type: ignore[no-untyped-def]
        fewest = len(ctx)
        for root in trees.root.tolist():
            node = np.full(len(ctx), root)
            while True:
                leaf = trees.left[node] == node
                if leaf.all():
                    break
                go_left = ctx[np.arange(len(ctx)), trees.feature[node]] <= trees.threshold[node]
                node = np.where(leaf, node, np.where(go_left, trees.left[node], trees.right[node]))
            counts = np.bincount(node)
            fewest = min(fewest, int(counts[counts > 0].min()))
        return fewest

    assert len(ctx) > 10 * FALLBACK_CONTEXT_MIN_LEAF
    assert fewest_lines_in_a_leaf(fit_context(probas, data, idx, fallback=True)) >= FALLBACK_CONTEXT_MIN_LEAF
    # The main stage's trees, fitted on the same lines, do have smaller leaves.
    assert fewest_lines_in_a_leaf(fit_context(probas, data, idx)) < FALLBACK_CONTEXT_MIN_LEAF
