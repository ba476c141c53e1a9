"""The HTML path's keep threshold against trafilatura alone, on the corpora's train pages.

    python -m training.html_sweep [--corpora DIR] [--thresholds T ...] [-j N] [--out REPORT]

HTML input is rendered by trafilatura into lines (``cleaner.html.render_text``) before the
classifier reads them, and the lines are kept at the model's text threshold. This command
measures what other keep thresholds would give: for each threshold it runs exactly what
``Cleaner.clean_html`` runs (the rendering, the classifier, the rules and the post-processing)
on every ``split == "train"`` page of the corpora with HTML and a reference (wcxb,
trafilatura_eval, canola, mozilla_readability; see the corpora's README), and scores the
clean text with the benchmark's own metrics: the shingle metric of ``training.shingles`` on
pages with a full reference text, the snippet metric of ``training.snippets`` on
trafilatura_eval. On the same pages it scores trafilatura alone (as ``training.benchmark``
runs it) and the rendering with nothing removed.

It measures and chooses nothing. Test pages are never read: records whose ``split`` is not
``train`` are skipped before anything else. The renderings and trafilatura's outputs, which
do not depend on the model, are cached under ``.cache/html_sweep``, keyed by the trafilatura
version.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from cleaner import Cleaner

from . import shingles
from .benchmark import DEFAULT_TIMEOUT, SNIPPET_SETS, TRAFILATURA_OPTS, _pkg_version, run_page
from .data import ROOT
from .metrics import fmt
from .snippets import SnippetCounts, count_page

DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
CACHE_DIR = ROOT / ".cache" / "html_sweep"
# Train sets with HTML and a reference; canola's reference is its blocks labelled body.
SWEEP_SETS = ("wcxb", "trafilatura_eval", "canola", "mozilla_readability")
# From keeping nearly every rendered line to keeping only lines the model is sure of.
DEFAULT_THRESHOLDS = (0.001, 0.003, 0.01, 0.0243, 0.05, 0.1, 0.2, 0.3, 0.5)
TRAFILATURA = "trafilatura alone"
RENDERING = "rendering, nothing removed"


def read_train(corpora: Path, name: str) -> list[dict[str, Any]]:
    """The ``split == "train"`` pages with HTML of one corpus file."""
    pages: list[dict[str, Any]] = []
    with gzip.open(corpora / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            if page["split"] != "train" or not page.get("html"):
                continue  # test pages are never measured on here
            pages.append(page)
    return pages


def reference(page: dict[str, Any]) -> str | None:
    """A page's full reference text: its gold, or (canola) its blocks labelled body, one per line."""
    if page.get("gold") is not None:
        return str(page["gold"])
    blocks = page.get("blocks")
    if blocks:
        return "\n".join(b["text"] for b in blocks if b["label"] == "body")
    return None


def _render_page(html: str, lang: str | None, timeout: float) -> tuple[str, str, bool]:
    """The rendering the classifier reads, trafilatura's own output, and whether trafilatura made the rendering."""
    from cleaner.html import render_page

    logging.disable(logging.CRITICAL)
    try:
        rendered, whole = render_page(html, "trafilatura")
    except Exception:  # noqa: BLE001 - a page the renderer cannot read gives no lines
        rendered, whole = "", False
    return rendered, run_page(html, lang, ("trafilatura",), timeout)["trafilatura"].text, whole


def renderings(pages: Sequence[dict[str, Any]], dataset: str, jobs: int = 1, cache: Path | None = CACHE_DIR,
               timeout: float = DEFAULT_TIMEOUT) -> tuple[list[str], list[str], list[bool]]:
    """Each page's rendering, trafilatura's output and whether trafilatura made the rendering, from the cache
    where it has them.

    Args:
        pages: Train pages of one dataset.
        dataset: The dataset's name (the cache file's).
        jobs: Worker processes for the pages not cached.
        cache: Cache folder; ``None`` caches nothing.
        timeout: Seconds trafilatura may take on a page before its output counts as empty.

    Returns:
        The renderings, trafilatura's outputs and the marks, in page order.
    """
    from joblib import Parallel, delayed

    # v2: each entry holds the mark too.
    path = cache / f"{dataset}--trafilatura-{_pkg_version('trafilatura')}-v2.json.gz" if cache else None
    stored: dict[str, list[Any]] = {}
    if path is not None and path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            stored = json.load(f)
    todo = [p for p in pages if p["id"] not in stored]
    done = Parallel(n_jobs=jobs, batch_size=4)(
        delayed(_render_page)(p["html"], p.get("lang"), timeout) for p in todo)
    for p, (rendered, traf, whole) in zip(todo, done):
        stored[p["id"]] = [rendered, traf, whole]
    if path is not None and todo:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(stored, f)
        os.replace(tmp, path)
    entries = [stored[p["id"]] for p in pages]
    return [e[0] for e in entries], [e[1] for e in entries], [bool(e[2]) for e in entries]


@dataclass
class TrainSet:
    """One dataset's train pages, ready to score: references, renderings and trafilatura's outputs."""

    name: str
    pages: list[dict[str, Any]]
    refs: list[str | None]
    rendered: list[str]
    trafilatura: list[str]
    whole: list[bool]

    @property
    def kind(self) -> str:
        """``snippets`` for trafilatura_eval, else ``shingles``."""
        return "snippets" if self.name in SNIPPET_SETS else "shingles"

    def groups(self) -> dict[str, list[int]]:
        """The page groups reported: all pages, and for wcxb its articles too."""
        out = {self.name: list(range(len(self.pages)))}
        if self.name == "wcxb":
            out["wcxb articles"] = [i for i, p in enumerate(self.pages) if p.get("page_type") == "article"]
        return out


