"""datatrove: a formatter step that cleans ``Document.text`` in a pipeline.

Needs the ``datatrove`` extra (``pip install "clean-article[datatrove]"``), which
installs datatrove's core only. The step pickles as its settings; each worker
loads the model on its first document.

Example::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import ArticleCleaner

    LocalPipelineExecutor(
        [JsonlReader("pages/"), ArticleCleaner(), JsonlWriter("clean/")],
        tasks=8, logging_dir="logs/",
    ).run()
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter

from ..api import Cleaner
from ..batch import CHUNK_SIZE
from ..jsonl import result_fields
from ..stats import REMOVED_CLASSES


class ArticleCleaner(BaseFormatter):
    """Replace each document's text with its clean article.

    Counts the lines removed per class in the step's stats (``lines_removed_nav``,
    ``lines_removed_paywall``, ``lines_removed_ad``, and ``lines`` in all).

    Args:
        model: A model file path; ``None`` for the shipped model.
        threshold: Minimum body probability to keep a line; ``None`` for the model's own.
        html: Whether ``Document.text`` holds HTML pages rather than scraped text.
        labels: Also store each line's label in ``metadata["labels"]`` and the removed
            counts in ``metadata["removed"]``.
    """

    name = "🧹 clean-article"

    def __init__(self, model: str | Path | None = None, threshold: float | None = None,
                 html: bool = False, labels: bool = False) -> None:
        super().__init__()
        self.cleaner = Cleaner(model=model, threshold=threshold)  # lazy: the model loads in the worker
        self.html = html
        self.labels = labels

    def format(self, text: str) -> str:
        """The clean article of ``text``."""
        return self.cleaner.clean_html(text) if self.html else self.cleaner.clean(text)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """Clean every document of the stream, a chunk at a time, counting what was removed."""
        it = iter(data or ())
        while chunk := list(islice(it, CHUNK_SIZE)):
            with self.track_time(unit="batch"):
                texts = [doc.text for doc in chunk]
                if self.html:
                    results = [self.cleaner.process_html(t) for t in texts]
                else:
                    results = self.cleaner.process_many(texts)  # scored together: cheaper than one by one
            for doc, result in zip(chunk, results):
                self.stat_update("total")
                fields, lines, removed = result_fields(result, self.labels, self.html)
                doc.text = result.text
                doc.metadata.update(fields)
                self.stat_update("lines", value=lines)
                for name, n in zip(REMOVED_CLASSES, removed):
                    self.stat_update(f"lines_removed_{name}", value=n)
                yield doc
