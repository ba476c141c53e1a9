"""Evaluation on labelled pages: clean-article against trafilatura and jusText on the same lines.

The baselines get each content line of a page as one HTML paragraph; a line
counts as kept when it turns up in their output.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Callable, Sequence

from cleaner import Cleaner
from cleaner.model import CLASSES

from .data import Doc
from .metrics import Scores

_WS = re.compile(r"\s+")
MIN_CONTAINED = 30
JUSTEXT_LANGS = {
    "fr": "French", "it": "Italian", "ru": "Russian", "de": "German", "es": "Spanish", "en": "English",
    "pt": "Portuguese", "pl": "Polish", "nl": "Dutch", "uk": "Ukrainian", "tr": "Turkish", "ko": "Korean",
    "ar": "Arabic", "el": "Greek", "hi": "Hindi",
}


def _norm(text: str) -> str:
    """Whitespace-collapsed text."""
    return _WS.sub(" ", text).strip()


def predict(cleaner: Cleaner, doc: Doc) -> list[int]:
    """clean-article's class for each content line of ``doc``."""
    return [CLASSES.index(ln.label) for ln in cleaner.label_lines(doc.text) if ln.label != "blank"]


def as_html(doc: Doc) -> str:
    """The page's content lines as HTML paragraphs."""
    paras = "".join(f"<p>{html.escape(t)}</p>\n" for t in doc.page().texts)
    return f"<html><head><title></title></head><body><article>\n{paras}</article></body></html>"


def _kept(texts: Sequence[str], output: Sequence[str]) -> list[int]:
    """0 (kept) or 1 (removed) for each line, matched against an extractor's output paragraphs."""
    out_lines = {_norm(o) for o in output if o.strip()}
    joined = " ".join(out_lines)
    res = []
    for t in texts:
        n = _norm(t)
        keep = n in out_lines or (len(n) >= MIN_CONTAINED and n in joined)
        res.append(0 if keep else 1)
    return res


def trafilatura_lines(doc: Doc) -> list[int]:
    """trafilatura (default settings) on the lines as paragraphs: 0 kept, 1 removed."""
    import trafilatura

    out = trafilatura.extract(as_html(doc), output_format="txt") or ""
    return _kept(doc.page().texts, out.split("\n"))


def justext_lines(doc: Doc) -> list[int]:
    """jusText (its stop list for the language, if it has one) on the lines as paragraphs."""
    import justext

    lang = JUSTEXT_LANGS.get(doc.lang)
    stoplist = justext.get_stoplist(lang) if lang else frozenset()
    paras = justext.justext(as_html(doc).encode("utf-8"), stoplist, encoding="utf-8")
    return _kept(doc.page().texts, [p.text for p in paras if not p.is_boilerplate])


def score(docs: Sequence[Doc], predictor: Callable[[Doc], list[int]]) -> dict[str, Scores]:
    """Scores of ``predictor`` over ``docs``: key ``all`` and one key per language."""
    out: dict[str, Scores] = defaultdict(Scores)
    for doc in docs:
        true = doc.content_labels()
        pred = predictor(doc)
        s = Scores()
        s.add(true, pred)
        out["all"] += s
        out[doc.lang] += s
    return dict(out)


def promo_trim_rates(cleaner: Cleaner, docs: Sequence[Doc]) -> dict[str, float]:
    """How the promo cut does on pages it never saw.

    Every body line of ``docs`` with at least two sentences is cut as the clean
    output would cut it (any cut there is a false cut), and again with a whole
    promo sentence from the ad lines of the pages bolted on (it should be cut
    exactly, and nothing else).
    """
    from cleaner.features import content_words
    from cleaner.postprocess import promo_candidate, split_sentences, trim_promo

    score, t = cleaner._promo_scores, cleaner.promo_threshold
    cases: list[tuple[str, set[str]]] = []
    for d in docs:
        body = [r.text.strip() for r in d.rows if r.label == "body"]
        for k, p in enumerate(body):
            parts = split_sentences(p)
            if len(parts) < 2:
                continue
            words = content_words(parts[0])
            for q in body[:k] + body[k + 1:]:
                words |= content_words(q)
            cases.append((p, words))
    promos = [s.strip() for d in docs for r in d.rows if r.label == "ad"
              for s in split_sentences(r.text.strip()) if promo_candidate(s)]
    false_cuts = sum(trim_promo(p, score, t, article_words=w) != p for p, w in cases)
    exact = 0
    for i, promo in enumerate(promos):
        p, w = cases[(i * 7) % len(cases)]
        exact += trim_promo(p + " " + promo, score, t, article_words=w) == p
    return {"paragraphs": len(cases), "false_cut_rate": false_cuts / max(len(cases), 1),
            "promos": len(promos), "promo_cut_rate": exact / max(len(promos), 1)}
