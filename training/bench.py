"""Speed and footprint of clean-article against the extractors it sits behind, measured in one run.

Usage::

    python -m training.bench [--corpora ../shared/corpora] [--real-pages 150] [--out reports/bench.md]

Measures, side by side on the same inputs and in the same run:

* cold start: ``clean-article page.txt`` as a whole process against the ``trafilatura``
  command on the same lines as an HTML page;
* text throughput of one ``Cleaner`` in batch mode, one core, on the seeds, the team's
  pages and real test pages (their full-page text), against trafilatura's ``extract`` and
  jusText on the same lines as HTML paragraphs;
* HTML: ``Cleaner.clean_html`` page by page and ``Cleaner.clean_html_many`` against trafilatura's
  ``extract`` alone on the same real pages;
* peak memory of the command on a seed and of batch mode on the real pages; the model's size;
* scaling: the time for 1x, 10x and 100x the input;
* ``clean-article -j 2`` against ``-j 1`` on a batch of real pages.

Real pages are read from the corpora folder (only ``split == "test"`` pages, used for
timing alone; nothing is tuned on them); without it those rows are left out.
Prints a markdown report and writes it to ``--out``.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources as ir
from pathlib import Path
from typing import Callable, Sequence

from cleaner.api import BATCH_PAGES

from .data import DATA_DIR, ROOT, SEEDS_DIR

DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
REAL_DATASETS = ("scrapinghub_aeb", "wcxb")
SEED_PAGE = SEEDS_DIR / "004_1be04e69967984fd.txt"


def as_html(text: str) -> str:
    """The lines of a text as the paragraphs of an HTML article page."""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><head><title>page</title></head><body><article>{body}</article></body></html>"


def team_texts() -> list[str]:
    """Every team page (train and held-out) as plain text."""
    from cleaner.tsv import page_text, parse_tsv

    return [page_text(parse_tsv(p.read_text(encoding="utf-8"))) for p in sorted(DATA_DIR.rglob("*.tsv"))]


def seed_texts() -> list[str]:
    """The seed pages."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")) if ".expected" not in p.name]


def real_pages(corpora: Path, limit: int) -> list[str]:
    """HTML of up to ``limit`` test pages of the real-page datasets, alternating between them."""
    per: list[list[str]] = []
    for name in REAL_DATASETS:
        path = corpora / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        pages = []
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("split") == "test" and rec.get("html"):
                    pages.append(rec["html"])
                if len(pages) >= limit:
                    break
        per.append(pages)
    out: list[str] = []
    for k in range(limit):
        for pages in per:
            if k < len(pages) and len(out) < limit:
                out.append(pages[k])
    return out


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The shortest wall time of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _run_child(cmd: Sequence[str], stdin: bytes | None = None) -> float:
    """Run a command; its wall time."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
    return time.perf_counter() - t0


# A small launcher runs the measured command and reports its peak RSS: a child forked straight from
# this (large) process would inherit this process's high-water mark in its own ``ru_maxrss``.
_LAUNCHER = (
    "import os,subprocess,sys\n"
    "p=subprocess.Popen(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\n"
    "_,st,ru=os.wait4(p.pid,0)\n"
    "print(ru.ru_maxrss*1024)\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n"
)


def peak_rss(cmd: Sequence[str]) -> int:
    """Peak RSS of a command in bytes, measured by a small launcher process."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def compile_package() -> None:
    """Write the bytecode of the ``cleaner`` package, as a regular install does."""
    import compileall

    import cleaner

    compileall.compile_dir(str(Path(cleaner.__file__).parent), quiet=1)


