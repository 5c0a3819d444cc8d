from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.document import ERROR, HTML, KEPT
from pipeline.readers import read_inputs

PAGE = "<html><head><title>T</title></head><body><p>Grüße from the page.</p></body></html>"


def _warc(path, records, gz=True):
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        for kind, url, content_type, body, *status in records:
            if kind == "response":
                headers = StatusAndHeaders(status[0] if status else "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
            else:
                record = writer.create_warc_record(url, kind, payload=BytesIO(body), warc_content_type=content_type)
            writer.write_record(record)


def test_response_records_become_documents_with_url_and_date(tmp_path):
    _warc(
        tmp_path / "crawl.warc.gz",
        [
            ("request", "https://e.org/a", "application/http", b"GET /a HTTP/1.1\r\n\r\n"),
            ("response", "https://e.org/a", "text/html; charset=utf-8", PAGE.encode()),
            ("response", "https://e.org/logo.png", "image/png", b"\x89PNG...."),
        ],
    )
    docs = list(read_inputs([tmp_path], 1_000_000))
    assert [d.source for d in docs] == ["crawl.warc.gz#2", "crawl.warc.gz#3"]
    page, image = docs
    assert page.content_type == HTML and "Grüße" in page.html and page.url == "https://e.org/a"
    assert page.fetch_date and page.date is None  # the capture date; the publication date comes from the page
    assert image.status == ERROR and "image/png" in image.reason


def test_wet_conversion_records_are_text(tmp_path):
    _warc(tmp_path / "crawl.warc.wet.gz", [("conversion", "https://e.org/b", "text/plain", "First line.\n\nSecond line.".encode())])
    (doc,) = read_inputs([tmp_path], 1_000_000)
    assert doc.status == KEPT and [b.text for b in doc.blocks] == ["First line.", "Second line."] and doc.url == "https://e.org/b"


def test_truncated_warc_keeps_complete_records_and_reports_the_rest(tmp_path):
    records = [("response", f"https://e.org/{i}", "text/html", PAGE.encode() * 20) for i in range(3)]
    _warc(tmp_path / "full.warc.gz", records)
    data = (tmp_path / "full.warc.gz").read_bytes()
    (tmp_path / "full.warc.gz").unlink()
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    docs = list(read_inputs([tmp_path], 1_000_000))
    assert [d.status for d in docs[:2]] == [KEPT, KEPT]
    assert docs[-1].status == ERROR and "breaks after record 2" in docs[-1].reason and docs[-1].source == "cut.warc.gz#3"


def test_uncompressed_warc(tmp_path):
    _warc(tmp_path / "crawl.warc", [("response", "https://e.org/a", "text/html", PAGE.encode())], gz=False)
    (doc,) = read_inputs([tmp_path], 1_000_000)
    assert doc.status == KEPT and doc.url == "https://e.org/a"


def test_resource_records_are_read_and_error_responses_are_not_pages(tmp_path):
    _warc(
        tmp_path / "crawl.warc.gz",
        [
            ("resource", "https://e.org/r", "text/html", PAGE.encode()),
            ("response", "https://e.org/missing", "text/html", b"<p>Not found</p>", "404 Not Found"),
            ("response", "https://e.org/boom", "text/html", b"<p>Server error</p>", "500 Internal Server Error"),
        ],
    )
    resource, missing, boom = read_inputs([tmp_path], 1_000_000)
    assert resource.status == KEPT and resource.url == "https://e.org/r" and "Grüße" in resource.html
    assert missing.status == ERROR and "HTTP status 404" in missing.reason and missing.url == "https://e.org/missing"
    assert boom.status == ERROR and "500" in boom.reason


def test_arc_records_keep_their_url_and_date(tmp_path):
    body = PAGE.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    version = b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n"
    header = f"filedesc://test.arc 0.0.0.0 20240101000000 text/plain {len(version)}\n".encode() + version + b"\n"
    record = f"https://e.org/arc 1.2.3.4 20240102030405 text/html {len(http)}\n".encode() + http + b"\n"
    (tmp_path / "old.arc").write_bytes(header + record)
    (doc,) = read_inputs([tmp_path], 1_000_000)
    assert doc.status == KEPT and doc.url == "https://e.org/arc" and doc.fetch_date.startswith("2024-01-02")
