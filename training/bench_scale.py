"""At scale: a large JSONL file through ``clean-article --jsonl``, and throughput with workers and Spark.

Usage::

    python -m training.bench_scale [--mb 1000] [--throughput-mb 20] [--jobs 2] [--repeat 2] [--no-spark]

1. Builds a JSONL file of about ``--mb`` megabytes from the repository's own pages
   (``seeds/*.txt`` and the text of ``data/train``), one page per record with an id,
   a URL and a language, and a bad record (invalid JSON, a missing or non-string
   text field) every 10,000 records.
2. Cleans it with ``clean-article --jsonl -j JOBS`` in a subprocess, sampling the
   resident memory of the whole process tree, and checks that every record is in
   the output, in order, with an ``error`` field exactly where the input was bad.
3. Cleans a smaller file (``--throughput-mb``) with ``-j 1``, ``-j 2`` and, unless
   ``--no-spark``, Spark ``local[2]`` through ``cleaner.integrations.spark``, each
   ``--repeat`` times (the fastest run kept), and checks that Spark's clean text
   equals the command's.

Prints a markdown report and writes it to ``reports/scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, Sequence

from cleaner.tsv import page_text, parse_tsv

ROOT = Path(__file__).resolve().parent.parent
BAD_EVERY = 10_000
BAD_KINDS = ("invalid", "missing", "null")


def pages() -> list[tuple[str, str, str]]:
    """``(language, name, text)`` of every seed page and team training page."""
    out = [("seed", p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))
           if not p.name.endswith(".expected.txt")]
    for p in sorted((ROOT / "data" / "train").glob("*/*.tsv")):
        out.append((p.parent.name, p.stem, page_text(parse_tsv(p.read_text(encoding="utf-8"), str(p)))))
    return out


def build(path: Path, megabytes: float, bad_every: int | None = BAD_EVERY) -> tuple[int, dict[int, str]]:
    """Write a JSONL file of about ``megabytes`` MB; returns the record count and the bad records by index."""
    source = pages()
    target = megabytes * 1e6
    size, i = 0, 0
    bad: dict[int, str] = {}
    with path.open("wb", buffering=1 << 20) as f:
        while size < target:
            lang, name, text = source[i % len(source)]
            record = {"id": i, "url": f"https://news.example/{lang}/{name}/{i}", "lang": lang, "text": text}
            if bad_every and i % bad_every == bad_every - 1:
                kind = bad[i] = BAD_KINDS[(i // bad_every) % len(BAD_KINDS)]
                if kind == "invalid":
                    line = f'{{"id": {i}, "text": "cut off'.encode()
                else:
                    if kind == "missing":
                        del record["text"]
                    else:
                        record["text"] = None
                    line = json.dumps(record, ensure_ascii=False).encode("utf-8")
            else:
                line = json.dumps(record, ensure_ascii=False).encode("utf-8")
            f.write(line + b"\n")
            size += len(line) + 1
            i += 1
    return i, bad


def _tree_rss(root: int) -> tuple[int, int]:
    """Resident bytes of process ``root`` and its descendants: ``(sum, largest)``."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(c for c, p in parents.items() if p == pid and c not in tree)
    sizes = [rss.get(p, 0) for p in tree]
    return sum(sizes), max(sizes, default=0)


def run_measured(cmd: Sequence[str]) -> tuple[subprocess.CompletedProcess[str], float, list[tuple[float, int, int]]]:
    """Run ``cmd``, sampling the RSS of its process tree twice a second: result, seconds and samples."""
    samples: list[tuple[float, int, int]] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            total, largest = _tree_rss(proc.pid)
            samples.append((time.perf_counter() - t0, total, largest))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    done.set()
    thread.join()
    dt = time.perf_counter() - t0
    return subprocess.CompletedProcess(list(cmd), proc.returncode, out, err), dt, samples


def check_output(path: Path, n: int, bad: dict[int, str]) -> tuple[int, int, list[str]]:
    """Check the output of a built file: ``(records, error records, problems)``."""
    problems: list[str] = []
    count = errors = 0
    with path.open("rb") as f:
        for i, line in enumerate(f):
            count += 1
            rec = json.loads(line)
            is_error = "error" in rec
            errors += is_error
            if (i in bad) != is_error:
                problems.append(f"record {i}: error field {'missing' if i in bad else 'unexpected'}")
            elif i in bad and bad[i] == "invalid":
                if rec.get("line") != i + 1:
                    problems.append(f"record {i}: error record names line {rec.get('line')}")
            elif rec.get("id") != i:
                problems.append(f"record {i}: found id {rec.get('id')} (order lost)")
            elif not is_error and not isinstance(rec.get("text"), str):
                problems.append(f"record {i}: no clean text")
            if len(problems) > 20:
                break
    if count != n:
        problems.append(f"{count} output records for {n} input records")
    return count, errors, problems


