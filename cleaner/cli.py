"""Command line: ``clean-article FILE...`` parses options and dispatches to the library."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .api import Cleaner
from .decoding import decode
from .errors import CleanerError, ModelError
from .output import EXTENSIONS, FORMATS, render


def _read(name: str) -> bytes:
    """The bytes of a file, or of stdin for ``-``."""
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CleanerError(f"cannot read {name}: {exc.strerror or exc}") from exc


def _write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` so that a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: the clean article; tsv: label, score and text of every input line; json: both.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="Minimum body probability to keep a line (lower keeps more). Default: the model's.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False), default=None,
              help="A model file made by the training command. Default: the shipped model.")
@click.option("--output-dir", type=click.Path(file_okay=False), default=None,
              help="Write each result to DIR/<name><ext> instead of standard output.")
@click.option("--encoding", default=None, help="Decode input with this encoding instead of guessing.")
@click.version_option(__version__, prog_name="clean-article")
def main(files: tuple[str, ...], fmt: str, threshold: float | None, model_path: str | None,
         output_dir: str | None, encoding: str | None) -> None:
    """Print the article in each scraped-text FILE without its navigation, paywall notices and ads.

    FILE may be - for standard input.
    """
    cleaner = Cleaner(model=model_path, threshold=threshold)
    out_dir = Path(output_dir) if output_dir else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name in files:
        try:
            text = decode(_read(name), encoding, name)
            rendered = render(cleaner.process(text), fmt, name)
        except CleanerError as exc:
            if isinstance(exc, ModelError):
                raise click.ClickException(str(exc)) from exc
            click.echo(f"clean-article: error: {exc}", err=True)
            failures += 1
            continue
        if out_dir is not None:
            stem = "stdin" if name == "-" else Path(name).name
            _write_atomic(out_dir / (stem + EXTENSIONS[fmt]), rendered)
        else:
            click.echo(rendered, nl=False)
    if failures:
        sys.exit(1)
