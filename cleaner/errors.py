"""Errors the library raises; the CLI turns each into a one-line message and its exit code."""


class CleanerError(Exception):
    """Base class of every error clean-article raises on purpose."""

    exit_code = 1


class ModelError(CleanerError):
    """A model file is missing, truncated, corrupted, foreign or of an unknown format version."""

    exit_code = 3


class InputError(CleanerError):
    """An input was refused: binary, too large, or not decodable as text."""

    exit_code = 5


class ReadError(InputError):
    """An input could not be read at all (missing, a directory, no permission)."""

    exit_code = 4
