import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import cleaner as pkg
from cleaner import Cleaner, clean, label_lines

from .conftest import SEED_PAGES


def test_public_names() -> None:
    assert set(pkg.__all__) >= {"clean", "label_lines", "Cleaner", "Line", "__version__"}


def test_label_lines_one_per_input_line() -> None:
    text = SEED_PAGES[4].read_text(encoding="utf-8")
    lines = label_lines(text)
    assert [ln.text for ln in lines] == text.splitlines()
    assert [ln.number for ln in lines] == list(range(1, len(lines) + 1))
    for ln in lines:
        if ln.label == "blank":
            assert not ln.text.strip() and ln.probs == {}
        else:
            assert set(ln.probs) == {"body", "nav", "paywall", "ad"}
            assert sum(ln.probs.values()) == pytest.approx(1.0)
            assert 0.0 <= ln.score <= 1.0


def test_result_lines_are_the_frozen_dataclass_they_would_be_if_built_by_it() -> None:
    import dataclasses

    from cleaner.api import Line

    lines = label_lines("Title\n\nA paragraph of the article.\nMenu")
    for line in lines:
        assert type(line) is Line and line == Line(line.number, line.text, line.label, dict(line.probs))
        with pytest.raises(dataclasses.FrozenInstanceError):
            line.label = "body"  # type: ignore[misc]
    assert lines[1].probs == {} and lines[1].score == 1.0


def test_threshold_is_the_keep_knob() -> None:
    text = SEED_PAGES[0].read_text(encoding="utf-8")  # no repeated lines, no cue lines
    keep_all = Cleaner(threshold=0.0).label_lines(text)
    assert all(ln.label in ("body", "blank") for ln in keep_all)
    keep_none = Cleaner(threshold=1.0).label_lines(text)
    assert all(ln.label != "body" for ln in keep_none)
    with pytest.raises(ValueError):
        Cleaner(threshold=1.5)


def test_empty_and_blank_input() -> None:
    assert clean("") == ""
    assert clean("  \n\n\t\n") == ""
    assert [ln.label for ln in label_lines("\n \n")] == ["blank", "blank"]


def test_cleaner_pickles_without_model_arrays(cleaner: Cleaner) -> None:
    cleaner.clean("Warm up the model.")
    blob = pickle.dumps(Cleaner())
    assert len(blob) < 1000
    assert len(pickle.dumps(cleaner)) < 1000
    again = pickle.loads(blob)
    text = SEED_PAGES[3].read_text(encoding="utf-8")
    assert again.clean(text) == cleaner.clean(text)


