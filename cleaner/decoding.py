"""Input decoding: bytes from a file or a pipe to text."""

from __future__ import annotations

import codecs

from .errors import InputError

# A file with NUL bytes in its first block is binary (an image, a PDF, …), not scraped text.
SNIFF_BYTES = 8192


def decode(data: bytes, encoding: str | None = None, name: str = "<input>") -> str:
    """Decode ``data`` to text.

    Strict UTF-8 first (a BOM is dropped), then UTF-16 with a BOM, then the
    charset detector that trafilatura already depends on.

    Args:
        data: The raw bytes.
        encoding: Force this encoding instead of guessing.
        name: The input's name, for error messages.

    Returns:
        The text.

    Raises:
        InputError: The bytes look binary or cannot be decoded.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: invalid UTF-16 text") from exc
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(f"{name}: binary input (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 input

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot tell the text encoding; use --encoding")
    return str(best)
