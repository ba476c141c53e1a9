"""HTML input: a page's HTML to the lines a scraper would emit, with what each line came from.

Two renderings of a page exist:

- ``trafilatura`` (the default for HTML input): trafilatura finds the page's main
  content with its default extraction (``TRAFILATURA_SETTINGS``: tables kept, no
  deduplication, no length limits of its own on the output); its output is split into one
  line per paragraph, heading, list item, table row or quote. Menus and footers far from the
  article are gone, but teasers, share rows and notices inside it stay: the classifier, not
  trafilatura's pruning, decides what goes.
- ``full``: every block of text of the page, one line per block (``html_lines``), nothing
  pruned. This is also the fallback when trafilatura finds nothing.

``html_blocks`` returns, for each rendered line, the HTML-only signals of the element it
came from (``Block``): its tag, its tag path, the class and id tokens of the element and its
ancestors, and its link density. The text path (``clean-article page.txt``) never needs them
and never imports trafilatura.

Parsing is lxml's HTML parser with the network off; it never loads external entities or
DTDs, so XXE and entity expansion do not apply, and very deep nesting is cut by the parser,
not followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

# Elements whose text is never page text.
DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                       "embed", "canvas", "head", "select", "option", "button", "input", "textarea"})
# Elements that start a new line.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "caption", "tbody",
    "thead", "tfoot", "tr", "td", "th", "ul", "br", "html",
})
# Elements of trafilatura's output format that start a new line; cells are joined within their row.
_TRAF_BLOCKS = frozenset({"body", "doc", "main", "p", "head", "list", "item", "table", "row", "quote", "code",
                          "lb", "div", "comments", "graphic"})
_WS = re.compile(r"\s+")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_TAGS = re.compile(r"</?(?:p|div|span|a|li|h[1-6]|br|table|td|article|section|nav|body)\b[^>]*>", re.I)
# Class and id values split into lower-case word tokens: "main-nav__item" -> main, nav, item.
_NAME_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A text with at least this many common tags in its first characters is taken for HTML.
MIN_TAGS = 5
SNIFF_CHARS = 4096
# Class/id tokens kept per block, nearest element first: enough for every wrapper a page nests an
# article paragraph in, bounded so that a pathological page cannot blow up the structure.
MAX_TOKENS = 48
# Tag path kept per block, innermost elements last.
MAX_PATH = 32

# The renderings of a page: its main content by trafilatura, or every block of text.
RENDERS: tuple[str, ...] = ("trafilatura", "full")


@dataclass(frozen=True, slots=True)
class Block:
    """One rendered line of an HTML page and the HTML-only signals of the element it came from.

    The signals are ``None`` (and the tuples empty) when the line could not be traced to an
    element of the page, which only happens in the trafilatura rendering.

    Attributes:
        text: The line, white space collapsed.
        tag: Tag of the innermost block element holding the line (``p``, ``li``, ``h2``, ``td``, ``div`` …).
        path: Tags from ``html`` down to that element (at most ``MAX_PATH``, innermost last).
        tokens: Lower-case word tokens of the ``class`` and ``id`` values of that element and its
            ancestors, nearest first, each once (at most ``MAX_TOKENS``): ``nav``, ``footer``, ``share``.
        link_density: Share of the element's line characters (white space left out) inside links, 0 to 1.
    """

    text: str
    tag: str | None = None
    path: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    link_density: float | None = None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page rather than scraped text."""
    head = text[:SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_TAGS.findall(head)) >= MIN_TAGS


def _as_text(html: str | bytes) -> str:
    """The page as text: bytes decoded as the CLI decodes files."""
    if isinstance(html, bytes):
        from .decoding import decode

        return decode(html, name="<html>")
    return html


def parse_html(html: str) -> Any:
    """The lxml document of ``html``, or ``None`` when there is nothing to parse."""
    from lxml import etree
    from lxml import html as lxml_html

    # Parsed as UTF-8 bytes: lxml refuses str input that declares an encoding, and a declaration
    # means nothing once the text is decoded.
    data = html.encode("utf-8", errors="surrogatepass")
    if not data.strip():
        return None
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _name_tokens(el: Any) -> list[str]:
    """Word tokens of an element's class and id values."""
    out: list[str] = []
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            out.extend(_NAME_TOKEN.findall(_CAMEL.sub(" ", value).lower()))
    return out