def cold_start(runs: int) -> list[str]:
    """Median wall time of ``clean-article seed.txt`` against ``trafilatura`` on the same lines as HTML."""
    import statistics

    ca, tr = shutil.which("clean-article"), shutil.which("trafilatura")
    if not ca or not tr:
        return ["(cold start skipped: clean-article and trafilatura commands not on PATH)"]
    text = SEED_PAGE.read_text(encoding="utf-8")
    page = as_html(text).encode()
    # pip compiles a package's bytecode when it installs it (trafilatura's is); an editable
    # checkout gets its bytecode on first import, or never where writing it is switched off.
    # Compile it here so that both commands start as they would after a regular install.
    compile_package()
    _run_child([ca, str(SEED_PAGE)])
    _run_child([tr], page)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(_run_child([ca, str(SEED_PAGE)]))
        theirs.append(_run_child([tr], page))
    a, b = statistics.median(ours), statistics.median(theirs)
    return [
        "| command | input | median wall time |", "|---|---|---:|",
        f"| `clean-article {SEED_PAGE.name}` | {len(text.encode())} bytes of text | {a * 1000:.0f} ms |",
        f"| `trafilatura` (stdin) | the same lines as HTML, {len(page)} bytes | {b * 1000:.0f} ms |",
        "", f"Ratio clean-article / trafilatura: **{a / b:.2f}** (median of {runs} alternating runs; the bytecode of"
        " both packages compiled beforehand, as a regular install leaves it).",
    ]


