"""Errors the library raises; the CLI turns each into a one-line message."""


class CleanerError(Exception):
    """Base class of every error clean-article raises on purpose."""


class ModelError(CleanerError):
    """A model file is missing, truncated, corrupted, foreign or of an unknown format version."""


class InputError(CleanerError):
    """An input cannot be read or decoded as text."""
