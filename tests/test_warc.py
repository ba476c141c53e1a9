import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.warc import clean_warc, read_warc

from .conftest import SEED_PAGES

warcio = pytest.importorskip("warcio", reason="the warc extra is not installed")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402


def page_html(path: Path) -> str:
    """A seed page as an HTML page: one paragraph per line."""
    paras = "".join(f"<p>{line}</p>\n" for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return f"<!doctype html><html><head><title>t</title></head><body>\n{paras}</body></html>"


PAGES = {
    "https://news.example/fr/1": page_html(SEED_PAGES[4]),
    "https://news.example/ru/2": page_html(SEED_PAGES[0]),
}


def response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK",
             headers: list[tuple[str, str]] | None = None):  # type: ignore[no-untyped-def]
    http = StatusAndHeaders(status, [("Content-Type", content_type), *(headers or [])], protocol="HTTP/1.1")
    # A known length: warcio then hashes the payload in place instead of spooling it to a temporary file.
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http)


def build_warc(path: Path, compress: bool = True) -> Path:
    """A small crawl: two HTML pages among records that must be skipped."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=compress)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "tests"}))
        urls = list(PAGES)
        request = StatusAndHeaders("GET /fr/1 HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(w.create_warc_record(urls[0], "request", payload=io.BytesIO(b""), length=0,
                                         http_headers=request))
        w.write_record(response(w, urls[0], PAGES[urls[0]].encode("utf-8"), "text/html; charset=utf-8"))
        w.write_record(response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"))
        w.write_record(response(w, "https://news.example/old", b"<html><body>Moved</body></html>", "text/html",
                                status="301 Moved Permanently", headers=[("Location", "/new")]))
        # Content-Encoding gzip and a legacy charset: the payload is decoded before cleaning.
        body = gzip.compress(PAGES[urls[1]].encode("cp1251"))
        w.write_record(response(w, urls[1], body, "text/html; charset=windows-1251",
                                headers=[("Content-Encoding", "gzip")]))
    return path


def test_cli_cleans_html_responses_only(tmp_path: Path, cleaner: Cleaner) -> None:
    warc = build_warc(tmp_path / "crawl.warc.gz")
    r = CliRunner().invoke(main, ["--warc", str(warc)])
    assert r.exit_code == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["url"] for rec in out] == list(PAGES)
    for rec in out:
        assert rec["text"] == cleaner.clean_html(PAGES[rec["url"]])
        assert rec["date"].startswith("20") and rec["record_id"].startswith("<urn:uuid:")
        assert set(rec) == {"url", "date", "record_id", "text"}
    assert r.stderr.startswith("clean-article: 2 documents, ") and "0 failed" in r.stderr


def test_labels_and_uncompressed_warc_from_stdin(tmp_path: Path, cleaner: Cleaner) -> None:
    warc = build_warc(tmp_path / "crawl.warc", compress=False)
    r = CliRunner().invoke(main, ["--warc", "-", "--labels"], input=warc.read_bytes())
    assert r.exit_code == 0
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        result = cleaner.process_html(PAGES[rec["url"]])
        assert rec["labels"] == [ln.label for ln in result.lines]
        assert rec["lines"] == [ln.text for ln in result.lines]
        assert rec["removed"] == {c: rec["labels"].count(c) for c in ("nav", "paywall", "ad")}


def test_parallel_output_equals_serial_and_written_to_a_file(tmp_path: Path) -> None:
    warc = build_warc(tmp_path / "crawl.warc.gz")
    serial = CliRunner().invoke(main, ["--warc", str(warc)])
    out = tmp_path / "out.jsonl"
    parallel = CliRunner().invoke(main, ["--warc", str(warc), "-j", "2", "-o", str(out)])
    assert parallel.exit_code == 0 and parallel.stdout == ""
    assert out.read_text(encoding="utf-8") == serial.stdout


def test_read_warc_skips_everything_but_html_responses(tmp_path: Path, cleaner: Cleaner) -> None:
    with (build_warc(tmp_path / "crawl.warc.gz")).open("rb") as f:
        pages = list(read_warc(f))
    assert [p.url for p in pages] == list(PAGES)
    assert pages[1].charset == "windows-1251" and pages[1].html.decode("cp1251") == PAGES[pages[1].url]
    with (tmp_path / "crawl.warc.gz").open("rb") as f:
        outcomes = list(clean_warc(f, cleaner, labels=True, max_bytes=1000))
    assert [o.ok for o in outcomes] == [False, False]  # over the size limit: error records, not dropped
    assert all("size limit" in json.loads(o.line)["error"] for o in outcomes)


def test_not_a_warc_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a WARC file\n" * 10)
    r = CliRunner().invoke(main, ["--warc", str(bad)])
    assert r.exit_code == 5 and "not a readable WARC file" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_a_chunk_of_pages_is_cleaned_together_and_a_bad_page_fails_alone(cleaner: Cleaner) -> None:
    from cleaner.warc import WarcPage, _clean_pages, clean_page

    good = [WarcPage(url, "2026-01-01T00:00:00Z", f"<urn:{k}>", html.encode("utf-8"), "utf-8")
            for k, (url, html) in enumerate(PAGES.items())]
    limit = max(len(p.html) for p in good) + 100
    big = WarcPage("https://news.example/big", None, "<urn:big>", b"<p>" + b"x" * limit + b"</p>", None)
    pages = [good[0], big, good[1]]
    out = _clean_pages(True, limit, cleaner, pages)
    assert [o.ok for o in out] == [True, False, True]
    assert f"size limit of {limit} bytes" in json.loads(out[1].line)["error"]
    # Scored together, each page gets exactly what it gets alone.
    assert [o.line for o in out] == [clean_page(True, limit, cleaner, p).line for p in pages]
    assert json.loads(out[0].line)["text"] == cleaner.clean_html(PAGES["https://news.example/fr/1"])
