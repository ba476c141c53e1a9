"""Fitting the model's three parts with scikit-learn and packing them as NumPy arrays."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from cleaner.context import BODY, N_CONTEXT, context_features
from cleaner.features import N_DENSE, Features, featurize
from cleaner.ngrams import N_BUCKETS
from cleaner.model import CLASSES, Model, softmax
from cleaner.scripts import script_counts
from cleaner.trees import TreeEnsemble, pack_sklearn
from cleaner.postprocess import continues, promo_candidate, sentence_features, split_sentences

from .data import Doc

LINE_C = 4.0
# The context stage: gradient-boosted trees. Out of fold with language folds, at body recall 0.995, they
# remove 0.83 of boilerplate lines where a logistic regression on the same features removed 0.75; 100
# rounds at rate 0.1 removed 0.83 too at twice the cost, 31-leaf trees were overconfident out of fold.
CONTEXT_TREES = 50
CONTEXT_LEAVES = 15
CONTEXT_LEARNING_RATE = 0.2
SENTENCE_C = 2.0
N_FOLDS = 5
# With at least this many languages, folds leave whole languages out.
MIN_LANGUAGE_FOLDS = 4
# The default threshold keeps at least this share of body lines out of fold.
TARGET_BODY_RECALL = 0.995
THRESHOLD_FLOOR = 0.02
# Of genuine body paragraphs, at most this share may lose their last sentence as a promo, out of fold.
MAX_FALSE_TRIM = 0.005
MIN_PROMO_THRESHOLD = 0.8
# Lines from a user's own pages count this many times as much as the team's.
USER_WEIGHT = 3.0
# The seed pages are the hand-checked reference pages: their lines (and sentences) count this much.
SEED_WEIGHT = 10.0
SEED = 0
# Lines derived from real pages together weigh this share of the team's lines: enough to teach the
# model real sites, not so much that the team's idioms drown.
DERIVED_SHARE = 1.0
# Stage 1 may also learn from a copy of every line with its n-grams gone, weighted by this share of
# the line's own weight: the dense features (shape, position, repetition, cue phrases) then learn to
# carry a line alone, as they must on a page of a language whose n-grams the model has no weights
# for. Leaving one language out (3 folds, everything else as shipped), a share of 0.5 took Japanese
# from removing 0.505 of its boilerplate to 0.609 (body recall 0.997 and 0.996) and Ukrainian from
# body recall 0.984 to 1.000 (removal 0.855 and 0.857); a share of 1.0 took Japanese to 0.643 at body
# recall 0.987, and 0.25 to 0.617 at 0.996. On the held-out team pages, in the twelve languages it
# learned, a share of 0.5 kept 0.995 of body lines where 0 kept 0.993 but removed 0.926 of
# boilerplate where 0 removed 0.956; 0.25 kept 0.994 and removed 0.945: the shipped model was
# trained with 0.
NGRAM_DROPOUT = 0.0
# A script is one the model learns (its pages go through the n-gram stages, not the fallback) when
# at least this share of the letters of the team's, the seeds' and the user's pages is written in it.
# Japanese puts 2% of the team's letters in Han and 2% in kana; the real pages' lines do not count,
# as they are almost all Latin and would push every other script under the bar.
MIN_SCRIPT_SHARE = 0.01
# The fallback's line stage: gradient-boosted trees over the dense features. Out of fold on the training
# pages (language folds, the fallback's context trees on top, the threshold set to keep 99.5% of body
# lines), a logistic regression on the same features kept 0.991 of body lines and removed 0.747 of the
# others; 100 rounds of 15-leaf trees 0.993 / 0.810; 200 rounds of 31-leaf trees 0.995 / 0.840.
FALLBACK_TREES = 200
FALLBACK_LEAVES = 31
FALLBACK_LEARNING_RATE = 0.1
# The fallback's context trees: leaves of at least this many lines, and this L2 penalty on leaf values.
# With the main stage's settings (20-line leaves, no penalty) they learned a pocket of long lines that
# the line trees are sure are body (P 0.98) and sent them to nav (P < 0.0001): two Hindi probe
# paragraphs. Out of fold on the training pages (the keep threshold set to keep 99.5% of body lines),
# removal 0.840 with the main settings, 0.856 with 100-line leaves and L2 1.0, 0.863 with 400-line
# leaves; 7-leaf trees 0.796.
FALLBACK_CONTEXT_MIN_LEAF = 100
FALLBACK_CONTEXT_L2 = 1.0


@dataclass
class LineSet:
    """Features and labels of the content lines of many pages."""

    feats: list[Features]
    labels: list[np.ndarray]
    groups: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, docs: Sequence[Doc], user_weight: float = USER_WEIGHT, derived_weight: float = 1.0) -> "LineSet":
        """Featurize every page of ``docs``."""
        feats, labels, groups, weights = [], [], [], []
        for g, doc in enumerate(docs):
            f = featurize(doc.page())
            y = np.array(doc.content_labels(), dtype=np.int64)
            assert f.n_lines == len(y), doc.name
            feats.append(f)
            labels.append(y)
            groups.append(np.full(len(y), g))
            w = (user_weight if doc.group == "user" else SEED_WEIGHT if doc.group == "seed"
                 else derived_weight if doc.group.startswith("derived:") else 1.0)
            weights.append(np.full(len(y), w))
        return cls(feats, labels, np.concatenate(groups), np.concatenate(weights))

    def page_weight(self, i: int) -> float:
        """Sample weight of the lines of page ``i``."""
        return float(self.weights[self._starts[i]]) if len(self.labels[i]) else 0.0

    @cached_property
    def _starts(self) -> np.ndarray:
        """Index of the first line of each page."""
        return np.cumsum([0] + [len(y) for y in self.labels])[:-1]

    @property
    def y(self) -> np.ndarray:
        """Labels of all lines."""
        return np.concatenate(self.labels)

    def dense(self) -> np.ndarray:
        """Dense features of all lines."""
        return np.vstack([f.dense for f in self.feats])


def hashed_matrix(feats: Sequence[Features]) -> sp.csr_matrix:
    """The hashed n-gram features of many line batches as one sparse matrix."""
    rows, cols, vals, offset = [], [], [], 0
    for f in feats:
        rows.append(f.rows + offset)
        cols.append(f.cols)
        vals.append(f.vals)
        offset += f.n_lines
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(offset, N_BUCKETS)
    )


def _scaler(dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale for standardising dense features."""
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def _design(dense: np.ndarray, hashed: sp.csr_matrix, mean: np.ndarray, scale: np.ndarray) -> sp.csr_matrix:
    """Standardised dense features beside the hashed ones."""
    return sp.hstack([sp.csr_matrix((dense - mean) / scale), hashed], format="csr")


