"""JSONL batches: one JSON record per line in, the same records with clean text out.

Each record's text field (or HTML field) is cleaned and the clean text written
back into the record; every other field passes through. Records keep their
order, and a record that cannot be cleaned is written back with an ``error``
field, never dropped. Input is read a line at a time, so memory stays flat
whatever the size of the file.

In a program::

    from cleaner.jsonl import RecordOptions, clean_jsonl, open_input

    with open_input("pages.jsonl.gz") as f:
        for outcome in clean_jsonl(f, options=RecordOptions(labels=True), n_jobs=2):
            sink.write(outcome.line)
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from .api import Cleaner, Result
from .lines import BLANK
from .batch import CHUNK_SIZE, default_cleaner, ordered_map, process_each
from .decoding import MAX_BYTES
from .errors import CleanerError, ReadError
from .stats import REMOVED_CLASSES, Outcome

ERROR_FIELD = "error"
# Characters of an invalid line kept in its error record when the line is over the size limit.
RAW_KEEP = 1000
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class RecordOptions:
    """Which fields of a record to read and write.

    Attributes:
        text_field: The field holding the page as scraped text.
        html_field: If set, the field holding the page's HTML, cleaned instead of ``text_field``.
        output_field: Where the clean text goes; ``None``: ``text_field`` (replacing the page text).
        labels: Also write ``labels`` (one per line of the page) and ``removed``
            (lines removed per class); for HTML, ``lines`` too (the page's text lines).
        max_bytes: Refuse a record longer than this.
    """

    text_field: str = "text"
    html_field: str | None = None
    output_field: str | None = None
    labels: bool = False
    max_bytes: int = MAX_BYTES

    @property
    def source(self) -> str:
        """The field that is cleaned."""
        return self.html_field or self.text_field

    @property
    def target(self) -> str:
        """The field the clean text is written to."""
        return self.output_field or self.text_field


class RecordError(CleanerError):
    """A record cannot be cleaned: not JSON, not an object, or its field missing or not text."""

    exit_code = 5


def dump(record: Any) -> bytes:
    """One JSONL line: ``record`` as compact JSON, UTF-8, ending in a newline."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A lone surrogate (valid in a JSON string escape, not in UTF-8): escape everything instead.
        return json.dumps(record, separators=(",", ":")).encode("ascii") + b"\n"


def result_fields(result: Result, labels: bool, html: bool) -> tuple[dict[str, Any], int, tuple[int, ...]]:
    """The fields ``--labels`` adds for a cleaned page, its non-blank line count and lines removed per class."""
    counts = dict.fromkeys(REMOVED_CLASSES, 0)
    names = result.lines.labels
    lines = 0
    for label in names:
        if label != BLANK:
            lines += 1
            if label in counts:
                counts[label] += 1
    fields: dict[str, Any] = {}
    if labels:
        fields["labels"] = names
        fields["removed"] = counts
        if html:
            fields["lines"] = result.lines.texts  # the page text the labels refer to
    return fields, lines, tuple(counts.values())


def clean_record(record: dict[str, Any], cleaner: Cleaner | None = None,
                 options: RecordOptions = RecordOptions()) -> dict[str, Any]:
    """Clean one parsed record.

    Args:
        record: A JSON object.
        cleaner: The cleaner; ``None`` for the shipped model.
        options: The fields to read and write.

    Returns:
        A new record: ``record`` with the clean text in ``options.target`` (and the
        label fields when asked for).

    Raises:
        RecordError: The field is missing or not a string, or the record is too large.
    """
    value = _source_value(record, options)
    result = process_each(cleaner or default_cleaner(), [value], options.html_field is not None)[0]
    if isinstance(result, Exception):
        raise result
    return _with_result(record, result, options)[0]


def _source_value(record: dict[str, Any], options: RecordOptions) -> str:
    """The text to clean in ``record``, or a ``RecordError`` saying why there is none."""
    name = options.source
    if name not in record:
        raise RecordError(f"field {name!r} is missing")
    value = record[name]
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} is not a string but {_json_type(value)}")
    if len(value) > options.max_bytes:
        raise RecordError(f"field {name!r} exceeds the size limit of {options.max_bytes} bytes")
    return value


def _with_result(record: dict[str, Any], result: Result,
                 options: RecordOptions) -> tuple[dict[str, Any], int, tuple[int, ...]]:
    """``record`` with its clean text (and labels), its non-blank line count and lines removed per class."""
    fields, lines, removed = result_fields(result, options.labels, options.html_field is not None)
    out = dict(record)
    out[options.target] = result.text
    out.update(fields)
    return out, lines, removed


