"""The line model: NumPy arrays in a ``.npz`` file with a JSON header, run without scikit-learn.

A model file is data, never code: it is read with ``allow_pickle=False``, so
loading a file can only yield arrays and a header, whatever the file holds.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any, Collection, Sequence

import numpy as np

from .context import N_CONTEXT
from .errors import ModelError
from .features import N_DENSE
from .ngrams import N_BUCKETS, hashed_dot, padded_coef
from .scripts import unseen_shares
from .trees import TreeEnsemble

FORMAT = "clean-article-model"
# Version 2: the context stage is a tree ensemble (version 1: a logistic regression).
FORMAT_VERSION = 2
CLASSES: tuple[str, ...] = ("body", "nav", "paywall", "ad")
DEFAULT_MODEL = "default.npz"
# Arrays saved in double precision: a split threshold rounded to single precision could send a
# line down the other branch.
_DOUBLE = frozenset({"ctx_nodes", "ctx_roots", "ctx_baseline", "fb_line_nodes", "fb_line_roots", "fb_line_baseline",
                     "fb_ctx_nodes", "fb_ctx_roots", "fb_ctx_baseline"})

_ARRAYS: dict[str, tuple[int, ...]] = {
    # Stage 1: one line on its own.
    "dense_mean": (N_DENSE,),
    "dense_scale": (N_DENSE,),
    "dense_coef": (N_DENSE, len(CLASSES)),
    "hash_coef": (N_BUCKETS, len(CLASSES)),
    "intercept": (len(CLASSES),),
    # Stage 2: the line among its neighbours, gradient-boosted trees (``trees.TreeEnsemble``):
    # a node table of any length, a root per tree, a baseline score per class.
    "ctx_nodes": (-1, 5),
    "ctx_roots": (-1,),
    "ctx_baseline": (len(CLASSES),),
    # Sentence model: is a sentence at the end of a paragraph a bolted-on promo?
    "sent_dense_coef": (N_DENSE,),
    "sent_hash_coef": (N_BUCKETS,),
    "sent_intercept": (1,),
}
# The fallback for pages written in scripts the model did not learn (``scripts``): a line stage on
# the dense features alone and its own context trees. A file holds a whole fallback or none of it (a
# model without one scores every page with the stages above).
_FALLBACK_CONTEXT: dict[str, tuple[int, ...]] = {
    "fb_ctx_nodes": (-1, 5),
    "fb_ctx_roots": (-1,),
    "fb_ctx_baseline": (len(CLASSES),),
}
# The fallback's line stage comes in one of two forms: gradient-boosted trees (what training writes
# now) or a logistic regression (what it wrote first; such files still load and score as before).
_FALLBACK_LINE: dict[str, dict[str, tuple[int, ...]]] = {
    "trees": {"fb_line_nodes": (-1, 5), "fb_line_roots": (-1,), "fb_line_baseline": (len(CLASSES),)},
    "linear": {"fb_dense_coef": (N_DENSE, len(CLASSES)), "fb_intercept": (len(CLASSES),)},
}
# A page goes to the fallback when more than this share of its letters is in scripts the model did not learn.
UNSEEN_SHARE = 0.5


def unseen_pages(texts: Sequence[str], seen: Collection[str]) -> np.ndarray:
    """Which of ``texts`` have more than ``UNSEEN_SHARE`` of their letters in scripts outside ``seen``, ``(n,)`` bools:
    the pages a model that learned the scripts ``seen`` scores with its fallback."""
    return unseen_shares(texts, seen) > UNSEEN_SHARE


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Model:
    """A trained model: arrays plus a header of metadata.

    Attributes:
        arrays: The named arrays listed in ``_ARRAYS``.
        header: Metadata: format, version, threshold, training facts.
    """

    arrays: dict[str, np.ndarray]
    header: dict[str, Any] = field(default_factory=dict)
    _padded: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)
    _trees: list[TreeEnsemble] = field(default_factory=list, init=False, repr=False, compare=False)
    # The fallback's trees by stage: "ctx", and "line" when its line stage is trees.
    _fallback_trees: dict[str, TreeEnsemble] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _padded_coef(self, name: str) -> np.ndarray:
        """The named n-gram coefficients as ``hashed_dot`` takes them, one column per output (made once)."""
        coef = self._padded.get(name)
        if coef is None:
            arr = self.arrays[name]
            coef = self._padded[name] = padded_coef(arr.reshape(arr.shape[0], -1))
        return coef

    @property
    def context_trees(self) -> TreeEnsemble:
        """The context stage's trees (built once from the arrays)."""
        if not self._trees:
            a = self.arrays
            self._trees.append(TreeEnsemble.from_arrays(a["ctx_nodes"], a["ctx_roots"], a["ctx_baseline"]))
        return self._trees[0]

    def _fallback(self, stage: str) -> TreeEnsemble:
        """The fallback's trees of ``stage`` ("line" or "ctx"), built once from the arrays."""
        if stage not in self._fallback_trees:
            a = self.arrays
            self._fallback_trees[stage] = TreeEnsemble.from_arrays(a[f"fb_{stage}_nodes"], a[f"fb_{stage}_roots"],
                                                                   a[f"fb_{stage}_baseline"])
        return self._fallback_trees[stage]

    @property
    def has_fallback(self) -> bool:
        """Whether the model scores pages in scripts it did not learn with its fallback stages."""
        return "fb_ctx_nodes" in self.arrays and "seen_scripts" in self.header

    def fallback_pages(self, texts: Sequence[str]) -> np.ndarray:
        """Which of ``texts`` the model scores with its fallback (none without one), ``(n,)`` bools."""
        if not self.has_fallback:
            return np.zeros(len(texts), dtype=bool)
        return unseen_pages(texts, self.seen_scripts)

    @property
    def seen_scripts(self) -> frozenset[str]:
        """The scripts (``scripts.SCRIPTS``) the model learned the n-grams of."""
        return frozenset(self.header.get("seen_scripts", ()))

    @property
    def threshold(self) -> float:
        """Default minimum body probability for a line to be kept."""
        return float(self.header.get("threshold", 0.5))

    @property
    def fallback_threshold(self) -> float:
        """Default minimum body probability for a line of a fallback page to be kept."""
        return float(self.header.get("fallback_threshold", self.threshold))

    @property
    def promo_threshold(self) -> float:
        """Default minimum promo probability for a trailing sentence to be cut."""
        return float(self.header.get("promo_threshold", 0.9))

    def line_proba(self, dense: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Stage-1 class probabilities of lines, each on its own, ``(n, 4)``.

        Args:
            dense: The lines' dense features (``features.dense_features_pages``).
            texts: The lines: their n-grams are hashed and weighed in one pass (``hashed_dot``),
                with no array holding an entry per n-gram.
        """
        a = self.arrays
        scaled = (dense - a["dense_mean"]) / a["dense_scale"]
        return softmax(scaled @ a["dense_coef"] + hashed_dot(texts, self._padded_coef("hash_coef")) + a["intercept"])

    def context_proba(self, ctx: np.ndarray) -> np.ndarray:
        """Stage-2 class probabilities from context features, ``(n, 4)``."""
        return softmax(self.context_trees.raw(ctx))

    def fallback_line_proba(self, dense: np.ndarray) -> np.ndarray:
        """The fallback's stage-1 class probabilities of lines, from their dense features alone, ``(n, 4)``."""
        a = self.arrays
        if "fb_line_nodes" in a:
            return softmax(self._fallback("line").raw(dense))
        return softmax((dense - a["dense_mean"]) / a["dense_scale"] @ a["fb_dense_coef"] + a["fb_intercept"])

    def fallback_context_proba(self, ctx: np.ndarray) -> np.ndarray:
        """The fallback's stage-2 class probabilities from context features, ``(n, 4)``."""
        return softmax(self._fallback("ctx").raw(ctx))

    def promo_proba(self, dense: np.ndarray, sentences: Sequence[str]) -> np.ndarray:
        """Probability that each sentence is a bolted-on promo, ``(n,)``, from its dense features and text;
        see ``line_proba``."""
        a = self.arrays
        scaled = (dense - a["dense_mean"]) / a["dense_scale"]
        hashed = hashed_dot(sentences, self._padded_coef("sent_hash_coef"))[:, 0]
        z = scaled @ a["sent_dense_coef"] + hashed + a["sent_intercept"][0]
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` with the header as a JSON string."""
        header = dict(self.header, format=FORMAT, format_version=FORMAT_VERSION, classes=list(CLASSES))
        arrays = {k: np.asarray(v, dtype=np.float64 if k in _DOUBLE else np.float32) for k, v in self.arrays.items()}
        with open(path, "wb") as f:
            # Typed Any: NumPy's stubs take a ``**`` mapping of arrays for its ``allow_pickle`` flag.
            entries: dict[str, Any] = {"header": np.array(json.dumps(header, sort_keys=True)), **arrays}
            np.savez_compressed(f, **entries)


def _fallback_arrays(arrays: dict[str, np.ndarray]) -> dict[str, tuple[int, ...]]:
    """The fallback arrays a file must hold, given those it has: none, or a whole fallback."""
    forms = [form for form, names in _FALLBACK_LINE.items() if any(name in arrays for name in names)]
    if len(forms) > 1:
        raise ModelError("model file has two fallback line stages: trees and a logistic regression")
    if not forms and not any(name in arrays for name in _FALLBACK_CONTEXT):
        return {}
    expected = dict(_FALLBACK_CONTEXT, **_FALLBACK_LINE[forms[0] if forms else "trees"])
    missing = sorted(set(expected) - set(arrays))
    if missing:
        raise ModelError(f"model file has a partial fallback: it lacks {', '.join(map(repr, missing))}")
    return expected


def _check_arrays(arrays: dict[str, np.ndarray]) -> tuple[TreeEnsemble, dict[str, TreeEnsemble]]:
    """Refuse a file whose arrays are missing or of the wrong shape, or whose trees are malformed;
    returns the context trees and the fallback's trees by stage."""
    fallback = _fallback_arrays(arrays)
    expected = dict(_ARRAYS, **fallback)
    for name, shape in expected.items():
        if name not in arrays:
            raise ModelError(f"model file lacks array {name!r}")
        arr = arrays[name]
        if arr.ndim != len(shape):
            raise ModelError(f"model array {name!r} has {arr.ndim} dimensions, expected {len(shape)}")
        for got, want in zip(arr.shape, shape):
            if want != -1 and got != want:
                raise ModelError(f"model array {name!r} has shape {arr.shape}, expected {shape}")
        if not np.all(np.isfinite(arr)):
            raise ModelError(f"model array {name!r} holds non-finite values")
    trees = {}
    for prefix, n_features in (("ctx", N_CONTEXT), ("fb_line", N_DENSE), ("fb_ctx", N_CONTEXT)):
        if prefix + "_nodes" not in expected:
            continue
        ensemble = TreeEnsemble.from_arrays(arrays[prefix + "_nodes"], arrays[prefix + "_roots"],
                                            arrays[prefix + "_baseline"])
        if int(ensemble.feature.max()) >= n_features:
            raise ModelError(f"model trees {prefix}_* split on feature {int(ensemble.feature.max())}; "
                             f"there are {n_features}")
        trees[prefix] = ensemble
    return trees.pop("ctx"), {name.removeprefix("fb_"): t for name, t in trees.items()}


def _read_npz(f: IO[bytes]) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file, refusing pickled objects."""
    with np.load(f, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def load_model(source: str | Path | IO[bytes] | None = None) -> Model:
    """Load a model file safely.

    Args:
        source: A path or binary file object; ``None`` loads the model shipped with the package.

    Returns:
        The model.

    Raises:
        ModelError: The file is missing, unreadable, not a clean-article model, of
            another format version, or its arrays are malformed.
    """
    if source is None:
        with resources.files("cleaner.models").joinpath(DEFAULT_MODEL).open("rb") as f:
            return load_model(f)
    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "model")
    try:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as f:
                arrays = _read_npz(f)
        else:
            arrays = _read_npz(source)
    except FileNotFoundError as exc:
        raise ModelError(f"model file not found: {name}") from exc
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelError(f"not a readable clean-article model file: {name} ({exc})") from exc
    raw = arrays.pop("header", None)
    if raw is None or raw.dtype.kind != "U" or raw.ndim != 0:
        raise ModelError(f"not a clean-article model file (no header): {name}")
    try:
        header = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise ModelError(f"model header is not valid JSON: {name}") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelError(f"not a clean-article model file: {name}")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"model format version {header.get('format_version')!r} is not supported "
            f"(this clean-article reads version {FORMAT_VERSION}): {name}"
        )
    if tuple(header.get("classes", ())) != CLASSES:
        raise ModelError(f"model classes {header.get('classes')!r} differ from {list(CLASSES)}: {name}")
    arrays = {k: v.astype(np.float64) for k, v in arrays.items()}
    model = Model(arrays, header)
    context, fallback = _check_arrays(arrays)
    if fallback and not isinstance(header.get("seen_scripts"), list):
        raise ModelError(f"model file has a fallback but no list of the scripts it learned: {name}")
    model._trees.append(context)
    model._fallback_trees.update(fallback)
    return model
