"""Looking up the seed companies' records in Common Crawl's columnar URL index.

The index (``cc-index/table/cc-main/warc/crawl=<C>/subset=warc/*.parquet``) has one row per
capture with the record's WARC file, offset and length. A lookup reads it with a pyarrow
dataset: only the columns below, and only the row groups whose statistics can hold one of
the domains (the filter is pushed down to the Parquet reader), from a local folder, ``s3://``
(pyarrow's S3 filesystem, as :mod:`spark_jobs.storage` configures it) or ``https://``
(a read-only pyarrow filesystem over HTTP ``Range`` requests; the files are listed by the
crawl's ``cc-index-table.paths.gz``, as Common Crawl publishes them). No Spark needed: a
seed list of thousands of domains is one filtered scan.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from pyarrow import fs as pafs

from extraction.warc import HTML_TYPES
from spark_jobs import storage

INDEX_PREFIX = "cc-index/table/cc-main/warc"
INDEX_READ_ATTEMPTS = 4
#: The columns a lookup reads (of ~30).
COLUMNS = (
    "url",
    "url_host_registered_domain",
    "url_path",
    "fetch_time",
    "warc_filename",
    "warc_record_offset",
    "warc_record_length",
    "warc_segment",
)
#: URL paths read first when a domain is capped: where sites name their customers,
#: suppliers and partners, and the imprint that names the company itself.
PREFERRED_PATHS = (
    r"partner",
    r"kunden|customer|client",
    r"referenz|reference|case-stud",
    r"lieferant|supplier|hersteller|marken|brands",
    r"impressum|imprint|legal|mentions-legales",
)


@dataclass
class IndexLookup:
    """The hits of a lookup (an Arrow table of :data:`COLUMNS`) and what it cost."""

    hits: object  # pyarrow.Table
    rows_matched: int  # rows of the seed domains with status 200 and an HTML type
    files_scanned: int
    seconds: float

    def summary(self) -> dict:
        return {
            "index_rows_matched": self.rows_matched,
            "index_rows_selected": self.hits.num_rows,
            "index_files": self.files_scanned,
            "index_lookup_seconds": round(self.seconds, 3),
        }


def index_folder(cc_root: str, crawl: str) -> str:
    return storage.join(cc_root, INDEX_PREFIX, f"crawl={crawl}", "subset=warc")


def _dataset(cc_root: str, crawl: str):
    import pyarrow.dataset as ds

    folder = index_folder(cc_root, crawl)
    if cc_root.startswith(("http://", "https://")):
        from extraction.commoncrawl import parse_warc_paths  # same format: one path a line

        listing = storage.join(cc_root, "crawl-data", crawl, "cc-index-table.paths.gz")
        try:
            listed = parse_warc_paths(storage.read_bytes(listing))
        except OSError as exc:
            raise FileNotFoundError(f"cannot read the index listing {listing}: {exc}") from exc
        paths = [p for p in listed if "/subset=warc/" in p]
        if not paths:
            raise FileNotFoundError(f"no subset=warc index files listed in {listing}")
        filesystem = pafs.PyFileSystem(HttpFiles(cc_root))
        return ds.dataset(paths, filesystem=filesystem, format="parquet")
    filesystem, path = storage.filesystem(folder)
    return ds.dataset(path, filesystem=filesystem, format="parquet")


def lookup(
    cc_root: str,
    crawl: str,
    domains: Iterable[str],
    *,
    max_pages_per_domain: int | None = None,
    preferred_paths: Iterable[str] = PREFERRED_PATHS,
) -> IndexLookup:
    """The index rows of ``domains`` (registered domains) in ``crawl`` with fetch status 200
    and an HTML MIME type, sorted by (file, offset). With ``max_pages_per_domain``, each
    domain keeps its home and preferred pages first (in the order of ``preferred_paths``),
    then the shortest paths."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    started = time.monotonic()
    wanted = sorted({d.strip().lower() for d in domains if d and d.strip()})
    dataset = _dataset(cc_root, crawl)
    condition = (
        ds.field("url_host_registered_domain").isin(wanted)
        & (ds.field("fetch_status") == 200)
        & ds.field("content_mime_type").isin(sorted(HTML_TYPES))
    )
    table = dataset.to_table(columns=list(COLUMNS), filter=condition)
    matched = table.num_rows
    if max_pages_per_domain is not None and matched:
        table = _cap(table, max_pages_per_domain, tuple(preferred_paths))
    order = [("warc_filename", "ascending"), ("warc_record_offset", "ascending")]
    table = table.take(pc.sort_indices(table, sort_keys=order)) if table.num_rows else table
    return IndexLookup(table, matched, len(dataset.files), time.monotonic() - started)