def _signals(stack: Sequence[Any]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Tag, tag path and class/id tokens of the innermost block element on the open-element stack."""
    k = len(stack) - 1
    while k >= 0 and _tag(stack[k]) not in BLOCK_TAGS:
        k -= 1
    if k < 0:
        return None, (), ()
    path = tuple(_tag(e) for e in stack[: k + 1])[-MAX_PATH:]
    seen: dict[str, None] = {}
    for el in reversed(stack[: k + 1]):
        for tok in _name_tokens(el):
            seen.setdefault(tok, None)
        if len(seen) >= MAX_TOKENS:
            break
    return path[-1], path, tuple(seen)[:MAX_TOKENS]


def _tag(el: Any) -> str:
    """An element's lower-case tag ('' for comments and processing instructions)."""
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _full_blocks(root: Any) -> list[Block]:
    """Every block of text of a parsed page, in document order, with its signals."""
    from lxml import etree

    blocks: list[Block] = []
    buf: list[str] = []
    n_link = [0, 0]  # non-space characters of the buffer inside links, and in all
    where: list[tuple[str | None, tuple[str, ...], tuple[str, ...]]] = []
    stack: list[Any] = []
    in_link = 0

    def add(text: str) -> None:
        if not where and text.strip():
            where.append(_signals(stack))
        buf.append(text)
        chars = len(text) - sum(map(str.isspace, text))
        n_link[1] += chars
        if in_link:
            n_link[0] += chars

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        if text:
            tag, path, tokens = where[0] if where else (None, (), ())
            density = n_link[0] / n_link[1] if n_link[1] else 0.0
            blocks.append(Block(text, tag, path, tokens, round(density, 4)))
        buf.clear()
        where.clear()
        n_link[0] = n_link[1] = 0

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            stack.append(el)
            if tag in DROP_TAGS or not tag:
                walker.skip_subtree()  # its "end" event still comes, and brings its tail
                continue
            if tag == "a":
                in_link += 1
            if tag in BLOCK_TAGS:
                flush()
            if el.text:
                add(el.text)
        else:
            if stack and stack[-1] is el:
                stack.pop()
            if tag == "a" and in_link:
                in_link -= 1
            if tag in BLOCK_TAGS:
                flush()
            if el.tail:
                add(el.tail)
    flush()
    return blocks


def full_blocks(html: str | bytes) -> list[Block]:
    """Every block of text of the page, one per line, in document order, with its HTML signals.

    Args:
        html: The page's HTML, as text or bytes.

    Returns:
        One ``Block`` per non-empty block of text; nothing is pruned.
    """
    root = parse_html(_as_text(html))
    return [] if root is None else _full_blocks(root)


def html_lines(html: str | bytes) -> list[str]:
    """The text of every block of the page, one line per block, in document order.

    Args:
        html: The page's HTML, as text or bytes.

    Returns:
        Non-empty lines with white space collapsed.
    """
    return [b.text for b in full_blocks(html)]


def html_to_text(html: str | bytes) -> str:
    """The page as scraped text: ``html_lines`` joined by newlines."""
    return "\n".join(html_lines(html))


def _traf_lines(body: Any) -> list[str]:
    """Lines of trafilatura's output tree: one per paragraph, heading, item, row, quote or line break."""
    from lxml import etree

    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        if text:
            lines.append(text)
        buf.clear()

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = _tag(el)
        if event == "start":
            if tag in _TRAF_BLOCKS:
                flush()
            elif tag == "cell":
                buf.append(" ")  # cells of a row stay on its line, apart
            if el.text:
                buf.append(el.text)
        else:
            if tag in _TRAF_BLOCKS:
                flush()
            elif tag == "cell":
                buf.append(" ")
            if el.tail:
                buf.append(el.tail)
    flush()
    return lines


# trafilatura's settings for the HTML path. Its default extraction, not ``favor_recall``: on the
# corpora's train article pages (wcxb), ``favor_recall`` found less of the reference text than the
# default did (shingle recall 0.911 against 0.918 on 120 pages), as it takes another route through
# the page. Tables stay; comments, metadata and markup do not; nothing is deduplicated, as a
# repeated line is the classifier's to judge.
# Typed ``Any``: they are passed as keywords to ``bare_extraction``, whose parameters have several types.
TRAFILATURA_SETTINGS: dict[str, Any] = {
    "favor_recall": False, "include_comments": False, "include_tables": True, "include_images": False,
    "include_links": False, "include_formatting": False, "deduplicate": False, "with_metadata": False,
}
# The form of trafilatura's result: its output tree, without a text rendering of it.
TRAFILATURA_FORMAT = "xml"


def trafilatura_lines(html: str | bytes) -> list[str]:
    """The page's main content as trafilatura finds it, set up to lose as little article text as it can.

    Settings (``TRAFILATURA_SETTINGS``): its default extraction, tables and their text kept, no
    deduplication (a repeated line is the classifier's to judge), no metadata (the title and
    byline are not body text of a reference article), no comments (a reader's comment is not
    the article), no link or formatting markup. Lists and tables come out as one line per item
    or row, with no bullet or pipe characters added.

    Args:
        html: The page's HTML, as text or bytes.

    Returns:
        The lines, white space collapsed; empty when trafilatura finds no main content.
    """
    import trafilatura  # only the HTML path needs it, and it is slow to import

    text = _as_text(html)
    if not text.strip():
        return []
    try:
        # Its XML tree is all that is read: the ``xml`` format leaves out the plain-text copy of the
        # body that the default ``python`` format builds (``doc.text``).
        doc = trafilatura.bare_extraction(text, output_format=TRAFILATURA_FORMAT, **TRAFILATURA_SETTINGS)
    except Exception:  # noqa: BLE001 - a crash inside the extractor means "nothing found": the caller falls back
        return []
    body = getattr(doc, "body", None)
    return [] if body is None else _traf_lines(body)


def _norm(text: str) -> str:
    """Text compared for alignment: white space collapsed, case folded."""
    return _WS.sub(" ", text).strip().casefold()


def align_blocks(lines: Sequence[str], blocks: Sequence[Block]) -> list[Block]:
    """Give each rendered line the signals of the page block it came from.

    Lines are matched to blocks in document order. A line that is part of the block the
    previous line came from (trafilatura split it) goes to that block; else to the first block
    after the previous match whose text equals it, else that contains it, else that it starts
    with (a line trafilatura built from several blocks, such as a table row, takes the first);
    failing that the search restarts from the top of the page. Case and white space are
    ignored. A line with no such block keeps its text and no signals.

    Args:
        lines: Rendered lines (trafilatura's), in order.
        blocks: The page's full rendering with signals (``full_blocks``).

    Returns:
        One ``Block`` per line, whose ``text`` is the line itself.
    """
    norms = [_norm(b.text) for b in blocks]
    out: list[Block] = []
    pos = 0  # the first block after the last match
    last: int | None = None
    for line in lines:
        n = _norm(line)
        found: int | None = None
        if n and last is not None and n != norms[last] and n in norms[last]:
            found = last  # another piece of the block the previous line came from
        if found is None and n:
            found = _find(n, norms, pos)
            if found is None and pos:
                found = _find(n, norms, 0)
        if found is None:
            out.append(Block(line))
            continue
        b = blocks[found]
        out.append(Block(line, b.tag, b.path, b.tokens, b.link_density))
        last, pos = found, found + 1
    return out


def _find(n: str, norms: Sequence[str], start: int) -> int | None:
    """Index of the first block from ``start`` equal to ``n``, else containing it, else starting it."""
    for test in (lambda b: b == n, lambda b: n in b, lambda b: bool(b) and n.startswith(b)):
        for i in range(start, len(norms)):
            if test(norms[i]):
                return i
    return None


def html_blocks(html: str | bytes, render: str = "trafilatura") -> list[Block]:
    """The lines of an HTML page, each with the HTML-only signals of the element it came from.

    Args:
        html: The page's HTML, as text or bytes.
        render: ``trafilatura`` (main content, see ``trafilatura_lines``) or ``full`` (every
            block, see ``full_blocks``). The trafilatura rendering falls back to the full one
            when trafilatura finds nothing.

    Returns:
        One ``Block`` per line, in order.

    Raises:
        ValueError: ``render`` is neither.
    """
    if render not in RENDERS:
        raise ValueError(f"render must be one of {', '.join(RENDERS)}, got {render!r}")
    text = _as_text(html)
    blocks = full_blocks(text)
    if render == "full":
        return blocks
    lines = trafilatura_lines(text)
    return align_blocks(lines, blocks) if lines else blocks


def _render(html: str | bytes, render: str) -> tuple[list[str], bool]:
    """The page's lines in a rendering, and whether trafilatura made them."""
    if render not in RENDERS:
        raise ValueError(f"render must be one of {', '.join(RENDERS)}, got {render!r}")
    text = _as_text(html)
    if render == "trafilatura":
        lines = trafilatura_lines(text)
        if lines:
            return lines, True
    return html_lines(text), False


def render_lines(html: str | bytes, render: str = "trafilatura") -> list[str]:
    """The lines of an HTML page in a rendering, without their signals; see ``html_blocks``.

    Cheaper than ``html_blocks`` for the trafilatura rendering: the page is parsed by lxml
    only when trafilatura finds nothing.
    """
    return _render(html, render)[0]


def render_text(html: str | bytes, render: str = "trafilatura") -> str:
    """The page as the scraped text the classifier reads, one rendered line per text line; see ``render_page``."""
    return render_page(html, render)[0]


def render_page(html: str | bytes, render: str = "trafilatura") -> tuple[str, bool]:
    """The page as the scraped text the classifier reads, and whether trafilatura chose its lines.

    trafilatura's lines are paragraphs, headings, items and rows, each a block of its own,
    so they are separated by blank lines, as a scraper writes paragraphs; the full rendering's
    lines (menus, link rows, footers among the paragraphs) follow each other with newlines.

    Args:
        html: The page's HTML, as text or bytes.
        render: ``trafilatura`` or ``full``; see ``html_blocks``.

    Returns:
        The text, whose non-blank lines are the rendered lines in order, and whether they are
        trafilatura's main content (``False`` for the full rendering and its fallback).
    """
    lines, paragraphs = _render(html, render)
    return ("\n\n" if paragraphs else "\n").join(lines), paragraphs
