import gzip
import io
import itertools
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, clean, clean_html
from cleaner.batch import CHUNKS_PER_WORKER, SHARE_AHEAD
from cleaner.cli import main
from cleaner.jsonl import RecordOptions, clean_jsonl, clean_line, clean_records, dump, open_input
from cleaner.stats import BatchStats, Outcome, Progress

from .conftest import SEED_PAGES

TEXTS = [p.read_text(encoding="utf-8") for p in SEED_PAGES]


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def records() -> list[dict[str, Any]]:
    """Seed pages as records with fields that must pass through untouched."""
    return [{"id": i, "url": f"https://news.example/{i}", "text": t, "meta": {"lang": "ru", "score": 0.25,
             "tags": ["a", None, True]}, "title": "Émission spéciale — 東京"} for i, t in enumerate(TEXTS)]


def write_jsonl(path: Path, recs: list[Any], extra: bytes = b"") -> Path:
    path.write_bytes(b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in recs) + extra)
    return path


def read_out(data: bytes | str) -> list[dict[str, Any]]:
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    assert data.endswith("\n")
    return [json.loads(line) for line in data.splitlines()]


def test_round_trip_cleans_text_and_keeps_every_other_field_and_the_order(tmp_path: Path) -> None:
    recs = records()
    r = run("--jsonl", str(write_jsonl(tmp_path / "in.jsonl", recs)))
    assert r.exit_code == 0
    out = read_out(r.stdout)
    assert len(out) == len(recs)
    for got, rec in zip(out, recs):
        assert got["text"] == clean(rec["text"])
        assert {k: v for k, v in got.items() if k != "text"} == {k: v for k, v in rec.items() if k != "text"}
        assert list(got) == list(rec)  # field order too
    summary = r.stderr.splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"clean-article: {len(recs)} documents, ")
    assert "0 failed" in summary[0] and "documents/s" in summary[0] and "\r" not in r.stderr


def test_bad_records_are_written_back_with_an_error_and_counted(tmp_path: Path) -> None:
    good = records()[:2]
    lines = [
        json.dumps(good[0]),
        "{not json",
        "",  # blank lines are not records
        "[1, 2]",
        json.dumps({"id": 7, "body": "no text field"}),
        json.dumps({"id": 8, "text": None}),
        json.dumps({"id": 9, "text": ["a list"]}),
        json.dumps(good[1]),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("--jsonl", str(src))
    assert r.exit_code == 5
    out = read_out(r.stdout)
    assert len(out) == 7
    assert out[0]["text"] == clean(good[0]["text"]) and "error" not in out[0]
    assert out[1]["line"] == 2 and out[1]["raw"] == "{not json" and out[1]["error"].startswith("invalid JSON")
    assert out[2] == {"error": "not a JSON object but an array", "line": 4, "raw": "[1, 2]"}
    assert out[3] == {"id": 7, "body": "no text field", "error": "field 'text' is missing"}
    assert out[4] == {"id": 8, "text": None, "error": "field 'text' is not a string but null"}
    assert out[5]["id"] == 9 and out[5]["text"] == ["a list"] and "an array" in out[5]["error"]
    assert out[6]["text"] == clean(good[1]["text"])
    assert "7 documents" in r.stderr and "5 failed" in r.stderr and "Traceback" not in r.stderr


def test_invalid_utf8_line_is_an_error_record_with_its_raw_bytes_escaped(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "caf\xe9"}\n' + json.dumps(records()[0]).encode() + b"\n")
    r = run("--jsonl", str(src))
    out = read_out(r.stdout)
    assert r.exit_code == 5 and len(out) == 2
    assert out[0]["line"] == 1 and out[0]["raw"] == '{"text": "caf\\xe9"}'
    assert out[1]["text"] == clean(TEXTS[0])


def test_gzip_input_and_output(tmp_path: Path) -> None:
    recs = records()
    plain = write_jsonl(tmp_path / "in.jsonl", recs)
    packed = tmp_path / "in.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    expected = run("--jsonl", str(plain)).stdout
    assert run("--jsonl", str(packed)).stdout == expected
    out = tmp_path / "out.jsonl.gz"
    r = run("--jsonl", str(packed), "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert gzip.decompress(out.read_bytes()).decode("utf-8") == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_stdin_dash(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", records())
    r = run("--jsonl", "-", input=src.read_bytes())
    assert r.exit_code == 0 and r.stdout == run("--jsonl", str(src)).stdout
    packed = run("--jsonl", "-", input=gzip.compress(src.read_bytes()))
    assert packed.stdout == r.stdout


def test_labels_option_adds_labels_and_removed_counts(tmp_path: Path, cleaner: Cleaner) -> None:
    recs = records()
    r = run("--jsonl", str(write_jsonl(tmp_path / "in.jsonl", recs)), "--labels")
    assert r.exit_code == 0
    for got, rec in zip(read_out(r.stdout), recs):
        expected = [ln.label for ln in cleaner.label_lines(rec["text"])]
        assert got["labels"] == expected and len(got["labels"]) == len(rec["text"].splitlines())
        assert got["removed"] == {c: expected.count(c) for c in ("nav", "paywall", "ad")}
        assert "lines" not in got  # the page text is in the record already


def test_html_field_and_output_field(tmp_path: Path) -> None:
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in TEXTS[4].splitlines() if line.strip()) + \
        "</body></html>"
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "html": html, "text": "kept as it was"}])
    r = run("--jsonl", str(src), "--html-field", "html", "--output-field", "clean", "--labels")
    assert r.exit_code == 0
    (got,) = read_out(r.stdout)
    assert got["clean"] == clean_html(html)
    assert got["html"] == html and got["text"] == "kept as it was"
    assert len(got["lines"]) == len(got["labels"]) > 0  # HTML: the page's text lines the labels refer to