def path_rank(path: str, preferred: tuple[str, ...]) -> tuple[int, int, str]:
    """Sort key of a page within its domain: the home page, then preferred paths, then
    shorter paths."""
    path = path or "/"
    if path in ("/", ""):
        return (0, 0, path)
    lowered = path.lower()
    for rank, pattern in enumerate(preferred, start=1):
        if re.search(pattern, lowered):
            return (rank, len(path), path)
    return (len(preferred) + 1, len(path), path)


def _cap(table, limit: int, preferred: tuple[str, ...]):
    import pyarrow as pa

    domains = table.column("url_host_registered_domain").to_pylist()
    paths = table.column("url_path").to_pylist()
    urls = table.column("url").to_pylist()
    by_domain: dict[str, list[int]] = {}
    for row, domain in enumerate(domains):
        by_domain.setdefault(domain, []).append(row)
    keep: list[int] = []
    for rows in by_domain.values():
        rows.sort(key=lambda r: (path_rank(paths[r], preferred), urls[r]))
        keep.extend(rows[:limit])
    return table.take(pa.array(sorted(keep), type=pa.int64()))


class HttpFiles(pafs.FileSystemHandler):
    """A read-only pyarrow ``FileSystemHandler`` over HTTP(S): sizes from ``HEAD``, reads
    by ``Range`` request, so the Parquet reader fetches only footers and the row groups and
    columns it needs."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")

    def __eq__(self, other) -> bool:
        return isinstance(other, HttpFiles) and other.root == self.root

    def __ne__(self, other) -> bool:
        return not self == other

    def get_type_name(self) -> str:
        return "http-ranges"

    def normalize_path(self, path: str) -> str:
        return path

    def _size(self, path: str) -> int:
        request = urllib.request.Request(storage.join(self.root, path), method="HEAD")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.headers["Content-Length"])

    def get_file_info(self, paths):
        return [pafs.FileInfo(p, pafs.FileType.File, size=self._size(p)) for p in paths]

    def open_input_file(self, path: str):
        import pyarrow as pa

        return pa.PythonFile(_HttpFile(storage.join(self.root, path), self._size(path)), "r")

    def open_input_stream(self, path: str):
        return self.open_input_file(path)

    def _read_only(self, *args, **kwargs):
        raise OSError(f"{self.root} is read-only over HTTP")

    get_file_info_selector = create_dir = delete_dir = delete_dir_contents = _read_only
    delete_root_dir_contents = delete_file = move = copy_file = _read_only
    open_output_stream = open_append_stream = _read_only


class _HttpFile:
    """A seekable, read-only file object whose reads are HTTP range requests."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.position, self.closed = url, size, 0, False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        self.position = base + offset
        return self.position

    def read(self, count: int = -1) -> bytes:
        end = self.size if count is None or count < 0 else min(self.size, self.position + count)
        if end <= self.position:
            return b""
        from spark_jobs.ranged import RecordRange, TransientFetchError, http_range

        for attempt in range(INDEX_READ_ATTEMPTS):  # the public endpoint throttles with 503s
            try:
                data = http_range(self.url, self.position, end - self.position, 60.0)
                break
            except TransientFetchError:
                if attempt + 1 == INDEX_READ_ATTEMPTS:
                    raise
                time.sleep(0.5 * 2**attempt)
        if len(data) != end - self.position:
            span = RecordRange(self.url, self.position, end - self.position)
            raise OSError(f"{span}: got {len(data)} bytes")
        self.position = end
        return data

    def close(self) -> None:
        self.closed = True
