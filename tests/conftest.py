"""Shared fixtures: the seed pages and the shipped model's cleaner."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PAGES = sorted(p for p in SEEDS.glob("*.txt") if not p.name.endswith(".expected.txt"))


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    """A cleaner with the shipped model."""
    return Cleaner()
