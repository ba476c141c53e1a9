"""The model on languages it never learned: the team's probe pages against trafilatura and jusText.

    python -m training.unseen [--model PATH] [--data-dir DIR] [--out REPORT]

``data/probe/<lang>/`` holds pages in languages that no training page is written in, most of them in
scripts none uses (the model never trains on them; ``python -m training.train`` reads ``data/train``
alone). The leave-one-language-out runs of the model card ask how a language the model could have
learned fares without it; these pages ask how a language it never met fares with everything it did learn.

Every system reads the same lines in one run: clean-article labels each line, trafilatura and
jusText get the lines as HTML paragraphs (``training.evaluate``).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Sequence

from cleaner import Cleaner, __version__
from cleaner.model import Model

from .data import DATA_DIR, ROOT, Doc, load_team
from .evaluate import justext_lines, predict, score, trafilatura_lines
from .metrics import Scores, by_language, fmt, lang_class_table, summary_table

PROBE = "probe"
REPORT = ROOT / "reports" / "unseen_languages.md"


def evaluate(docs: Sequence[Doc], cleaner: Cleaner) -> dict[str, dict[str, Scores]]:
    """Scores of clean-article, trafilatura and jusText on ``docs``: per system, ``all`` and one key per language."""
    return {"clean-article": score(docs, lambda d: predict(cleaner, d)),
            "trafilatura": score(docs, trafilatura_lines), "jusText": score(docs, justext_lines)}


def fallback_pages(docs: Sequence[Doc], model: Model) -> dict[str, int]:
    """Per language, how many of ``docs`` the model scores with its fallback (``cleaner.scripts``)."""
    out = {d.lang: 0 for d in docs}
    for d, routed in zip(docs, model.fallback_pages([d.text for d in docs]).tolist()):
        out[d.lang] += routed
    return out


def report(docs: Sequence[Doc], results: dict[str, dict[str, Scores]], command: str, model: str,
           fallback: dict[str, int] | None = None) -> str:
    """The markdown report of ``evaluate``'s results; ``fallback``: ``fallback_pages``."""
    ours = by_language(results["clean-article"])
    pages = {lang: sum(d.lang == lang for d in docs) for lang, _ in ours[1:]}
    routed = ""
    if fallback is not None:
        routed = (" Pages the model scored with its fallback for scripts it did not learn (no n-grams): "
                  + ", ".join(f"{lang} {fallback.get(lang, 0)} of {n}" for lang, n in pages.items()) + ".")
    lines = [
        "# Languages the model never learned",
        "",
        f"Made by `{command}`: clean-article {__version__}, model {model}. Every system read the same lines in "
        "this run.",
        "",
        f"Pages: {len(docs)} team-written pages under `data/{PROBE}/` ("
        + ", ".join(f"{lang} {n}" for lang, n in pages.items())
        + "), in languages that no training page is written in; the model never trains on them." + routed,
        "",
        "## Keep or remove, against trafilatura and jusText",
        "",
        "Each content line given to the extractors as an HTML paragraph; a line is kept when it turns up in "
        "their output (jusText with its stop list for the language where it has one).",
        "",
        "| language | system | body recall | boilerplate removed |",
        "|---|---|---:|---:|",
    ]
    for lang, _ in ours:
        for name, sc in results.items():
            s = sc[lang].keep_scores() if name == "clean-article" else sc[lang]
            lines.append(f"| {lang} | {name} | {fmt(s.body_recall)} | {fmt(s.removal)} |")
    lines += ["", "## clean-article by language", "", *summary_table(ours, "language"),
              "", "Per class:", "", *lang_class_table(ours), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Score a model on the probe pages and write the report."""
    ap = argparse.ArgumentParser(prog="python -m training.unseen", description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=None, help="a model file (default: the shipped model)")
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--out", type=Path, default=REPORT)
    args = ap.parse_args(argv)
    docs = load_team(PROBE, args.data_dir)
    if not docs:
        print(f"no probe pages under {args.data_dir / PROBE}", file=sys.stderr)
        return 1
    cleaner = Cleaner(args.model)
    results = evaluate(docs, cleaner)
    command = " ".join(["python -m training.unseen", *map(shlex.quote, argv if argv is not None else sys.argv[1:])])
    model = args.model.name if args.model else "the shipped default.npz"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(docs, results, command, model, fallback_pages(docs, cleaner.model)), encoding="utf-8")
    ours = results["clean-article"]["all"].keep_scores()
    print(f"{len(docs)} pages: body recall {fmt(ours.body_recall)}, boilerplate removed {fmt(ours.removal)}; "
          f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
