"""Line-level figures: per-class precision, recall and F1, body recall and boilerplate removal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

CLASSES = ("body", "nav", "paywall", "ad")


@dataclass
class Scores:
    """A confusion matrix over the four classes, rows true, columns predicted."""

    confusion: np.ndarray = field(default_factory=lambda: np.zeros((4, 4), dtype=np.int64))

    def add(self, true: Iterable[int], pred: Iterable[int]) -> None:
        """Count one page's lines."""
        for t, p in zip(true, pred):
            self.confusion[t, p] += 1

    def __iadd__(self, other: "Scores") -> "Scores":
        self.confusion += other.confusion
        return self

    @property
    def n(self) -> int:
        """Lines counted."""
        return int(self.confusion.sum())

    def prf(self, k: int) -> tuple[float, float, float]:
        """Precision, recall and F1 of class ``k``."""
        tp = self.confusion[k, k]
        pp = self.confusion[:, k].sum()
        ap = self.confusion[k, :].sum()
        p = tp / pp if pp else float("nan")
        r = tp / ap if ap else float("nan")
        f = 2 * p * r / (p + r) if pp and ap and (p + r) else float("nan")
        return float(p), float(r), float(f)

    @property
    def body_recall(self) -> float:
        """Share of body lines kept."""
        return self.prf(0)[1]

    @property
    def removal(self) -> float:
        """Share of boilerplate (non-body) lines removed."""
        bp = self.confusion[1:, :]
        total = bp.sum()
        return float(bp[:, 1:].sum() / total) if total else float("nan")

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the classes present."""
        fs = [self.prf(k)[2] for k in range(4) if self.confusion[k, :].sum()]
        return float(np.nanmean(fs)) if fs else float("nan")

    def keep_scores(self) -> "Scores":
        """The same lines seen as keep (body) vs remove, for systems that do not name a class."""
        out = Scores()
        out.confusion[0, 0] = self.confusion[0, 0]
        out.confusion[0, 1] = self.confusion[0, 1:].sum()
        out.confusion[1:, 0] = self.confusion[1:, 0]
        out.confusion[1:, 1] = self.confusion[1:, 1:].sum(axis=1)
        return out


def fmt(x: float) -> str:
    """A figure for a table."""
    return "–" if x != x else f"{x:.3f}"


def by_language(scores: dict[str, Scores]) -> list[tuple[str, Scores]]:
    """``all`` first, then languages in order."""
    return [("all", scores["all"])] + [(k, v) for k, v in sorted(scores.items()) if k != "all"]


def class_table(scores: Scores) -> list[str]:
    """Markdown rows: per-class precision, recall, F1 and support."""
    rows = ["| class | precision | recall | F1 | lines |", "|---|---:|---:|---:|---:|"]
    for k, c in enumerate(CLASSES):
        p, r, f = scores.prf(k)
        rows.append(f"| {c} | {fmt(p)} | {fmt(r)} | {fmt(f)} | {int(scores.confusion[k].sum())} |")
    return rows


def summary_table(named: Sequence[tuple[str, Scores]], first: str = "set") -> list[str]:
    """Markdown rows: body recall, boilerplate removed, per-class F1 and macro-F1 for each named set."""
    head = f"| {first} | lines | body recall | boilerplate removed | body F1 | nav F1 | paywall F1 | ad F1 | macro-F1 |"
    rows = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in named:
        f1 = [fmt(s.prf(k)[2]) for k in range(4)]
        rows.append(f"| {name} | {s.n} | {fmt(s.body_recall)} | {fmt(s.removal)} | " + " | ".join(f1)
                    + f" | {fmt(s.macro_f1)} |")
    return rows


def lang_class_table(named: Sequence[tuple[str, Scores]]) -> list[str]:
    """Markdown rows: precision, recall and F1 of every class for each named set."""
    head = "| language | " + " | ".join(f"{c} P | {c} R | {c} F1" for c in CLASSES) + " |"
    rows = [head, "|---|" + "---:|" * (3 * len(CLASSES))]
    for name, s in named:
        cells: list[str] = []
        for k in range(len(CLASSES)):
            cells.extend(fmt(x) for x in s.prf(k))
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows
