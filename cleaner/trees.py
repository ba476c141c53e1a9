"""Gradient-boosted trees run with NumPy: the context stage's scorer.

The trees of an ensemble are flattened into one node table. A few lines walk
down every tree at once, one level per step, a pair that reaches its leaf
dropping out; many lines are sent down node by node, each node splitting the
lines that reach it on one feature column. Both give the same scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ModelError

# Up to this many (line, tree) pairs, walking all pairs at once beats walking node by node: the
# latter pays a Python step per node, the former a scattered read per pair and level.
PAIR_WALK_MAX = 200_000


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
        depth: Splits on the longest path from a root to a leaf.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    root: np.ndarray
    baseline: np.ndarray
    depth: int

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
        depth = _depth(left, right, leaf)
        return cls(feature, nodes[:, 1].copy(), left, right, nodes[:, 4].copy(), root, baseline.copy(), depth)

    def raw(self, x: np.ndarray, *, pair_walk_max: int = PAIR_WALK_MAX) -> np.ndarray:
        """Raw class scores of the rows of ``x``, ``(n, n_classes)``.

        Args:
            x: One row of features per line.
            pair_walk_max: Up to this many (line, tree) pairs, all pairs walk down together
                (``_walk_pairs``); beyond it, each node sends its lines on (``_walk_nodes``). Both
                give the same scores to the last bit.
        """
        n_classes = self.baseline.shape[0]
        n = x.shape[0]
        if n == 0:
            return np.zeros((0, n_classes))
        if int(self.feature.max()) >= x.shape[1]:
            raise ModelError(f"model trees split on feature {int(self.feature.max())} of {x.shape[1]}")
        x = np.asarray(x, dtype=np.float64)
        if n * self.root.shape[0] <= pair_walk_max:
            return self._walk_pairs(x)
        return self._walk_nodes(x)

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
