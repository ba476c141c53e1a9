"""What a labelled page is made of: ``Line``, the page's ``Lines`` and its ``Result``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence, overload

import numpy as np

from .model import CLASSES

BLANK = "blank"
LABELS: tuple[str, ...] = CLASSES + (BLANK,)


@dataclass(frozen=True, slots=True)
class Line:
    """One input line and its label.

    Attributes:
        number: 1-based line number in the input.
        text: The line as it was in the input.
        label: ``body``, ``nav``, ``paywall``, ``ad`` or ``blank``.
        probs: Probability of each of ``body``, ``nav``, ``paywall``, ``ad``; empty for blank lines.
    """

    number: int
    text: str
    label: str
    probs: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """Probability of the line's own label (1.0 for a blank line)."""
        return self.probs.get(self.label, 1.0)


_SET_NUMBER, _SET_TEXT, _SET_LABEL, _SET_PROBS = (Line.number.__set__, Line.text.__set__,  # type: ignore[attr-defined,misc]
                                                 Line.label.__set__, Line.probs.__set__)  # type: ignore[attr-defined,misc]


def _new_line(number: int, text: str, label: str, probs: dict[str, float]) -> Line:
    """``Line(number, text, label, probs)``, its slots set directly: a frozen dataclass's ``__init__``
    sets each field through ``object.__setattr__``, several times slower, and a page has thousands of lines."""
    line = object.__new__(Line)
    _SET_NUMBER(line, number)
    _SET_TEXT(line, text)
    _SET_LABEL(line, label)
    _SET_PROBS(line, probs)
    return line


class Lines(Sequence[Line]):
    """The labelled lines of one page, numbered from 1: a sequence of ``Line``, each made when it is read.

    A page's labels and probabilities are held as arrays, not as a ``Line`` per input line: a
    batch of many pages then leaves a few objects per page behind instead of several per line,
    which keeps its results small, cheap to send back from a worker process, and out of the
    garbage collector's way (with millions of lines held, its passes over them made a batch
    cost more than its pages one by one).

    Args:
        texts: Every line of the page, blank ones included.
        rows: For each line, its row in ``labels`` and ``probs``; -1 for a blank line.
        labels: Index into ``CLASSES`` of each content line's label.
        probs: Each content line's class probabilities, ``(n, len(CLASSES))``.
    """

    __slots__ = ("_texts", "_rows", "_labels", "_probs")

    def __init__(self, texts: Sequence[str], rows: np.ndarray, labels: np.ndarray, probs: np.ndarray) -> None:
        self._texts = texts
        self._rows = rows
        self._labels = labels
        self._probs = probs

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self))[index]  # negative indices, and IndexError past the end
        j = int(self._rows[i])
        if j < 0:
            return _new_line(i + 1, self._texts[i], BLANK, {})
        return _new_line(i + 1, self._texts[i], CLASSES[int(self._labels[j])],
                         dict(zip(CLASSES, self._probs[j].tolist())))

    def __iter__(self) -> Iterator[Line]:
        names = [CLASSES[k] for k in self._labels.tolist()]
        probs = self._probs.tolist()
        for i, (text, j) in enumerate(zip(self._texts, self._rows.tolist())):
            yield (_new_line(i + 1, text, BLANK, {}) if j < 0 else
                   _new_line(i + 1, text, names[j], dict(zip(CLASSES, probs[j]))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Lines, list, tuple)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Lines({list(self)!r})"

    def __getstate__(self) -> tuple[Sequence[str], np.ndarray, np.ndarray, np.ndarray]:
        return self._texts, self._rows, self._labels, self._probs

    def __setstate__(self, state: tuple[Sequence[str], np.ndarray, np.ndarray, np.ndarray]) -> None:
        self._texts, self._rows, self._labels, self._probs = state

    @property
    def texts(self) -> list[str]:
        """Every line's text, in order (a copy)."""
        return list(self._texts)

    @property
    def labels(self) -> list[str]:
        """Every line's label, in order, without building a ``Line`` for each."""
        names = [CLASSES[k] for k in self._labels.tolist()]
        return [BLANK if j < 0 else names[j] for j in self._rows.tolist()]

    def without_blanks(self) -> Lines:
        """The non-blank lines alone, numbered afresh from 1."""
        keep = np.flatnonzero(self._rows >= 0)
        return Lines([self._texts[i] for i in keep.tolist()], self._rows[keep], self._labels, self._probs)


# The lines of a result that carries its clean text alone (nothing in it is ever changed).
NO_LINES = Lines((), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, len(CLASSES))))


@dataclass(frozen=True, slots=True)
class Result:
    """A labelled page: its lines and the clean text.

    Attributes:
        lines: One ``Line`` per input line.
        text: The clean article.
    """

    lines: Lines
    text: str
