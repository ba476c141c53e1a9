"""One run, every system, the same test pages: clean-article against other extractors.

    python -m training.benchmark [--corpora DIR] [--out reports/evaluation.md] [--limit N]
                                 [--datasets NAME ...] [-j N] [--timeout S]

Three kinds of evaluation, all on ``split == "test"`` pages of the shared benchmark corpora
(``--corpora``, default ``../shared/corpora`` from the repository root; see its README) and
on the team's own labelled pages:

- HTML pages with a full reference text (scrapinghub_aeb, wcxb, chinese_wced, cleaneval,
  cleanportaleval, htmltotext_benchmark): the article-extraction-benchmark metric of
  ``training.shingles``.
- HTML pages with must-keep / must-drop snippets (trafilatura_eval): trafilatura's snippet
  metric of ``training.snippets``.
- Text: line-level scores on the team's held-out pages, the seed pages and the labelled text
  nodes of multiboilernet, against trafilatura and jusText fed the lines as paragraphs and
  the line rules of C4, Gopher and RefinedWeb (``training.linerules``).

Every table is also broken down by language where it is known, and wcxb by page type. The
report (markdown) and its plot (PNG, next to it) name the command and every tool's version.
A peer that raises or runs past ``--timeout`` on a page gives empty output for it; the
report counts those pages. Outputs of the other extractors (not clean-article's, which
change with the model) are cached under ``.cache/benchmark``, keyed by tool version.

Nothing here fits or tunes anything: it only runs systems and counts.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from . import shingles
from .data import ROOT, Doc, load_seeds, load_team
from .metrics import Scores, fmt
from .snippets import SnippetCounts, count_page

DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_OUT = ROOT / "reports" / "evaluation.md"
CACHE_DIR = ROOT / ".cache" / "benchmark"
FULLTEXT_SETS = ("scrapinghub_aeb", "wcxb", "chinese_wced", "cleaneval", "cleanportaleval", "htmltotext_benchmark")
SNIPPET_SETS = ("trafilatura_eval",)
NODE_SETS = ("multiboilernet_nodes",)
TEAM_SETS = ("team_heldout", "seeds")
ALL_SETS = FULLTEXT_SETS + SNIPPET_SETS + NODE_SETS + TEAM_SETS
# A peer taking longer than this on one page gives empty output for it.
DEFAULT_TIMEOUT = 60.0

CA = "trafilatura + clean-article"
CA_FULL = "full-page text + clean-article"
HTML_SYSTEMS = ("trafilatura", "trafilatura favor_precision", CA, CA_FULL, "readability-lxml", "jusText",
                "boilerpy3", "full-page text")
# Systems whose output depends on this project's code and model: never cached.
OWN = frozenset({CA, CA_FULL, "full-page text"})
TEXT_SYSTEMS = ("clean-article", "trafilatura (lines as paragraphs)", "jusText (lines as paragraphs)",
                "C4 line rules", "Gopher line rules", "RefinedWeb line rules")
PACKAGES = ("trafilatura", "justext", "readability-lxml", "boilerpy3", "lxml", "numpy", "joblib", "matplotlib")
# trafilatura's own benchmark settings (tests/eval_common.py, EXTRACT_OPTS): comments out, tables in.
TRAFILATURA_OPTS: dict[str, Any] = {"include_comments": False, "include_tables": True, "include_formatting": False}
# jusText stop lists by ISO 639-1 code; other languages get the union of all its lists, as
# trafilatura's benchmark does for every page.
JUSTEXT_NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "pl": "Polish", "pt": "Portuguese",
    "it": "Italian", "fi": "Finnish", "ar": "Arabic", "hu": "Hungarian", "no": "Norwegian_Bokmal",
    "ru": "Russian", "bn": "Bengali", "hr": "Croatian", "ko": "Korean", "id": "Indonesian", "bg": "Bulgarian",
    "cs": "Czech", "nl": "Dutch", "uk": "Ukrainian", "tr": "Turkish",
}


# ---------------------------------------------------------------- corpora


def read_corpus(corpora: Path, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    """The ``split == "test"`` pages of one corpus file (the first ``limit`` of them)."""
    pages: list[dict[str, Any]] = []
    with gzip.open(corpora / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            page = json.loads(line)
            if page["split"] != "test":
                continue  # never look at training pages here, nor evaluate on them
            pages.append(page)
            if limit is not None and len(pages) >= limit:
                break
    return pages


# ---------------------------------------------------------------- systems on HTML


class PageTimeout(Exception):
    """A system ran past its time on one page."""


def _alarm(signum: int, frame: Any) -> None:
    """Signal handler: the page's time is up."""
    raise PageTimeout


