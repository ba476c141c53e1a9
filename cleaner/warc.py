"""WARC input: the HTML pages of a crawl, cleaned to JSONL records.

Reads WARC files (plain or gzip, as crawlers write them) with warcio, the
``warc`` extra: ``pip install "clean-article[warc]"``. Only HTML responses (and
HTML resource records) are cleaned; requests, metadata, redirects, revisits and
non-HTML payloads are skipped. Each page becomes one record::

    {"url": ..., "date": ..., "record_id": ..., "text": <clean text>}

plus ``labels``, ``lines`` and ``removed`` with ``labels=True``. A page that cannot
be cleaned is written with an ``error`` field instead of ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO, Iterator

from .api import Cleaner, Result
from .batch import CHUNK_SIZE, default_cleaner, ordered_map, process_each
from .decoding import MAX_BYTES, decode
from .errors import CleanerError, InputError
from .jsonl import ERROR_FIELD, dump, result_fields
from .stats import Outcome

HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b"
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML page read from a WARC file.

    Attributes:
        url: ``WARC-Target-URI``.
        date: ``WARC-Date``.
        record_id: ``WARC-Record-ID``.
        html: The payload, with HTTP transfer and content encodings undone.
        charset: The charset named by the ``Content-Type`` header, if any.
    """

    url: str | None
    date: str | None
    record_id: str | None
    html: bytes
    charset: str | None = None


def _html_type(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` header names an HTML document."""
    return bool(content_type) and content_type.split(";", 1)[0].strip().lower() in HTML_TYPES  # type: ignore[union-attr]


def read_warc(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> Iterator[WarcPage]:
    """The HTML pages of a WARC stream, in file order.

    Args:
        stream: A binary stream of a WARC file, gzip-compressed per record or not.
        max_bytes: Payloads larger than this are cut to ``max_bytes + 1`` bytes (marking them too large).

    Yields:
        One ``WarcPage`` per HTML response with a 2xx status, and per HTML resource record.

    Raises:
        InputError: The stream is not a WARC file, or is corrupt past the records already yielded.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InputError('WARC input needs warcio: pip install "clean-article[warc]"') from exc
    head = stream.peek(5)[:5] if hasattr(stream, "peek") else b""
    if head and not head.startswith((b"WARC/", _GZIP_MAGIC)):
        # warcio would read such bytes as a legacy ARC file, record after bogus record.
        raise InputError("not a readable WARC file: it does not start with a WARC/ header")
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                http = record.http_headers
                if http is None or not _html_type(http.get_header("Content-Type")):
                    continue
                status = http.get_statuscode()
                if not (status and status.startswith("2")):
                    continue  # redirects and error pages are not articles
                content_type = http.get_header("Content-Type")
            elif record.rec_type == "resource":
                content_type = record.rec_headers.get_header("Content-Type")
                if not _html_type(content_type):
                    continue
            else:
                continue
            headers = record.rec_headers
            match = _CHARSET.search(content_type or "")
            yield WarcPage(
                url=headers.get_header("WARC-Target-URI"),
                date=headers.get_header("WARC-Date"),
                record_id=headers.get_header("WARC-Record-ID"),
                html=record.content_stream().read(max_bytes + 1),
                charset=match.group(1) if match else None,
            )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        raise InputError(f"not a readable WARC file: {exc}") from exc


def _decode_page(page: WarcPage, max_bytes: int) -> str:
    """The page's HTML as text: its declared charset if that decodes it, else the usual detection."""
    if page.charset:
        try:
            return page.html.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset header is common: fall back to detection
    return decode(page.html, name=page.url or "<record>", max_bytes=max_bytes)


def clean_page(labels: bool, max_bytes: int, cleaner: Cleaner, page: WarcPage) -> Outcome:
    """Clean one WARC page into an output record; never raises for a bad page.

    Args:
        labels: Add ``labels``, ``lines`` and ``removed`` to the record.
        max_bytes: Refuse a payload larger than this.
        cleaner: The cleaner.
        page: The page.

    Raises:
        ModelError: The model file was refused.
    """
    return _clean_pages(labels, max_bytes, cleaner, [page])[0]


def _payload(page: WarcPage, max_bytes: int) -> str:
    """The page's HTML as text, refused when larger than ``max_bytes``."""
    if len(page.html) > max_bytes:
        raise InputError(f"payload exceeds the size limit of {max_bytes} bytes")
    return _decode_page(page, max_bytes)


def _record(page: WarcPage) -> dict[str, Any]:
    """The fields of an output record that name its page."""
    return {"url": page.url, "date": page.date, "record_id": page.record_id}


def _failed(page: WarcPage, exc: Exception) -> Outcome:
    """The outcome of a page that could not be cleaned: its record with the error."""
    message = str(exc) if isinstance(exc, CleanerError) else f"internal error: {type(exc).__name__}: {exc}"
    return Outcome(dump({**_record(page), ERROR_FIELD: message}), False, size=len(page.html))


def _cleaned(page: WarcPage, result: Result, labels: bool) -> Outcome:
    """The outcome of a cleaned page: its record with the clean text (and labels)."""
    record = _record(page)
    fields, lines, removed = result_fields(result, labels, html=True)
    record["text"] = result.text
    record.update(fields)
    return Outcome(dump(record), True, lines, removed, len(page.html))


def clean_warc(stream: BinaryIO, cleaner: Cleaner | None = None, labels: bool = False,
               n_jobs: int = 1, max_bytes: int = MAX_BYTES, chunk_size: int = CHUNK_SIZE) -> Iterator[Outcome]:
    """Clean the HTML pages of a WARC stream, one outcome per page, in file order.

    Args:
        stream: A binary stream of a WARC file.
        cleaner: The cleaner; ``None`` for the shipped model.
        labels: Add ``labels``, ``lines`` and ``removed`` to each record.
        n_jobs: Worker processes (1: this process; -1: one per core).
        max_bytes: Refuse a payload larger than this.
        chunk_size: Pages per chunk sent to a worker.

    Yields:
        One ``Outcome`` per HTML page; ``outcome.line`` is its JSONL record.

    Raises:
        ModelError: The model file was refused.
        InputError: The stream is not a readable WARC file.
    """
    cleaner = cleaner or default_cleaner()
    cleaner.model  # a bad model file is one error up front, not one per page
    yield from ordered_map(partial(_clean_pages, labels, max_bytes), read_warc(stream, max_bytes), cleaner,
                           n_jobs, chunk_size)


def _clean_pages(labels: bool, max_bytes: int, cleaner: Cleaner, pages: list[WarcPage]) -> list[Outcome]:
    """Worker task: clean a chunk of pages, their lines scored together; a page's failure is its own."""
    out: list[Outcome | None] = [None] * len(pages)
    todo: list[tuple[int, str]] = []  # position and HTML text of the pages that could be read
    for k, page in enumerate(pages):
        try:
            todo.append((k, _payload(page, max_bytes)))
        except Exception as exc:  # a payload too large or undecodable is that page's error
            out[k] = _failed(page, exc)
    for (k, _), result in zip(todo, process_each(cleaner, [html for _, html in todo], True)):
        out[k] = _failed(pages[k], result) if isinstance(result, Exception) else _cleaned(pages[k], result, labels)
    return out  # type: ignore[return-value]