def load_sets(corpora: Path, names: Sequence[str] = SWEEP_SETS, jobs: int = 1,
              cache: Path | None = CACHE_DIR) -> list[TrainSet]:
    """The train pages of each dataset with their renderings (made, or read from the cache)."""
    out = []
    for name in names:
        pages = read_train(corpora, name)
        rendered, traf, whole = renderings(pages, name, jobs, cache)
        out.append(TrainSet(name, pages, [reference(p) for p in pages], rendered, traf, whole))
        print(f"{name}: {len(pages)} train pages", file=sys.stderr)
    return out


PRF = tuple[float, float, float]


def score_outputs(ts: TrainSet, outputs: Sequence[str], idx: Sequence[int]) -> PRF:
    """Precision, recall and F1 of outputs on the pages ``idx``, by the dataset's benchmark metric."""
    if ts.kind == "snippets":
        total = SnippetCounts()
        for i in idx:
            total += count_page(ts.pages[i]["keep"], ts.pages[i]["drop"], outputs[i])
        return total.precision, total.recall, total.f1
    s = shingles.aggregate(shingles.match(ts.refs[i], outputs[i]) for i in idx)
    return s.precision, s.recall, s.f1


def sweep(sets: Sequence[TrainSet], thresholds: Sequence[float], model: str | Path | None = None,
          jobs: int = 1) -> dict[str, dict[str, PRF]]:
    """Scores of trafilatura alone, of the rendering and of ``clean_html`` at each threshold.

    Args:
        sets: The train sets.
        thresholds: Keep thresholds to run the cleaner at.
        model: A model file, or ``None`` for the shipped model.
        jobs: Worker processes for the cleaner.

    Returns:
        For each group (``wcxb``, ``wcxb articles``, ...), each system's precision, recall and F1.
    """
    out: dict[str, dict[str, PRF]] = {}
    for ts in sets:
        # The rendered text and its mark are what clean_html hands the classifier: cleaning them is clean_html.
        cleans = {t: Cleaner(model, threshold=t)._clean_rendered(ts.rendered, ts.whole, n_jobs=jobs) for t in thresholds}
        for group, idx in ts.groups().items():
            row = {TRAFILATURA: score_outputs(ts, ts.trafilatura, idx), RENDERING: score_outputs(ts, ts.rendered, idx)}
            for t in thresholds:
                row[f"{t:g}"] = score_outputs(ts, cleans[t], idx)
            out[group] = row
    return out


def report(figures: dict[str, dict[str, PRF]], sets: Sequence[TrainSet], default: float, command: str) -> str:
    """Markdown: one table per group, every system's precision, recall and F1."""
    lines = ["# The HTML path's keep threshold against trafilatura alone (train pages)", "",
             "`clean_html` (trafilatura's rendering, the classifier, its rules and the post-processing) at each keep"
             f" threshold P(body), next to trafilatura alone ({', '.join(f'{k}={v}' for k, v in TRAFILATURA_OPTS.items())})"
             " and the rendering with nothing removed, on the `split == \"train\"` pages of the benchmark corpora."
             f" The model's own threshold is {default:.4f}. Shingle metric (`training.shingles`) on pages with a"
             " full reference (canola: its blocks labelled body), snippet metric (`training.snippets`) on"
             " trafilatura_eval.", "",
             f"Pages: {', '.join(f'{ts.name} {len(ts.pages)}' for ts in sets)}.", ""]
    for group, row in figures.items():
        lines += [f"## {group}", "", "| system | precision | recall | F1 |", "|---|---:|---:|---:|"]
        best = max(f for k, (_, _, f) in row.items() if k not in (TRAFILATURA, RENDERING))
        for system, (p, r, f) in row.items():
            name = system if system in (TRAFILATURA, RENDERING) else f"clean_html, threshold {system}"
            mark = " (best threshold)" if system not in (TRAFILATURA, RENDERING) and f == best else ""
            mark += " (the model's own)" if system == f"{default:g}" else ""
            lines.append(f"| {name}{mark} | {fmt(p)} | {fmt(r)} | {fmt(f)} |")
        lines.append("")
    lines += [f"Reproduce: `{command}`", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Sweep the keep threshold of the HTML path on the train pages and print (or write) the report."""
    ap = argparse.ArgumentParser(prog="python -m training.html_sweep", description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--datasets", nargs="+", default=list(SWEEP_SETS), choices=SWEEP_SETS)
    ap.add_argument("--thresholds", nargs="+", type=float, default=list(DEFAULT_THRESHOLDS))
    ap.add_argument("--model", type=Path, default=None, help="a model file (default: the shipped model)")
    ap.add_argument("--no-cache", action="store_true", help="render every page afresh and cache nothing")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None, help="write the report here (default: print it)")
    args = ap.parse_args(argv)
    sets = load_sets(args.corpora, args.datasets, args.jobs, None if args.no_cache else CACHE_DIR)
    own = Cleaner(args.model).threshold
    # The model's own threshold is always among them: the HTML path's figures as it ships.
    thresholds = sorted({*args.thresholds, own})
    figures = sweep(sets, thresholds, args.model, args.jobs)
    text = report(figures, sets, own,
                  "python -m training.html_sweep " + shlex.join(argv if argv is not None else sys.argv[1:]))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
