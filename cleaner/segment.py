"""Segmentation: a page of text into lines, the unit every label applies to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Page:
    """A page split into lines.

    Attributes:
        lines: Every input line, as ``str.splitlines()`` gives them.
        content: Indices of the non-blank lines, the ones the model labels.
        blank_before: For each content line, whether a blank line precedes it.
        blank_after: For each content line, whether a blank line follows it.
    """

    lines: tuple[str, ...]
    content: tuple[int, ...]
    blank_before: tuple[bool, ...]
    blank_after: tuple[bool, ...]

    @property
    def texts(self) -> list[str]:
        """The stripped text of each content line."""
        return [self.lines[i].strip() for i in self.content]


def is_blank(line: str) -> bool:
    """A line with nothing but whitespace."""
    return not line.strip()


def segment(text: str) -> Page:
    """Split ``text`` into lines and find the content lines among them.

    Args:
        text: The page as scraped.

    Returns:
        The page; its ``lines`` match ``text.splitlines()`` one for one.
    """
    lines = tuple(text.splitlines())
    # ``is_blank`` of each line, inline: pages run to thousands of lines.
    blank = [not line or line.isspace() for line in lines]
    content = tuple(i for i, b in enumerate(blank) if not b)
    n = len(lines)
    before = tuple(i > 0 and blank[i - 1] for i in content)
    after = tuple(i + 1 < n and blank[i + 1] for i in content)
    return Page(lines, content, before, after)
