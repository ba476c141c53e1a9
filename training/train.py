"""Train the line model from ``data/`` and ``seeds/`` and write it with its model card.

Usage::

    python -m training.train                 # the shipped model and card
    python -m training.train --no-lolo       # skip the leave-one-language-out runs
    python -m training.train --no-derived    # team pages and seeds only, no real pages

With the benchmark corpora beside the project (``--corpora``), the line model also learns
from lines derived from their ``train`` pages (``python -m training.derive``, run here
first when its cache is missing). Nothing is ever read from their ``test`` pages.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence, cast

import numpy as np

from cleaner import Cleaner, __version__
from cleaner.ngrams import N_BUCKETS
from cleaner.errors import ModelError
from cleaner.model import FORMAT_VERSION, UNSEEN_SHARE, Model, load_model, unseen_pages

from . import blas
from .benchmark import _pkg_version
from .data import DATA_DIR, HELDOUT_BATCHES, ROOT, SEEDS_DIR, Doc, heldout_batch, load_seeds, load_team, load_user
from .evaluate import justext_lines, predict, score, trafilatura_lines
from .fit import (CONTEXT_LEAVES, CONTEXT_TREES, DERIVED_SHARE, FALLBACK_CONTEXT_L2, FALLBACK_CONTEXT_MIN_LEAF,
                  FALLBACK_LEAVES, FALLBACK_TREES, MIN_SCRIPT_SHARE, NGRAM_DROPOUT, USER_WEIGHT, fit_model,
                  seen_scripts)
from .metrics import CLASSES, Scores, by_language, class_table, fmt, lang_class_table, summary_table

MODEL_PATH = ROOT / "cleaner" / "models" / "default.npz"
CARD_PATH = ROOT / "cleaner" / "models" / "MODEL_CARD.md"


# Lines derived from real pages are sampled, page by page, up to this many. On the held-out team
# pages 30,000 gave body recall 0.991 / removal 0.748 / macro-F1 0.831, 60,000 0.993 / 0.788 / 0.847
# and 120,000 0.997 / 0.766 / 0.832 (each threshold set out of fold as usual), at twice the time.
MAX_DERIVED_LINES = 60000
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"


def derived_docs(corpora: Path, cache: Path, max_lines: int = MAX_DERIVED_LINES, seed: int = 0) -> list[Doc]:
    """Pages derived from the corpora's train pages, sampled up to ``max_lines`` content lines.

    Derives them first when the cache is missing; returns nothing when neither is there.
    """
    from . import derive

    if not (cache / derive.MANIFEST).exists():
        if not corpora.is_dir():
            print(f"no derived data: {corpora} not found; training on team pages only", file=sys.stderr)
            return []
        print(f"deriving labelled lines from the train pages of {corpora} into {cache}", file=sys.stderr)
        derive.main(["--corpora", str(corpora), "--cache", str(cache), "-j", "2"])
    docs = derive.load_derived(cache)
    order = np.random.default_rng(seed).permutation(len(docs))
    out, total = [], 0
    for k in order.tolist():
        n = len(docs[k].content_labels())
        if n == 0 or total + n > max_lines:
            continue
        out.append(docs[k])
        total += n
    return out


def seeds_expected(seeds_dir: Path) -> dict[str, str]:
    """Hand-checked clean output of each seed page, by file stem."""
    return {p.name.removesuffix(".expected.txt"): p.read_text(encoding="utf-8")
            for p in seeds_dir.glob("*.expected.txt")}


def _counts(docs: Sequence[Doc]) -> tuple[Counter[str], Counter[str]]:
    """Pages per language and lines per label."""
    pages = Counter(d.lang for d in docs)
    lines = Counter(r.label for d in docs for r in d.rows)
    return pages, lines


def _lolo_one(lang: str, train: Sequence[Doc], heldout: Sequence[Doc], expected: dict[str, str],
              derived: Sequence[Doc], ngram_dropout: float = NGRAM_DROPOUT) -> tuple[str, Scores]:
    """Train without one language and score its team pages.

    The fallback (for pages in scripts the model does not learn) is fitted only when some of those
    pages would be scored by it: without it the others are scored the same, at a fraction of the cost.
    """
    rest = [d for d in train if d.lang != lang]
    test = [d for d in list(train) + list(heldout) if d.lang == lang and d.group != "seed"]
    routed = bool(unseen_pages([d.text for d in test], seen_scripts(rest)).any())
    model, _ = fit_model(rest, expected, n_folds=3, derived=[d for d in derived if d.lang != lang],
                         ngram_dropout=ngram_dropout, fallback=routed)
    cleaner = Cleaner(model)
    return lang, score(test, lambda d: predict(cleaner, d))["all"]


def lolo(train: Sequence[Doc], heldout: Sequence[Doc], expected: dict[str, str],
         derived: Sequence[Doc] = (), n_jobs: int = 1, ngram_dropout: float = NGRAM_DROPOUT
         ) -> list[tuple[str, Scores]]:
    """Leave one language out: train without it (team and derived pages alike), test on all its team pages."""
    from joblib import Parallel, delayed

    langs = sorted({d.lang for d in train if d.group == "train"})
    out = Parallel(n_jobs=n_jobs)(delayed(_lolo_one)(lang, train, heldout, expected, derived, ngram_dropout)
                                  for lang in langs)
    for lang, s in out:
        print(f"  lolo {lang}: body recall {s.body_recall:.3f} removal {s.removal:.3f}", file=sys.stderr)
    return list(out)


def _derived_lines(facts: dict[str, object]) -> list[str]:
    """The model card's lines about the data derived from real pages."""
    n_pages, n_lines = facts.get("n_derived_pages", 0), facts.get("n_derived_lines", 0)
    if not n_pages:
        return ["- Real pages: none (trained with `--no-derived` or without the corpora)."]
    return [f"- Real pages, stage 1 only: {n_lines} labelled lines from {n_pages} renderings of benchmark `train` pages"
            " (`python -m training.derive`: aligned with their reference text, nav/paywall/ad from HTML context and"
            f" cue phrases; see `reports/derived_labels.md`), sampled page by page, each line weighted"
            f" {cast(float, facts.get('derived_weight', 0.0)):.3f} so that together they weigh as much as the team's lines."]


