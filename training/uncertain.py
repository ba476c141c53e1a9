"""Uncertainty first: find the pages the model is least sure about, as tsv files ready to correct.

Usage::

    python -m training.uncertain PAGES_DIR OUT_DIR [--pages 20] [--model PATH]

Every ``*.txt`` page under ``PAGES_DIR`` is labelled; pages are ranked by how
many of their lines sit close to the keep threshold (the margin between the
body probability and the threshold), and the ``--pages`` least sure are written
to ``OUT_DIR`` as ``<name>.tsv`` (the format of ``clean-article --format tsv``).
The least sure lines are listed on stdout as ``file:line<TAB>margin<TAB>label<TAB>text``.
Correct the first column of the tsv files, then train with ``--user OUT_DIR``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from cleaner import Cleaner, Line
from cleaner.decoding import decode
from cleaner.tsv import format_tsv

# A line whose body probability is within this distance of the threshold counts as unsure.
UNSURE_MARGIN = 0.25


@dataclass
class Ranked:
    """A page with its labelled lines and its uncertainty."""

    path: Path
    lines: list[Line]
    unsure: int
    margin_sum: float


def margin(line: Line, threshold: float) -> float:
    """Distance of the line's body probability from the keep threshold (blank lines: 1)."""
    if not line.probs:
        return 1.0
    return abs(line.probs["body"] - threshold)


def rank_pages(paths: Sequence[Path], cleaner: Cleaner) -> list[Ranked]:
    """Label every page and sort them, least sure first."""
    out = []
    t = cleaner.threshold
    for p in paths:
        lines = cleaner.label_lines(decode(p.read_bytes(), name=str(p)))
        ms = [margin(ln, t) for ln in lines if ln.probs]
        unsure = sum(m < UNSURE_MARGIN for m in ms)
        out.append(Ranked(p, lines, unsure, sum(max(UNSURE_MARGIN - m, 0.0) for m in ms)))
    out.sort(key=lambda r: (-r.margin_sum, -r.unsure, str(r.path)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Write the least sure pages as tsv and list their least sure lines."""
    ap = argparse.ArgumentParser(prog="python -m training.uncertain", description=__doc__.split("\n")[0])
    ap.add_argument("pages_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--pages", type=int, default=20, help="how many pages to write")
    ap.add_argument("--lines", type=int, default=50, help="how many unsure lines to list")
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args(argv)
    paths = sorted(p for p in args.pages_dir.rglob("*.txt") if p.is_file())
    if not paths:
        print(f"no .txt pages under {args.pages_dir}", file=sys.stderr)
        return 1
    cleaner = Cleaner(model=args.model)
    ranked = rank_pages(paths, cleaner)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for r in ranked[: args.pages]:
        (args.out_dir / (r.path.stem + ".tsv")).write_text(format_tsv(r.lines), encoding="utf-8")
    t = cleaner.threshold
    lines = [(margin(ln, t), r.path, ln) for r in ranked for ln in r.lines if ln.probs]
    lines.sort(key=lambda x: x[0])
    for m, path, ln in lines[: args.lines]:
        print(f"{path}:{ln.number}\t{m:.3f}\t{ln.label}\t{ln.text}")
    print(f"wrote {min(args.pages, len(ranked))} pages to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