def _text_of_html(html: str) -> str:
    """Text of an extractor's HTML output, one line per block."""
    from cleaner.html import html_to_text

    return html_to_text(html)


_CLEANER: Any = None
_JT_ALL: frozenset[str] | None = None


def _cleaner() -> Any:
    """One Cleaner per worker process."""
    global _CLEANER
    if _CLEANER is None:
        from cleaner import Cleaner

        _CLEANER = Cleaner()
    return _CLEANER


def _justext_stoplist(lang: str | None) -> frozenset[str]:
    """jusText's stop list for a language, or the union of all of them."""
    global _JT_ALL
    import justext

    name = JUSTEXT_NAMES.get(lang or "")
    if name and name in justext.get_stoplists():
        return justext.get_stoplist(name)
    if _JT_ALL is None:
        _JT_ALL = frozenset(w for n in justext.get_stoplists() for w in justext.get_stoplist(n))
    return _JT_ALL


def run_system(system: str, html: str, lang: str | None) -> str:
    """One system's text for one page."""
    if system == "trafilatura":
        import trafilatura

        return trafilatura.extract(html, **TRAFILATURA_OPTS) or ""
    if system == "trafilatura favor_precision":
        import trafilatura

        return trafilatura.extract(html, favor_precision=True, **TRAFILATURA_OPTS) or ""
    if system == CA:
        return _cleaner().clean_html(html, render="trafilatura")
    if system == CA_FULL:
        return _cleaner().clean_html(html, render="full")
    if system == "full-page text":
        return _text_of_html(html)
    if system == "readability-lxml":
        from readability import Document

        return _text_of_html(Document(html).summary(html_partial=True))
    if system == "jusText":
        import justext

        paras = justext.justext(html.encode("utf-8", "surrogatepass"), _justext_stoplist(lang), encoding="utf-8")
        return "\n".join(p.text for p in paras if not p.is_boilerplate)
    if system == "boilerpy3":
        from boilerpy3 import extractors

        return extractors.ArticleExtractor().get_content(html) or ""
    raise ValueError(f"unknown system {system!r}")


@dataclass
class Output:
    """A system's text for a page, and how it went: ``ok``, ``error`` or ``timeout``."""

    text: str
    status: str = "ok"
    seconds: float = 0.0


def run_page(html: str, lang: str | None, systems: Sequence[str], timeout: float) -> dict[str, Output]:
    """Every system on one page, each under its time limit; failures give empty output."""
    import logging

    logging.disable(logging.CRITICAL)  # the extractors log every odd page; the report counts failures
    out: dict[str, Output] = {}
    use_alarm = hasattr(signal, "setitimer")
    for system in systems:
        t0 = time.perf_counter()
        old = signal.signal(signal.SIGALRM, _alarm) if use_alarm else None
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            out[system] = Output(run_system(system, html, lang))
        except PageTimeout:
            out[system] = Output("", "timeout")
        except Exception:  # noqa: BLE001 - a peer failing on a page is an empty output, counted in the report
            out[system] = Output("", "error")
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
        out[system].seconds = time.perf_counter() - t0
    return out


def _slug(text: str) -> str:
    """A file-name-safe form of a name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pkg_version(name: str) -> str:
    """An installed package's version, or ``-``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


SYSTEM_PACKAGE = {"trafilatura": "trafilatura", "trafilatura favor_precision": "trafilatura",
                  "readability-lxml": "readability-lxml", "jusText": "justext", "boilerpy3": "boilerpy3"}


def _cache_path(dataset: str, system: str) -> Path:
    """Where a peer's outputs on a dataset are cached, keyed by its version."""
    v = _pkg_version(SYSTEM_PACKAGE.get(system, system))
    return CACHE_DIR / f"{dataset}--{_slug(system)}--{v}.json.gz"


def _load_cache(dataset: str, system: str) -> dict[str, dict[str, Any]]:
    """Cached outputs by page id."""
    path = _cache_path(dataset, system)
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def _save_cache(dataset: str, system: str, entries: dict[str, dict[str, Any]]) -> None:
    """Merge outputs into a peer's cache."""
    path = _cache_path(dataset, system)
    path.parent.mkdir(parents=True, exist_ok=True)
    merged = {**_load_cache(dataset, system), **entries}
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(merged, f)
    os.replace(tmp, path)