def held_by_batch(heldout: Sequence[Doc], predictor: Callable[[Doc], list[int]]) -> list[tuple[str, Scores]]:
    """Scores of each held-out batch (``training.data.HELDOUT_BATCHES``) that has pages."""
    out = []
    for name, _ in HELDOUT_BATCHES:
        docs = [d for d in heldout if heldout_batch(d) == name]
        if docs:
            out.append((f"pages {name}", score(docs, predictor)["all"]))
    return out


def _batch_lines(batches: Sequence[tuple[str, Scores]]) -> list[str]:
    """The card's table of held-out figures by batch, when there is more than one."""
    if len(batches) < 2:
        return []
    return ["By batch (pages h11-h20 were written later, by a hand with no access to the training pages):", "",
            *summary_table(list(batches), "batch"), ""]


def oof_keep(facts: dict[str, object], threshold: float, key: str = "oof_proba") -> tuple[float, float] | None:
    """Body recall and boilerplate removal of the keep threshold on the out-of-fold stage-2 output
    (``fallback_oof_proba``: the fallback's)."""
    proba, labels = facts.get(key), facts.get("oof_labels")
    if not isinstance(proba, np.ndarray) or not isinstance(labels, np.ndarray) or not len(labels):
        return None
    body_k = CLASSES.index("body")
    keep = proba[:, body_k] >= threshold
    body = labels == body_k
    if not body.any() or body.all():
        return None
    return float(keep[body].mean()), float((~keep[~body]).mean())


def _oof_lines(facts: dict[str, object], threshold: float) -> list[str]:
    """The card's line on what the threshold does out of fold."""
    figures = oof_keep(facts, threshold)
    if figures is None:
        return []
    return [f"- Out of fold on the training pages (language folds, before the rules) this threshold keeps"
            f" {figures[0]:.3f} of body lines and removes {figures[1]:.3f} of the other lines."]