def text_throughput(sets: dict[str, list[str]], repeat: int) -> list[str]:
    """Batch-mode text throughput of one Cleaner against trafilatura and jusText on the same lines as HTML."""
    import justext
    import trafilatura

    from cleaner import Cleaner

    cleaner = Cleaner()
    cleaner.clean("warm up")
    stop = justext.get_stoplist("English")
    rows = ["| pages | docs | MB of text | lines | clean-article MB/s | lines/s | trafilatura MB/s | jusText MB/s "
            "| vs trafilatura | vs jusText |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, texts in sets.items():
        if not texts:
            continue
        mb = sum(len(t.encode()) for t in texts) / 1e6
        lines = sum(1 for t in texts for ln in t.splitlines() if ln.strip())
        pages = [as_html(t) for t in texts]
        ours = best_of(lambda: cleaner.process_many(texts), repeat)
        traf = best_of(lambda: [trafilatura.extract(p) for p in pages], max(1, repeat // 2))
        jt = best_of(lambda: [justext.justext(p, stop) for p in pages], max(1, repeat // 2))
        rows.append(f"| {name} | {len(texts)} | {mb:.2f} | {lines} | {mb / ours:.2f} | {lines / ours:.0f} "
                    f"| {mb / traf:.2f} | {mb / jt:.2f} | **{traf / ours:.1f}x** | **{jt / ours:.1f}x** |")
    return rows


def html_overhead(pages: list[str], repeat: int) -> list[str]:
    """``clean_html`` page by page, and ``clean_html_many``, against trafilatura's ``extract`` alone on the same pages.

    Page by page, ``extract`` and ``clean_html`` are timed in pairs on each page, in alternating
    order, ``repeat`` times: each system's time is the sum over pages of its best time on the
    page. A slow spell of a shared machine then falls on both systems of a pair, where timing
    each over all the pages in turn let it fall on one (the ratio moved from 1.02 to 1.14
    between runs). ``clean_html_many`` scores a batch at once and is timed against ``extract``
    over all the pages, the two in turn in each round, the best round of each counting.
    """
    import trafilatura

    from cleaner import Cleaner

    if not pages:
        return ["(HTML rows skipped: no real pages found)"]
    cleaner = Cleaner()
    cleaner.clean_html(pages[0])
    mb = sum(len(p.encode()) for p in pages) / 1e6
    runs: dict[str, Callable[[str], object]] = {"extract": trafilatura.extract, "one": cleaner.clean_html}
    per_page = {k: [float("inf")] * len(pages) for k in runs}
    for r in range(max(1, repeat)):
        for i, page in enumerate(pages):
            for k in (("extract", "one") if (r + i) % 2 == 0 else ("one", "extract")):
                t0 = time.perf_counter()
                runs[k](page)
                per_page[k][i] = min(per_page[k][i], time.perf_counter() - t0)
    ext, one = sum(per_page["extract"]), sum(per_page["one"])
    whole = {"extract": float("inf"), "many": float("inf")}
    for _ in range(max(1, repeat)):
        for k, fn in (("extract", lambda: [trafilatura.extract(p) for p in pages]),
                      ("many", lambda: cleaner.clean_html_many(pages))):
            t0 = time.perf_counter()
            fn()
            whole[k] = min(whole[k], time.perf_counter() - t0)
    over = sorted(o / e for o, e in zip(per_page["one"], per_page["extract"]))
    return [
        "| system | pages | MB of HTML | time | pages/s |", "|---|---:|---:|---:|---:|",
        f"| trafilatura `extract` (default), page by page | {len(pages)} | {mb:.1f} | {ext:.2f} s | {len(pages) / ext:.1f} |",
        f"| clean-article `clean_html`, page by page | {len(pages)} | {mb:.1f} | {one:.2f} s | {len(pages) / one:.1f} |",
        f"| trafilatura `extract` (default), all pages in turn | {len(pages)} | {mb:.1f} | {whole['extract']:.2f} s "
        f"| {len(pages) / whole['extract']:.1f} |",
        f"| clean-article `clean_html_many` (pages rendered one by one, scored {BATCH_PAGES} at a time) | {len(pages)} "
        f"| {mb:.1f} | {whole['many']:.2f} s | {len(pages) / whole['many']:.1f} |",
        "", f"Ratio clean_html / extract: **{one / ext:.2f}** (page by page, each page's best of {repeat} paired "
        f"timings; median page {over[len(over) // 2]:.2f}); clean_html_many / extract: "
        f"**{whole['many'] / whole['extract']:.2f}** (all pages, best of {repeat} rounds, the two in turn in each).",
    ]


def batch_memory(texts_file: Path) -> int:
    """Peak RSS of a process that cleans every text of a JSON list in batch mode."""
    code = ("import json,sys; from cleaner import Cleaner; "
            "t=json.load(open(sys.argv[1],encoding='utf-8')); Cleaner().process_many(t)")
    return peak_rss([sys.executable, "-c", code, str(texts_file)])


def scaling(texts: list[str], repeat: int) -> list[str]:
    """Time for 1x, 10x and 100x the same input in batch mode: with every line's labels kept
    (``process_many``, a ``Line`` per input line held until the end) and text only (``clean_many``)."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    cleaner.clean("warm up")
    rows = ["| input | MB | `process_many` | per 1x | `clean_many` | per 1x |", "|---|---:|---:|---:|---:|---:|"]
    times: dict[str, dict[int, float]] = {"process_many": {}, "clean_many": {}}
    for k in (1, 10, 100):
        batch = texts * k
        for name, run in times.items():
            # 100x best of two as well: a single long run carries whatever else the machine did meanwhile.
            run[k] = best_of(lambda: getattr(cleaner, name)(batch), repeat if k < 100 else min(repeat, 2))
        mb = sum(len(x.encode()) for x in batch) / 1e6
        p, c = times["process_many"][k], times["clean_many"][k]
        rows.append(f"| {k}x | {mb:.1f} | {p:.2f} s | {p / k:.3f} s | {c:.2f} s | {c / k:.3f} s |")
    rows.append("")
    for name, t in times.items():
        rows.append(f"`{name}`: 10x takes **{t[10] / t[1]:.1f}x** and 100x **{t[100] / t[1]:.1f}x** the time of 1x.")
        rows.append("")
    return rows[:-1]


def parallel(texts: list[str], folder: Path) -> list[str]:
    """``clean-article -j 2`` against ``-j 1`` on the same files."""
    ca = shutil.which("clean-article")
    if not ca or not texts:
        return ["(parallel rows skipped)"]
    files = []
    for i, t in enumerate(texts):
        p = folder / f"page-{i:04d}.txt"
        p.write_text(t, encoding="utf-8")
        files.append(str(p))
    out = folder / "out"
    mb = sum(len(t.encode()) for t in texts) / 1e6
    times: dict[int, float] = {}
    for j in (1, 2, 1, 2):
        wall = _run_child([ca, "-j", str(j), "--output-dir", str(out), *files])
        times[j] = min(times.get(j, wall), wall)
    return [
        "| command | files | MB | time | MB/s |", "|---|---:|---:|---:|---:|",
        *(f"| `clean-article -j {j}` | {len(files)} | {mb:.1f} | {times[j]:.2f} s | {mb / times[j]:.2f} |" for j in (1, 2)),
        "", f"Throughput of -j 2 against -j 1: **{times[1] / times[2]:.2f}x** (best of 2 each, {os.cpu_count()} cores).",
    ]


def versions() -> str:
    """Versions of everything measured."""
    from importlib.metadata import version

    import numpy

    import cleaner

    parts = [f"clean-article {cleaner.__version__}", f"Python {platform.python_version()}", f"NumPy {numpy.__version__}"]
    for pkg in ("trafilatura", "justext"):
        parts.append(f"{pkg} {version(pkg)}")
    return ", ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and write the report."""
    ap = argparse.ArgumentParser(prog="python -m training.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder of the benchmark corpora")
    ap.add_argument("--real-pages", type=int, default=150, help="real test pages to time on")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (the best counts)")
    ap.add_argument("--cold-runs", type=int, default=11)
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.md")
    args = ap.parse_args(argv)

    from cleaner.html import html_lines

    t_start = time.perf_counter()
    seeds, team = seed_texts(), team_texts()
    pages = real_pages(args.corpora, args.real_pages) if args.corpora.is_dir() else []
    real_text = ["\n".join(html_lines(p)) for p in pages]
    model = ir.files("cleaner").joinpath("models/default.npz")
    lines = [
        "# Speed and footprint", "",
        f"Made by `python -m training.bench --real-pages {args.real_pages} --repeat {args.repeat} --cold-runs {args.cold_runs}` "
        f"on {os.cpu_count()} cores; {versions()}.",
        "Every ratio compares two systems measured in the same run on the same input.", "",
        "## Cold start", "", *cold_start(args.cold_runs), "",
        "## Text throughput (library batch mode, one core)", "",
        "clean-article: one `Cleaner`, `process_many` over every page. trafilatura and jusText: the same lines "
        "as the `<p>` paragraphs of an HTML page, one call per page. Real pages: the full-page text (every "
        f"block of text, as `--input html --render full` sees it) of {len(pages)} test pages of "
        f"{' and '.join(REAL_DATASETS)}.", "",
        *text_throughput({"seeds": seeds, "team pages": team, "real pages (full text)": real_text}, args.repeat), "",
        "## HTML (the overhead clean-article adds to trafilatura)", "", *html_overhead(pages, args.repeat), "",
        "## Memory and size", "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        tf = Path(tmp) / "texts.json"
        tf.write_text(json.dumps(real_text or team), encoding="utf-8")
        batch_rss = batch_memory(tf)
        ca = shutil.which("clean-article")
        cli_rss = peak_rss([ca, str(SEED_PAGE)]) if ca else None
        lines += [
            "| what | figure |", "|---|---:|",
            f"| peak RSS, `clean-article {SEED_PAGE.name}` | "
            f"{'skipped: the command is not on PATH' if cli_rss is None else f'{cli_rss / 2**20:.0f} MB'} |",
            f"| peak RSS, batch mode over the {'real' if real_text else 'team'} pages | {batch_rss / 2**20:.0f} MB |",
            f"| shipped model on disk | {len(model.read_bytes()) / 1e6:.2f} MB |",
            "", "## Scaling (batch mode, team pages)", "", *scaling(team, args.repeat), "",
            # Five copies of the pages: a batch long enough that starting the workers does not dominate.
            "## Parallel batch", "", *parallel((real_text or team) * 5, Path(tmp)), "",
        ]
    lines.append(f"Whole run: {time.perf_counter() - t_start:.0f} s.")
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