def run_html(pages: Sequence[dict[str, Any]], dataset: str, systems: Sequence[str], jobs: int,
             timeout: float, use_cache: bool = True) -> dict[str, list[Output]]:
    """Every system on every page: outputs in page order, for each system."""
    from joblib import Parallel, delayed

    cached = {s: (_load_cache(dataset, s) if use_cache and s not in OWN else {}) for s in systems}
    todo: list[tuple[int, list[str]]] = []
    for i, p in enumerate(pages):
        missing = [s for s in systems if p["id"] not in cached[s]]
        if missing:
            todo.append((i, missing))
    done = Parallel(n_jobs=jobs, batch_size=1)(
        delayed(run_page)(pages[i]["html"] or "", pages[i]["lang"], missing, timeout) for i, missing in todo)
    results: dict[str, list[Output | None]] = {s: [None] * len(pages) for s in systems}
    fresh: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for (i, _), outs in zip(todo, done):
        for s, o in outs.items():
            results[s][i] = o
            if s not in OWN:
                fresh[s][pages[i]["id"]] = {"text": o.text, "status": o.status, "seconds": o.seconds}
    for s in systems:
        for i, p in enumerate(pages):
            if results[s][i] is None:
                c = cached[s][p["id"]]
                results[s][i] = Output(c["text"], c["status"], c["seconds"])
    if use_cache:
        for s, entries in fresh.items():
            _save_cache(dataset, s, entries)
    return {s: [o for o in outs if o is not None] for s, outs in results.items()}


# ---------------------------------------------------------------- results


@dataclass
class HtmlResult:
    """One dataset's HTML evaluation: per system, scores overall and by group."""

    dataset: str
    kind: str  # "shingles" or "snippets"
    pages: int
    overall: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # "lang"/"page_type" -> group -> system
    group_pages: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _group_keys(page: dict[str, Any], dataset: str) -> dict[str, str]:
    """The breakdowns a page belongs to."""
    keys = {"lang": page.get("lang") or "unknown"}
    if dataset == "wcxb":
        keys["page_type"] = page.get("page_type") or "unknown"
    return keys


def evaluate_html(pages: Sequence[dict[str, Any]], dataset: str, outputs: dict[str, list[Output]]) -> HtmlResult:
    """Score every system's outputs on a dataset, overall, by language and (wcxb) by page type."""
    kind = "snippets" if dataset in SNIPPET_SETS else "shingles"
    res = HtmlResult(dataset, kind, len(pages))
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, p in enumerate(pages):
        for dim, key in _group_keys(p, dataset).items():
            members[dim][key].append(i)
    for system, outs in outputs.items():
        if kind == "shingles":
            per_page = [shingles.match(p["gold"], o.text) for p, o in zip(pages, outs)]

            def agg(idx: Sequence[int], per_page: Any = per_page) -> Any:
                return shingles.aggregate(per_page[i] for i in idx)
        else:
            counts = [count_page(p["keep"], p["drop"], o.text if o.status == "ok" else None)
                      for p, o in zip(pages, outs)]

            def agg(idx: Sequence[int], per_page: Any = counts) -> Any:
                total = SnippetCounts()
                for i in idx:
                    total += per_page[i]
                return total
        res.overall[system] = agg(range(len(pages)))
        for dim, groups in members.items():
            for key, idx in groups.items():
                res.groups.setdefault(dim, {}).setdefault(key, {})[system] = agg(idx)
        res.failures[system] = {
            "error": sum(o.status == "error" for o in outs),
            "timeout": sum(o.status == "timeout" for o in outs),
            "empty": sum(o.status == "ok" and not o.text.strip() for o in outs),
        }
        res.seconds[system] = sum(o.seconds for o in outs)
    for dim, groups in members.items():
        res.group_pages[dim] = {k: len(v) for k, v in groups.items()}
    return res


# Datasets whose removed and kept lines are traced against the reference text in the report.
DIAGNOSE = ("scrapinghub_aeb",)