def test_threads_share_one_cleaner() -> None:
    shared = Cleaner()
    texts = [p.read_text(encoding="utf-8") for p in SEED_PAGES] * 4
    alone = [Cleaner().clean(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(shared.clean, texts))
    assert together == alone


def test_inference_does_not_import_scikit_learn() -> None:
    code = ("import sys, cleaner.cli\n"
            "from click.testing import CliRunner\n"
            f"r = CliRunner().invoke(cleaner.cli.main, [{str(SEED_PAGES[0])!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "heavy = [m for m in ('sklearn', 'scipy', 'pandas', 'trafilatura') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_clean_many_in_parallel_keeps_order() -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEED_PAGES] * 3 + ["", "Only one line."]
    c = Cleaner()
    one = [c.clean(t) for t in texts]
    assert c.clean_many(texts, n_jobs=1) == one
    assert c.clean_many(texts, n_jobs=2) == one
    results = c.process_many(texts, n_jobs=2)
    assert [len(r.lines) for r in results] == [len(t.splitlines()) for t in texts]


def test_cleaners_of_one_process_share_one_loaded_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from importlib import resources

    a, b = pickle.loads(pickle.dumps(Cleaner())), pickle.loads(pickle.dumps(Cleaner()))
    assert a.model is b.model
    path = tmp_path / "m.npz"
    with resources.files("cleaner.models").joinpath("default.npz").open("rb") as src, open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    first = Cleaner(model=path).model
    assert Cleaner(model=str(path)).model is first
    path.write_bytes(path.read_bytes() + b"")  # rewritten in place: a new modification time
    import os

    os.utime(path, ns=(1, 1))
    assert Cleaner(model=path).model is not first


def test_text_only_calls_give_the_text_of_the_labelled_result() -> None:
    """``clean``, ``clean_many`` and ``clean_html`` skip building lines; their text is ``process``'s."""
    from pathlib import Path

    from cleaner.tsv import page_text, parse_tsv

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in SEED_PAGES]
    texts += [page_text(parse_tsv(p.read_text(encoding="utf-8"))) for p in sorted((root / "data").rglob("*.tsv"))[:80]]
    c = Cleaner()
    expected = [c.process(t).text for t in texts]
    assert [c.clean(t) for t in texts] == expected
    assert c.clean_many(texts) == expected
    assert c.clean_many(texts[:3], n_jobs=2) == expected[:3]
    page = "<html><body><article>" + "".join(f"<p>{line}</p>" for line in texts[0].splitlines() if line.strip())
    page += "</article></body></html>"
    for render in ("trafilatura", "full"):
        assert c.clean_html(page, render) == c.process_html(page, render).text


def _html_pages() -> list[str | bytes]:
    """HTML pages built from the seed pages, one with a menu and a footer around the article, and edge cases."""
    pages: list[str | bytes] = []
    for path in SEED_PAGES:
        paras = "".join(f"<p>{line}</p>" for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        pages.append(f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>{paras}"
                     "</article><footer>© 2026 Example Media</footer></body></html>")
    pages.append(pages[0].encode("utf-8"))  # bytes are decoded as the command decodes files
    pages += ["", "<html><body></body></html>", "<p>Only one short paragraph here.</p>"]
    return pages


def test_html_batches_give_what_each_page_gives_alone() -> None:
    from cleaner.html import render_text

    pages = _html_pages()
    c = Cleaner()
    for render in ("trafilatura", "full"):
        alone = []
        for page in pages:
            # The same page through the text path: its rendered lines, blank lines left out.
            result = c.process(render_text(page, render))
            lines = [ln for ln in result.lines if ln.label != "blank"]
            alone.append(([(ln.text, ln.label, ln.probs) for ln in lines], result.text))
        many = c.process_html_many(pages, render)
        assert [([(ln.text, ln.label, ln.probs) for ln in r.lines], r.text) for r in many] == alone
        assert all([ln.number for ln in r.lines] == list(range(1, len(r.lines) + 1)) for r in many)
        assert c.clean_html_many(pages, render) == [text for _, text in alone]
        assert [c.clean_html(p, render) for p in pages] == [text for _, text in alone]
    # The seed articles survive their menus and footers.
    assert "Home" not in c.clean_html_many(pages[:1])[0] and c.clean_html_many(pages[:1])[0].strip()


# An article that trafilatura gives back as one wall of text with the page's menu and share row,
# which the classifier, reading the wall as one line opening on a menu, would drop whole.
_WALL_ARTICLE = ("The harbour authority opened the new ferry terminal on Monday after three years of building work. "
                 "Passengers will board from a covered hall with room for four hundred people, and the old pier "
                 "will close in May. The mayor said the terminal would cut waiting times in the summer season by half.")
_WALL_PAGE = ("<html><head><title>Ferry</title></head><body><div>Home News Sport Weather Contact Sign in Menu "
              f"Search <span>{_WALL_ARTICLE}</span> Share Facebook Twitter</div></body></html>")


def test_html_keeps_trafilaturas_content_where_the_classifier_would_keep_none_of_it() -> None:
    from cleaner.html import render_page

    text, by_trafilatura = render_page(_WALL_PAGE)
    assert by_trafilatura and _WALL_ARTICLE in text and len(text.splitlines()) == 1
    c = Cleaner()
    assert c.clean(text) == ""  # as text, the wall is dropped: the article is lost
    assert _WALL_ARTICLE in c.clean_html(_WALL_PAGE)
    result = c.process_html(_WALL_PAGE)
    assert [ln.label for ln in result.lines] == ["body"] and result.lines[0].probs["body"] < c.threshold
    # In a batch the rule holds page by page: the seed page beside it keeps its own labels.
    pages = [_html_pages()[0], _WALL_PAGE]
    assert c.clean_html_many(pages) == [c.clean_html(p) for p in pages]
    assert c.clean_html_many(pages, n_jobs=2) == [c.clean_html(p) for p in pages]
    # The full rendering is no extractor's choice: nothing of it is kept whole.
    full = c.process_html(_WALL_PAGE, render="full")
    assert "body" not in [ln.label for ln in full.lines] and full.text == ""


def test_html_batches_in_parallel_keep_order() -> None:
    pages = _html_pages() * 2
    c = Cleaner()
    one = c.clean_html_many(pages)
    assert c.clean_html_many(pages, n_jobs=2) == one
    assert [r.text for r in c.process_html_many(pages, n_jobs=2)] == one


def test_html_batches_refuse_an_unknown_rendering() -> None:
    import pytest

    with pytest.raises(ValueError, match="render must be one of"):
        Cleaner().clean_html_many(["<p>x</p>"], render="readability")
    with pytest.raises(ValueError, match="render must be one of"):
        Cleaner().process_html("<p>x</p>", render="readability")