def _json_type(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _raw_error(number: int, raw: bytes, message: str) -> dict[str, Any]:
    """The error record for a line that is no JSON object: the message, the line number and the line."""
    text = raw.rstrip(b"\r\n").decode("utf-8", "backslashreplace")
    return {ERROR_FIELD: message, "line": number, "raw": text}


def clean_line(options: RecordOptions, cleaner: Cleaner, item: tuple[int, bytes]) -> Outcome:
    """Clean one JSONL line; never raises for a bad record (see ``clean_jsonl``).

    Args:
        options: The fields to read and write.
        cleaner: The cleaner.
        item: The 1-based line number and the line's bytes.

    Returns:
        The outcome: the output line and what cleaning did.
    """
    return clean_chunk(options, cleaner, [item])[0]


def clean_chunk(options: RecordOptions, cleaner: Cleaner, items: list[tuple[int, bytes]]) -> list[Outcome]:
    """Clean a chunk of JSONL lines, the pages scored together; one outcome per line, in order.

    Args:
        options: The fields to read and write.
        cleaner: The cleaner.
        items: 1-based line numbers and the lines' bytes.

    Returns:
        One outcome per line; a bad record's outcome carries its error record.
    """
    outcomes: list[Outcome | None] = []
    todo: list[tuple[int, dict[str, Any], str, int]] = []  # (position, record, page, size)
    for number, raw in items:
        size = len(raw)
        if size > options.max_bytes:
            message = f"record exceeds the size limit of {options.max_bytes} bytes"
            outcomes.append(Outcome(dump(_raw_error(number, raw[:RAW_KEEP], message)), False, size=size))
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError for bytes that are no UTF-8
            outcomes.append(Outcome(dump(_raw_error(number, raw, f"invalid JSON: {exc}")), False, size=size))
            continue
        if not isinstance(record, dict):
            message = f"not a JSON object but {_json_type(record)}"
            outcomes.append(Outcome(dump(_raw_error(number, raw, message)), False, size=size))
            continue
        try:
            value = _source_value(record, options)
        except RecordError as exc:
            outcomes.append(Outcome(dump({**record, ERROR_FIELD: str(exc)}), False, size=size))
            continue
        todo.append((len(outcomes), record, value, size))
        outcomes.append(None)
    results = process_each(cleaner, [t[2] for t in todo], options.html_field is not None)
    for (pos, record, _, size), result in zip(todo, results):
        if isinstance(result, Exception):
            message = f"internal error: {type(result).__name__}: {result}"
            outcomes[pos] = Outcome(dump({**record, ERROR_FIELD: message}), False, size=size)
        else:
            out, lines, removed = _with_result(record, result, options)
            outcomes[pos] = Outcome(dump(out), True, lines, removed, size)
    return outcomes  # type: ignore[return-value]


def read_lines(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSONL stream with their 1-based line numbers.

    A line longer than ``max_bytes`` is cut to ``max_bytes + 1`` bytes (the rest is
    skipped unread into memory), which marks it as over the limit.
    """
    number = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        if raw.strip():
            yield number, raw


def clean_jsonl(lines: Iterable[bytes | str] | BinaryIO, cleaner: Cleaner | None = None,
                options: RecordOptions = RecordOptions(), n_jobs: int = 1,
                chunk_size: int = CHUNK_SIZE) -> Iterator[Outcome]:
    """Clean a stream of JSONL lines, one outcome per record, in input order.

    A line that is not valid JSON or not an object becomes
    ``{"error": ..., "line": <line number>, "raw": <the line>}``; a record whose field
    is missing, not a string or too large is written back as it was plus an
    ``error`` field. Blank lines are skipped.

    Args:
        lines: A binary stream opened on a JSONL file (see ``open_input``), or any iterable of lines.
        cleaner: The cleaner; ``None`` for the shipped model.
        options: The fields to read and write.
        n_jobs: Worker processes (1: this process; -1: one per core).
        chunk_size: Records per chunk sent to a worker.

    Yields:
        One ``Outcome`` per record; ``outcome.line`` is the output line.

    Raises:
        ModelError: The model file was refused.
    """
    cleaner = cleaner or default_cleaner()
    cleaner.model  # a bad model file is one error up front, not one per record
    if hasattr(lines, "readline"):
        numbered: Iterable[tuple[int, bytes]] = read_lines(lines, options.max_bytes)  # type: ignore[arg-type]
    else:
        numbered = ((i, ln.encode("utf-8") if isinstance(ln, str) else ln)
                    for i, ln in enumerate(lines, 1) if ln.strip())
    yield from ordered_map(partial(clean_chunk, options), numbered, cleaner, n_jobs, chunk_size)


def clean_records(records: Iterable[dict[str, Any]], cleaner: Cleaner | None = None,
                  options: RecordOptions = RecordOptions(), chunk_size: int = CHUNK_SIZE) -> Iterator[dict[str, Any]]:
    """Clean parsed records in this process, in order; a bad record comes back with an ``error`` field.

    Args:
        records: JSON objects.
        cleaner: The cleaner; ``None`` for the shipped model.
        options: The fields to read and write.
        chunk_size: Records scored together.

    Yields:
        One new record per input record.
    """
    cleaner = cleaner or default_cleaner()
    it = iter(records)
    while chunk := list(islice(it, chunk_size)):
        out: list[dict[str, Any] | None] = []
        todo: list[tuple[int, dict[str, Any], str]] = []
        for record in chunk:
            try:
                todo.append((len(out), record, _source_value(record, options)))
                out.append(None)
            except RecordError as exc:
                out.append({**record, ERROR_FIELD: str(exc)})
        results = process_each(cleaner, [t[2] for t in todo], options.html_field is not None)
        for (pos, record, _), result in zip(todo, results):
            if isinstance(result, Exception):
                out[pos] = {**record, ERROR_FIELD: f"internal error: {type(result).__name__}: {result}"}
            else:
                out[pos] = _with_result(record, result, options)[0]
        yield from out  # type: ignore[misc]


class _Counting(io.RawIOBase):
    """A read-only stream that counts the bytes read through it (for progress on compressed input)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        """Always: the stream is for reading."""
        return True

    def readinto(self, b: Any) -> int:
        """Read into ``b`` from the wrapped stream, counting the bytes."""
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        return n


class Input:
    """An opened batch input: a binary stream of its (decompressed) bytes.

    Attributes:
        stream: Read the records from here.
        total: Bytes of the file on disk, ``None`` for standard input.
    """

    def __init__(self, raw: BinaryIO, total: int | None, close: bool) -> None:
        self._counter = _Counting(raw)
        self._raw = raw
        self._close = close
        buffered = io.BufferedReader(self._counter, 1 << 16)
        self.stream: BinaryIO = (gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
                                 if buffered.peek(2)[:2] == _GZIP_MAGIC else buffered)
        self.total = total

    def position(self) -> int:
        """Bytes of the file read so far (compressed bytes for gzip input)."""
        return self._counter.count

    def __enter__(self) -> BinaryIO:
        """The stream to read the records from."""
        return self.stream

    def __exit__(self, *exc: object) -> None:
        """Close the file."""
        self.close()

    def close(self) -> None:
        """Close the file (never standard input)."""
        if self._close:
            self._raw.close()


def open_input(name: str, stdin: BinaryIO | None = None) -> Input:
    """Open a batch input for reading, gzip or not (told from its first bytes).

    Args:
        name: A path, or ``-`` for standard input.
        stdin: The stream ``-`` stands for; default ``sys.stdin.buffer``.

    Raises:
        ReadError: The file cannot be opened.
    """
    if name == "-":
        return Input(stdin if stdin is not None else sys.stdin.buffer, None, close=False)
    try:
        f = open(name, "rb")  # noqa: SIM115 - closed by Input
        total = os.fstat(f.fileno()).st_size
    except OSError as exc:
        raise ReadError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return Input(f, total, close=True)


@contextmanager
def open_output(name: str | None, stdout: BinaryIO | None = None) -> Iterator[BinaryIO]:
    """A binary stream to write a batch's output to.

    A file is written under a temporary name and renamed when the batch is done, so
    a reader never sees half an output; a name ending in ``.gz`` is gzip-compressed.

    Args:
        name: A path; ``None`` or ``-``: standard output.
        stdout: The stream standard output stands for; default ``sys.stdout.buffer``.
    """
    if name is None or name == "-":
        out = stdout if stdout is not None else sys.stdout.buffer
        yield out
        out.flush()
        return
    path = Path(name)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if path.name.endswith(".gz"):
                # Level 6: most of level 9's ratio at a fraction of its time on a multi-GB output.
                with gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=f, compresslevel=6) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
