"""Rendering a labelled page as text, tsv or json."""

from __future__ import annotations

import json

from .api import Result
from .tsv import format_tsv

FORMATS: tuple[str, ...] = ("text", "tsv", "json")
EXTENSIONS = {"text": ".txt", "tsv": ".tsv", "json": ".json"}


def render(result: Result, fmt: str, name: str | None = None) -> str:
    """Render ``result`` in ``fmt``; every rendering ends with a newline (text: unless empty).

    Args:
        result: The labelled page.
        fmt: ``text`` (the clean article), ``tsv`` (one row per input line) or
            ``json`` (one object: every line's label and probabilities, and the clean text).
        name: The input's name, recorded in json output.
    """
    if fmt == "text":
        return result.text + "\n" if result.text else ""
    if fmt == "tsv":
        return format_tsv(result.lines)
    if fmt == "json":
        doc = {
            "file": name,
            "text": result.text,
            "lines": [
                {"number": ln.number, "label": ln.label, "probs": ln.probs or None, "text": ln.text}
                for ln in result.lines
            ],
        }
        return json.dumps(doc, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