def test_parallel_output_equals_serial(tmp_path: Path) -> None:
    recs = records() * 3
    src = write_jsonl(tmp_path / "in.jsonl", recs, extra=b"oops\n")
    serial = run("--jsonl", str(src))
    parallel = run("--jsonl", str(src), "-j", "2")
    assert serial.exit_code == parallel.exit_code == 5
    assert parallel.stdout == serial.stdout


def test_library_keeps_order_across_chunks_in_workers(cleaner: Cleaner) -> None:
    lines = [json.dumps({"id": i, "text": TEXTS[i % len(TEXTS)]}) for i in range(13)]
    outs = list(clean_jsonl(lines, cleaner, n_jobs=2, chunk_size=2))
    assert [json.loads(o.line)["id"] for o in outs] == list(range(13))
    assert [json.loads(o.line)["text"] for o in outs] == [cleaner.clean(TEXTS[i % len(TEXTS)]) for i in range(13)]
    assert all(o.ok and o.lines > 0 for o in outs)


def test_library_streams_lazily(cleaner: Cleaner) -> None:
    """An endless input yields outcomes as it goes: nothing waits for the end of the stream."""
    read = 0

    def endless() -> Iterator[bytes]:
        nonlocal read
        for i in itertools.count():
            read += 1
            yield json.dumps({"id": i, "text": TEXTS[0]}).encode()

    first = list(itertools.islice(clean_jsonl(endless(), cleaner, chunk_size=4), 3))
    assert [json.loads(o.line)["id"] for o in first] == [0, 1, 2] and read == 4  # one chunk
    read = 0
    first = list(itertools.islice(clean_jsonl(endless(), cleaner, n_jobs=2, chunk_size=4), 3))
    # A bounded window of chunks, never the stream: the worker's chunks in flight, the chunks this
    # process may clean ahead of them, and the one being read.
    window = 1 * CHUNKS_PER_WORKER + SHARE_AHEAD + 1
    assert len(first) == 3 and read <= 4 * window


def test_record_over_the_size_limit_is_an_error_and_the_next_one_is_read(tmp_path: Path) -> None:
    short = "Le conseil municipal a voté le budget.\n\nLa séance a duré trois heures."
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "x" * 5000}, {"id": 2, "text": short}])
    r = run("--jsonl", str(src), "--max-bytes", "1000")
    out = read_out(r.stdout)
    assert r.exit_code == 5 and len(out) == 2
    assert out[0]["line"] == 1 and "size limit" in out[0]["error"] and len(out[0]["raw"]) <= 1000
    assert out[1] == {"id": 2, "text": clean(short)}


def test_usage_errors() -> None:
    seed = str(SEED_PAGES[0])
    for args in (["--jsonl", "a.jsonl", seed], ["--jsonl", "a", "--warc", "b"], [], ["-o", "x.jsonl", seed],
                 ["--labels", seed], ["--jsonl", "a", "--format", "tsv"], ["--jsonl", "a", "--output-dir", "d"],
                 ["--warc", "a", "--text-field", "body"]):
        r = run(*args)
        assert r.exit_code == 2, args
        assert "Usage:" in r.stderr and r.stdout == ""


