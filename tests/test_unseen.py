"""``python -m training.unseen``: the model on probe pages of languages it never learned."""

from pathlib import Path

from training import unseen

PAGE = "\n".join([
    "nav\t-\tΑρχική | Ειδήσεις | Αθλητικά",
    "body\t-\tΝέα γέφυρα ενώνει τις δύο όχθες του ποταμού",
    "body\t-\tΗ δημοτική αρχή παρέδωσε χθες στην κυκλοφορία τη νέα πεζογέφυρα, μετά από δύο χρόνια εργασιών.",
    "blank\t-\t",
    "body\t-\tΟι κάτοικοι της περιοχής περίμεναν το έργο εδώ και δεκαετίες, όπως είπε ο δήμαρχος στην τελετή.",
    "ad\t-\tΔιαβάστε επίσης: Πέντε παραλίες για το Σαββατοκύριακο",
    "nav\t-\tΚοινοποίηση: Facebook Twitter Email",
])


def _probe(tmp_path: Path) -> Path:
    folder = tmp_path / "probe" / "el"
    folder.mkdir(parents=True)
    (folder / "el-p01-gefyra.tsv").write_text(PAGE + "\n", encoding="utf-8")
    (folder / "el-p02-gefyra.tsv").write_text(PAGE + "\n", encoding="utf-8")
    return tmp_path


def test_every_system_reads_every_content_line(tmp_path: Path) -> None:
    docs = unseen.load_team(unseen.PROBE, _probe(tmp_path))
    results = unseen.evaluate(docs, unseen.Cleaner())
    assert set(results) == {"clean-article", "trafilatura", "jusText"}
    for scores in results.values():
        assert set(scores) == {"all", "el"}
        assert scores["all"].n == 2 * 6  # six content lines per page, the blank one left out


def test_report_names_each_language_and_system(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert unseen.main(["--data-dir", str(_probe(tmp_path)), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Pages: 2 team-written pages under `data/probe/` (el 2)" in text
    for system in ("clean-article", "trafilatura", "jusText"):
        assert f"| el | {system} |" in text and f"| all | {system} |" in text


def test_no_probe_pages_is_an_error(tmp_path: Path) -> None:
    assert unseen.main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "r.md")]) == 1
    assert not (tmp_path / "r.md").exists()