def cli(*args: str) -> list[str]:
    """The command line of ``clean-article`` with ``args``."""
    return [sys.executable, "-m", "cleaner.cli", *args]


def mb(n: float) -> str:
    """Bytes as MB."""
    return f"{n / 1e6:,.0f} MB"


def memory_run(tmp: Path, megabytes: float, jobs: int) -> tuple[list[str], bool]:
    """The large-file run: report rows and whether every record was accounted for."""
    src, out = tmp / "big.jsonl", tmp / "big.out.jsonl"
    t0 = time.perf_counter()
    n, bad = build(src, megabytes)
    build_s = time.perf_counter() - t0
    size = src.stat().st_size
    load, cpu0 = _load(), _children_cpu()
    r, dt, samples = run_measured(cli("--jsonl", str(src), "-o", str(out), "-j", str(jobs)))
    cpu = _children_cpu() - cpu0
    count, errors, problems = check_output(out, n, bad)
    peak_total = max((s[1] for s in samples), default=0)
    peak_one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    # Flat memory: the tree's RSS at each tenth of the run, after the workers have started.
    deciles = [samples[min(len(samples) - 1, len(samples) * k // 10)][1] for k in range(1, 10)] if samples else []
    ok = not problems and r.returncode == (5 if bad else 0) and errors == len(bad)
    rows = [
        f"| input | {mb(size)} JSONL, {n:,} records ({len(bad)} bad), built in {build_s:.0f} s |",
        f"| command | `clean-article --jsonl big.jsonl -o big.out.jsonl -j {jobs}` |",
        f"| wall time | {dt:,.0f} s ({n / dt:,.0f} records/s, {size / dt / 1e6:.2f} MB/s); load average "
        f"{load} at the start, {_load()} at the end |",
        f"| CPU time, all processes | {cpu:,.0f} s ({n / cpu:,.0f} records per CPU second) |",
        f"| output | {count:,} records, in input order; {errors} with an error field (the {len(bad)} bad ones) |",
        f"| exit code | {r.returncode} (5: some records failed, all written) |",
        f"| peak RSS, whole process tree (sampled every 0.5 s) | {mb(peak_total)} |",
        f"| peak RSS, largest single process (getrusage) | {mb(peak_one)} |",
        f"| tree RSS at each tenth of the run | {', '.join(f'{d / 1e6:.0f}' for d in deciles)} MB |",
        f"| summary line | `{r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''}` |",
    ]
    rows += [f"| problem | {p} |" for p in problems]
    return rows, ok


def spark_run(src: Path, out: Path, parts: int, repeat: int = 1) -> tuple[float, float]:
    """Clean ``src`` with Spark ``local[2]``: ``(session start seconds, fastest job seconds)``."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.perf_counter()
    from pyspark.sql import SparkSession

    from cleaner.integrations.spark import clean_dataframe

    spark = (SparkSession.builder.master("local[2]").appName("bench_scale")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.sql.files.maxPartitionBytes", str(max(1 << 20, src.stat().st_size // parts + 1)))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t0
    job = float("inf")
    try:
        for _ in range(repeat):
            t1 = time.perf_counter()
            df = spark.read.schema("id long, url string, lang string, text string").json(str(src))
            clean_dataframe(df, "text", "text").write.mode("overwrite").json(str(out))
            job = min(job, time.perf_counter() - t1)
    finally:
        spark.stop()
    return start, job


def spark_texts(out: Path) -> Iterator[tuple[int, str]]:
    """``(id, text)`` of every record Spark wrote."""
    for part in sorted(out.glob("part-*")):
        with part.open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                yield rec["id"], rec.get("text", "")


def throughput_run(tmp: Path, megabytes: float, spark: bool, repeat: int = 1) -> list[str]:
    """Throughput rows: ``-j 1``, ``-j 2`` and Spark ``local[2]`` on the same file."""
    src = tmp / "small.jsonl"
    n, _ = build(src, megabytes, bad_every=None)
    size = src.stat().st_size
    rows: list[str] = []
    load = _load()
    times: dict[str, float] = {}
    outputs: dict[str, Path] = {}
    cpu: dict[str, float] = {}
    # Alternating runs, the fastest of each kept: other work on the machine slows runs at random.
    for _ in range(repeat):
        for jobs in (1, 2):
            name = f"-j {jobs}"
            out = tmp / f"small.j{jobs}.jsonl"
            before = _children_cpu()
            t0 = time.perf_counter()
            r = subprocess.run(cli("--jsonl", str(src), "-o", str(out), "-j", str(jobs)), capture_output=True,
                               text=True)
            dt = time.perf_counter() - t0
            if r.returncode != 0:
                raise SystemExit(f"clean-article -j {jobs} failed: {r.stderr}")
            if dt < times.get(name, float("inf")):
                times[name] = dt
                cpu[name] = _children_cpu() - before  # workers included: the command waits for them
            outputs[name] = out
    same = outputs["-j 1"].read_bytes() == outputs["-j 2"].read_bytes()
    base = times["-j 1"]
    for name, dt in times.items():
        rows.append(f"| `clean-article --jsonl` {name} | {dt:.1f} s | {n / dt:,.0f} | {cpu[name]:.1f} s "
                    f"| {n / cpu[name]:,.0f} | {base / dt:.2f}× |")
    if spark:
        start, job = spark_run(src, tmp / "spark.out", parts=8, repeat=repeat)
        rows.append(f"| Spark local[2], `clean_dataframe` (session start {start:.1f} s not counted) | {job:.1f} s "
                    f"| {n / job:,.0f} | | | {base / job:.2f}× |")
        expected = {}
        with outputs["-j 1"].open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                expected[rec["id"]] = rec["text"]
        got = dict(spark_texts(tmp / "spark.out"))
        agree = got == expected
        rows.append(f"| Spark output equals `-j 1` output | {'yes' if agree else 'NO'} ({len(got):,} records) "
                    "| | | | |")
    rows.append(f"| `-j 2` output equals `-j 1` output byte for byte | {'yes' if same else 'NO'} | | | | |")
    header = [f"Throughput on {mb(size)} ({n:,} records), fastest of {repeat} runs each; load average "
              f"{load} before the runs, {_load()} after:", "",
              "| run | wall time | records/s | CPU time | records per CPU second | wall-time speed-up against -j 1 |",
              "|---|---:|---:|---:|---:|---:|"]
    return header + rows


def _children_cpu() -> float:
    """User and system CPU seconds of all waited-for child processes so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    """The 1-minute load average: other work on the machine slows every run alike."""
    return f"{os.getloadavg()[0]:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Build, run, check and report."""
    ap = argparse.ArgumentParser(prog="python -m training.bench_scale", description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=1000, help="size of the large file (0: skip the large run)")
    ap.add_argument("--throughput-mb", type=float, default=20, help="size of the throughput file (0: skip)")
    ap.add_argument("--jobs", type=int, default=2, help="workers for the large run")
    ap.add_argument("--no-spark", action="store_true", help="skip the Spark run")
    ap.add_argument("--repeat", type=int, default=2, help="throughput runs of each kind; the fastest is kept")
    ap.add_argument("--report", type=Path, default=ROOT / "reports" / "scale.md")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the files (default: a temporary one)")
    args = ap.parse_args(argv)
    lines = ["# At scale", "",
             f"`python -m training.bench_scale --mb {args.mb:g} --throughput-mb {args.throughput_mb:g} "
             f"--jobs {args.jobs} --repeat {args.repeat}{' --no-spark' if args.no_spark else ''}` on "
             f"{os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.", ""]
    ok = True
    with tempfile.TemporaryDirectory(dir=args.tmp) as name:
        tmp = Path(name)
        # The large run first: getrusage's peak then covers its processes only, not Spark's JVM.
        if args.mb:
            rows, ok = memory_run(tmp, args.mb, args.jobs)
            lines += ["Large file:", "", "| figure | value |", "|---|---|"] + rows + [""]
            lines += [f"Every record accounted for, in order: {'yes' if ok else 'NO'}", ""]
            print("\n".join(lines), flush=True)
        if args.throughput_mb:
            lines += throughput_run(tmp, args.throughput_mb, not args.no_spark, args.repeat)
    report = "\n".join(lines) + "\n"
    print(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
