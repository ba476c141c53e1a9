"""Gradient-boosted trees run with NumPy: the context stage's scorer.

The trees of an ensemble are flattened into one node table. Lines are scored
with leaf masks (the QuickScorer method, Lucchese et al., SIGIR 2015): a split
whose test fails rules out the leaves of its left subtree, and the leaf a line
reaches is the leftmost one no failed test rules out. The failed tests on one
feature are a prefix of that feature's sorted thresholds, so the masks they
leave are looked up, for all lines, features and trees at once. Two
plain walks give the same scores: every (line, tree) pair one level per step,
and node by node; they serve small inputs (no tables to build), trees of more
than 64 leaves, and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

import numpy as np

from .errors import ModelError

# Up to this many (line, tree) pairs, walking all pairs at once beats walking node by node: the
# latter pays a Python step per node, the former a scattered read per pair and level.
PAIR_WALK_MAX = 200_000
# Walking node by node pays a Python step per node whatever the number of lines: for an ensemble of many
# nodes, pairs are walked up to this many pairs per node (the two cost the same at about 28 on the
# fallback's 48,800-node line trees: 1,700 lines).
PAIR_WALK_PER_NODE = 25
# The leaf-mask tables take a few milliseconds to build: until this many (line, tree) pairs
# have been scored, pairs are walked instead, so that one small page (a command-line run)
# never pays for them.
MASK_BUILD_PAIRS = 100_000
# The leaf-mask tables hold, for every split, one mask per tree: an ensemble whose tables could pass this
# many bytes is walked instead. The fallback's line stage (800 trees, 24,000 splits) would take 77 MB and
# 0.42 s to build them, for pages that are rare; the context stage's take 1 MB and 10 ms.
MASK_TABLE_MAX_BYTES = 16 << 20
# Lines scored together by the leaf masks: the masks of their every failed test stay in the processor's cache.
MASK_CHUNK = 128
# Up to this many lines, the leaf masks look up the failed tests of all lines on all features in one search,
# beyond it one search per feature (fewer steps each, but a NumPy call each).
SEARCH_ONCE_LINES = 48
_MASK_DTYPES = ((16, np.uint16), (32, np.uint32), (64, np.uint64))
METHODS = ("auto", "masks", "pairs", "nodes")


class _Masks(NamedTuple):
    """Lookup tables of the leaf-mask scorer."""

    columns: np.ndarray             # (n_used,): the features some split tests, in increasing order
    thresholds: list[np.ndarray]    # each one's split thresholds, sorted
    keys: np.ndarray                # the thresholds of all, each as its feature's place + 1j * threshold, sorted
    starts: np.ndarray              # (n_used,): each feature's first row of ``table``
    table: np.ndarray               # (len(keys) + n_used, n_trees): from a feature's first row on, the masks
                                    # left once its first k tests fail
    full: np.ndarray                # (n_trees,): no leaf ruled out
    values: np.ndarray              # (n_trees * max_leaves,): leaf values, tree by tree, left to right
    stride: int                     # max_leaves


@dataclass(frozen=True)
class TreeEnsemble:
    """Trees whose leaf values add up, per class, to raw scores.

    Attributes:
        feature: Feature a node splits on (0 for a leaf), ``(n_nodes,)``.
        threshold: A line goes left when its feature is at most this, ``(n_nodes,)``.
        left: Node a line goes to when it goes left (a leaf: itself), ``(n_nodes,)``.
        right: Node a line goes to otherwise (a leaf: itself), ``(n_nodes,)``.
        value: What a leaf adds to its class's score (0 for a split), ``(n_nodes,)``.
        root: First node of each tree, ``(n_trees,)``; tree ``t`` scores class ``t % n_classes``.
        baseline: Score of each class before any tree, ``(n_classes,)``.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    root: np.ndarray
    baseline: np.ndarray
    # (line, tree) pairs walked so far, while the leaf-mask tables are not built (see ``raw``).
    _walked: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    @classmethod
    def from_arrays(cls, nodes: np.ndarray, root: np.ndarray, baseline: np.ndarray) -> "TreeEnsemble":
        """An ensemble from a model file's arrays, checked so that a malformed file cannot index out of bounds.

        Args:
            nodes: ``(n_nodes, 5)``: feature, threshold, left, right, value of each node.
            root: First node of each tree.
            baseline: Score of each class before any tree.

        Raises:
            ModelError: A node index is out of range or not whole, a split's child does not come
                after it, or the trees do not divide evenly among the classes.
        """
        n = nodes.shape[0]
        ints = np.concatenate([nodes[:, [0, 2, 3]].ravel(), root])
        if not np.all(ints == np.round(ints)) or np.any(ints < 0):
            raise ModelError("model trees hold node indices that are not whole and non-negative")
        feature, left, right = (nodes[:, k].astype(np.int64) for k in (0, 2, 3))
        root = root.astype(np.int64)
        if n == 0 or np.any(left >= n) or np.any(right >= n) or np.any(root >= n):
            raise ModelError("model trees point to nodes that do not exist")
        me = np.arange(n)
        leaf = (left == me) & (right == me)
        if np.any(~leaf & ((left <= me) | (right <= me))):
            raise ModelError("model trees have a split whose child does not come after it")
        if root.shape[0] % baseline.shape[0]:
            raise ModelError("model trees do not divide evenly among the classes")
        return cls(feature, nodes[:, 1].copy(), left, right, nodes[:, 4].copy(), root, baseline.copy())

    @cached_property
    def depth(self) -> int:
        """Splits on the longest path from a root to a leaf (worked out when first asked: scoring never needs it,
        and every model load would pay for it)."""
        me = np.arange(self.left.shape[0])
        return _depth(self.left, self.right, (self.left == me) & (self.right == me))

    def raw(self, x: np.ndarray, *, method: str = "auto", pair_walk_max: int | None = None) -> np.ndarray:
        """Raw class scores of the rows of ``x``, ``(n, n_classes)``.

        Args:
            x: One row of features per line.
            method: ``masks`` (``_score_masks``), ``pairs`` (``_walk_pairs``) or ``nodes``
                (``_walk_nodes``); all give the same scores to the last bit. ``auto`` walks
                ``pairs`` until ``MASK_BUILD_PAIRS`` (line, tree) pairs have been scored, then
                takes ``masks`` when no tree has more than 64 leaves and the tables fit
                ``MASK_TABLE_MAX_BYTES``, else ``pairs`` up to
                ``pair_walk_max`` pairs and ``nodes`` beyond.
            pair_walk_max: See ``method``; by default the larger of ``PAIR_WALK_MAX`` and
                ``PAIR_WALK_PER_NODE`` pairs per node of the ensemble.

        Raises:
            ModelError: The trees split on a feature ``x`` does not have.
            ValueError: ``method`` is unknown, or ``masks`` with trees of more than 64 leaves or
                tables larger than ``MASK_TABLE_MAX_BYTES``.
        """
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
        n_classes = self.baseline.shape[0]
        n = x.shape[0]
        if n == 0:
            return np.zeros((0, n_classes))
        if int(self.feature.max()) >= x.shape[1]:
            raise ModelError(f"model trees split on feature {int(self.feature.max())} of {x.shape[1]}")
        x = np.asarray(x, dtype=np.float64)
        if method == "auto":
            pairs = n * self.root.shape[0]
            if "_masks" not in self.__dict__ and self._walked[0] + pairs <= MASK_BUILD_PAIRS:
                self._walked[0] += pairs
                method = "pairs"
            else:
                if pair_walk_max is None:
                    pair_walk_max = max(PAIR_WALK_MAX, PAIR_WALK_PER_NODE * self.left.shape[0])
                method = ("masks" if self._masks is not None else "pairs" if pairs <= pair_walk_max else "nodes")
        if method == "masks":
            return self._score_masks(x)
        if method == "pairs":
            return self._walk_pairs(x)
        return self._walk_nodes(x)

    @cached_property
    def _masks(self) -> _Masks | None:
        """The leaf-mask tables, built once; ``None`` when a tree has more than 64 leaves or the tables
        could pass ``MASK_TABLE_MAX_BYTES``."""
        n_nodes, n_trees = self.left.shape[0], self.root.shape[0]
        me = np.arange(n_nodes)
        is_leaf = self.left == me
        n_splits = n_nodes - int(np.count_nonzero(is_leaf))
        # A row per split and one more per feature tested (at most one per split), a mask of at most
        # 8 bytes per tree in each.
        if 2 * n_splits * n_trees * 8 > MASK_TABLE_MAX_BYTES:
            return None
        # Each tree's leaves numbered left to right, and the range of leaf numbers under each split.
        rank = np.zeros(n_nodes, dtype=np.int64)
        first = np.zeros(n_nodes, dtype=np.int64)  # first leaf number under a node
        last = np.zeros(n_nodes, dtype=np.int64)   # one past its last
        tree_of = np.zeros(n_nodes, dtype=np.int64)
        left, right, leaf_list = self.left.tolist(), self.right.tolist(), is_leaf.tolist()
        counts = []
        for t, root in enumerate(self.root.tolist()):
            count = 0
            stack: list[tuple[int, bool]] = [(root, False)]
            while stack:
                k, done = stack.pop()
                tree_of[k] = t
                if leaf_list[k]:
                    rank[k] = first[k] = count
                    count += 1
                    last[k] = count
                elif done:
                    first[k], last[k] = first[left[k]], last[right[k]]
                else:
                    stack += [(k, True), (right[k], False), (left[k], False)]
            counts.append(count)
        stride = max(counts)
        dtype = next((d for bits, d in _MASK_DTYPES if stride <= bits), None)
        if dtype is None:
            return None
        ones = np.iinfo(dtype).max
        split = np.flatnonzero(~is_leaf)
        # A failed test (the line goes right) rules out the leaves of the left subtree.
        lo, hi = first[split], last[self.left[split]]
        bit = np.arange(stride, dtype=np.uint64)
        gone = ((bit[None, :] >= lo[:, None]) & (bit[None, :] < hi[:, None])).astype(np.uint64) << bit[None, :]
        mask = (np.uint64(ones) & ~np.bitwise_or.reduce(gone, axis=1)).astype(dtype)
        full = np.full(n_trees, ones, dtype=dtype)
        columns, thresholds, keys, tables = [], [], [], []
        # sorted(set()), not np.unique, which imports numpy.ma (about 10 ms of start-up).
        for place, f in enumerate(sorted(set(self.feature[split].tolist()))):
            at = np.flatnonzero(self.feature[split] == f)
            # A NaN threshold fails no test (``x > NaN`` is false), as +inf does: in the keys, NaN would
            # sort after every other feature's tests.
            threshold = np.where(np.isnan(self.threshold[split[at]]), np.inf, self.threshold[split[at]])
            order = np.argsort(threshold, kind="stable")
            at, threshold = at[order], threshold[order]
            nodes = split[at]
            rows = np.tile(full, (nodes.shape[0] + 1, 1))
            rows[np.arange(1, nodes.shape[0] + 1), tree_of[nodes]] = mask[at]
            columns.append(f)
            thresholds.append(threshold)
            key = np.empty(threshold.shape[0], dtype=np.complex128)
            key.real, key.imag = place, threshold
            keys.append(key)
            tables.append(np.bitwise_and.accumulate(rows, axis=0))
        values = np.zeros(n_trees * stride)
        leaves = np.flatnonzero(is_leaf)
        values[tree_of[leaves] * stride + rank[leaves]] = self.value[leaves]
        starts = np.cumsum([0] + [t.shape[0] for t in tables[:-1]])
        return _Masks(np.array(columns, dtype=np.intp), thresholds, np.concatenate(keys), starts,
                      np.concatenate(tables), full, values, stride)

    def _score_masks(self, x: np.ndarray) -> np.ndarray:
        """``raw`` by leaf masks: the failed tests of every line on every feature, then one lookup of their masks."""
        masks = self._masks
        if masks is None:
            raise ValueError("the leaf-mask scorer takes trees of at most 64 leaves, whose tables fit "
                             "MASK_TABLE_MAX_BYTES")
        n_classes = self.baseline.shape[0]
        n, n_trees = x.shape[0], self.root.shape[0]
        value = x.T[masks.columns]
        # NaN goes left, as in the walks, where ``NaN > threshold`` is false: -inf fails no test.
        value = np.where(np.isnan(value), -np.inf, value)
        # The tests a line fails on a feature are those whose threshold is below its value; the row of
        # ``table`` that rules out their leaves is the feature's first plus their number.
        if n <= SEARCH_ONCE_LINES:
            # Keyed by the feature's place and the value, as the tests are, every line finds its failed
            # tests on every feature in one search: a search per feature costs more in NumPy calls.
            place = np.arange(masks.columns.shape[0])[:, None]
            query = np.empty(value.shape, dtype=np.complex128)
            query.real, query.imag = place, value
            row = masks.keys.searchsorted(query, side="left")
            row += place
        else:
            # Many lines: a search per feature, among its own tests, takes fewer steps.
            row = np.empty(value.shape, dtype=np.intp)
            for k, thresholds in enumerate(masks.thresholds):
                row[k] = thresholds.searchsorted(value[k], side="left")
            row += masks.starts[:, None]
        offset = (np.arange(n_trees) * masks.stride)[:, None]
        out = np.empty((n, n_classes))
        for a in range(0, n, MASK_CHUNK):
            alive = np.bitwise_and.reduce(masks.table.take(row[:, a : a + MASK_CHUNK], axis=0), axis=0)
            leaf = _lowest_bit(alive.T)
            leaf += offset
            values = masks.values.take(leaf)
            # Each class's trees summed one tree after another, as in the walks; a tree's row at a time,
            # not a line's trees at a time, which NumPy sums several times slower.
            out[a : a + MASK_CHUNK] = values.reshape(n_trees // n_classes, n_classes, -1).sum(axis=0).T
        return out + self.baseline

    def _walk_pairs(self, x: np.ndarray) -> np.ndarray:
        """``raw`` with every (line, tree) pair one step further down per step: cheapest for few lines."""
        n_classes = self.baseline.shape[0]
        n, n_trees = x.shape[0], self.root.shape[0]
        leaf = self.left == np.arange(self.left.shape[0])
        # Node ``k``'s children at ``2k`` (left) and ``2k + 1`` (right).
        child = np.column_stack([self.left, self.right]).ravel()
        node = np.tile(self.root, n)
        row_start = np.repeat(np.arange(n) * x.shape[1], n_trees)
        flat = np.ascontiguousarray(x).ravel()
        active = np.flatnonzero(~leaf[node])
        while active.shape[0]:
            at = node[active]
            right = flat[row_start[active] + self.feature[at]] > self.threshold[at]
            to = child[2 * at + right]
            node[active] = to
            active = active[~leaf[to]]
        return self.value[node].reshape(n, n_trees // n_classes, n_classes).sum(axis=1) + self.baseline

    def _walk_nodes(self, x: np.ndarray) -> np.ndarray:
        """``raw`` node by node, each splitting the lines that reach it on one feature column.

        A Python step per node, but each reads one contiguous column: several times faster
        than ``_walk_pairs`` once there are many lines.
        """
        n_classes = self.baseline.shape[0]
        n = x.shape[0]
        columns = np.ascontiguousarray(x.T)
        out = np.zeros((n_classes, n))
        feature, threshold = self.feature.tolist(), self.threshold.tolist()
        left, right, value = self.left.tolist(), self.right.tolist(), self.value.tolist()
        every = np.arange(n)
        for t, root in enumerate(self.root.tolist()):
            scores = out[t % n_classes]
            stack = [(root, every)]
            while stack:
                k, lines = stack.pop()
                if left[k] == k:
                    scores[lines] += value[k]
                    continue
                goes_right = columns[feature[k]][lines] > threshold[k]
                stack.append((right[k], lines[goes_right]))
                stack.append((left[k], lines[~goes_right]))
        return out.T + self.baseline


@cache
def _lowest_bit16() -> np.ndarray:
    """Index of the lowest set bit of every 16-bit mask (built at first use, not at import)."""
    return np.frexp(np.arange(1 << 16) & -np.arange(1 << 16))[1].astype(np.intp) - 1


def _lowest_bit(masks: np.ndarray) -> np.ndarray:
    """Index of the lowest set bit of each (non-zero) mask."""
    if masks.dtype == np.uint16:
        return _lowest_bit16().take(masks)
    # Isolated, the lowest bit is a power of two, which a float64 holds exactly.
    return (np.frexp((masks & (~masks + 1)).astype(np.float64))[1] - 1).astype(np.intp)


def _depth(left: np.ndarray, right: np.ndarray, leaf: np.ndarray) -> int:
    """Steps from the shallowest node to the deepest leaf; children come after their parent."""
    height = np.zeros(left.shape[0], dtype=np.int64)
    # Each pass settles the nodes one level further from the leaves; children come after their
    # parent, so no height exceeds the node count and the passes end.
    while True:
        new = np.where(leaf, 0, 1 + np.maximum(height[left], height[right]))
        if np.array_equal(new, height):
            return int(height.max()) if height.shape[0] else 0
        height = new


def pack_sklearn(clf: object, n_features: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The node table, roots and baseline of a fitted ``HistGradientBoostingClassifier``.

    Classes absent from the training labels get no trees' mass: their baseline is very low.
    """
    predictors = clf._predictors  # type: ignore[attr-defined]
    classes = [int(c) for c in clf.classes_]  # type: ignore[attr-defined]
    baseline_fit = np.asarray(clf._baseline_prediction, dtype=np.float64).ravel()  # type: ignore[attr-defined]
    n_out = len(predictors[0])
    return _pack(predictors, classes, baseline_fit, n_out, n_features)


def _pack(predictors: list, classes: list[int], baseline_fit: np.ndarray, n_out: int,
          n_features: int, n_classes: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten sklearn's tree predictors into the node table of ``TreeEnsemble.from_arrays``."""
    rows: list[np.ndarray] = []
    roots: list[int] = []
    offset = 0
    empty = np.array([[0.0, 0.0, 0.0, 0.0, 0.0]])
    for trees in predictors:
        by_class: dict[int, object] = {}
        if n_out == 1:
            # Two classes: one tree scores the second class against the first.
            by_class[classes[1]] = trees[0]
        else:
            by_class = {c: t for c, t in zip(classes, trees)}
        for c in range(n_classes):
            tree = by_class.get(c)
            roots.append(offset)
            if tree is None:
                block = empty.copy()
                block[0, 2] = block[0, 3] = offset
            else:
                nodes = tree.nodes  # type: ignore[attr-defined]
                if np.any(nodes["is_categorical"]):
                    raise ValueError("categorical splits are not supported")
                leaf = nodes["is_leaf"].astype(bool)
                me = np.arange(len(nodes)) + offset
                block = np.column_stack([
                    np.where(leaf, 0, nodes["feature_idx"]),
                    np.where(leaf, 0.0, nodes["num_threshold"]),
                    np.where(leaf, me, nodes["left"].astype(np.int64) + offset),
                    np.where(leaf, me, nodes["right"].astype(np.int64) + offset),
                    np.where(leaf, nodes["value"], 0.0),
                ]).astype(np.float64)
                if np.any(block[:, 0] >= n_features):
                    raise ValueError("a tree splits on a feature it was not given")
            rows.append(block)
            offset += block.shape[0]
    baseline = np.full(n_classes, -30.0)
    if n_out == 1:
        baseline[classes[0]] = 0.0
        baseline[classes[1]] = baseline_fit[0]
    else:
        for c, b in zip(classes, baseline_fit):
            baseline[c] = b
    return np.vstack(rows), np.array(roots, dtype=np.float64), baseline
