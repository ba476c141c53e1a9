"""Input decoding: bytes from a file or a pipe to text.

Strict UTF-8 first (with or without a BOM), UTF-16 with a BOM, then a charset
detector for legacy encodings. Gzip-compressed input is read transparently.
Binary input (NUL bytes, images, PDFs, archives) and input over the size limit
are refused with an ``InputError``.
"""

from __future__ import annotations

import codecs
import zlib

from .errors import InputError

# 50 MB: far above any news page, low enough that a stray dump is refused rather than ground through.
MAX_BYTES = 50 * 1024 * 1024
# A file with NUL bytes in its first block is binary, not scraped text.
SNIFF_BYTES = 8192
_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_MAGIC = {
    b"%PDF-": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive",
    b"RIFF": "a RIFF (WebP, WAV…) file",
    b"\x7fELF": "an executable",
}


def gunzip(data: bytes, max_bytes: int = MAX_BYTES, name: str = "<input>") -> bytes:
    """Decompress gzip ``data``, refusing output beyond ``max_bytes`` (a decompression bomb)."""
    d = zlib.decompressobj(wbits=31)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(f"{name}: corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise InputError(f"{name}: decompressed input exceeds the size limit of {max_bytes} bytes")
    return out


def decode(data: bytes, encoding: str | None = None, name: str = "<input>", max_bytes: int = MAX_BYTES) -> str:
    """Decode ``data`` to text.

    Args:
        data: The raw bytes, possibly gzip-compressed.
        encoding: Force this encoding instead of guessing.
        name: The input's name, for error messages.
        max_bytes: Refuse input (after decompression) larger than this.

    Returns:
        The text.

    Raises:
        InputError: The input is too large, binary, or cannot be decoded.
    """
    if len(data) > max_bytes:
        raise InputError(f"{name}: input of {len(data)} bytes exceeds the size limit of {max_bytes} bytes")
    if data.startswith(_GZIP_MAGIC):
        data = gunzip(data, max_bytes, name)
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
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: binary input ({what}), not text")
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
