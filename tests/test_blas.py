"""Training pins OpenBLAS to one kernel and one thread, so that the processor does not change a retrain."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from training import blas

X86_64 = platform.machine().lower() in blas.X86_64


def test_pin_sets_the_kernel_and_one_thread_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    blas.pin()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ.get("OPENBLAS_CORETYPE") == ("Haswell" if X86_64 else None)


def test_pin_leaves_values_the_user_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Zen")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    blas.pin()
    assert os.environ["OPENBLAS_CORETYPE"] == "Zen" and os.environ["OPENBLAS_NUM_THREADS"] == "4"


def _child(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not X86_64, reason="the kernel is pinned on x86_64 only")
def test_importing_training_first_loads_openblas_pinned() -> None:
    out = _child("import training, numpy; from training import blas; print(blas.pinned(), blas.describe())")
    assert out.startswith("True ") and "Haswell kernel, 1 thread)" in out


def test_pinned_tells_when_numpy_was_loaded_before_the_pins() -> None:
    # NumPy loaded with two threads; the pins set afterwards cannot change the library any more.
    code = ("import numpy, os; os.environ['OPENBLAS_NUM_THREADS'] = '1'; from training import blas;"
            " print(blas.pinned())")
    assert _child(code, OPENBLAS_NUM_THREADS="2") == "False"