def test_missing_input_and_unwritable_output(tmp_path: Path) -> None:
    r = run("--jsonl", str(tmp_path / "absent.jsonl"))
    assert r.exit_code == 4 and "absent.jsonl: cannot read" in r.stderr and r.stdout == ""
    src = write_jsonl(tmp_path / "in.jsonl", records()[:1])
    r = run("--jsonl", str(src), "-o", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert r.exit_code == 6 and "cannot write" in r.stderr and "Traceback" not in r.stderr


def test_truncated_gzip_is_a_read_error_and_no_partial_output_file(tmp_path: Path) -> None:
    packed = gzip.compress(write_jsonl(tmp_path / "in.jsonl", records() * 4).read_bytes())
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "out.jsonl"
    r = run("--jsonl", str(src), "-o", str(out))
    assert r.exit_code == 5 and "cut.jsonl.gz: cannot read" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_bad_model_is_one_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a model")
    src = write_jsonl(tmp_path / "in.jsonl", records()[:1])
    r = run("--jsonl", str(src), "--model", str(bad))
    assert r.exit_code == 3 and r.stdout == "" and len(r.stderr.splitlines()) == 1


def test_clean_records_and_clean_line(cleaner: Cleaner) -> None:
    recs = [{"text": TEXTS[1], "n": 1}, {"n": 2}]
    out = list(clean_records(recs, cleaner, RecordOptions(output_field="clean")))
    assert out[0] == {"text": TEXTS[1], "n": 1, "clean": cleaner.clean(TEXTS[1])}
    assert out[1] == {"n": 2, "error": "field 'text' is missing"}
    o = clean_line(RecordOptions(labels=True), cleaner, (1, json.dumps(recs[0]).encode()))
    assert o.ok and o.removed == tuple(json.loads(o.line)["removed"].values())


def test_dump_escapes_lone_surrogates() -> None:
    line = dump({"text": "a\ud800b", "ok": "é"})
    assert json.loads(line) == {"text": "a\ud800b", "ok": "é"}
    assert dump({"t": "é"}) == '{"t":"é"}\n'.encode("utf-8")


def test_open_input_detects_gzip_from_its_bytes(tmp_path: Path) -> None:
    p = tmp_path / "no-suffix"
    p.write_bytes(gzip.compress(b'{"a": 1}\n'))
    with open_input(str(p)) as f:
        assert f.read() == b'{"a": 1}\n'
    with open_input("-", stdin=io.BytesIO(b"plain\n")) as f:
        assert f.read() == b"plain\n"


def test_stats_summary_and_progress_line() -> None:
    stats = BatchStats()
    stats.add(Outcome(b"{}\n", True, lines=10, removed=(2, 1, 0), size=100))
    stats.add(Outcome(b"{}\n", False, size=50))
    text = stats.summary()
    assert text.startswith("2 documents, 10 lines; removed nav 20.0%, paywall 10.0%, ad 0.0%; 1 failed; ")
    out = io.StringIO()
    progress = Progress(out, total=200, position=lambda: 100)
    progress.update(stats)
    progress.update(stats)  # too soon after the first: not redrawn
    progress.close()
    assert out.getvalue().count("\r") == 2 and " 50.0% 2 documents, 1 failed" in out.getvalue()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stdout_holds_records_only_and_stderr_the_summary(tmp_path: Path, jobs: str) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", records()[:2])
    r = run("--jsonl", str(src), "-j", jobs)
    assert all(line.startswith("{") for line in r.stdout.splitlines())
    assert r.stderr.count("\n") == 1


def test_plain_runs_import_no_batch_framework(tmp_path: Path) -> None:
    """The heavy optional libraries load only where they are used: never for a page or a JSONL batch."""
    import subprocess
    import sys

    src = write_jsonl(tmp_path / "in.jsonl", records()[:1])
    code = (
        "import sys\n"
        "from cleaner.cli import main\n"
        "for args in ([sys.argv[1]], ['--jsonl', sys.argv[2], '-o', sys.argv[3]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "heavy = {'pandas', 'pyspark', 'pyarrow', 'datatrove', 'warcio', 'fastwarc', 'sklearn'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(SEED_PAGES[0]), str(src), str(tmp_path / "out.jsonl")],
                       capture_output=True, text=True, check=True)
    assert r.stdout.splitlines()[-1] == "[]"


class _BreaksOnBoom(Cleaner):
    """A cleaner that fails on one page, as an unforeseen bug would."""

    def process(self, text: str):  # type: ignore[no-untyped-def]
        if "BOOM" in text:
            raise RuntimeError("boom")
        return super().process(text)

    def process_many(self, texts, n_jobs=1):  # type: ignore[no-untyped-def]
        if any("BOOM" in t for t in texts):
            raise RuntimeError("boom")
        return super().process_many(texts, n_jobs)


def test_a_page_that_breaks_the_cleaner_fails_alone() -> None:
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate([TEXTS[0], "BOOM page", TEXTS[1]])]
    outs = [json.loads(o.line) for o in clean_jsonl(lines, _BreaksOnBoom())]
    assert [o["id"] for o in outs] == [0, 1, 2]
    assert outs[1]["error"] == "internal error: RuntimeError: boom" and outs[1]["text"] == "BOOM page"
    assert outs[0]["text"] == clean(TEXTS[0]) and outs[2]["text"] == clean(TEXTS[1])
