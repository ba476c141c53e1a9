import json
from pathlib import Path

from click.testing import CliRunner

from cleaner import __version__
from cleaner.cli import main

from .conftest import SEED_PAGES

SEED = SEED_PAGES[4]


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def test_text_output_matches_expected_seed() -> None:
    r = run(str(SEED))
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout == SEED.with_name(SEED.stem + ".expected.txt").read_text(encoding="utf-8")


def test_tsv_has_one_row_per_input_line() -> None:
    r = run("--format", "tsv", str(SEED))
    assert r.exit_code == 0
    rows = r.stdout.split("\n")[:-1]
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines)
    for row, line in zip(rows, lines):
        label, score, text = row.split("\t", 2)
        assert label in {"body", "nav", "paywall", "ad", "blank"}
        assert 0.0 <= float(score) <= 1.0
        assert text == line


def test_json_has_labels_probabilities_and_text() -> None:
    r = run("--format", "json", str(SEED))
    doc = json.loads(r.stdout)
    assert doc["text"] + "\n" == run(str(SEED)).stdout
    assert len(doc["lines"]) == len(SEED.read_text(encoding="utf-8").splitlines())
    first = doc["lines"][0]
    assert first["label"] == "nav" and set(first["probs"]) == {"body", "nav", "paywall", "ad"}


def test_stdin_dash() -> None:
    r = run("-", input=SEED.read_bytes())
    assert r.exit_code == 0 and r.stdout == run(str(SEED)).stdout


def test_missing_file_is_one_line_error_and_others_still_run(tmp_path: Path) -> None:
    r = run(str(tmp_path / "absent.txt"), str(SEED))
    assert r.exit_code == 4
    error, summary = r.stderr.splitlines()
    assert "absent.txt" in error and "Traceback" not in r.stderr
    assert summary == "clean-article: 2 inputs, 1 cleaned, 1 failed"
    assert r.stdout == run(str(SEED)).stdout


def test_bad_model_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a model")
    r = run("--model", str(bad), str(SEED))
    assert r.exit_code == 3 and "not a readable clean-article model" in r.stderr
    assert r.stdout == ""


def test_output_dir_writes_one_file_per_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run("--output-dir", str(out), "--format", "tsv", *map(str, SEED_PAGES[:2]))
    assert r.exit_code == 0 and r.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name + ".tsv" for p in SEED_PAGES[:2])


def test_threshold_option_changes_what_is_kept() -> None:
    assert run("--threshold", "1.0", str(SEED)).stdout == ""
    assert run("--threshold", "2", str(SEED)).exit_code == 2


def test_version_and_help() -> None:
    assert __version__ in run("--version").stdout
    h = run("-h")
    assert h.exit_code == 0 and "--format" in h.stdout


def test_jobs_keep_order_and_report_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    args = [str(SEED_PAGES[0]), str(bad), *map(str, SEED_PAGES[1:])]
    serial = run(*args)
    parallel = run("-j", "2", *args)
    assert serial.exit_code == parallel.exit_code == 5
    assert parallel.stdout == serial.stdout == "".join(run(str(p)).stdout for p in SEED_PAGES)
    assert parallel.stderr.count("\n") == 2 and "bin.txt" in parallel.stderr.splitlines()[0]


def test_mixed_line_endings_keep_one_row_per_line(tmp_path: Path) -> None:
    page = tmp_path / "mixed.txt"
    page.write_bytes("Title\r\nFirst paragraph here.\rSecond one.\n\nLaisser un commentaire".encode("utf-8"))
    r = run("--format", "tsv", str(page))
    assert [row.split("\t", 2)[2] for row in r.stdout.splitlines()] == [
        "Title", "First paragraph here.", "Second one.", "", "Laisser un commentaire"]


def test_bad_inputs_table(tmp_path: Path) -> None:
    cases = {
        "empty.txt": (b"", 0),
        "spaces.txt": (b"  \n\t\n", 0),
        "nul.txt": (b"text\x00more", 5),
        "pdf.txt": (b"%PDF-1.5 ...", 5),
        "big.txt": (b"a" * 2000, 5),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    for name, (_, code) in cases.items():
        r = run("--max-bytes", "1000", str(tmp_path / name))
        assert r.exit_code == code, name
        assert r.stdout == "" and "Traceback" not in r.stderr
        assert (r.stderr == "") == (code == 0)
    assert run(str(tmp_path)).exit_code == 4  # a directory


def test_output_dir_leaves_no_partial_file_when_writing_fails(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    import cleaner.cli as cli

    out = tmp_path / "out"
    out.mkdir()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    r = CliRunner().invoke(cli.main, ["--output-dir", str(out), str(SEED)])
    assert r.exit_code == 6 and "disk full" in r.stderr and "Traceback" not in r.stderr
    assert list(out.iterdir()) == []  # neither the result nor a temporary file is left behind


def test_several_html_files_among_text_files_each_get_their_own_output(tmp_path: Path) -> None:
    # HTML pages of one run are scored together, text files together; each output is still its own.
    from cleaner import Cleaner

    pages = []
    for k, seed in enumerate(SEED_PAGES[:3]):
        paras = "".join(f"<p>{line}</p>" for line in seed.read_text(encoding="utf-8").splitlines() if line.strip())
        page = tmp_path / f"page{k}.html"
        page.write_text(f"<html><body><nav><a href='/'>Home</a></nav><article>{paras}</article></body></html>",
                        encoding="utf-8")
        pages.append(page)
    missing = tmp_path / "missing.html"
    args = [str(pages[0]), str(SEED_PAGES[3]), str(missing), str(pages[1]), str(SEED_PAGES[4]), str(pages[2])]
    r = run(*args)
    assert r.exit_code == run(str(missing)).exit_code != 0
    c = Cleaner()
    want = [c.clean_html(pages[0].read_text(encoding="utf-8")), run(str(SEED_PAGES[3])).stdout,
            c.clean_html(pages[1].read_text(encoding="utf-8")), run(str(SEED_PAGES[4])).stdout,
            c.clean_html(pages[2].read_text(encoding="utf-8"))]
    assert r.stdout == "".join(w if w.endswith("\n") else w + "\n" for w in want)
    assert "missing.html: cannot read" in r.stderr.splitlines()[0]
    assert r.stderr.splitlines()[1:] == ["clean-article: 6 inputs, 5 cleaned, 1 failed"]
    assert run("-j", "2", *args).stdout == r.stdout
