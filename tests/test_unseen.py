"""``python -m training.unseen``: the model on probe pages of languages it never learned."""

from pathlib import Path

import pytest

from cleaner import Cleaner
from training import unseen
from training.evaluate import predict, score

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
    # Greek is no script the shipped model learned.
    assert "scored with its fallback for scripts it did not learn (no n-grams): el 2 of 2." in text
    for system in ("clean-article", "trafilatura", "jusText"):
        assert f"| el | {system} |" in text and f"| all | {system} |" in text


def test_no_probe_pages_is_an_error(tmp_path: Path) -> None:
    assert unseen.main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "r.md")]) == 1
    assert not (tmp_path / "r.md").exists()


# The shipped model on the team's probe pages (``data/probe``): languages it never learned, most in
# scripts it never read. Measured figures rounded down a little; lowering one needs a reason in the
# commit message. Body recall comes first: on a page it cannot read, the model must keep the article.
# Measured with the fallback's context trees on leaves of at least 100 lines (L2 1.0): 0.998 / 0.809, every
# language at 0.988 (Chinese) or above. With 20-line leaves they had overruled a line stage sure of body
# (0.98) on two Hindi paragraphs (0.967, all 0.993 / 0.789).
PROBE_FLOORS = {"body_recall": 0.99, "body_recall_each": 0.98, "removal": 0.8}


def test_shipped_model_keeps_the_article_in_languages_it_never_learned() -> None:
    docs = unseen.load_team(unseen.PROBE)
    if not docs:
        pytest.skip("no probe pages under data/probe")
    cleaner = Cleaner()
    scores = score(docs, lambda d: predict(cleaner, d))
    assert scores["all"].body_recall >= PROBE_FLOORS["body_recall"]
    assert scores["all"].removal >= PROBE_FLOORS["removal"]
    for lang, s in scores.items():
        assert s.body_recall >= PROBE_FLOORS["body_recall_each"], lang
