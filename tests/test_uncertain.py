from pathlib import Path

from cleaner.tsv import parse_tsv
from training.uncertain import main

ROOT = Path(__file__).resolve().parent.parent


def test_writes_least_sure_pages_as_correctable_tsv(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pages = tmp_path / "pages"
    pages.mkdir()
    site = sorted((ROOT / "notebooks" / "example_site" / "pages").glob("*.txt"))[:4]
    for p in site:
        (pages / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (pages / "clean.txt").write_text("A plain sentence that is body.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(pages), str(out), "--pages", "2", "--lines", "5"]) == 0
    written = sorted(out.glob("*.tsv"))
    assert len(written) == 2 and all(w.stem.startswith("harbourline") for w in written)
    for w in written:
        rows = parse_tsv(w.read_text(encoding="utf-8"))
        src = (pages / (w.stem + ".txt")).read_text(encoding="utf-8")
        assert [r.text for r in rows] == src.splitlines()
    listed = capsys.readouterr().out.strip().split("\n")
    assert len(listed) == 5
    margins = [float(line.split("\t")[1]) for line in listed]
    assert margins == sorted(margins)