def line_fates(html: str, gold: str) -> dict[str, list[int]]:
    """Where clean-article's lines on one page went: ``[lines, words]`` per fate.

    A rendered line is *in the reference* when its word tokens occur, in order, in the
    reference text; fates are ``kept/in``, ``kept/out``, ``removed <label>/in`` and
    ``removed <label>/out``.
    """
    import logging

    logging.disable(logging.CRITICAL)
    ref = " " + " ".join(shingles.tokenize(gold)) + " "
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in _cleaner().process_html(html).lines:
        toks = shingles.tokenize(line.text)
        inside = bool(toks) and (" " + " ".join(toks) + " ") in ref
        fate = ("kept" if line.label == "body" else f"removed {line.label}") + ("/in" if inside else "/out")
        out[fate][0] += 1
        out[fate][1] += len(toks)
    return dict(out)


def diagnose(pages: Sequence[dict[str, Any]], jobs: int) -> dict[str, list[int]]:
    """``line_fates`` summed over pages."""
    from joblib import Parallel, delayed

    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fates in Parallel(n_jobs=jobs, batch_size=4)(delayed(line_fates)(p["html"], p["gold"]) for p in pages):
        for k, (n, w) in fates.items():
            total[k][0] += n
            total[k][1] += w
    return dict(total)


def diagnosis_lines(dataset: str, fates: dict[str, list[int]]) -> list[str]:
    """Markdown: what the classifier kept and removed of trafilatura's lines, against the reference."""
    def get(prefix: str, where: str) -> tuple[int, int]:
        rows = [v for k, v in fates.items() if k.startswith(prefix) and k.endswith(where)]
        return sum(r[0] for r in rows), sum(r[1] for r in rows)

    out = [f"### Where trafilatura + clean-article gains and loses on {dataset}", "",
           "Every line of the trafilatura rendering, by what the classifier did with it and whether its words "
           "occur, in order, in the reference text (a line in the reference is article text).", "",
           "| classifier | line in the reference: lines | words | not in the reference: lines | words |",
           "|---|---:|---:|---:|---:|"]
    for label in ("kept", "removed nav", "removed ad", "removed paywall"):
        a, b = fates.get(f"{label}/in", [0, 0]), fates.get(f"{label}/out", [0, 0])
        out.append(f"| {label} | {a[0]} | {a[1]} | {b[0]} | {b[1]} |")
    rin, rout = get("removed", "/in"), get("removed", "/out")
    kout = get("kept", "/out")
    removed = rin[0] + rout[0]
    if removed:
        out += ["", f"Of the {removed} lines the classifier removed, {rin[0]} ({rin[1]} words) are article text and "
                f"{rout[0]} ({rout[1]} words) are not; it kept {kout[0]} lines ({kout[1]} words) that are not in the "
                "reference. Removing article lines costs recall, and the boilerplate it leaves is what "
                "precision still loses."]
    return out + [""]


# ---------------------------------------------------------------- text (lines)


def node_docs(pages: Sequence[dict[str, Any]]) -> list[Doc]:
    """multiboilernet pages as labelled line pages: each text node a line, body or boilerplate (nav)."""
    from cleaner.tsv import LabelledLine

    ws = re.compile(r"\s+")
    docs = []
    for p in pages:
        rows = []
        for node in p["nodes"] or []:
            text = ws.sub(" ", node["text"]).strip()
            if text:
                rows.append(LabelledLine("body" if node["label"] == "body" else "nav", text))
        if rows:
            docs.append(Doc(p["id"], p.get("lang") or "unknown", "multiboilernet", rows))
    return docs


def text_predictions(doc: Doc) -> dict[str, list[int]]:
    """Every text system's labels for a page's content lines (class index; peers: 0 keep, 1 remove)."""
    import logging

    from .evaluate import justext_lines, predict, trafilatura_lines
    from .linerules import RULES

    logging.disable(logging.CRITICAL)
    texts = doc.page().texts
    out: dict[str, list[int]] = {"clean-article": predict(_cleaner(), doc)}
    for name, fn in (("trafilatura (lines as paragraphs)", trafilatura_lines),
                     ("jusText (lines as paragraphs)", justext_lines)):
        try:
            out[name] = fn(doc)
        except Exception:  # noqa: BLE001 - a failure keeps nothing, like an empty output
            out[name] = [1] * len(texts)
    for name, rule in RULES.items():
        out[name] = [0 if rule(t) else 1 for t in texts]
    return out


@dataclass
class TextResult:
    """One text set's line-level scores: per system, overall and by language."""

    name: str
    pages: int
    overall: dict[str, Scores] = field(default_factory=dict)
    by_lang: dict[str, dict[str, Scores]] = field(default_factory=dict)
    lang_pages: dict[str, int] = field(default_factory=dict)


