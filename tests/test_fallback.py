"""Pages in scripts the model did not learn go through its fallback stages, and only those pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from cleaner import Cleaner, ModelError
from cleaner.model import CLASSES, Model, load_model

ROOT = Path(__file__).resolve().parent.parent
# Written for this test: three sentences of a Korean news paragraph, a title, a "more news" row.
KOREAN = (
    "서울시, 내년부터 시내버스 노선 개편\n"
    "\n"
    "서울시는 내년 봄부터 시내버스 노선 스무 개를 새로 정비한다고 밝혔다. 시민들은 출퇴근 시간이 "
    "줄어들 것으로 기대하고 있다. 시 관계자는 \"승객 의견을 반영한 결과\"라고 말했다.\n"
    "\n"
    "많이 본 뉴스\n"
)
FRENCH = (ROOT / "seeds" / "004_1be04e69967984fd.txt").read_text(encoding="utf-8")


def test_fallback_line_stage_reads_the_dense_features_alone(plain: Model) -> None:
    """Trees of the fallback line stage score the dense features: one split on column 0 here."""
    model = _with_fallback(plain, "ad")
    split = np.array([[0.0, 0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 1.0, 1.0, 2.0], [0.0, 0.0, 2.0, 2.0, -2.0]]
                     + [[0.0, 0.0, k, k, 0.0] for k in (3, 4, 5)])
    model.arrays.update(fb_line_nodes=split, fb_line_roots=np.array([0.0, 3.0, 4.0, 5.0]))
    model._fallback_trees.clear()
    dense = np.zeros((2, plain.arrays["dense_coef"].shape[0]))
    dense[1, 0] = 1.0
    p = model.fallback_line_proba(dense)
    # Column 0 at most 0 goes left (+2 to body), above 0 right (-2 to body); the others score 0.
    np.testing.assert_allclose(p[:, 0], [np.exp(2) / (np.exp(2) + 3), np.exp(-2) / (np.exp(-2) + 3)])


def _with_fallback(base: Model, winner: str, seen: Sequence[str] = ("latin", "cyrillic", "han", "kana")) -> Model:
    """``base`` plus a fallback whose context stage always picks ``winner`` by a wide margin."""
    a = dict(base.arrays)
    baseline = np.full(len(CLASSES), -1000.0)
    baseline[CLASSES.index(winner)] = 1000.0
    # Line trees of one leaf each, adding nothing: every class scores its baseline, 0.
    leaves = np.array([[0.0, 0.0, k, k, 0.0] for k in range(len(CLASSES))])
    a.update(fb_line_nodes=leaves, fb_line_roots=np.arange(len(CLASSES), dtype=np.float64),
             fb_line_baseline=np.zeros(len(CLASSES)),
             fb_ctx_nodes=a["ctx_nodes"], fb_ctx_roots=a["ctx_roots"], fb_ctx_baseline=baseline)
    header = dict(base.header, seen_scripts=list(seen), fallback_threshold=0.5)
    return Model(a, header)


@pytest.fixture(scope="module")
def plain() -> Model:
    """The shipped model's main stages with no fallback."""
    m = load_model()
    keep = {k: v for k, v in m.arrays.items() if not k.startswith("fb_")}
    header = {k: v for k, v in m.header.items() if k not in ("seen_scripts", "fallback_threshold")}
    return Model(keep, header)


def test_a_model_has_a_fallback_with_its_arrays_and_scripts_alone(plain: Model) -> None:
    assert not plain.has_fallback and plain.seen_scripts == frozenset()
    assert _with_fallback(plain, "ad").has_fallback
    no_scripts = _with_fallback(plain, "ad")
    del no_scripts.header["seen_scripts"]
    assert not no_scripts.has_fallback


def test_pages_in_unlearned_scripts_go_to_the_fallback_alone(plain: Model) -> None:
    ads = Cleaner(_with_fallback(plain, "ad"))
    assert [ln.label for ln in ads.label_lines(KOREAN)] == ["ad", "blank", "ad", "blank", "ad"]
    assert ads.clean(KOREAN) == ""
    # A page in a learned script is scored as without the fallback, probabilities and all.
    ours, theirs = ads.label_lines(FRENCH), Cleaner(plain).label_lines(FRENCH)
    assert [ln.label for ln in ours] == [ln.label for ln in theirs]
    for a, b in zip(ours, theirs):
        assert a.probs == pytest.approx(b.probs)
    assert ads.clean(FRENCH) == Cleaner(plain).clean(FRENCH)


def test_a_batch_mixing_scripts_keeps_its_order(plain: Model) -> None:
    bodies = Cleaner(_with_fallback(plain, "body"))
    out = bodies.clean_many([KOREAN, FRENCH, KOREAN])
    assert out[0] == out[2] == KOREAN.replace("\n\n", "\n").strip().replace("\n", "\n\n")
    assert out[1] == Cleaner(plain).clean(FRENCH)


def test_a_learned_script_skips_the_fallback(plain: Model) -> None:
    learned = Cleaner(_with_fallback(plain, "ad", seen=("latin", "hangul")))
    assert [ln.label for ln in learned.label_lines(KOREAN)] == [ln.label for ln in Cleaner(plain).label_lines(KOREAN)]