def _fallback_lines(model: Model, facts: dict[str, object]) -> list[str]:
    """The card's lines on the fallback for pages in scripts the model did not learn."""
    if not model.has_fallback:
        return []
    figures = oof_keep(facts, model.fallback_threshold, "fallback_oof_proba")
    return [
        f"- Scripts learned: {', '.join(sorted(model.seen_scripts))} (each at least {MIN_SCRIPT_SHARE:.0%} of the"
        f" letters of the team's pages). A page with more than {UNSEEN_SHARE:.0%} of its letters in other scripts"
        " (Hangul, Arabic, Devanagari, Thai, Greek …) is scored by a fallback that reads no n-grams: gradient-boosted"
        f" trees over the dense features alone ({FALLBACK_TREES} rounds of {FALLBACK_LEAVES}-leaf trees per class),"
        f" its own context trees fitted on their out-of-fold output (leaves of at least {FALLBACK_CONTEXT_MIN_LEAF}"
        f" lines, L2 {FALLBACK_CONTEXT_L2:g}), and its"
        f" own keep threshold P(body) ≥ {model.fallback_threshold:.4f}, set the same way; no promo sentence is cut"
        " on such a page. The n-grams of a script the model never read fall on buckets other text filled, and"
        " can make it read a whole article as a menu.",
        *([f"- The fallback, out of fold on the training pages (language folds): keeps {figures[0]:.3f} of body"
           f" lines and removes {figures[1]:.3f} of the other lines."] if figures else []),
    ]


