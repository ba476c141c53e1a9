"""The library: ``Cleaner`` and the one-call helpers ``clean`` and ``label_lines``."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .context import BODY, context_features_pages, decide, keep_whole, revise_pages
from .features import dense_features_pages, line_keys
from .lines import NO_LINES, Line, Lines, Result
from .model import CLASSES, Model, load_model
from .postprocess import assemble_many, sentence_dense
from .segment import segment

# Pages featurized together in one batch: large enough to spread NumPy's per-call cost, small
# enough to keep a batch's arrays to a few MB.
BATCH_PAGES = 64


class Cleaner:
    """Labels the lines of scraped pages and returns their clean text.

    The model is loaded once, on first use; a ``Cleaner`` is safe to share
    between threads, and pickles to worker processes as its settings alone.

    Args:
        model: A model file path, a loaded ``Model``, or ``None`` for the shipped model.
        threshold: Minimum probability of ``body`` for a line to be kept; ``None``
            uses the model's own (tuned for body recall), which may be another for pages in
            scripts the model did not learn (``Model.fallback_threshold``).
        promo_threshold: Minimum probability for a trailing sentence of a
            paragraph to be cut as a bolted-on promo; ``None`` uses the model's own.
    """

    def __init__(
        self,
        model: str | Path | Model | None = None,
        threshold: float | None = None,
        promo_threshold: float | None = None,
    ) -> None:
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {threshold}")
        if promo_threshold is not None and not 0.0 <= promo_threshold <= 1.0:
            raise ValueError(f"promo_threshold must be within [0, 1], got {promo_threshold}")
        self._source = model if not isinstance(model, Model) else None
        self._given = isinstance(model, Model)
        self._model = model if isinstance(model, Model) else None
        self._threshold = threshold
        self._promo_threshold = promo_threshold
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k != "_lock"}
        if not self._given:
            state["_model"] = None  # reloaded from its file in the worker, not shipped as arrays
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def model(self) -> Model:
        """The model, loaded on first use."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _cached_model(self._source)
        return self._model

    @property
    def threshold(self) -> float:
        """Minimum body probability for a line to be kept."""
        return self.model.threshold if self._threshold is None else self._threshold

    @property
    def fallback_threshold(self) -> float:
        """Minimum body probability for a line of a page in scripts the model did not learn to be kept."""
        return self.model.fallback_threshold if self._threshold is None else self._threshold

    @property
    def promo_threshold(self) -> float:
        """Minimum promo probability for a trailing sentence to be cut."""
        return self.model.promo_threshold if self._promo_threshold is None else self._promo_threshold

    def _promo_scores(self, sentences: Sequence[str]) -> np.ndarray:
        """Promo probability of each sentence."""
        return self.model.promo_proba(sentence_dense(sentences), [s.strip() for s in sentences])

    def _process_batch(self, texts: Sequence[str], with_lines: bool = True,
                       whole: Sequence[bool] | None = None) -> list[Result]:
        """``process`` several texts in this process, featurizing and scoring them all at once.

        Every step but the joining of paragraphs runs on all the lines of the batch
        together, so a batch costs far less than its pages one by one. Without ``with_lines``
        the results carry the clean text alone (``lines`` empty): the callers that return text
        do not pay for a ``Line`` per input line. ``whole`` marks the texts whose lines are
        another extractor's main content: kept whole where the classifier would keep none
        (``context.keep_whole``).
        """
        pages = [segment(t) for t in texts]
        texts_per_page = [p.texts for p in pages]
        lines = [t for ts in texts_per_page for t in ts]
        sizes = [len(ts) for ts in texts_per_page]
        keys = line_keys(lines)
        dense = dense_features_pages(pages, texts_per_page, keys)
        model = self.model
        bounds = np.cumsum([0] + sizes).tolist()
        proba_all = np.zeros((len(lines), len(CLASSES)))
        threshold: float | np.ndarray = self.threshold
        # Pages mostly in scripts the model did not learn are scored by its fallback stages, which
        # read no n-grams: the n-grams of an unknown script would only fall on other text's buckets.
        unseen = model.fallback_pages(texts)
        if lines:
            first = model.line_proba(dense, lines)
            if unseen.any():
                rows = np.repeat(unseen, sizes)
                first[rows] = model.fallback_line_proba(dense[rows])
                ctx = context_features_pages(first, dense, sizes)
                proba_all = model.context_proba(ctx)
                proba_all[rows] = model.fallback_context_proba(ctx[rows])
                threshold = np.where(rows, self.fallback_threshold, self.threshold)
            else:
                proba_all = model.context_proba(context_features_pages(first, dense, sizes))
        revised = revise_pages(lines, decide(proba_all, threshold), proba_all, dense, sizes, keys)
        if whole is not None:
            revised = keep_whole(revised, sizes, whole)
        body = revised == BODY
        keeps = [body[a:b] for a, b in zip(bounds, bounds[1:])]
        if unseen.any():
            # The promo-sentence model reads n-grams too: on the fallback's pages no sentence is cut.
            flags = unseen.tolist()
            scored = iter(assemble_many([p for p, u in zip(pages, flags) if not u],
                                        [k for k, u in zip(keeps, flags) if not u], self._promo_scores,
                                        self.promo_threshold))
            plain = iter(assemble_many([p for p, u in zip(pages, flags) if u], [k for k, u in zip(keeps, flags) if u]))
            cleans = [next(plain) if u else next(scored) for u in flags]
        else:
            cleans = assemble_many(pages, keeps, self._promo_scores, self.promo_threshold)
        if not with_lines:
            return [Result(NO_LINES, clean) for clean in cleans]
        results = []
        for page, a, b, clean in zip(pages, bounds, bounds[1:], cleans):
            # The row of each line among the page's content lines; -1 for a blank line.
            rows = np.full(len(page.lines), -1, dtype=np.int64)
            rows[list(page.content)] = np.arange(b - a)
            results.append(Result(Lines(page.lines, rows, revised[a:b], proba_all[a:b]), clean))
        return results

    def process(self, text: str) -> Result:
        """Label every line of ``text`` and build its clean text.

        Args:
            text: A page as scraped, one block of text per line.

        Returns:
            The labelled lines (one per ``text.splitlines()`` item) and the clean text.
        """
        return self._process_batch([text])[0]

    def process_html(self, html: str | bytes, render: str = "trafilatura") -> Result:
        """Label the lines of an HTML page and build its clean text.

        Args:
            html: The page's HTML, as text or bytes.
            render: How the page becomes lines. ``trafilatura`` (default): its main content by
                trafilatura's default extraction, tables kept and nothing deduplicated, one line per
                paragraph, heading, list item or table row; the whole page as with ``full`` when
                trafilatura finds nothing. Where the classifier would keep none of trafilatura's
                lines, it keeps them all: trafilatura's main content stands rather than an empty
                article (``context.keep_whole``).
                ``full``: every block of text of the page, nothing pruned. See ``cleaner.html``.

        Returns:
            The labelled lines, one per rendered line in order (``number`` counts them), and
            the clean text.

        Raises:
            ValueError: ``render`` is not one of the two.
        """
        return self.process_html_many([html], render)[0]

    def clean_html(self, html: str | bytes, render: str = "trafilatura") -> str:
        """The clean article of an HTML page; see ``process_html``."""
        return self.clean_html_many([html], render)[0]

    def process_html_many(self, pages: Sequence[str | bytes], render: str = "trafilatura",
                          n_jobs: int = 1) -> list[Result]:
        """``process_html`` every page, spread over ``n_jobs`` worker processes; results in input order.

        Each page is rendered on its own, then the lines of many pages are scored together,
        which costs far less than scoring them page by page; the results are the same.

        Args:
            pages: HTML pages, as text or bytes.
            render: ``trafilatura`` or ``full``; see ``process_html``.
            n_jobs: Worker processes (1: in this process; -1: one per core).

        Raises:
            ValueError: ``render`` is not one of the two.
        """
        return [_rendered(r) for r in self._html_batches(pages, render, n_jobs, with_lines=True)]

    def clean_html_many(self, pages: Sequence[str | bytes], render: str = "trafilatura",
                        n_jobs: int = 1) -> list[str]:
        """The clean article of every HTML page; see ``process_html_many``."""
        return [r.text for r in self._html_batches(pages, render, n_jobs, with_lines=False)]

    def _html_batches(self, pages: Sequence[str | bytes], render: str, n_jobs: int,
                      with_lines: bool) -> list[Result]:
        """Render and score ``pages`` a batch at a time, here or in worker processes."""
        from .html import RENDERS

        if render not in RENDERS:
            raise ValueError(f"render must be one of {', '.join(RENDERS)}, got {render!r}")
        return self._spread(pages, n_jobs, _html_chunk, render, with_lines)

    def _spread(self, items: Sequence[Any], n_jobs: int, task: Callable[..., list[Result]], *args: Any) -> list[Result]:
        """``task(self, chunk, *args)`` over chunks of ``items``: here a batch at a time, or in worker processes.

        Results come back in input order.
        """
        if n_jobs == 1 or len(items) < 2:
            return [r for i in range(0, len(items), BATCH_PAGES) for r in task(self, items[i : i + BATCH_PAGES], *args)]
        from joblib import Parallel, delayed  # only batches need it

        # Chunks of pages per task: the cleaner (a few hundred bytes) travels once per chunk.
        size = max(1, min(BATCH_PAGES, len(items) // (4 * max(n_jobs, 1)) or 1))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        done = Parallel(n_jobs=n_jobs)(delayed(task)(self, c, *args) for c in chunks)
        return [r for chunk in done for r in chunk]

    def process_many(self, texts: Sequence[str], n_jobs: int = 1) -> list[Result]:
        """``process`` every text, spread over ``n_jobs`` worker processes; results in input order.

        Args:
            texts: Pages as scraped.
            n_jobs: Worker processes (1: in this process; -1: one per core).
        """
        return self._spread(texts, n_jobs, _text_chunk, True)

    def clean_many(self, texts: Sequence[str], n_jobs: int = 1) -> list[str]:
        """The clean text of every page; see ``process_many``."""
        return [r.text for r in self._spread(texts, n_jobs, _text_chunk, False)]

    def _clean_rendered(self, texts: Sequence[str], whole: Sequence[bool], n_jobs: int = 1) -> list[str]:
        """``clean_html_many`` of pages already rendered (``html.render_page``): their texts and marks."""
        return [r.text for r in self._spread(list(zip(texts, whole)), n_jobs, _rendered_chunk, False)]

    def label_lines(self, text: str) -> list[Line]:
        """Label every line of ``text``; see ``process``."""
        return list(self.process(text).lines)

    def clean(self, text: str) -> str:
        """The clean article of ``text``; see ``process``."""
        return self._process_batch([text], with_lines=False)[0].text


_MODELS: dict[tuple[str, int, int], Model] = {}
_MODELS_LOCK = threading.Lock()


def _cached_model(source: str | Path | None) -> Model:
    """The model at ``source`` (``None``: the shipped one), loaded once per process.

    Cleaners unpickled in a worker process, one per task, then share one copy
    instead of each reading the file again. A path is keyed by its size and
    modification time too, so a file rewritten in place is read afresh.
    """
    if source is None:
        key = ("", 0, 0)
    else:
        try:
            st = Path(source).stat()
        except OSError:
            return load_model(source)  # load_model words the error
        key = (str(Path(source).resolve()), st.st_size, st.st_mtime_ns)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = load_model(source)
    return model


def _text_chunk(cleaner: Cleaner, texts: Sequence[str], with_lines: bool) -> list[Result]:
    """Score a chunk of pages together (also a worker task)."""
    return cleaner._process_batch(texts, with_lines=with_lines)


def _html_chunk(cleaner: Cleaner, pages: Sequence[str | bytes], render: str, with_lines: bool) -> list[Result]:
    """Render a chunk of HTML pages and score their lines together (also a worker task)."""
    from .html import render_page

    return _rendered_chunk(cleaner, [render_page(p, render) for p in pages], with_lines)


def _rendered_chunk(cleaner: Cleaner, pages: Sequence[tuple[str, bool]], with_lines: bool) -> list[Result]:
    """Score a chunk of rendered pages, ``(text, whole)`` each, together (also a worker task)."""
    return cleaner._process_batch([t for t, _ in pages], with_lines=with_lines, whole=[w for _, w in pages])


def _rendered(result: Result) -> Result:
    """A rendered page's result with its rendered lines alone, numbered afresh.

    The rendering separates trafilatura's paragraphs with blank lines for the classifier;
    the caller gets the rendered lines alone.
    """
    return Result(result.lines.without_blanks(), result.text)


_DEFAULT: Cleaner | None = None
_DEFAULT_LOCK = threading.Lock()


def _default() -> Cleaner:
    """The shared ``Cleaner`` with the shipped model."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Cleaner()
    return _DEFAULT


def clean(text: str) -> str:
    """Return the article in ``text`` with navigation, paywall notices and ads removed.

    Args:
        text: A page as scraped.

    Returns:
        The clean article text.
    """
    return _default().clean(text)


def clean_html(html: str | bytes, render: str = "trafilatura") -> str:
    """Return the article of an HTML page with navigation, paywall notices and ads removed.

    Args:
        html: The page's HTML, as text or bytes.
        render: ``trafilatura`` (default: its main content by trafilatura's default extraction,
            tables kept, then the classifier) or ``full`` (every block of text of the page, then the
            classifier); see ``Cleaner.process_html``.

    Returns:
        The clean article text.
    """
    return _default().clean_html(html, render)


def label_lines(text: str) -> list[Line]:
    """Label every line of ``text`` as body, nav, paywall, ad or blank.

    Args:
        text: A page as scraped.

    Returns:
        One ``Line`` per ``text.splitlines()`` item.
    """
    return _default().label_lines(text)
