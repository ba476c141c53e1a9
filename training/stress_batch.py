"""A large mixed batch through the CLI: every good file cleaned, every bad one named, nothing on stdout.

Usage::

    python -m training.stress_batch [--mb 100] [--jobs 2]

Builds a temporary folder of about ``--mb`` megabytes: copies of the team's pages
(good) mixed with bad files (binary, a PDF, undecodable bytes, one over the size
limit, a gzip bomb), runs ``clean-article --output-dir`` on all of them plus a
missing path, and checks the outcome. Prints the figures as a markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from .data import load_team

MAX_BYTES = 5 * 1024 * 1024


def build(folder: Path, megabytes: float) -> tuple[list[Path], list[Path]]:
    """Write good and bad files; returns both lists."""
    texts = [d.text.encode("utf-8") for d in load_team("train") + load_team("heldout")]
    good: list[Path] = []
    bad: list[Path] = []
    bads = {
        "binary.txt": b"\x00\x01\x02" * 1000,
        "document.pdf": b"%PDF-1.7\n" + b"\x00" * 100,
        "latin.txt": b"\xff\xfe\xfa" + b"\x80\x81" * 10,  # not decodable: refused or guessed, never a crash
        "huge.txt": b"word " * (MAX_BYTES // 5 + 10),
        "bomb.txt.gz": gzip.compress(b"a" * (MAX_BYTES * 2)),
    }
    total, i = 0, 0
    target = megabytes * 1e6
    while total < target:
        # Pages glued into files of about 200 kB, some with one very long line.
        chunk = b"\n\n".join(texts[(i * 37 + k) % len(texts)] for k in range(40))
        if i % 50 == 7:
            chunk += b"\n" + b"x" * 2_000_000
        p = folder / f"good-{i:05d}.txt"
        p.write_bytes(chunk)
        good.append(p)
        total += len(chunk)
        if i % 100 == 3:
            for name, data in bads.items():
                q = folder / f"bad-{i:05d}-{name}"
                q.write_bytes(data)
                bad.append(q)
                total += len(data)
        i += 1
    return good, bad


def main(argv: Sequence[str] | None = None) -> int:
    """Run the batch and check it."""
    ap = argparse.ArgumentParser(prog="python -m training.stress_batch", description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        good, bad = build(src, args.mb)
        missing = src / "missing.txt"
        files = [str(p) for p in sorted(good + bad)] + [str(missing)]
        size = sum(p.stat().st_size for p in good + bad)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "cleaner.cli", "-j", str(args.jobs), "--max-bytes", str(MAX_BYTES),
                            "--output-dir", str(out), *files], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        written = {p.name for p in out.iterdir()}
        cleaned = sum(p.name + ".txt" in written for p in good)
        refused = [p for p in bad if p.name in r.stderr]
        guessed = [p for p in bad if p.name + ".txt" in written]
        print("| figure | value |\n|---|---:|")
        print(f"| input | {size / 1e6:.1f} MB in {len(files)} files ({len(good)} good, {len(bad)} bad, 1 missing) |")
        print(f"| good files cleaned | {cleaned} of {len(good)} |")
        print(f"| bad files named on stderr | {len(refused)} of {len(bad)} ({len(guessed)} decoded and cleaned instead) |")
        print(f"| missing file named | {'yes' if missing.name in r.stderr else 'no'} |")
        print(f"| exit code | {r.returncode} |")
        print(f"| bytes on stdout | {len(r.stdout)} |")
        print(f"| wall time (-j {args.jobs}) | {dt:.1f} s |")
        print(f"| peak RSS of the largest process | {peak:.0f} MB |")
        print(f"| summary line | {r.stderr.strip().splitlines()[-1]} |")
        ok = (cleaned == len(good) and len(refused) + len(guessed) == len(bad) and r.returncode != 0
              and not r.stdout and missing.name in r.stderr)
    print("\nall good files cleaned, every failure named, nothing on stdout:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
