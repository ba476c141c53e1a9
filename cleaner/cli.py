"""Command line: ``clean-article FILE...`` parses options and dispatches to the library.

Exit codes: 0 success; 1 unexpected internal error; 2 usage error; 3 model file
refused; 4 an input could not be read; 5 an input was refused (binary, too large,
not text); 6 an output could not be written. With several inputs, every input
is processed and the exit code is the highest of the failures.

Batches: ``--jsonl FILE`` cleans one JSON record per line, ``--warc FILE`` the HTML
pages of a crawl; both write JSONL records in input order (the streaming itself is
``cleaner.jsonl`` and ``cleaner.warc``). A record that cannot be cleaned is written
with an ``error`` field and makes the exit code 5.
"""

from __future__ import annotations

import os
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Iterator

import click

from . import __version__
from .api import Cleaner
from .batch import ordered_map
from .decoding import MAX_BYTES
from .errors import CleanerError, InputError, ModelError
from .files import FileOptions, file_tasks, run_tasks
from .output import EXTENSIONS, FORMATS
from .stats import BatchStats, Outcome, Progress


WRITE_ERROR = 6


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


def _read_guard(outcomes: Iterator[Outcome], name: str) -> Iterator[Outcome]:
    """Pass ``outcomes`` through, turning a read failure part-way (a corrupt or cut gzip stream) into an ``InputError``."""
    try:
        yield from outcomes
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: cannot read: {exc}") from exc


def _run_batch(cleaner: Cleaner, jsonl: str | None, warc: str | None, output: str | None, jobs: int,
               max_bytes: int, text_field: str, html_field: str | None, output_field: str | None,
               labels: bool) -> int:
    """Clean a JSONL or WARC input to JSONL records; print the summary; return the exit code."""
    from .jsonl import RecordOptions, clean_jsonl, open_input, open_output

    name = jsonl or warc or "-"
    stats = BatchStats()
    err = sys.stderr
    progress: Progress | None = None
    code = 0
    try:
        inp = open_input(name, stdin=sys.stdin.buffer)
        if err.isatty():
            progress = Progress(err, inp.total, inp.position)
        with inp as stream, open_output(output, stdout=sys.stdout.buffer) as out:
            outcomes: Iterator[Outcome]
            if warc is not None:
                from .warc import clean_warc

                outcomes = clean_warc(stream, cleaner, labels, jobs, max_bytes)
            else:
                options = RecordOptions(text_field, html_field, output_field, labels, max_bytes)
                outcomes = clean_jsonl(stream, cleaner, options, jobs)
            for outcome in _read_guard(outcomes, name):
                out.write(outcome.line)
                stats.add(outcome)
                if progress is not None:
                    progress.update(stats)
    except ModelError:
        raise
    except CleanerError as exc:
        click.echo(f"clean-article: error: {exc}", err=True)
        code = exc.exit_code
    except OSError as exc:  # reading failures are InputErrors by now: this is the output
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            message = "standard output was closed"
        else:
            message = f"{output or 'standard output'}: cannot write: {exc.strerror or exc}"
        click.echo(f"clean-article: error: {message}", err=True)
        code = WRITE_ERROR
    finally:
        if progress is not None:
            progress.close()
    click.echo(f"clean-article: {stats.summary()}", err=True)
    if stats.failed:
        code = max(code, InputError.exit_code)
    return code


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's final flush to a closed pipe stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (a test runner's stream): nothing to silence


_BATCH_ONLY = ("output", "text_field", "html_field", "output_field", "labels")
_FILES_ONLY = ("output_dir", "fmt", "kind", "encoding")


