"""Check labelled tsv files: ``python -m training.check FILE_OR_FOLDER...`` (folders are searched for ``*.tsv``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from cleaner.errors import InputError
from cleaner.tsv import parse_tsv


def main(argv: Sequence[str] | None = None) -> int:
    """Report every file that does not follow the format; exit 1 if any."""
    bad = 0
    names: list[str] = []
    for arg in argv if argv is not None else sys.argv[1:]:
        path = Path(arg)
        names += sorted(str(p) for p in path.rglob("*.tsv")) if path.is_dir() else [arg]
    for name in names:
        try:
            rows = parse_tsv(Path(name).read_text(encoding="utf-8"), name)
        except (InputError, OSError, UnicodeDecodeError) as exc:
            print(exc, file=sys.stderr)
            bad += 1
            continue
        if not any(r.label == "body" for r in rows):
            print(f"{name}: no body line", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
