"""The labelled-line format: one row per input line, ``label<TAB>score<TAB>text``.

``clean-article --format tsv`` writes it; the team's data and a user's
corrections are read back from it as training data (see ``data/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .lines import LABELS, Line
from .errors import InputError


@dataclass(frozen=True, slots=True)
class LabelledLine:
    """A line and its label as read from a tsv file."""

    label: str
    text: str


def format_tsv(lines: Iterable[Line]) -> str:
    """Rows for ``lines``: ``label<TAB>score<TAB>text``, one per line, each ending in a newline."""
    return "".join(f"{ln.label}\t{ln.score:.4f}\t{ln.text}\n" for ln in lines)


def parse_tsv(content: str, name: str = "<tsv>") -> list[LabelledLine]:
    """Read labelled lines.

    Args:
        content: The file's text.
        name: The file name, for error messages.

    Returns:
        One ``LabelledLine`` per row. The score column is ignored.

    Raises:
        InputError: A row lacks a column or carries an unknown label.
    """
    rows = content.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    out: list[LabelledLine] = []
    for i, row in enumerate(rows, 1):
        row = row.removesuffix("\r")
        parts = row.split("\t", 2)
        if len(parts) != 3:
            raise InputError(f"{name}:{i}: expected label<TAB>score<TAB>text")
        label, _score, text = parts
        label = label.strip()
        if label not in LABELS:
            raise InputError(f"{name}:{i}: unknown label {label!r} (one of {', '.join(LABELS)})")
        if label == "blank" and text.strip():
            raise InputError(f"{name}:{i}: a line with text cannot be labelled blank")
        if label != "blank" and not text.strip():
            label = "blank"  # an empty line is blank whatever the label column says
        out.append(LabelledLine(label, text))
    return out


def page_text(lines: Iterable[LabelledLine]) -> str:
    """The page the rows were made from."""
    return "\n".join(ln.text for ln in lines)
