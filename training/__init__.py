"""Training and evaluation of clean-article's line model (needs the ``train`` extra).

Importing this package pins the BLAS that NumPy bundles (OpenBLAS) to one kernel and one thread,
before NumPy loads it (``training.blas``): a retrain then gives the same model bit for bit
whatever the machine's processor and core count.
"""

from . import blas

blas.pin()
