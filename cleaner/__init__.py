"""clean-article: get the article back from text scraped off a news page."""

from .api import Cleaner, Line, Result, clean, clean_html, label_lines
from .errors import CleanerError, InputError, ModelError, ReadError

__version__ = "0.1.0"

__all__ = [
    "Cleaner",
    "CleanerError",
    "InputError",
    "Line",
    "ModelError",
    "ReadError",
    "Result",
    "__version__",
    "clean",
    "clean_html",
    "label_lines",
]
