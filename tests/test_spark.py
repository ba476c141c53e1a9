import os
import shutil
import sys
from typing import Iterator

import pytest

from cleaner import clean, clean_html

from .conftest import SEED_PAGES

TEXTS = [p.read_text(encoding="utf-8") for p in SEED_PAGES]

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="Spark needs a Java runtime (java on PATH); none is installed here")


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One local[2] session for the module: starting Spark takes seconds."""
    from pyspark.sql import SparkSession

    # Loopback only, and the executors' Python is this interpreter (with clean-article installed).
    saved = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "PYSPARK_PYTHON")}
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("clean-article-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_clean_dataframe_equals_clean(spark) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.spark import clean_dataframe

    rows = [(i, t, f"https://news.example/{i}") for i, t in enumerate(TEXTS * 2)] + [(99, None, "null page")]
    df = spark.createDataFrame(rows, "id long, text string, url string").repartition(3)
    out = clean_dataframe(df)
    assert out.columns == ["id", "text", "url", "clean_text"]
    got = {r["id"]: r for r in out.collect()}
    assert len(got) == len(rows)
    for i, text, url in rows:
        assert got[i]["clean_text"] == (clean(text) if text is not None else None)
        assert got[i]["text"] == text and got[i]["url"] == url


def test_html_column_replaced_in_place(spark) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.spark import clean_dataframe

    html = "<html><body>" + "".join(f"<p>{ln}</p>" for ln in TEXTS[4].splitlines() if ln.strip()) + "</body></html>"
    df = spark.createDataFrame([(1, html)], "id long, page string")
    out = clean_dataframe(df, "page", "page", html=True)
    assert out.columns == ["id", "page"]
    assert out.collect()[0]["page"] == clean_html(html)


def test_bad_columns_are_refused(spark) -> None:  # type: ignore[no-untyped-def]
    from cleaner.integrations.spark import clean_dataframe

    df = spark.createDataFrame([(1, "x")], "id long, text string")
    with pytest.raises(ValueError, match="no column 'body'"):
        clean_dataframe(df, "body")
    with pytest.raises(ValueError, match="not a string"):
        clean_dataframe(df, "id")
    with pytest.raises(ValueError, match="not a string column"):
        clean_dataframe(df, "text", "id")