def evaluate_text(name: str, docs: Sequence[Doc], jobs: int) -> TextResult:
    """Line-level scores of every text system on labelled pages."""
    from joblib import Parallel, delayed

    preds = Parallel(n_jobs=jobs, batch_size=8)(delayed(text_predictions)(d) for d in docs)
    res = TextResult(name, len(docs))
    for doc, pred in zip(docs, preds):
        true = doc.content_labels()
        res.lang_pages[doc.lang] = res.lang_pages.get(doc.lang, 0) + 1
        for system, labels in pred.items():
            s = Scores()
            s.add(true, labels)
            res.overall.setdefault(system, Scores())
            res.overall[system] += s
            res.by_lang.setdefault(doc.lang, {}).setdefault(system, Scores())
            res.by_lang[doc.lang][system] += s
    return res


# ---------------------------------------------------------------- report


def _prf(score: Any) -> tuple[float, float, float]:
    """Precision, recall and F1 of a shingle or snippet score."""
    return score.precision, score.recall, score.f1


def html_tables(res: HtmlResult) -> list[str]:
    """Markdown for one HTML dataset: systems overall, then by language and page type."""
    out = [f"### {res.dataset} ({res.pages} test pages, "
           + ("shingle metric" if res.kind == "shingles" else "snippet metric") + ")", ""]
    extra = " | must-keep found | must-drop found |" if res.kind == "snippets" else ""
    out += ["| system | precision | recall | F1 | empty | errors | timeouts | seconds" + (extra or " |"),
            "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if extra else "")]
    for system, score in res.overall.items():
        p, r, f = _prf(score)
        fails = res.failures[system]
        row = (f"| {system} | {fmt(p)} | {fmt(r)} | {fmt(f)} | {fails['empty']} | {fails['error']} | "
               f"{fails['timeout']} | {res.seconds[system]:.0f} |")
        if res.kind == "snippets":
            row += f" {score.tp}/{score.tp + score.fn} | {score.fp}/{score.fp + score.tn} |"
        out.append(row)
    out.append("")
    systems = list(res.overall)
    for dim, title in (("lang", "language"), ("page_type", "page type")):
        groups = res.groups.get(dim)
        if not groups or (dim == "lang" and len(groups) < 2):
            continue
        out += [f"F1 by {title} ({res.dataset}):", "",
                f"| {title} | pages | " + " | ".join(systems) + " |",
                "|---|---:|" + "---:|" * len(systems)]
        for key in sorted(groups, key=lambda k: (-res.group_pages[dim][k], k)):
            cells = [fmt(_prf(groups[key][s])[2]) for s in systems]
            out.append(f"| {key} | {res.group_pages[dim][key]} | " + " | ".join(cells) + " |")
        out.append("")
    if res.dataset == "wcxb" and "page_type" in res.groups and "article" in res.groups["page_type"]:
        art = res.groups["page_type"]["article"]
        out += [f"wcxb article pages ({res.group_pages['page_type']['article']}): precision, recall and F1.", "",
                "| system | precision | recall | F1 |", "|---|---:|---:|---:|"]
        for s in systems:
            p, r, f = _prf(art[s])
            out.append(f"| {s} | {fmt(p)} | {fmt(r)} | {fmt(f)} |")
        out.append("")
    return out


def keep_remove(s: Scores) -> tuple[float, float, float, float, float]:
    """Body precision, recall and F1, share of boilerplate removed, and boilerplate F1 (keep vs remove)."""
    p, r, f = s.keep_scores().prf(0)
    c = s.confusion
    removed_bp = float(c[1:, 1:].sum())
    removed = float(c[:, 1:].sum())
    bp = float(c[1:].sum())
    bp_p = removed_bp / removed if removed else float("nan")
    bp_r = removed_bp / bp if bp else float("nan")
    bp_f = 2 * bp_p * bp_r / (bp_p + bp_r) if removed and bp and bp_p + bp_r else float("nan")
    return p, r, f, bp_r, bp_f


def text_tables(res: TextResult) -> list[str]:
    """Markdown for one labelled text set: body vs boilerplate per system, by language, and clean-article per class."""
    out = [f"### {res.name} ({res.pages} pages, {res.overall['clean-article'].n} lines)", "",
           "| system | body precision | body recall | body F1 | boilerplate removed | boilerplate F1 |",
           "|---|---:|---:|---:|---:|---:|"]
    for system, s in res.overall.items():
        p, r, f, removed, bf = keep_remove(s)
        out.append(f"| {system} | {fmt(p)} | {fmt(r)} | {fmt(f)} | {fmt(removed)} | {fmt(bf)} |")
    out.append("")
    ca = res.overall["clean-article"]
    if ca.confusion[2:].sum():
        out += ["clean-article per class:", "", "| class | precision | recall | F1 | lines |", "|---|---:|---:|---:|---:|"]
        for k, c in enumerate(("body", "nav", "paywall", "ad")):
            p, r, f = ca.prf(k)
            out.append(f"| {c} | {fmt(p)} | {fmt(r)} | {fmt(f)} | {int(ca.confusion[k].sum())} |")
        out.append("")
    if len(res.by_lang) > 1:
        systems = list(res.overall)
        out += [f"Body F1 by language ({res.name}):", "", "| language | pages | " + " | ".join(systems) + " |",
                "|---|---:|" + "---:|" * len(systems)]
        for lang in sorted(res.by_lang, key=lambda k: (-res.lang_pages[k], k)):
            cells = [fmt(res.by_lang[lang][s].keep_scores().prf(0)[2]) for s in systems]
            out.append(f"| {lang} | {res.lang_pages[lang]} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def headline(html: dict[str, HtmlResult]) -> list[str]:
    """The figures the HTML path is judged by, with whether each target is met."""
    out = ["| check | measured | target | met |", "|---|---|---|---|"]

    def row(check: str, measured: str, target: str, ok: bool) -> None:
        out.append(f"| {check} | {measured} | {target} | {'yes' if ok else 'no'} |")

    if "scrapinghub_aeb" in html:
        o = html["scrapinghub_aeb"].overall
        ca, tr = o[CA], o["trafilatura"]
        row("scrapinghub_aeb: trafilatura + clean-article F1", fmt(ca.f1), "≥ 0.970", ca.f1 >= 0.970)
        row("scrapinghub_aeb: F1 above trafilatura alone", f"{fmt(ca.f1)} vs {fmt(tr.f1)}", "higher", ca.f1 > tr.f1)
        row("scrapinghub_aeb: recall at most 0.005 below trafilatura's", f"{fmt(ca.recall)} vs {fmt(tr.recall)}",
            "≥ " + fmt(tr.recall - 0.005), ca.recall >= tr.recall - 0.005)
    if "trafilatura_eval" in html:
        o = html["trafilatura_eval"].overall
        ca, tr = o[CA], o["trafilatura"]
        row("trafilatura_eval: snippet F1 at least 0.02 above trafilatura alone", f"{fmt(ca.f1)} vs {fmt(tr.f1)}",
            "≥ " + fmt(tr.f1 + 0.02), ca.f1 >= tr.f1 + 0.02)
    if "wcxb" in html and "article" in html["wcxb"].groups.get("page_type", {}):
        art = html["wcxb"].groups["page_type"]["article"]
        row("wcxb articles: F1 above trafilatura alone", f"{fmt(art[CA].f1)} vs {fmt(art['trafilatura'].f1)}",
            "higher", art[CA].f1 > art["trafilatura"].f1)
    return out


def plot(html: dict[str, HtmlResult], text: dict[str, TextResult], path: Path) -> None:
    """Bar charts: F1 of each system on each HTML dataset, and body F1 on each text set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2 if text else 1, 1, figsize=(12, 9 if text else 5), squeeze=False)
    ax = axes[0][0]
    names = list(html)
    systems = [s for s in HTML_SYSTEMS if any(s in html[n].overall for n in names)]
    width = 0.8 / max(len(systems), 1)
    for k, s in enumerate(systems):
        ys = [html[n].overall[s].f1 if s in html[n].overall else 0.0 for n in names]
        ax.bar([i + k * width for i in range(len(names))], ys, width, label=s)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(names))], names, rotation=15)
    ax.set_ylabel("F1 (shingles; trafilatura_eval: snippets)")
    ax.set_ylim(0, 1)
    ax.set_title("HTML pages, test split")
    ax.legend(fontsize=7, ncol=4, loc="lower left")
    if text:
        ax = axes[1][0]
        tnames = list(text)
        width = 0.8 / len(TEXT_SYSTEMS)
        for k, s in enumerate(TEXT_SYSTEMS):
            ys = [text[n].overall[s].keep_scores().prf(0)[2] for n in tnames]
            ax.bar([i + k * width for i in range(len(tnames))], ys, width, label=s)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(tnames))], tnames)
        ax.set_ylabel("body F1 (lines)")
        ax.set_ylim(0, 1)
        ax.set_title("Text: labelled lines")
        ax.legend(fontsize=7, ncol=3, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _model_info() -> str:
    """The shipped model file's name and sha256."""
    model = ROOT / "cleaner" / "models" / "default.npz"
    if not model.exists():
        return "-"
    return f"{model.name}, sha256 {hashlib.sha256(model.read_bytes()).hexdigest()[:16]}…"


def _commit() -> str:
    """The repository's commit, with a mark when the work tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" (work tree modified)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "-"


def write_report(path: Path, command: str, html: dict[str, HtmlResult], text: dict[str, TextResult],
                 seconds: float, args: argparse.Namespace,
                 diagnoses: dict[str, dict[str, list[int]]] | None = None) -> None:
    """Write the markdown report and its plot."""
    import cleaner

    commit = _commit()  # before the plot is written: the report's own files do not count as changes
    path.parent.mkdir(parents=True, exist_ok=True)
    png = path.with_suffix(".png")
    plot(html, text, png)
    lines = ["# clean-article against other extractors", "",
             "Made by one run of the command below; every system ran on the same pages in that run. Only "
             "`split == \"test\"` pages of the shared corpora are used, and nothing was fitted or tuned on them.", "",
             "```", command, "```", "",
             f"Run: {time.strftime('%Y-%m-%d')}, {seconds / 60:.0f} minutes, {args.jobs} worker processes, "
             f"per-page time limit {args.timeout:.0f} s" + (f", at most {args.limit} pages per dataset" if args.limit
                                                             else "") + ".", "",
             "| tool | version |", "|---|---|",
             f"| clean-article | {cleaner.__version__}, commit {commit}, model {_model_info()} |",
             f"| Python | {platform.python_version()} |"]
    lines += [f"| {p} | {_pkg_version(p)} |" for p in PACKAGES]
    lines += ["", f"![F1 per system and dataset]({png.name})", ""]
    if html:
        lines += ["## Headline", ""] + headline(html) + [""]
    lines += ["## Systems", "",
              "- **trafilatura**: `trafilatura.extract` with trafilatura's own benchmark settings (comments out, "
              "tables in, no formatting); **trafilatura favor_precision**: the same with `favor_precision=True`.",
              "- **trafilatura + clean-article**: `cleaner.clean_html(html)`: trafilatura's default extraction with "
              "tables and no deduplication (`cleaner.html.TRAFILATURA_SETTINGS`), one line per paragraph, heading, "
              "item or row, then the classifier; the whole page when trafilatura finds nothing.",
              "- **full-page text + clean-article**: `cleaner.clean_html(html, render=\"full\")`: every block of "
              "text of the page, nothing pruned, then the classifier. **full-page text**: those lines unfiltered.",
              "- **readability-lxml**: `Document(html).summary()`, its HTML turned into one line per block.",
              "- **jusText**: default settings, the stop list of the page's language when jusText has one, "
              "else the union of all its stop lists.",
              "- **boilerpy3**: `ArticleExtractor`.",
              "- Text sets: **trafilatura** and **jusText** get each line as an HTML paragraph (a line counts as kept "
              "when it turns up in their output); **C4**, **Gopher** and **RefinedWeb line rules** keep or remove "
              "each line by the line-level rules of those pipelines (`training/linerules.py` says which).", "",
              "A peer that raised or ran past the time limit on a page counts as empty output there (columns "
              "*errors* and *timeouts*; *empty* counts pages where it returned nothing).", ""]
    if html:
        lines += ["## HTML pages, full reference text", "",
                  "The article-extraction-benchmark metric (`training/shingles.py`): word 4-gram shingles; per page, "
                  "precision and recall of the output's shingles against the reference's; both averaged over pages; "
                  "F1 of the two averages.", ""]
        for name, res in html.items():
            if res.kind == "shingles":
                lines += html_tables(res)
        for name, fates in (diagnoses or {}).items():
            lines += diagnosis_lines(name, fates)
        snip = [r for r in html.values() if r.kind == "snippets"]
        if snip:
            lines += ["## HTML pages, snippets", "",
                      "trafilatura's own method (`training/snippets.py`): a must-keep snippet found in the output is a "
                      "true positive, a must-drop snippet found a false positive; counts summed over pages.", ""]
            for res in snip:
                lines += html_tables(res)
    if text:
        lines += ["## Text: labelled lines", "",
                  "Line by line, body (keep) against everything else (remove). clean-article labels four classes; "
                  "the others only keep or remove. Team held-out pages and seeds are labelled body, nav, paywall "
                  "and ad; multiboilernet text nodes body or boilerplate (counted as nav). The team's held-out pages "
                  "were never trained on; the seed pages are part of clean-article's training data, so its figures "
                  "there are not held-out figures.", ""]
        for text_res in text.values():
            lines += text_tables(text_res)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- command


def _default_jobs() -> int:
    """Two workers, or one on a one-core machine."""
    return min(2, os.cpu_count() or 1)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(prog="python -m training.benchmark", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                    help="Folder of the shared benchmark corpora (default: ../shared/corpora from the repository root).")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report; the plot goes next to it as .png.")
    ap.add_argument("--limit", type=int, default=None, help="At most this many test pages per dataset.")
    ap.add_argument("--datasets", nargs="+", choices=ALL_SETS, default=list(ALL_SETS), metavar="NAME",
                    help=f"Datasets to run (default: all): {', '.join(ALL_SETS)}.")
    ap.add_argument("-j", "--jobs", type=int, default=_default_jobs(), help="Worker processes.")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds a system may take on one page.")
    ap.add_argument("--no-cache", action="store_true", help="Run every peer again instead of reading its cached outputs.")
    return ap.parse_args(argv)


def _command(argv: Sequence[str]) -> str:
    """The command as typed, without this machine's paths."""
    return " ".join(["python -m training.benchmark", *(shlex.quote(a) for a in argv)])


def iter_datasets(args: argparse.Namespace) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The HTML datasets asked for that are present, with their test pages."""
    for name in FULLTEXT_SETS + SNIPPET_SETS:
        if name not in args.datasets:
            continue
        if not (args.corpora / f"{name}.jsonl.gz").exists():
            print(f"{name}: not found in {args.corpora}, skipped", file=sys.stderr)
            continue
        pages = read_corpus(args.corpora, name, args.limit)
        if name in FULLTEXT_SETS:
            pages = [p for p in pages if p["gold"] and p["html"]]
        else:
            pages = [p for p in pages if p["html"] and (p["keep"] or p["drop"])]
        yield name, pages


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.limit is not None and args.limit < 1:
        print("--limit must be at least 1", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    html: dict[str, HtmlResult] = {}
    diagnoses: dict[str, dict[str, list[int]]] = {}
    for name, pages in iter_datasets(args):
        t = time.perf_counter()
        outputs = run_html(pages, name, HTML_SYSTEMS, args.jobs, args.timeout, use_cache=not args.no_cache)
        html[name] = evaluate_html(pages, name, outputs)
        if name in DIAGNOSE:
            diagnoses[name] = diagnose(pages, args.jobs)
        f1 = {s: html[name].overall[s].f1 for s in (CA, "trafilatura")}
        print(f"{name}: {len(pages)} pages in {time.perf_counter() - t:.0f} s; F1 " +
              ", ".join(f"{s} {v:.3f}" for s, v in f1.items()), file=sys.stderr)
    text: dict[str, TextResult] = {}
    sets: list[tuple[str, Callable[[], list[Doc]]]] = [
        ("team_heldout", lambda: load_team("heldout")), ("seeds", load_seeds),
        ("multiboilernet_nodes", lambda: node_docs(read_corpus(args.corpora, "multiboilernet_nodes", args.limit))),
    ]
    for name, load in sets:
        if name not in args.datasets:
            continue
        if name in NODE_SETS and not (args.corpora / f"{name}.jsonl.gz").exists():
            print(f"{name}: not found in {args.corpora}, skipped", file=sys.stderr)
            continue
        docs = load()
        docs = docs[: args.limit] if args.limit else docs
        t = time.perf_counter()
        text[name] = evaluate_text(name, docs, args.jobs)
        print(f"{name}: {len(docs)} pages in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    write_report(args.out, _command(argv), html, text, time.perf_counter() - t0, args, diagnoses)
    print(f"wrote {args.out} and {args.out.with_suffix('.png').name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
