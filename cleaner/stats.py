"""Batch figures: what a JSONL or WARC run cleaned, and a progress line while it runs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

# The classes whose lines the cleaner removes, in the order outcomes count them.
REMOVED_CLASSES: tuple[str, ...] = ("nav", "paywall", "ad")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One output record of a batch and what cleaning it did.

    Attributes:
        line: The output record: one JSON object and a newline, UTF-8.
        ok: False when the record carries an ``error`` field instead of clean text.
        lines: Non-blank lines of the page.
        removed: Lines labelled ``nav``, ``paywall`` and ``ad``, in that order.
        size: Bytes of input the record was made from.
    """

    line: bytes
    ok: bool
    lines: int = 0
    removed: tuple[int, ...] = (0, 0, 0)
    size: int = 0


@dataclass(slots=True)
class BatchStats:
    """Running totals of a batch.

    Attributes:
        documents: Records written.
        failed: Records written with an ``error`` field.
        lines: Non-blank lines of the records cleaned.
        removed: Lines removed per class (``nav``, ``paywall``, ``ad``).
        size: Input bytes read.
        started: ``time.perf_counter()`` when the batch started.
    """

    documents: int = 0
    failed: int = 0
    lines: int = 0
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REMOVED_CLASSES, 0))
    size: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: Outcome) -> None:
        """Count one record."""
        self.documents += 1
        self.failed += not outcome.ok
        self.lines += outcome.lines
        self.size += outcome.size
        for name, n in zip(REMOVED_CLASSES, outcome.removed):
            self.removed[name] += n

    @property
    def elapsed(self) -> float:
        """Seconds since the batch started."""
        return time.perf_counter() - self.started

    def summary(self) -> str:
        """One line: documents, lines, share removed per class, failures and throughput."""
        dt = max(self.elapsed, 1e-9)
        shares = ", ".join(f"{name} {self._share(name):.1%}" for name in REMOVED_CLASSES)
        return (f"{self.documents:,} documents, {self.lines:,} lines; removed {shares}; "
                f"{self.failed:,} failed; {self.documents / dt:,.1f} documents/s, "
                f"{self.size / dt / 1e6:.2f} MB/s in {dt:.1f} s")

    def _share(self, name: str) -> float:
        """Share of all lines removed as ``name``."""
        return self.removed[name] / self.lines if self.lines else 0.0


class Progress:
    """A progress line on a terminal, redrawn at most a few times a second.

    Args:
        stream: Where to draw (standard error).
        total: Input bytes in all, when known, to show a percentage.
        position: Returns the input bytes read so far.
        every: Seconds between redraws.
    """

    def __init__(self, stream: TextIO, total: int | None = None,
                 position: Callable[[], int] | None = None, every: float = 0.25) -> None:
        self.stream = stream
        self.total = total
        self.position = position
        self.every = every
        self._last = 0.0
        self._drawn = False

    def update(self, stats: BatchStats, force: bool = False) -> None:
        """Redraw the line if enough time has passed since the last redraw."""
        now = time.perf_counter()
        if not force and now - self._last < self.every:
            return
        self._last = now
        dt = max(stats.elapsed, 1e-9)
        done = ""
        if self.total and self.position is not None:
            done = f"{min(self.position() / self.total, 1.0):6.1%} "
        self.stream.write(f"\r{done}{stats.documents:,} documents, {stats.failed:,} failed, "
                          f"{stats.documents / dt:,.0f}/s ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Clear the progress line so the summary starts on a clean line."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
