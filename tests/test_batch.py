import os
from pathlib import Path

from cleaner import Cleaner
from cleaner.batch import ordered_map
from cleaner.files import FileOptions, run_files

from .conftest import SEED_PAGES


def tag_with_pid(cleaner: Cleaner, chunk: list[int]) -> list[tuple[int, int]]:
    """Each item with the id of the process that handled it."""
    return [(i, os.getpid()) for i in chunk]


def test_shared_work_keeps_order_and_this_process_takes_part(cleaner: Cleaner) -> None:
    out = list(ordered_map(tag_with_pid, range(40), cleaner, n_jobs=2, chunk_size=3))
    assert [i for i, _ in out] == list(range(40))
    pids = {pid for _, pid in out}
    # A worker needs a while to start, so this process cleans the first chunks past those queued for it.
    assert os.getpid() in pids and len(pids) <= 2


class FailsOnBoom(Cleaner):
    """A cleaner whose batches fail when one page holds the word BOOM."""

    def _process_batch(self, texts, with_lines=True, whole=None):  # type: ignore[no-untyped-def]
        if any("BOOM" in t for t in texts):
            raise RuntimeError("boom")
        return super()._process_batch(texts, with_lines, whole)


def test_chunk_of_files_reports_each_failure_alone(tmp_path: Path) -> None:
    bad = tmp_path / "boom.txt"
    bad.write_text("A first line.\nBOOM goes this page.\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "The council voted the budget on Monday night. " * 8
                    + "</p></article></body></html>", encoding="utf-8")
    missing = tmp_path / "absent.txt"
    names = [str(SEED_PAGES[0]), str(bad), str(missing), str(page), str(SEED_PAGES[1])]
    cleaner = FailsOnBoom()
    out = run_files(FileOptions(), cleaner, [(n, None) for n in names])
    assert [o[0] for o in out] == names
    assert [o[2] for o in out] == [0, 1, 4, 0, 0]
    assert out[1][1] is None and out[1][3] == f"{bad}: internal error: RuntimeError: boom"
    assert out[2][1] is None and "absent.txt" in out[2][3]
    for k in (0, 3, 4):
        alone = run_files(FileOptions(), cleaner, [(names[k], None)])
        assert out[k] == alone[0] and out[k][1]


def test_file_tasks_cover_every_input_in_order_and_shrink_at_the_end() -> None:
    from cleaner.files import FILES_PER_TASK, file_tasks

    items = list(range(300))
    tasks = file_tasks(items, 2)
    assert [i for t in tasks for i in t] == items
    sizes = [len(t) for t in tasks]
    assert sizes[0] == FILES_PER_TASK and sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)
    assert [len(t) for t in file_tasks(items[:20], 1)] == [8, 8, 4]