def _check_modes(ctx: click.Context, files: tuple[str, ...], jsonl: str | None, warc: str | None) -> None:
    """Refuse options that do not go together, with a usage error (exit code 2)."""
    if jsonl is not None and warc is not None:
        raise click.UsageError("--jsonl and --warc cannot be used together.", ctx)
    batch = jsonl is not None or warc is not None
    if batch and files:
        raise click.UsageError("FILE arguments cannot be combined with --jsonl or --warc.", ctx)
    if not batch and not files:
        raise click.UsageError("Missing argument 'FILE...' (or --jsonl FILE, --warc FILE).", ctx)
    given = {name for name in _BATCH_ONLY + _FILES_ONLY
             if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT}
    wrong = given & set(_FILES_ONLY if batch else _BATCH_ONLY)
    if wrong:
        opts = ", ".join(sorted("--" + ("format" if n == "fmt" else "input" if n == "kind" else n.replace("_", "-"))
                                for n in wrong))
        where = "with --jsonl or --warc" if batch else "without --jsonl or --warc"
        raise click.UsageError(f"{opts}: not available {where}.", ctx)
    if warc is not None and given & {"text_field", "html_field", "output_field"}:
        raise click.UsageError("--text-field, --html-field and --output-field apply to --jsonl only.", ctx)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=False, metavar="FILE...")
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
              help="Refuse an input (with --jsonl/--warc: a record) larger than this (after gzip decompression).")
@click.option("-j", "--jobs", type=click.IntRange(min=-1), default=1, show_default=True,
              help="Processes that clean several inputs or a batch (-1: one per core). Output keeps input order.")
@click.option("--debug", is_flag=True, help="Show a traceback on unexpected errors.")
@click.option("--jsonl", metavar="FILE", default=None,
              help="Clean a JSONL file (.gz or not; - for standard input): one JSON record per line, "
                   "written back as JSONL with the clean text.")
@click.option("--warc", metavar="FILE", default=None,
              help="Clean the HTML pages of a WARC file (- for standard input) to JSONL records "
                   "(url, date, record_id, text). Needs the warc extra.")
@click.option("--text-field", default="text", show_default=True,
              help="--jsonl: the field holding the scraped text.")
@click.option("--html-field", default=None,
              help="--jsonl: clean the raw HTML in this field instead of --text-field.")
@click.option("--output-field", default=None,
              help="--jsonl: write the clean text to this field. Default: --text-field (replacing it).")
@click.option("--labels", is_flag=True,
              help="--jsonl/--warc: add each line's label and the count of removed lines per class.")
@click.option("-o", "--output", metavar="PATH", default=None,
              help="--jsonl/--warc: write the records to PATH (gzip if it ends in .gz) instead of standard output.")
@click.version_option(__version__, prog_name="clean-article")
@click.pass_context
def main(ctx: click.Context, files: tuple[str, ...], fmt: str, threshold: float | None, model_path: str | None,
         output_dir: str | None, kind: str, encoding: str | None, max_bytes: int, jobs: int, debug: bool,
         jsonl: str | None, warc: str | None, text_field: str, html_field: str | None, output_field: str | None,
         labels: bool, output: str | None) -> None:
    """Print the article in each FILE (scraped text or an HTML page) without its navigation,
    paywall notices and ads.

    FILE may be - for standard input. With --jsonl or --warc, clean a batch of
    records instead and write JSONL; a summary goes to standard error.
    """
    _check_modes(ctx, files, jsonl, warc)
    cleaner = Cleaner(model=model_path, threshold=threshold)
    if jsonl is not None or warc is not None:
        try:
            code = _run_batch(cleaner, jsonl, warc, output, jobs, max_bytes, text_field, html_field,
                              output_field, labels)
        except ModelError as exc:
            click.echo(f"clean-article: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        if code:
            sys.exit(code)
        return
    out_dir = Path(output_dir) if output_dir else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    stdin = sys.stdin.buffer.read() if "-" in files else None
    try:
        cleaner.model  # a bad model file is one error up front, not one per input
        options = FileOptions(fmt, encoding, max_bytes, debug, kind)
        items = [(n, stdin if n == "-" else None) for n in files]
        # Workers read their inputs themselves; this process, one of the jobs, cleans chunks too
        # while it waits, and orders and writes the results.
        jobs = jobs if len(files) > 1 else 1
        done = ordered_map(partial(run_tasks, options), file_tasks(items, jobs), cleaner, jobs, chunk_size=1)
        results = (outcome for task in done for outcome in task)
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
