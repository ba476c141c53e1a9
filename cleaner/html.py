"""HTML input: a page's HTML to the lines a scraper would emit, keeping every piece of text.

Nothing is pruned here: menus, footers and teasers become lines like the article
does, and the classifier decides what goes. Parsing is lxml's HTML parser with
the network off; it never loads external entities or DTDs, so XXE and entity
expansion do not apply, and very deep nesting is cut by the parser, not followed.
"""

from __future__ import annotations

import re

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
_WS = re.compile(r"\s+")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_TAGS = re.compile(r"</?(?:p|div|span|a|li|h[1-6]|br|table|td|article|section|nav|body)\b[^>]*>", re.I)
# A text with at least this many common tags in its first characters is taken for HTML.
MIN_TAGS = 5
SNIFF_CHARS = 4096


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page rather than scraped text."""
    head = text[:SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_TAGS.findall(head)) >= MIN_TAGS


def html_lines(html: str | bytes) -> list[str]:
    """The text of every block of the page, one line per block, in document order.

    Args:
        html: The page's HTML, as text or bytes.

    Returns:
        Non-empty lines with white space collapsed.
    """
    from lxml import etree
    from lxml import html as lxml_html

    if isinstance(html, bytes):
        from .decoding import decode

        html = decode(html, name="<html>")
    # Parsed as UTF-8 bytes: lxml refuses str input that declares an encoding, and a declaration
    # means nothing once the text is decoded.
    html = html.encode("utf-8", errors="surrogatepass")
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    if not html.strip():
        return []
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        if text:
            lines.append(text)
        buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in DROP_TAGS or not tag:
                walker.skip_subtree()  # its "end" event still comes, and brings its tail
                continue
            if tag in BLOCK_TAGS:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append(el.tail)
    flush()
    return lines


def html_to_text(html: str | bytes) -> str:
    """The page as scraped text: ``html_lines`` joined by newlines."""
    return "\n".join(html_lines(html))
