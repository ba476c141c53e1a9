"""Ordered, memory-bounded batch work over worker processes.

A stream of items is cut into chunks; with ``n_jobs=N`` this process and N - 1 worker
processes clean them, and results come back in input order.
A chunk is cleaned in one call, so the cleaner can score its pages together.
At most a few chunks per worker are in flight at any time, so memory depends on
the chunk size, never on the length of the stream. Each worker process keeps the
cleaner it was sent, so a model is loaded once per worker, not once per chunk.
"""

from __future__ import annotations

import os
import pickle
from collections import deque
from concurrent.futures import Future
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from .api import Cleaner, Result, _default
from .errors import ModelError

T = TypeVar("T")
R = TypeVar("R")

# Records per chunk: large enough that shipping a chunk costs little next to cleaning it and
# that the cleaner scores many pages per call, small enough that a chunk of large HTML pages
# stays a few MB.
CHUNK_SIZE = 64
# Chunks in flight per worker: one being cleaned and one queued, so no worker waits for work.
CHUNKS_PER_WORKER = 2
# Chunks this process may clean ahead of the oldest worker chunk not back yet: enough to keep it busy while a worker starts (a fresh interpreter, the imports, the model),
# few enough that the results it holds stay small.
SHARE_AHEAD = 4

# Cleaners a worker process has already unpickled, by their pickled settings: the model
# is loaded once per process. A handful of distinct settings at most in practice.
_CLEANERS: dict[bytes, Cleaner] = {}


def default_cleaner() -> Cleaner:
    """The shared cleaner with the shipped model, the one ``cleaner.clean`` uses."""
    return _default()


def cached_cleaner(key: bytes) -> Cleaner:
    """The cleaner pickled as ``key``, unpickled once per process and kept."""
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        cleaner = _CLEANERS[key] = pickle.loads(key)
    return cleaner


def cleaner_key(cleaner: Cleaner) -> bytes:
    """The pickled settings of ``cleaner``: what a worker needs to rebuild it."""
    return pickle.dumps(cleaner, protocol=pickle.HIGHEST_PROTOCOL)


def _run_chunk(func: Callable[[Cleaner, list[T]], list[R]], key: bytes, items: list[T]) -> list[R]:
    """Worker task: apply ``func`` to a chunk with the worker's cached cleaner."""
    return func(cached_cleaner(key), items)


def workers(n_jobs: int) -> int:
    """The number of worker processes ``n_jobs`` asks for (-1: one per core)."""
    if n_jobs == -1 or n_jobs == 0:
        return os.cpu_count() or 1
    if n_jobs < -1:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return n_jobs


def ordered_map(
    func: Callable[[Cleaner, list[T]], list[R]],
    items: Iterable[T],
    cleaner: Cleaner,
    n_jobs: int = 1,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[R]:
    """Apply ``func(cleaner, chunk)`` to successive chunks of ``items``, yielding results in input order.

    Args:
        func: A module-level function (it is pickled to the workers) that returns one
            result per item of the chunk it is given, in order.
        items: The stream of items; read lazily, a chunk at a time.
        cleaner: The cleaner to use; workers receive its settings and load the model themselves.
        n_jobs: Worker processes (1: in this process; -1: one per core).
        chunk_size: Items per chunk.

    Yields:
        ``func``'s result for each item, in the order of ``items``.
    """
    n = workers(n_jobs)
    it = iter(items)
    if n == 1:
        while chunk := list(islice(it, chunk_size)):
            yield from func(cleaner, chunk)
        return
    key = cleaner_key(cleaner)
    # Spawned workers: forking a parent that may hold threads (a progress thread, a notebook
    # kernel) can deadlock, and a spawned worker imports only NumPy and the cleaner. Imported
    # here: a single input (the command's usual run) never starts a worker.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # This process is one of the ``n_jobs``: it starts one worker fewer and cleans the next chunk
    # itself whenever the oldest chunk in flight is not back yet. That saves starting a worker (the
    # interpreter, the imports, the model), and this process, which has them all, works instead of waiting.
    n_pool = n - 1
    ahead = n_pool * CHUNKS_PER_WORKER + SHARE_AHEAD
    # In input order: a worker's chunk as a future, or the results of one cleaned here.
    pending: deque[Future[list[R]] | list[R]] = deque()
    pool = ProcessPoolExecutor(max_workers=n_pool, mp_context=multiprocessing.get_context("spawn"))
    try:

        def submit() -> bool:
            chunk = list(islice(it, chunk_size))
            if chunk:
                pending.append(pool.submit(_run_chunk, func, key, chunk))
            return bool(chunk)

        for _ in range(n_pool * CHUNKS_PER_WORKER):
            if not submit():
                break
        while pending:
            head = pending[0]
            # Clean the next chunk here while the workers are busy, at most a few chunks ahead
            # of the oldest one so that memory stays bounded.
            if isinstance(head, Future) and not head.done() and len(pending) < ahead:
                chunk = list(islice(it, chunk_size))
                if chunk:
                    pending.append(func(cleaner, chunk))
                    continue
            pending.popleft()
            done = head.result() if isinstance(head, Future) else head
            if isinstance(head, Future):
                submit()  # keep the workers busy while the finished chunk is consumed
            yield from done
    finally:
        # A consumer that stops early (an error, a closed pipe) does not wait for queued chunks.
        pool.shutdown(wait=True, cancel_futures=True)


def process_each(cleaner: Cleaner, values: list[str], html: bool) -> list[Result | Exception]:
    """Clean several pages, scored together where the cleaner can; a page's failure is its own.

    The pages are scored as one batch; when that raises, they are cleaned one by one, so
    that the page at fault gets its exception and the others their results.

    Args:
        cleaner: The cleaner.
        values: The pages: HTML when ``html``, else scraped text.
        html: Whether the pages are HTML.

    Returns:
        One ``Result``, or the exception its page raised, per page, in order.

    Raises:
        ModelError: The model file was refused.
    """
    if len(values) > 1:
        try:
            return list(cleaner.process_html_many(values) if html else cleaner.process_many(values))
        except ModelError:
            raise
        except Exception:  # noqa: S110 - one bad page: clean them one by one to find it
            pass
    out: list[Result | Exception] = []
    for value in values:
        try:
            out.append(cleaner.process_html(value) if html else cleaner.process(value))
        except ModelError:
            raise
        except Exception as exc:  # one bad page must not stop a multi-GB batch
            out.append(exc)
    return out
