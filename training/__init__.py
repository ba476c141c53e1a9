"""Training and evaluation of clean-article's line model (needs the ``train`` extra)."""
