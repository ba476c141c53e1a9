"""Cold start: ``clean-article page.txt`` as a whole process against the ``trafilatura`` command.

Usage::

    python -m training.bench_cold [--runs 15] [--page seeds/004_1be04e69967984fd.txt]

Both commands run alternately in the same session, each on a page of the same
content (the text for clean-article, the same lines as HTML paragraphs for
trafilatura); the median wall time of each and their ratio are printed.
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from .data import SEEDS_DIR

DEFAULT_PAGE = SEEDS_DIR / "004_1be04e69967984fd.txt"


def _time(cmd: list[str], stdin: bytes | None) -> float:
    """Wall time of one run of ``cmd``."""
    t0 = time.perf_counter()
    subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    """Time both commands and print a markdown table."""
    ap = argparse.ArgumentParser(prog="python -m training.bench_cold", description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    args = ap.parse_args(argv)
    ca = shutil.which("clean-article")
    tr = shutil.which("trafilatura")
    if not ca or not tr:
        print("needs the clean-article and trafilatura commands on PATH", file=sys.stderr)
        return 1
    text = args.page.read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    page_html = f"<html><head><title>page</title></head><body><article>{body}</article></body></html>".encode()
    ours: list[float] = []
    theirs: list[float] = []
    _time([ca, str(args.page)], None)  # warm the file cache for both
    _time([tr], page_html)
    for _ in range(args.runs):
        ours.append(_time([ca, str(args.page)], None))
        theirs.append(_time([tr], page_html))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"| command | input | median of {args.runs} runs |\n|---|---|---:|")
    print(f"| clean-article | {args.page.name} ({len(text.encode())} bytes of text) | {a * 1000:.0f} ms |")
    print(f"| trafilatura | the same lines as HTML ({len(page_html)} bytes) | {b * 1000:.0f} ms |")
    print(f"\nratio clean-article / trafilatura: {a / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
