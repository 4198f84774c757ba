"""The columnar URL index of the sample crawl, in Common Crawl's cc-index table schema.

Same column names and types as ``s3://commoncrawl/cc-index/table/cc-main/warc/`` (``crawl``
and ``subset`` are Hive partition folders, not columns), sorted by SURT key like the real
files, and every ``warc_record_offset``/``warc_record_length`` addresses its record's gzip
member. pyarrow is imported only here, only when the index is written.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from extraction.synthetic.warcs import Written

ISO3 = {"de": "deu", "en": "eng"}

#: (column, pyarrow type name) in the order of the real cc-index table.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("url_surtkey", "string"),
    ("url", "string"),
    ("url_host_name", "string"),
    ("url_host_tld", "string"),
    ("url_host_2nd_last_part", "string"),
    ("url_host_3rd_last_part", "string"),
    ("url_host_4th_last_part", "string"),
    ("url_host_5th_last_part", "string"),
    ("url_host_registry_suffix", "string"),
    ("url_host_registered_domain", "string"),
    ("url_host_private_suffix", "string"),
    ("url_host_private_domain", "string"),
    ("url_host_name_reversed", "string"),
    ("url_protocol", "string"),
    ("url_port", "int32"),
    ("url_path", "string"),
    ("url_query", "string"),
    ("fetch_time", "timestamp"),
    ("fetch_status", "int16"),
    ("fetch_redirect", "string"),
    ("content_digest", "string"),
    ("content_mime_type", "string"),
    ("content_mime_detected", "string"),
    ("content_charset", "string"),
    ("content_languages", "string"),
    ("content_truncated", "string"),
    ("warc_filename", "string"),
    ("warc_record_offset", "int32"),
    ("warc_record_length", "int32"),
    ("warc_segment", "string"),
)


@lru_cache(maxsize=1)
def _psl():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def surt(url: str) -> str:
    """SURT key as in CDX indexes: ``de,example)/path?query`` (no scheme, no ``www``)."""
    parts = urlsplit(url)
    labels = (parts.hostname or "").split(".")
    if labels and labels[0] == "www":
        labels = labels[1:]
    key = ",".join(reversed(labels)) + ")" + (parts.path or "/")
    return (key + ("?" + parts.query if parts.query else "")).lower()


def index_row(written: Written, warc_filename: str, segment: str) -> dict:
    page = written.capture.page
    parts = urlsplit(page.url)
    host = parts.hostname or ""
    labels = host.split(".")
    found = _psl()(host)
    domain = f"{found.domain}.{found.suffix}" if found.domain and found.suffix else None
    revisit = written.capture.revisit_of is not None
    redirect = dict(page.headers).get("Location")
    row = {
        "url_surtkey": surt(page.url),
        "url": page.url,
        "url_host_name": host,
        "url_host_tld": labels[-1],
        "url_host_registry_suffix": found.suffix,
        "url_host_registered_domain": domain,
        "url_host_private_suffix": found.suffix,
        "url_host_private_domain": domain,
        "url_host_name_reversed": ".".join(reversed(labels)),
        "url_protocol": parts.scheme,
        "url_port": parts.port,
        "url_path": parts.path or "/",
        "url_query": parts.query or None,
        "fetch_time": written.capture.fetch_time,
        "fetch_status": page.status,
        "fetch_redirect": redirect,
        "content_digest": written.digest,
        "content_mime_type": "warc/revisit" if revisit else page.mime,
        "content_mime_detected": "warc/revisit" if revisit else page.mime,
        "content_charset": (page.charset or "UTF-8").upper() if page.kind == "html" else None,
        "content_languages": ISO3.get(page.lang) if page.kind == "html" else None,
        "content_truncated": None,
        "warc_filename": warc_filename,
        "warc_record_offset": written.offset,
        "warc_record_length": written.length,
        "warc_segment": segment,
    }
    for n, name in ((2, "2nd"), (3, "3rd"), (4, "4th"), (5, "5th")):
        row[f"url_host_{name}_last_part"] = labels[-n] if len(labels) >= n else None
    return row


def write_index(path: Path, files: list[tuple[str, str, list[Written]]]) -> int:
    """Write one Parquet file with a row per response/revisit record; return the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "string": pa.string(),
        "int16": pa.int16(),
        "int32": pa.int32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    schema = pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS])
    rows = [index_row(w, filename, segment) for filename, segment, ws in files for w in ws]
    rows.sort(key=lambda row: (row["url_surtkey"], row["fetch_time"], row["warc_filename"]))
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return len(rows)
