"""Spark: add the clean text of every row to a DataFrame.

Needs the ``spark`` extra (``pip install "clean-article[spark]"``: pyspark, pandas,
pyarrow) on the driver and on every executor. Rows are cleaned in Arrow batches
with ``DataFrame.mapInPandas``; each Python worker loads the model once, on its
first batch, and keeps it for the tasks it runs after that.

Example::

    from cleaner.integrations.spark import clean_dataframe

    df = spark.read.json("s3://bucket/pages/*.jsonl.gz")
    clean_dataframe(df, "text", "clean_text").write.parquet("s3://bucket/clean/")
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..api import Cleaner
from ..batch import cached_cleaner, cleaner_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame


def clean_dataframe(df: DataFrame, text_col: str = "text", output_col: str = "clean_text", *,
                    html: bool = False, model: str | Path | None = None,
                    threshold: float | None = None) -> DataFrame:
    """A DataFrame with the clean text of ``text_col`` in ``output_col``.

    Args:
        df: The input DataFrame.
        text_col: A string column of pages as scraped (or of HTML, with ``html=True``;
            a binary column of HTML works too).
        output_col: The string column to write; an existing column of that name is replaced.
        html: Whether ``text_col`` holds HTML pages.
        model: A model file path (present on every executor); ``None`` for the shipped model.
        threshold: Minimum body probability to keep a line; ``None`` for the model's own.

    Returns:
        A DataFrame with the same rows, in the same partitions, and ``output_col``; a null
        page gives a null clean text.

    Raises:
        ValueError: ``text_col`` is missing or not a string (or binary) column, or
            ``output_col`` exists and is not a string column.
    """
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    fields = {f.name: f for f in df.schema.fields}
    if text_col not in fields:
        raise ValueError(f"no column {text_col!r} in the DataFrame (columns: {', '.join(df.columns)})")
    if not isinstance(fields[text_col].dataType, (StringType, BinaryType)):
        raise ValueError(f"column {text_col!r} is {fields[text_col].dataType.simpleString()}, not a string")
    if output_col in fields:
        if not isinstance(fields[output_col].dataType, StringType):
            raise ValueError(f"column {output_col!r} exists and is not a string column")
        schema = df.schema
    else:
        schema = StructType(df.schema.fields + [StructField(output_col, StringType(), True)])
    # The cleaner travels as its pickled settings (a few hundred bytes), not as model arrays.
    key = cleaner_key(Cleaner(model=model, threshold=threshold))
    return df.mapInPandas(partial(_clean_batches, key, text_col, output_col, html), schema)


def _clean_batches(key: bytes, text_col: str, output_col: str, html: bool,
                   batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Executor side: add the clean text to each Arrow batch of a partition."""
    cleaner = cached_cleaner(key)  # loaded once per Python worker, reused across its tasks
    for pdf in batches:
        pdf[output_col] = _clean_column(cleaner, list(pdf[text_col]), html)
        yield pdf


def _clean_column(cleaner: Cleaner, values: list[Any], html: bool) -> list[str | None]:
    """The clean text of each cell, the pages scored together; null for a null page."""
    out: list[str | None] = [None] * len(values)
    if html:
        for i, v in enumerate(values):
            if isinstance(v, (str, bytes, bytearray, memoryview)):
                out[i] = cleaner.clean_html(v if isinstance(v, str) else bytes(v))
        return out
    idx = [i for i, v in enumerate(values) if isinstance(v, str)]
    for i, text in zip(idx, cleaner.clean_many([values[i] for i in idx])):
        out[i] = text
    return out
