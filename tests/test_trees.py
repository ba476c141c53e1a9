import numpy as np
import pytest

from cleaner import ModelError
from cleaner.model import softmax
from cleaner.context import N_CONTEXT
from cleaner.model import load_model
from cleaner.trees import MASK_BUILD_PAIRS, MASK_CHUNK, SEARCH_ONCE_LINES, TreeEnsemble, pack_sklearn


def _stump(n_classes: int = 2) -> TreeEnsemble:
    # Tree 0 (class 0): x0 <= 0.5 -> +1, else -1. Tree 1 (class 1): one leaf worth 0.25.
    nodes = np.array([
        [0, 0.5, 1, 2, 0.0],
        [0, 0.0, 1, 1, 1.0],
        [0, 0.0, 2, 2, -1.0],
        [0, 0.0, 3, 3, 0.25],
    ])
    return TreeEnsemble.from_arrays(nodes, np.array([0.0, 3.0]), np.array([0.0, 0.1])[:n_classes])


METHODS = ["masks", "pairs", "nodes"]


@pytest.mark.parametrize("method", METHODS)
def test_hand_built_stump_scores_by_hand(method: str) -> None:
    trees = _stump()
    assert trees.depth == 1
    # A value equal to the threshold goes left; NaN goes left too.
    x = np.array([[0.2, 9.0], [0.5, 9.0], [0.7, -9.0], [np.nan, 0.0]])
    expected = [[1.0, 0.35], [1.0, 0.35], [-1.0, 0.35], [1.0, 0.35]]
    np.testing.assert_allclose(trees.raw(x, method=method), expected)
    assert trees.raw(np.zeros((0, 2))).shape == (0, 2)


def test_depth_counts_the_longest_path() -> None:
    # A chain: x0 <= 1 -> leaf, else (x0 <= 2 -> leaf, else leaf).
    nodes = np.array([
        [0, 1.0, 1, 2, 0.0],
        [0, 0.0, 1, 1, 10.0],
        [0, 2.0, 3, 4, 0.0],
        [0, 0.0, 3, 3, 20.0],
        [0, 0.0, 4, 4, 30.0],
    ])
    trees = TreeEnsemble.from_arrays(nodes, np.array([0.0]), np.array([0.0]))
    assert trees.depth == 2
    for method in METHODS:
        np.testing.assert_allclose(trees.raw(np.array([[0.0], [1.5], [3.0]]), method=method)[:, 0], [10.0, 20.0, 30.0])


def _chain(n_leaves: int) -> TreeEnsemble:
    """One tree, a chain of splits on x0 at 0, 1, 2, ...: a line with x0 in (k - 1, k] ends in leaf k (value k)."""
    rows = []
    for k in range(n_leaves - 1):
        split, leaf = 2 * k, 2 * k + 1
        rows.append([0, k + 0.0, leaf, split + 2, 0.0])  # x0 <= k: the leaf
        rows.append([0, 0.0, leaf, leaf, k])
    last = len(rows)
    rows.append([0, 0.0, last, last, n_leaves - 1])
    return TreeEnsemble.from_arrays(np.array(rows, dtype=np.float64), np.array([0.0]), np.array([0.0]))


@pytest.mark.parametrize("n_leaves", [3, 16, 17, 33, 64])
def test_every_mask_width_finds_the_leaf(n_leaves: int) -> None:
    trees = _chain(n_leaves)
    x = np.arange(-1, n_leaves + 1, 0.5)[:, None]
    expected = np.clip(np.ceil(x[:, 0]), 0, n_leaves - 1)
    for method in METHODS:
        np.testing.assert_array_equal(trees.raw(x, method=method)[:, 0], expected)


@pytest.mark.parametrize("n", [1, 7, SEARCH_ONCE_LINES, SEARCH_ONCE_LINES + 1, MASK_CHUNK + 3])
def test_masks_give_the_walks_scores_for_few_lines_and_many(n: int) -> None:
    # The shipped model's trees; some values sit exactly on a split's threshold, some are NaN.
    trees = load_model().context_trees
    rng = np.random.default_rng(n)
    x = rng.normal(size=(n, N_CONTEXT))
    split = np.flatnonzero(trees.left != np.arange(trees.left.shape[0]))
    at = rng.choice(split, size=n)
    x[np.arange(n), trees.feature[at]] = trees.threshold[at]
    x[rng.random(x.shape) < 0.05] = np.nan
    np.testing.assert_array_equal(trees.raw(x, method="masks"), trees.raw(x, method="pairs"))


