"""One BLAS kernel and one BLAS thread for training, so that a retrain does not depend on the processor.

OpenBLAS, which NumPy and SciPy bundle, picks its kernel from the processor (AVX2, AVX-512, …)
and splits sums over threads. Either changes the last bits of a fit, and the trees of the context
stage then split elsewhere: on one machine, a team-only fit gave three different models under
the processor's own kernel, the Haswell kernel with two threads and the Haswell kernel with one.
Pinned to the Haswell kernel (AVX2, which every x86_64 server of the last decade has) and one
thread, neither can change it (pinned fits run twice gave the same bits). OpenMP threads (scikit-learn's trees) do not change the
result and are left alone.

The pins are environment variables, read once when OpenBLAS loads: ``pin`` must run before
NumPy is imported, as ``import training`` does first; the evaluation commands of this package get
the same pins. Variables already set are left as they are.
"""

from __future__ import annotations

import os
import platform
import sys

# The kernel every x86_64 machine with AVX2 can run; elsewhere OpenBLAS keeps its own choice.
CORETYPE = "Haswell"
X86_64 = ("x86_64", "amd64")


def pin() -> None:
    """Set the OpenBLAS kernel and thread count for this process and its workers, unless already set."""
    if platform.machine().lower() in X86_64:
        os.environ.setdefault("OPENBLAS_CORETYPE", CORETYPE)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def describe() -> str:
    """The BLAS libraries loaded, with their kernel and threads (for the model card)."""
    from threadpoolctl import threadpool_info

    parts = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')} kernel, {i.get('num_threads')}"
             f" thread{'s' if i.get('num_threads') != 1 else ''})"
             for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(parts) or "no BLAS found"


def pinned() -> bool:
    """Whether the loaded OpenBLAS runs with the pinned kernel and thread count."""
    from threadpoolctl import threadpool_info

    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    core = os.environ.get("OPENBLAS_CORETYPE", "").lower()
    return all(str(i.get("num_threads")) == threads and (not core or str(i.get("architecture")).lower() == core)
               for i in threadpool_info() if i.get("internal_api") == "openblas")


def warn_unpinned() -> None:
    """Say on stderr when NumPy was loaded before the pins were set (the model may then differ by machine)."""
    if not pinned():
        print(f"warning: BLAS not pinned ({describe()}); NumPy was imported before training, so this fit may"
              " differ from one on another machine", file=sys.stderr)
