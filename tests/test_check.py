from pathlib import Path

from training.check import main


def test_check_searches_folders_and_reports_bad_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "good.tsv").write_text("body\t-\tUn article.\nblank\t-\t\nnav\t-\tMenu\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    (tmp_path / "fr" / "bad.tsv").write_text("bodyy\t-\tUn article.\n", encoding="utf-8")
    (tmp_path / "fr" / "nobody.tsv").write_text("nav\t-\tMenu\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "bad.tsv" in err and "nobody.tsv: no body line" in err and "good.tsv" not in err
