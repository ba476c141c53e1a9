import os

from cleaner import Cleaner
from cleaner.batch import ordered_map


def tag_with_pid(cleaner: Cleaner, chunk: list[int]) -> list[tuple[int, int]]:
    """Each item with the id of the process that handled it."""
    return [(i, os.getpid()) for i in chunk]


def test_shared_work_keeps_order_and_this_process_takes_part(cleaner: Cleaner) -> None:
    out = list(ordered_map(tag_with_pid, range(40), cleaner, n_jobs=2, chunk_size=3, share=True))
    assert [i for i, _ in out] == list(range(40))
    pids = {pid for _, pid in out}
    # A worker needs a while to start, so this process cleans the first chunks past those queued for it.
    assert os.getpid() in pids and len(pids) <= 2