def write_card(path: Path, model_path: Path, train: Sequence[Doc], heldout: Sequence[Doc], model: Model,
               facts: dict[str, object], held: dict[str, Scores], seeds: dict[str, Scores],
               baselines: dict[str, dict[str, Scores]], lolo_rows: list[tuple[str, Scores]], seconds: float,
               command: str = "python -m training.train",
               held_batches: Sequence[tuple[str, Scores]] = ()) -> None:
    """Write the model card: data, counts, procedure, metrics, versions; ``command`` is the one that made it."""
    import sklearn

    tp, tl = _counts([d for d in train if d.group != "seed"])
    hp, hl = _counts(heldout)
    sha = hashlib.sha256(model_path.read_bytes()).hexdigest()
    size = model_path.stat().st_size
    lines = [
        "# clean-article default model", "",
        "A line classifier for text scraped from news pages: each non-blank line is `body`, `nav`, `paywall` or `ad`.",
        "", "## Files", "",
        f"- `{model_path.name}`: {size / 1e6:.2f} MB, sha256 `{sha}`",
        f"- format: NumPy `.npz` (read with `allow_pickle=False`) with a JSON header, format version {FORMAT_VERSION}",
        "", "## Model", "",
        "- Stage 1, each line on its own: multinomial logistic regression over 43 dense features (line shape, length,"
        " punctuation, digits and capitals, position, repetition within the page, blank-line layout, multilingual cue"
        f" phrases) and hashed character 2- to 5-grams ({N_BUCKETS} buckets)"
        + (f"; it also learned from every line without its n-grams, at {facts['ngram_dropout']:g} of the line's weight."
           if facts.get("ngram_dropout") else "."),
        f"- Stage 2, context: gradient-boosted trees ({CONTEXT_TREES} rounds of {CONTEXT_LEAVES}-leaf trees per class,"
        " run with NumPy) over the stage-1 probabilities of the line and its neighbours (two before, two after,"
        " a window of five each side, body seen before and after) and the line's own shape, fitted on"
        " out-of-fold stage-1 output.",
        "- Rules: a line repeating one of the first two lines kept (the title, or a kicker and the title) is a"
        " further copy (nav); lines that carry on an open sentence are rejoined; a bolted-on promo sentence model scores the last sentences of each paragraph.",
        f"- Keep threshold P(body) ≥ {model.threshold:.4f}: the highest threshold that keeps ≥ 99.5% of body lines"
        " out of fold on the training pages, with folds that leave whole languages out. Promo-sentence threshold"
        f" {model.promo_threshold:.4f}: cuts the last sentence of ≤ 0.5% of genuine body paragraphs out of fold.",
        *_oof_lines(facts, model.threshold),
        *_fallback_lines(model, facts),
        "", "## Training data", "",
        f"- Team pages (`data/train`): {sum(tp.values())} pages in {len(tp)} languages"
        f" ({', '.join(f'{k} {v}' for k, v in sorted(tp.items()))}).",
        f"- Lines: {', '.join(f'{k} {tl[k]}' for k in CLASSES + ('blank',))}.",
        f"- Seed pages (`seeds/`): {sum(1 for d in train if d.group == 'seed')}.",
        f"- Promo-sentence model: {facts['n_sentences']} sentences, {facts['n_promo_sentences']} promotional.",
        *_derived_lines(facts),
        "", "## Held-out team pages", "",
        f"`data/heldout`: {sum(hp.values())} pages ({', '.join(f'{k} {v}' for k, v in sorted(hp.items()))}),"
        " written in a different hand and layout than the training pages and never trained on.",
        f" Lines: {', '.join(f'{k} {hl[k]}' for k in CLASSES + ('blank',))}.", "",
        *class_table(held["all"]), "",
        *_batch_lines(held_batches),
        "By language:", "", *summary_table(by_language(held), "language"), "",
        "Per-class precision (P), recall (R) and F1 by language:", "", *lang_class_table(by_language(held)), "",
    ]
    if lolo_rows:
        lines += ["## Leave one language out", "",
                  "For each language: a model trained on every other language (team pages and seeds), tested on all"
                  " team pages of that language (training and held-out).", "",
                  *summary_table(lolo_rows, "left out"), ""]
    lines += ["## Seeds", "", "Trained on: these figures show fit, not generalisation.", "",
              *summary_table(by_language(seeds), "seed language"), ""]
    if baselines:
        lines += ["## Against trafilatura and jusText", "",
                  "Held-out team pages, each content line given to the extractor as an HTML paragraph; a line is kept"
                  " when it appears in the output. Keep-vs-remove figures for all systems, measured in the same run.", "",
                  "| system | body recall | boilerplate removed |", "|---|---:|---:|"]
        for name, sc in baselines.items():
            s = sc["all"].keep_scores() if name == "clean-article" else sc["all"]
            lines.append(f"| {name} | {fmt(s.body_recall)} | {fmt(s.removal)} |")
        lines.append("")
    import scipy
    lines += ["## Versions", "",
              f"- clean-article {__version__}, Python {platform.python_version()}, NumPy {np.__version__},"
              f" scikit-learn {sklearn.__version__}, SciPy {scipy.__version__}; real-page lines derived with"
              f" trafilatura {_pkg_version('trafilatura')}, lxml {_pkg_version('lxml')}",
              f"- BLAS: {blas.describe()}; pinned by `training.blas`, so that the processor and its core"
              " count do not change a retrain",
              f"- Training took {seconds:.0f} s on {platform.machine()} ({'with' if lolo_rows else 'without'}"
              " the leave-one-language-out runs).", "",
              f"Reproduce: `{command}` (writes this card and the model).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# Every USER_HOLDOUT_EVERY-th page of a user's folder (sorted by name) is held out for measuring.
USER_HOLDOUT_EVERY = 4


def split_user(docs: Sequence[Doc]) -> tuple[list[Doc], list[Doc]]:
    """A user's pages into training and held-out parts (every fourth page held out)."""
    docs = sorted(docs, key=lambda d: d.name)
    held = [d for i, d in enumerate(docs) if i % USER_HOLDOUT_EVERY == USER_HOLDOUT_EVERY - 1]
    return [d for d in docs if d not in held], held


def _delta(new: float, old: float) -> str:
    """A signed change, or a dash where either side is undefined."""
    return "–" if new != new or old != old else f"{new - old:+.3f}"


def compare(name: str, docs: Sequence[Doc], new: Cleaner, old: Cleaner) -> list[str]:
    """Per-class figures of the new and the shipped model on ``docs``, and the change."""
    a = score(docs, lambda d: predict(new, d))["all"]
    b = score(docs, lambda d: predict(old, d))["all"]
    rows = [f"{name} ({len(docs)} pages, {a.n} lines): new model vs shipped model",
            "| class | precision | recall | F1 | F1 shipped | change |", "|---|---:|---:|---:|---:|---:|"]
    for k, c in enumerate(CLASSES):
        p, r, f = a.prf(k)
        f0 = b.prf(k)[2]
        rows.append(f"| {c} | {fmt(p)} | {fmt(r)} | {fmt(f)} | {fmt(f0)} | {_delta(f, f0)} |")
    rows.append(f"| macro | | | {fmt(a.macro_f1)} | {fmt(b.macro_f1)} | {_delta(a.macro_f1, b.macro_f1)} |")
    rows.append(f"body recall {fmt(a.body_recall)} (shipped {fmt(b.body_recall)}), boilerplate removed"
                f" {fmt(a.removal)} (shipped {fmt(b.removal)})")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Train, evaluate and write the model and its card."""
    ap = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    ap.add_argument("--user", type=Path, action="append", default=[],
                    help="a folder of your corrected tsv pages (repeatable); every fourth page is held out")
    ap.add_argument("--user-weight", type=float, default=USER_WEIGHT, help="weight of your lines against the team's")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--card", type=Path, default=None, help="default: MODEL_CARD.md beside --out")
    ap.add_argument("--no-lolo", action="store_true", help="skip leave-one-language-out runs")
    ap.add_argument("--no-baselines", action="store_true", help="skip trafilatura and jusText")
    ap.add_argument("--quick", action="store_true", help="3 folds, no leave-one-language-out, no baselines")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="benchmark corpora (train pages are used)")
    ap.add_argument("--derived-cache", type=Path, default=None, help="derived lines (default: .cache/derived)")
    ap.add_argument("--no-derived", action="store_true", help="do not learn from real pages")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="processes for the leave-one-language-out runs")
    ap.add_argument("--max-derived-lines", type=int, default=MAX_DERIVED_LINES)
    ap.add_argument("--derived-share", type=float, default=DERIVED_SHARE,
                    help="total weight of derived lines against the team's")
    ap.add_argument("--ngram-dropout", type=float, default=NGRAM_DROPOUT,
                    help="also learn from every line without its n-grams, at this share of its weight (0: not)")
    args = ap.parse_args(argv)
    if args.quick:
        args.no_lolo = args.no_baselines = True
    t0 = time.perf_counter()
    blas.warn_unpinned()
    expected = seeds_expected(args.seeds_dir)
    train = load_team("train", args.data_dir) + load_seeds(args.seeds_dir)
    user_held: list[Doc] = []
    for folder in args.user:
        tr, ho = split_user(load_user(folder))
        train += tr
        user_held += ho
    heldout = load_team("heldout", args.data_dir)
    print(f"training on {len(train)} pages; {len(heldout)} team pages and {len(user_held)} of yours held out",
          file=sys.stderr)
    derived: list[Doc] = []
    if not args.no_derived:
        from .derive import DEFAULT_CACHE

        derived = derived_docs(args.corpora, args.derived_cache or DEFAULT_CACHE, args.max_derived_lines)
        print(f"and on {len(derived)} renderings of real train pages", file=sys.stderr)
    # Loaded now: --out may overwrite the shipped file. A shipped model of an older format is not compared.
    try:
        shipped: Cleaner | None = Cleaner(load_model())
    except ModelError as exc:
        print(f"not comparing with the shipped model: {exc}", file=sys.stderr)
        shipped = None
    model, facts = fit_model(train, expected, user_weight=args.user_weight, n_folds=3 if args.quick else 5,
                             derived=derived, derived_share=args.derived_share, ngram_dropout=args.ngram_dropout)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    cleaner = Cleaner(model)
    # Each held-out page is labelled once; the figures overall and by batch read the same labels.
    held_labels = {id(d): predict(cleaner, d) for d in heldout}
    held = score(heldout, lambda d: held_labels[id(d)])
    held_batches = held_by_batch(heldout, lambda d: held_labels[id(d)])
    seeds = score([d for d in train if d.group == "seed"], lambda d: predict(cleaner, d))
    baselines: dict[str, dict[str, Scores]] = {}
    if not args.no_baselines and heldout:
        baselines = {"clean-article": held, "trafilatura": score(heldout, trafilatura_lines),
                     "jusText": score(heldout, justext_lines)}
    lolo_rows = [] if args.no_lolo else lolo(train, heldout, expected, derived, args.jobs, args.ngram_dropout)
    card = args.card or args.out.with_name("MODEL_CARD.md")
    command = " ".join(["python -m training.train", *map(shlex.quote, argv if argv is not None else sys.argv[1:])])
    write_card(card, args.out, train, heldout, model, facts, held, seeds, baselines, lolo_rows,
               time.perf_counter() - t0, command, held_batches)
    if user_held and shipped is not None:
        print("\n".join(compare("Your held-out pages", user_held, cleaner, shipped)) + "\n")
    if heldout and shipped is not None:
        print("\n".join(compare("Team held-out pages", heldout, cleaner, shipped)) + "\n")
    for name, sc in baselines.items():
        s = sc["all"].keep_scores() if name == "clean-article" else sc["all"]
        print(f"{name}: body recall {fmt(s.body_recall)}, boilerplate removed {fmt(s.removal)}")
    print(f"wrote {args.out} and {card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