def test_trees_of_more_than_64_leaves_are_walked() -> None:
    trees = _chain(65)
    x = np.array([[0.5], [70.0]])
    np.testing.assert_array_equal(trees.raw(x)[:, 0], [1.0, 64.0])
    with pytest.raises(ValueError, match="64 leaves"):
        trees.raw(x, method="masks")
    with pytest.raises(ValueError, match="unknown method"):
        trees.raw(x, method="fast")


@pytest.mark.parametrize("change, message", [
    ((0, 2, 7.0), "do not exist"),
    ((0, 3, 0.0), "after it"),
    ((0, 2, 1.5), "not whole"),
    ((1, 2, -1.0), "non-negative"),
])
def test_malformed_tables_are_refused(change: tuple[int, int, float], message: str) -> None:
    nodes = np.array([
        [0, 0.5, 1, 2, 0.0],
        [0, 0.0, 1, 1, 1.0],
        [0, 0.0, 2, 2, -1.0],
    ])
    row, col, value = change
    nodes[row, col] = value
    with pytest.raises(ModelError, match=message):
        TreeEnsemble.from_arrays(nodes, np.array([0.0]), np.array([0.0]))


def test_trees_must_divide_among_classes() -> None:
    nodes = np.array([[0, 0.0, 0, 0, 1.0]])
    with pytest.raises(ModelError, match="evenly"):
        TreeEnsemble.from_arrays(nodes, np.array([0.0]), np.zeros(2))


def _data(n_classes: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(600, 5))
    x[:, 3] = rng.integers(0, 3, size=600)  # a feature with few values: thresholds sit between them
    score = x[:, 0] + 0.5 * x[:, 1] * x[:, 3]
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    return x, y


@pytest.mark.parametrize("labels", [(0, 1, 2, 3), (0, 1, 3), (0, 3)])
def test_packed_sklearn_trees_give_sklearns_probabilities(labels: tuple[int, ...]) -> None:
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, k = _data(len(labels))
    y = np.array(labels)[k]
    clf = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, early_stopping=False, random_state=0)
    clf.fit(x, y)
    nodes, roots, baseline = pack_sklearn(clf, x.shape[1])
    trees = TreeEnsemble.from_arrays(nodes, roots, baseline)
    assert roots.shape[0] == 30 * 4
    test = np.vstack([x, _data(len(labels), seed=1)[0]])
    theirs = clf.predict_proba(test)
    by_pairs = trees.raw(test, method="pairs")
    np.testing.assert_array_equal(trees.raw(test, method="nodes"), by_pairs)
    np.testing.assert_array_equal(trees.raw(test, method="masks"), by_pairs)
    np.testing.assert_array_equal(trees.raw(test), by_pairs)
    ours = softmax(by_pairs)
    np.testing.assert_allclose(ours[:, list(labels)], theirs, rtol=1e-9, atol=1e-12)
    absent = [c for c in range(4) if c not in labels]
    assert np.all(ours[:, absent] < 1e-12)


def test_auto_walks_pairs_until_enough_lines_were_scored_then_builds_the_masks() -> None:
    trees = _stump()
    small = np.array([[0.2, 0.0], [0.7, 0.0]])
    want = trees.raw(small, method="nodes")
    np.testing.assert_array_equal(trees.raw(small), want)
    assert "_masks" not in trees.__dict__  # one small page never builds the tables
    big = np.tile(small, (MASK_BUILD_PAIRS // 2, 1))  # n * 2 trees > MASK_BUILD_PAIRS
    np.testing.assert_array_equal(trees.raw(big), np.tile(want, (MASK_BUILD_PAIRS // 2, 1)))
    assert trees.__dict__["_masks"] is not None
    np.testing.assert_array_equal(trees.raw(small), want)


def test_an_ensemble_whose_mask_tables_would_be_large_is_walked() -> None:
    # The shipped fallback's line trees: 800 trees of up to 31 leaves; their tables would take tens of MB.
    from cleaner.features import N_DENSE
    from cleaner.trees import MASK_TABLE_MAX_BYTES

    model = load_model()
    assert model.has_fallback
    trees = model._fallback("line")
    n_splits = int(np.count_nonzero(trees.left != np.arange(trees.left.shape[0])))
    assert n_splits * trees.root.shape[0] * 4 > MASK_TABLE_MAX_BYTES
    x = np.random.default_rng(0).normal(size=(MASK_BUILD_PAIRS // trees.root.shape[0] + 10, N_DENSE))
    # Enough lines that a smaller ensemble would build its tables: this one walks, to the same scores.
    np.testing.assert_array_equal(trees.raw(x), trees.raw(x, method="nodes"))
    assert trees.__dict__["_masks"] is None
    with pytest.raises(ValueError, match="MASK_TABLE_MAX_BYTES"):
        trees.raw(x, method="masks")
    # The context stage's trees still build theirs.
    context = load_model().context_trees
    assert context._masks is not None
