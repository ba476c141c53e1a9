"""Labelled pages: the team's corpus under ``data/`` and the seed pages under ``seeds/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cleaner.segment import Page, segment
from cleaner.tsv import LabelledLine, page_text, parse_tsv

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
CLASSES = ("body", "nav", "paywall", "ad")
SEED_LANGS = {"000": "ru", "001": "ru", "002": "it", "003": "fr", "004": "fr"}


@dataclass
class Doc:
    """A labelled page.

    Attributes:
        name: File stem.
        lang: ISO 639-1 code.
        group: ``train``, ``heldout``, ``seed`` or ``user``.
        rows: One labelled line per input line.
    """

    name: str
    lang: str
    group: str
    rows: list[LabelledLine]

    @property
    def text(self) -> str:
        """The page as scraped."""
        return page_text(self.rows)

    def page(self) -> Page:
        """The segmented page."""
        return segment(self.text)

    def content_labels(self) -> list[int]:
        """Class index of each content (non-blank) line, in order."""
        return [CLASSES.index(r.label) for r in self.rows if r.label != "blank"]


def read_doc(path: Path, lang: str, group: str) -> Doc:
    """Read one tsv page."""
    return Doc(path.stem, lang, group, parse_tsv(path.read_text(encoding="utf-8"), str(path)))


# Held-out pages are numbered ``h01``-``h10`` (the first batch) and ``h11``-``h20`` (the second, written
# later by a hand with no access to the training pages); the card reports each batch on its own.
HELDOUT_BATCHES = (("h01-h10", range(1, 11)), ("h11-h20", range(11, 21)))


def heldout_batch(doc: Doc) -> str:
    """The held-out batch of a page, from the ``h<NN>`` in its name; ``other`` when there is none."""
    m = re.search(r"-h(\d+)-", doc.name)
    for name, numbers in HELDOUT_BATCHES:
        if m and int(m.group(1)) in numbers:
            return name
    return "other"


def load_team(split: str, data_dir: Path = DATA_DIR) -> list[Doc]:
    """The team's pages of one split (``train`` or ``heldout``), language from the folder name."""
    return [read_doc(p, p.parent.name, split) for p in sorted((data_dir / split).glob("*/*.tsv"))]


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> list[Doc]:
    """The seed pages with their labels."""
    return [read_doc(p, SEED_LANGS.get(p.stem[:3], "und"), "seed") for p in sorted(seeds_dir.glob("*.tsv"))]


def load_user(folder: Path) -> list[Doc]:
    """A user's corrected tsv files (any layout below ``folder``)."""
    return [read_doc(p, "und", "user") for p in sorted(Path(folder).rglob("*.tsv"))]