def test_fallback_threshold_is_the_models_unless_the_user_gives_one(plain: Model) -> None:
    model = _with_fallback(plain, "ad")
    assert Cleaner(model).fallback_threshold == 0.5
    assert Cleaner(model).threshold == plain.threshold
    # A threshold of 0 keeps every line, on the fallback's pages too.
    keep_all = Cleaner(model, threshold=0.0)
    assert keep_all.fallback_threshold == 0.0
    assert {ln.label for ln in keep_all.label_lines(KOREAN)} == {"body", "blank"}


def test_no_promo_sentence_is_cut_on_a_fallback_page(plain: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    c = Cleaner(_with_fallback(plain, "body"), promo_threshold=0.0)
    scored: list[str] = []

    def every_sentence_a_promo(self: Cleaner, sentences: Sequence[str]) -> np.ndarray:
        scored.extend(sentences)
        return np.ones(len(sentences))

    monkeypatch.setattr(Cleaner, "_promo_scores", every_sentence_a_promo)
    korean, french = c.clean_many([KOREAN, FRENCH])
    assert "승객 의견을 반영한 결과" in korean and scored
    assert not any("서울" in s or "승객" in s for s in scored)
    # On the learned page the scorer was asked, and its verdict cut a sentence.
    assert [s for s in scored if s.strip() not in french]


def _saved(model: Model, path: Path, drop: str | None = None, drop_header: str | None = None) -> Path:
    model.save(path)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files if k != drop}
    header = json.loads(str(arrays.pop("header")))
    header.pop(drop_header or "", None)
    np.savez(path, header=np.array(json.dumps(header)), **arrays)
    return path


def test_fallback_round_trips_and_partial_ones_are_refused(plain: Model, tmp_path: Path) -> None:
    model = _with_fallback(plain, "ad")
    again = load_model(_saved(model, tmp_path / "whole.npz"))
    assert again.has_fallback and again.seen_scripts == {"latin", "cyrillic", "han", "kana"}
    assert Cleaner(again).clean(KOREAN) == ""
    with pytest.raises(ModelError, match="partial fallback.*fb_line_baseline"):
        load_model(_saved(model, tmp_path / "partial.npz", drop="fb_line_baseline"))
    with pytest.raises(ModelError, match="no list of the scripts"):
        load_model(_saved(model, tmp_path / "noscripts.npz", drop_header="seen_scripts"))
    bad = dict(model.arrays, fb_line_baseline=np.zeros(3))
    with pytest.raises(ModelError, match="fb_line_baseline"):
        load_model(_saved(Model(bad, model.header), tmp_path / "shape.npz"))
    # Line trees read the dense features: a split on a column beyond them is refused.
    beyond = model.arrays["fb_line_nodes"].copy()
    beyond[0] = [45.0, 0.5, 1.0, 1.0, 0.0]
    with pytest.raises(ModelError):
        load_model(_saved(Model(dict(model.arrays, fb_line_nodes=beyond), model.header), tmp_path / "feat.npz"))


def test_a_fallback_whose_line_stage_is_a_logistic_regression_still_loads(plain: Model, tmp_path: Path) -> None:
    """Files written before the line trees hold ``fb_dense_coef``/``fb_intercept``; they score as they did."""
    model = _with_fallback(plain, "ad")
    linear = {k: v for k, v in model.arrays.items() if not k.startswith("fb_line_")}
    n_dense = plain.arrays["dense_coef"].shape[0]
    coef = np.zeros((n_dense, len(CLASSES)))
    coef[0, 0] = 1.0
    linear.update(fb_dense_coef=coef, fb_intercept=np.array([0.0, 0.5, 0.0, 0.0]))
    again = load_model(_saved(Model(linear, model.header), tmp_path / "linear.npz"))
    assert again.has_fallback
    dense = np.zeros((2, n_dense))
    dense[1, 0] = plain.arrays["dense_mean"][0] + plain.arrays["dense_scale"][0]
    dense[0, 0] = plain.arrays["dense_mean"][0]
    # Standardised column 0 is 0 then 1; it weighs on body alone, against nav's intercept of 0.5.
    e = np.exp
    np.testing.assert_allclose(again.fallback_line_proba(dense)[:, :2],
                               [[1 / (3 + e(0.5)), e(0.5) / (3 + e(0.5))],
                                [e(1) / (2 + e(1) + e(0.5)), e(0.5) / (2 + e(1) + e(0.5))]], rtol=1e-5)
    assert Cleaner(again).clean(KOREAN) == ""
    with pytest.raises(ModelError, match="partial fallback.*fb_intercept"):
        load_model(_saved(Model(linear, model.header), tmp_path / "partial.npz", drop="fb_intercept"))
    both = dict(model.arrays, fb_dense_coef=coef, fb_intercept=np.zeros(len(CLASSES)))
    with pytest.raises(ModelError, match="two fallback line stages"):
        load_model(_saved(Model(both, model.header), tmp_path / "both.npz"))