def _lr(c: float) -> LogisticRegression:
    """The classifier every part uses."""
    return LogisticRegression(C=c, max_iter=1000, tol=1e-4)


def _full_coef(clf: LogisticRegression, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients ``(n_features, n_classes)`` and intercepts, with absent classes given no mass."""
    coef = np.zeros((clf.coef_.shape[1], n_classes))
    icpt = np.full(n_classes, -30.0)
    for k, c in enumerate(clf.classes_):
        coef[:, c] = clf.coef_[k] if len(clf.classes_) > 2 else (clf.coef_[0] if k == 1 else -clf.coef_[0]) / 2
        icpt[c] = clf.intercept_[k] if len(clf.classes_) > 2 else (clf.intercept_[0] if k == 1 else -clf.intercept_[0]) / 2
    return coef, icpt


@dataclass
class LineModel:
    """Stage 1 fitted on some lines."""

    mean: np.ndarray
    scale: np.ndarray
    dense_coef: np.ndarray
    hash_coef: np.ndarray
    intercept: np.ndarray

    def proba(self, f: Features) -> np.ndarray:
        """Class probabilities of one batch of lines."""
        z = ((f.dense - self.mean) / self.scale) @ self.dense_coef + self.intercept
        z = z + hashed_matrix([f]) @ self.hash_coef
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def fit_lines(data: LineSet, idx: Sequence[int], c: float = LINE_C, ngram_dropout: float = NGRAM_DROPOUT) -> LineModel:
    """Fit stage 1 on the pages ``idx`` of ``data``, with copies of the lines without n-grams (``NGRAM_DROPOUT``)."""
    feats = [data.feats[i] for i in idx]
    y = np.concatenate([data.labels[i] for i in idx])
    w = np.concatenate([np.full(len(data.labels[i]), data.page_weight(i)) for i in idx])
    dense = np.vstack([f.dense for f in feats])
    mean, scale = _scaler(dense)
    x = _design(dense, hashed_matrix(feats), mean, scale)
    if ngram_dropout > 0:
        bare = _design(dense, sp.csr_matrix((dense.shape[0], N_BUCKETS)), mean, scale)
        x, y, w = sp.vstack([x, bare], format="csr"), np.concatenate([y, y]), np.concatenate([w, w * ngram_dropout])
    clf = _lr(c).fit(x, y, sample_weight=w)
    coef, icpt = _full_coef(clf, len(CLASSES))
    return LineModel(mean, scale, coef[:N_DENSE], coef[N_DENSE:], icpt)


def fit_fallback_lines(data: LineSet, idx: Sequence[int]) -> TreeEnsemble:
    """Fit the fallback's stage 1, trees over the dense features alone, on the pages ``idx`` of ``data``."""
    dense = np.vstack([data.feats[i].dense for i in idx])
    y = np.concatenate([data.labels[i] for i in idx])
    w = np.concatenate([np.full(len(data.labels[i]), data.page_weight(i)) for i in idx])
    clf = HistGradientBoostingClassifier(max_iter=FALLBACK_TREES, max_leaf_nodes=FALLBACK_LEAVES,
                                         learning_rate=FALLBACK_LEARNING_RATE, early_stopping=False, random_state=SEED)
    clf.fit(dense, y, sample_weight=w)
    return TreeEnsemble.from_arrays(*pack_sklearn(clf, N_DENSE))


def fold_groups(docs: Sequence[Doc]) -> np.ndarray:
    """Cross-validation groups: a page's language when there are several, else the page itself.

    Out-of-fold output then comes from a model that never saw the page's language: the
    shift a new site brings is closer to that than to a page of a language already seen.
    """
    langs = sorted({d.lang for d in docs})
    if len(langs) >= MIN_LANGUAGE_FOLDS:
        return np.array([langs.index(d.lang) for d in docs])
    return np.arange(len(docs))


def out_of_fold(data: LineSet, idx: Sequence[int], groups: np.ndarray, n_folds: int = N_FOLDS,
                always: Sequence[int] = (), ngram_dropout: float = NGRAM_DROPOUT,
                fallback: bool = False) -> list[np.ndarray]:
    """Stage-1 probabilities of each page in ``idx`` from a model that never saw its group.

    Pages in ``always`` (lines derived from real pages) are in every fold's training set. With
    ``fallback``, the fallback's stage 1 (``fit_fallback_lines``) instead.
    """
    idx = list(idx)
    out: list[np.ndarray] = [np.zeros(0)] * len(idx)
    folds = GroupKFold(n_splits=min(n_folds, len(set(groups.tolist()))))
    for tr, te in folds.split(np.zeros(len(idx)), groups=groups):
        pages = [idx[k] for k in tr] + list(always)
        if fallback:
            trees = fit_fallback_lines(data, pages)
            for k in te:
                out[k] = softmax(trees.raw(data.feats[idx[k]].dense))
            continue
        lm = fit_lines(data, pages, ngram_dropout=ngram_dropout)
        for k in te:
            out[k] = lm.proba(data.feats[idx[k]])
    return out


def context_out_of_fold(oof1: Sequence[np.ndarray], data: LineSet, idx: Sequence[int], groups: np.ndarray,
                        n_folds: int = N_FOLDS, fallback: bool = False) -> list[np.ndarray]:
    """Stage-2 probabilities of each page in ``idx`` from trees fitted, on the out-of-fold stage-1
    output ``oof1``, without its group (the folds of ``out_of_fold``); ``fallback``: the fallback's trees."""
    out: list[np.ndarray] = [np.zeros(0)] * len(idx)
    n_splits = min(n_folds, len(set(groups.tolist())))
    for tr, te in GroupKFold(n_splits=n_splits).split(np.zeros(len(idx)), groups=groups):
        params = fit_context([oof1[k] for k in tr], data, [idx[k] for k in tr], fallback)
        for k in te:
            out[k] = context_proba(params, oof1[k], data.feats[idx[k]].dense)
    return out


def seen_scripts(docs: Sequence[Doc], min_share: float = MIN_SCRIPT_SHARE) -> list[str]:
    """The scripts (``cleaner.scripts.SCRIPTS``) that at least ``min_share`` of the letters of ``docs`` are written in."""
    counts: dict[str, int] = {}
    for doc in docs:
        for script, n in script_counts(doc.text).items():
            counts[script] = counts.get(script, 0) + n
    total = sum(counts.values())
    return sorted(s for s, n in counts.items() if total and n >= min_share * total)


def fit_context(probas: Sequence[np.ndarray], data: LineSet, idx: Sequence[int], fallback: bool = False) -> TreeEnsemble:
    """Fit stage 2 on out-of-fold stage-1 probabilities of the pages ``idx``; with ``fallback``, the
    fallback's (``FALLBACK_CONTEXT_MIN_LEAF``, ``FALLBACK_CONTEXT_L2``)."""
    ctx = np.vstack([context_features(p, data.feats[i].dense) for p, i in zip(probas, idx)])
    y = np.concatenate([data.labels[i] for i in idx])
    w = np.concatenate([np.full(len(data.labels[i]), data.page_weight(i)) for i in idx])
    clf = HistGradientBoostingClassifier(max_iter=CONTEXT_TREES, max_leaf_nodes=CONTEXT_LEAVES,
                                         learning_rate=CONTEXT_LEARNING_RATE, early_stopping=False, random_state=SEED,
                                         **({"min_samples_leaf": FALLBACK_CONTEXT_MIN_LEAF,
                                             "l2_regularization": FALLBACK_CONTEXT_L2} if fallback else {}))
    clf.fit(ctx, y, sample_weight=w)
    nodes, roots, baseline = pack_sklearn(clf, N_CONTEXT)
    return TreeEnsemble.from_arrays(nodes, roots, baseline)


def trees_table(trees: TreeEnsemble) -> np.ndarray:
    """The node table of ``trees`` as a model file stores it."""
    return np.column_stack([trees.feature, trees.threshold, trees.left, trees.right, trees.value]).astype(np.float64)


def context_proba(trees: TreeEnsemble, proba: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """Stage-2 probabilities for one page."""
    return softmax(trees.raw(context_features(proba, dense)))


def choose_threshold(p_body: np.ndarray, is_body: np.ndarray, target: float = TARGET_BODY_RECALL) -> float:
    """The highest threshold (at most 0.5) that keeps ``target`` of body lines."""
    scores = np.sort(p_body[is_body])
    if len(scores) == 0:
        return 0.5
    k = int(np.floor((1.0 - target) * len(scores)))
    return float(np.clip(scores[k] - 1e-6, THRESHOLD_FLOOR, 0.5))


def sentence_data(docs: Sequence[Doc], seeds_expected: dict[str, str] | None = None
                  ) -> tuple[list[str], np.ndarray, list[int], np.ndarray, np.ndarray]:
    """Sentences for the promo model: sentences of body lines (0) and of ad lines (1).

    Sentences cut from a seed's body line in its hand-checked expected output count as promo too.
    Returns the sentences, their labels, the page index of each, whether each is the last
    sentence of a genuine body paragraph (the one a false cut would take), and sample weights.
    """
    sents: list[str] = []
    ys: list[int] = []
    pages: list[int] = []
    last: list[bool] = []
    for g, doc in enumerate(docs):
        expected = (seeds_expected or {}).get(doc.name)
        # Body lines are first joined into paragraphs as the clean output joins them.
        rows: list[tuple[str, str]] = []
        for row in doc.rows:
            text = row.text.strip()
            if row.label == "body" and rows and rows[-1][0] == "body" and continues(rows[-1][1], text):
                rows[-1] = ("body", rows[-1][1] + " " + text)
            elif row.label in ("body", "ad"):
                rows.append((row.label, text))
        for label, text in rows:
            if label == "body":
                parts = [s.strip() for s in split_sentences(text)]
                genuine = [k for k, s in enumerate(parts) if expected is None or s in expected]
                # Every whole sentence of the article is a genuine example, the first included.
                for k, s in enumerate(parts):
                    if not promo_candidate(s):
                        continue
                    promo = expected is not None and s not in expected
                    sents.append(s)
                    ys.append(int(promo))
                    pages.append(g)
                    last.append(not promo and k > 0 and k == genuine[-1])
            else:
                for s in split_sentences(text):
                    s = s.strip()
                    if promo_candidate(s):
                        sents.append(s)
                        ys.append(1)
                        pages.append(g)
                        last.append(False)
    weights = np.array([SEED_WEIGHT if docs[g].group == "seed" else 1.0 for g in pages])
    return sents, np.array(ys, dtype=np.int64), pages, np.array(last, dtype=bool), weights


def fit_sentences(sents: Sequence[str], y: np.ndarray, mean: np.ndarray, scale: np.ndarray,
                  weights: np.ndarray | None = None, c: float = SENTENCE_C) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit the promo model; returns dense coef, hashed coef and intercept."""
    f = sentence_features(sents)
    x = _design(f.dense, hashed_matrix([f]), mean, scale)
    clf = _lr(c).fit(x, y, sample_weight=weights)
    coef = clf.coef_[0]
    return coef[:N_DENSE], coef[N_DENSE:], float(clf.intercept_[0])


def promo_oof(sents: Sequence[str], y: np.ndarray, pages: Sequence[int] | np.ndarray, mean: np.ndarray, scale: np.ndarray,
              weights: np.ndarray, n_folds: int = N_FOLDS) -> np.ndarray:
    """Out-of-fold promo probabilities, folds by page."""
    out = np.zeros(len(sents))
    sents = list(sents)
    n_splits = min(n_folds, len(set(np.asarray(pages).tolist())))
    for tr, te in GroupKFold(n_splits=n_splits).split(np.zeros(len(sents)), groups=np.asarray(pages)):
        dc, hc, b = fit_sentences([sents[k] for k in tr], y[tr], mean, scale, weights[tr])
        f = sentence_features([sents[k] for k in te])
        z = ((f.dense - mean) / scale) @ dc + hashed_matrix([f]) @ hc + b
        out[te] = 1.0 / (1.0 + np.exp(-z))
    return out


def choose_promo_threshold(p: np.ndarray, last: np.ndarray) -> float:
    """The lowest threshold that cuts the last sentence of at most ``MAX_FALSE_TRIM`` of genuine paragraphs."""
    neg = np.sort(p[last])
    if len(neg) == 0:
        return MIN_PROMO_THRESHOLD
    k = int(np.ceil((1.0 - MAX_FALSE_TRIM) * len(neg))) - 1
    return float(np.clip(neg[min(k, len(neg) - 1)] + 1e-6, MIN_PROMO_THRESHOLD, 0.999))


def fit_model(docs: Sequence[Doc], seeds_expected: dict[str, str] | None = None,
              user_weight: float = USER_WEIGHT, n_folds: int = N_FOLDS, derived: Sequence[Doc] = (),
              derived_share: float = DERIVED_SHARE, ngram_dropout: float = NGRAM_DROPOUT, fallback: bool = True
              ) -> tuple[Model, dict[str, object]]:
    """Fit the whole model on ``docs``.

    Args:
        docs: Team, seed and user pages: every stage learns from them, and the keep
            threshold is set on their out-of-fold output.
        seeds_expected: Hand-checked clean output of the seeds (promo sentences).
        user_weight: Weight of a user's line against a team line.
        n_folds: Cross-validation folds for the out-of-fold output.
        derived: Pages derived from real benchmark pages: the line model (stage 1) learns
            from them too, in every fold; the context and promo stages and the threshold
            do not, as their labels are coarser than the team's.
        derived_share: Total weight of the derived lines against the total of ``docs``' lines.
        ngram_dropout: Weight share of the copies of the lines without n-grams that stage 1 also
            learns from (``NGRAM_DROPOUT``); 0 for none.
        fallback: Fit the fallback for pages in scripts the model does not learn (see
            ``cleaner.scripts``); without it, every page is scored by the main stages.

    Returns:
        The model and facts about the fit (out-of-fold figures, counts) for its card.
    """
    n_own = sum(len(d.content_labels()) for d in docs)
    n_derived = sum(len(d.content_labels()) for d in derived)
    derived_weight = derived_share * n_own / n_derived if n_derived else 0.0
    data = LineSet.build(list(docs) + list(derived), user_weight, derived_weight)
    idx = list(range(len(docs)))
    always = list(range(len(docs), len(docs) + len(derived)))
    groups = fold_groups(docs)
    oof1 = out_of_fold(data, idx, groups, n_folds, always, ngram_dropout)
    # Stage 2 is fitted on out-of-fold stage-1 output, as it will see at run time; its own
    # out-of-fold output (the same folds) sets the threshold.
    y = np.concatenate([data.labels[i] for i in idx])  # the threshold answers to own pages only
    p2 = np.vstack(context_out_of_fold(oof1, data, idx, groups, n_folds))
    threshold = choose_threshold(p2[:, BODY], y == BODY)
    lm = fit_lines(data, idx + always, ngram_dropout=ngram_dropout)
    trees = fit_context(oof1, data, idx)
    # The fallback for pages in scripts the model does not learn: the same three steps on the
    # dense features alone.
    fallback_arrays: dict[str, np.ndarray] = {}
    fallback_header: dict[str, object] = {}
    fb_p2: np.ndarray | None = None
    if fallback:
        fb_oof1 = out_of_fold(data, idx, groups, n_folds, always, fallback=True)
        fb_p2 = np.vstack(context_out_of_fold(fb_oof1, data, idx, groups, n_folds, fallback=True))
        fb_lines, fb_trees = fit_fallback_lines(data, idx + always), fit_context(fb_oof1, data, idx, fallback=True)
        fallback_arrays = {
            "fb_line_nodes": trees_table(fb_lines), "fb_line_roots": fb_lines.root.astype(np.float64),
            "fb_line_baseline": fb_lines.baseline, "fb_ctx_nodes": trees_table(fb_trees),
            "fb_ctx_roots": fb_trees.root.astype(np.float64), "fb_ctx_baseline": fb_trees.baseline,
        }
        fallback_header = {"fallback_threshold": choose_threshold(fb_p2[:, BODY], y == BODY),
                           "seen_scripts": seen_scripts(docs)}
    sents, sy, spages, slast, sw = sentence_data(docs, seeds_expected)
    sp_oof = promo_oof(sents, sy, groups[np.asarray(spages, dtype=np.int64)], lm.mean, lm.scale, sw, n_folds)
    promo_threshold = choose_promo_threshold(sp_oof, slast)
    sdc, shc, sb = fit_sentences(sents, sy, lm.mean, lm.scale, sw)
    arrays = {
        "dense_mean": lm.mean, "dense_scale": lm.scale, "dense_coef": lm.dense_coef,
        "hash_coef": lm.hash_coef, "intercept": lm.intercept,
        "ctx_nodes": trees_table(trees), "ctx_roots": trees.root.astype(np.float64), "ctx_baseline": trees.baseline,
        "sent_dense_coef": sdc, "sent_hash_coef": shc, "sent_intercept": np.array([sb]),
        **fallback_arrays,
    }
    header = {"threshold": threshold, "promo_threshold": promo_threshold, **fallback_header}
    facts: dict[str, object] = {
        "oof_proba": p2, "fallback_oof_proba": fb_p2, "oof_labels": y, "n_lines": int(len(y)), "n_pages": len(docs),
        "n_sentences": len(sents), "n_promo_sentences": int(sy.sum()),
        "n_derived_pages": len(derived), "n_derived_lines": n_derived, "derived_weight": derived_weight,
        "ngram_dropout": ngram_dropout,
        "promo_oof": sp_oof, "promo_y": sy,
    }
    return Model(arrays, header), facts
