"""FILE inputs of the command: read, decode, clean and render them, a task of several at a time.

A task runs in the command's process or in a worker process (``cleaner.batch.ordered_map``);
the text inputs of a task are scored together, and an input that cannot be read or cleaned
is an outcome of its own that never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .api import Cleaner
from .batch import process_each, workers
from .decoding import MAX_BYTES, decode
from .errors import CleanerError, ModelError, ReadError
from .html import looks_like_html
from .output import render

T = TypeVar("T")

# Inputs per task: enough that the cleaner scores several pages in one call (the gain of scoring
# pages together levels off at about eight small pages), few enough that a task is short.
FILES_PER_TASK = 8
# Over several processes, tasks shrink once fewer than this many per process are left: a task
# handed to a worker cannot be taken back, so the last ones are small and all processes finish
# together instead of one waiting for another's last full task.
TAIL_TASKS_PER_JOB = 4

# One input's outcome: its name, its rendering (None on failure), the exit code and the error message.
FileOutcome = tuple[str, str | None, int, str]


@dataclass(frozen=True, slots=True)
class FileOptions:
    """How the FILE inputs are read and rendered: the options every task needs.

    Attributes:
        fmt: Output format (``text``, ``tsv`` or ``json``).
        encoding: Decode inputs with this encoding instead of guessing.
        max_bytes: Refuse an input larger than this.
        debug: Let an unexpected error raise instead of reporting it as one line.
        kind: ``auto``, ``text`` or ``html``.
    """

    fmt: str = "text"
    encoding: str | None = None
    max_bytes: int = MAX_BYTES
    debug: bool = False
    kind: str = "auto"


def _failure(name: str, exc: Exception, debug: bool) -> FileOutcome:
    """The outcome of an input whose reading or cleaning raised ``exc``."""
    if isinstance(exc, ModelError):
        raise exc
    if isinstance(exc, CleanerError):
        return name, None, exc.exit_code, str(exc)
    if debug:
        raise exc
    return name, None, 1, f"{name}: internal error: {type(exc).__name__}: {exc}"


def run_files(options: FileOptions, cleaner: Cleaner, items: list[tuple[str, bytes | None]]) -> list[FileOutcome]:
    """Read, clean and render a chunk of inputs, in this process or in a worker.

    The text inputs of the chunk are scored together, and so are its HTML pages once rendered;
    an input that cannot be read or cleaned is an outcome of its own and never stops the others.

    Args:
        options: How inputs are read and rendered.
        cleaner: The cleaner.
        items: ``(name, data)`` pairs; ``data`` is the input itself (standard input) or
            ``None`` to read the file ``name``.

    Returns:
        One ``(name, rendering or None, exit code, error message)`` per item, in order.

    Raises:
        ModelError: The model file was refused.
    """
    out: list[FileOutcome | None] = []
    # Position, name and text of the inputs of each kind: scraped text, and HTML pages.
    kinds: dict[bool, list[tuple[int, str, str]]] = {False: [], True: []}
    for name, data in items:
        try:
            text = decode(_read(name) if data is None else data, options.encoding, name, options.max_bytes)
        except Exception as exc:  # one unreadable input must not stop the others
            out.append(_failure(name, exc, options.debug))
            continue
        html = options.kind == "html" or options.kind == "auto" and looks_like_html(text)
        kinds[html].append((len(out), name, text))
        out.append(None)
    for html, inputs in kinds.items():
        for (pos, name, _), result in zip(inputs, process_each(cleaner, [t for _, _, t in inputs], html)):
            if isinstance(result, Exception):
                out[pos] = _failure(name, result, options.debug)
                continue
            try:
                out[pos] = name, render(result, options.fmt, name), 0, ""
            except Exception as exc:
                out[pos] = _failure(name, exc, options.debug)
    return out  # type: ignore[return-value]


def run_tasks(options: FileOptions, cleaner: Cleaner,
              tasks: list[list[tuple[str, bytes | None]]]) -> list[list[FileOutcome]]:
    """``run_files`` on each of several tasks: a unit of work of ``ordered_map`` that is a list of tasks."""
    return [run_files(options, cleaner, task) for task in tasks]


def file_tasks(items: list[T], jobs: int) -> list[list[T]]:
    """``items`` cut into tasks of ``FILES_PER_TASK``, smaller towards the end when several processes share them."""
    n = workers(jobs)
    tasks: list[list[T]] = []
    at = 0
    while at < len(items):
        size = FILES_PER_TASK
        if n > 1:
            size = max(1, min(size, (len(items) - at) // (TAIL_TASKS_PER_JOB * n)))
        tasks.append(items[at : at + size])
        at += size
    return tasks


def _read(name: str) -> bytes:
    """The bytes of a file."""
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise ReadError(f"{name}: cannot read: {exc.strerror or exc}") from exc
