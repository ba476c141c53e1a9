"""Command line: ``clean-article FILE...`` parses options and dispatches to the library.

Exit codes: 0 success; 1 unexpected internal error; 2 usage error; 3 model file
refused; 4 an input could not be read; 5 an input was refused (binary, too large,
not text); 6 an output could not be written. With several inputs, every input
is processed and the exit code is the highest of the failures.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from . import __version__
from .api import Cleaner
from .decoding import MAX_BYTES, decode
from .errors import CleanerError, ModelError, ReadError
from .html import looks_like_html
from .output import EXTENSIONS, FORMATS, render


WRITE_ERROR = 6


def _read(name: str) -> bytes:
    """The bytes of a file."""
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise ReadError(f"{name}: cannot read: {exc.strerror or exc}") from exc


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


def _run_one(cleaner: Cleaner, name: str, data: bytes | None, fmt: str, encoding: str | None,
             max_bytes: int, debug: bool, kind: str = "auto") -> tuple[str, str | None, int, str]:
    """Read, clean and render one input: ``(name, rendered or None, exit code, error message)``."""
    try:
        text = decode(_read(name) if data is None else data, encoding, name, max_bytes)
        if kind == "html" or kind == "auto" and looks_like_html(text):
            result = cleaner.process_html(text)
        else:
            result = cleaner.process(text)
        return name, render(result, fmt, name), 0, ""
    except ModelError:
        raise
    except CleanerError as exc:
        return name, None, exc.exit_code, str(exc)
    except Exception as exc:  # one bad input must not stop the others
        if debug:
            raise
        return name, None, 1, f"{name}: internal error: {type(exc).__name__}: {exc}"


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
@click.option("--input", "kind", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True,
              help="What the inputs are: scraped text or HTML pages (auto: told from each input's content).")
@click.option("--encoding", default=None, help="Decode input with this encoding instead of guessing.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse an input larger than this (after gzip decompression).")
@click.option("-j", "--jobs", type=click.IntRange(min=-1), default=1, show_default=True,
              help="Worker processes for several inputs (-1: one per core). Output keeps input order.")
@click.option("--debug", is_flag=True, help="Show a traceback on unexpected errors.")
@click.version_option(__version__, prog_name="clean-article")
def main(files: tuple[str, ...], fmt: str, threshold: float | None, model_path: str | None,
         output_dir: str | None, kind: str, encoding: str | None, max_bytes: int, jobs: int, debug: bool) -> None:
    """Print the article in each FILE (scraped text or an HTML page) without its navigation,
    paywall notices and ads.

    FILE may be - for standard input.
    """
    cleaner = Cleaner(model=model_path, threshold=threshold)
    out_dir = Path(output_dir) if output_dir else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    stdin = sys.stdin.buffer.read() if "-" in files else None
    try:
        cleaner.model  # a bad model file is one error up front, not one per input
        args = [(cleaner, n, stdin if n == "-" else None, fmt, encoding, max_bytes, debug, kind) for n in files]
        if jobs != 1 and len(files) > 1:
            from joblib import Parallel, delayed

            results = Parallel(n_jobs=jobs, return_as="generator")(delayed(_run_one)(*a) for a in args)
        else:
            results = (_run_one(*a) for a in args)
        worst = failed = 0
        for name, rendered, code, message in results:
            if rendered is None:
                click.echo(f"clean-article: error: {message}", err=True)
                worst = max(worst, code)
                failed += 1
            elif out_dir is not None:
                stem = "stdin" if name == "-" else Path(name).name
                target = out_dir / (stem + EXTENSIONS[fmt])
                try:
                    _write_atomic(target, rendered)
                except OSError as exc:
                    click.echo(f"clean-article: error: {target}: cannot write: {exc.strerror or exc}", err=True)
                    worst = max(worst, WRITE_ERROR)
                    failed += 1
            else:
                click.echo(rendered, nl=False)
    except ModelError as exc:
        click.echo(f"clean-article: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if len(files) > 1:
        click.echo(f"clean-article: {len(files)} inputs, {len(files) - failed} cleaned, {failed} failed", err=True)
    if worst:
        sys.exit(worst)


if __name__ == "__main__":
    main()
