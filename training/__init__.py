"""Training and evaluation of clean-article's line model (needs the ``train`` extra).

Importing this package pins the BLAS that NumPy bundles (OpenBLAS) to one kernel and one thread,
before NumPy loads it (``training.blas``), so that the processor and its core count do not change
a retrain.
"""

from . import blas

blas.pin()
