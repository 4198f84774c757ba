"""Fetching single WARC records by byte range: a local seek, an HTTP(S) ``Range`` request or
an S3 ranged GET, with adjacent records merged into one request, bounded concurrency and
retries with backoff.

The columnar index gives every record's ``warc_record_offset``/``warc_record_length``; each
record is one gzip member, so a range is a complete, independently readable WARC file of one
record. Every fetched member is checked to be exactly that: a response of the asked length
(a 206 whose ``Content-Range`` starts where asked, for HTTP) that decompresses as ONE whole
gzip member ending at the last byte. Anything else is a :class:`FetchFailure` with a named
``kind``, counted in the :class:`FetchReport`, never a wrong page handed on.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from spark_jobs import storage

#: Adjacent records are merged into one request up to this many bytes.
MAX_MERGED_BYTES = 8 << 20
#: HTTP status codes worth another attempt (throttling, server trouble).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "supplylinks (index-targeted reads; https://github.com/supplylinks)"


@dataclass(frozen=True, order=True)
class RecordRange:
    """Where one record lives: its WARC file (relative to the crawl root) and byte range."""

    warc_filename: str
    offset: int
    length: int


@dataclass(frozen=True)
class FetchedMember:
    range: RecordRange
    data: bytes


@dataclass(frozen=True)
class FetchFailure:
    """A record that could not be fetched intact. ``kind`` names the cause:
    ``wrong_length``, ``range_ignored``, ``range_not_satisfiable``, ``http_<status>``,
    ``connection``, ``timeout``, ``not_gzip``, ``incomplete_gzip``, ``trailing_bytes``,
    ``io``."""

    range: RecordRange
    kind: str
    message: str

    def __str__(self) -> str:
        r = self.range
        return f"{r.warc_filename} at offset {r.offset} (+{r.length}): {self.kind}: {self.message}"


@dataclass
class FetchReport:
    """What a fetch got: intact members in file order, failures, and the traffic it took."""

    members: list[FetchedMember] = field(default_factory=list)
    failures: list[FetchFailure] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    bytes_fetched: int = 0
    seconds: float = 0.0

    def failure_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.kind for f in self.failures).items()))

    def summary(self) -> dict[str, Any]:
        return {
            "records_fetched": len(self.members),
            "records_failed": len(self.failures),
            "failures_by_kind": self.failure_counts(),
            "requests": self.requests,
            "retries": self.retries,
            "bytes_fetched": self.bytes_fetched,
            "fetch_seconds": round(self.seconds, 3),
        }


class FetchError(Exception):
    """A range that cannot be read intact; ``kind`` names why (see :class:`FetchFailure`)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class TransientFetchError(FetchError):
    """Worth another attempt (5xx/429, timeout, dropped connection)."""


def merge_adjacent(ranges: list[RecordRange], max_bytes: int = MAX_MERGED_BYTES):
    """Group sorted, distinct ranges into spans: runs of records that follow each other
    byte for byte in one file (up to ``max_bytes``), each fetched with one request."""
    spans: list[list[RecordRange]] = []
    for r in sorted(set(ranges)):
        last = spans[-1][-1] if spans else None
        if (
            last is not None
            and last.warc_filename == r.warc_filename
            and last.offset + last.length == r.offset
            and r.offset + r.length - spans[-1][0].offset <= max_bytes
        ):
            spans[-1].append(r)
        else:
            spans.append([r])
    return spans


def check_member(data: bytes) -> tuple[str, str] | None:
    """(kind, message) if ``data`` is not exactly one complete gzip member, else None."""
    if data[:2] != b"\x1f\x8b":
        return "not_gzip", f"starts with {data[:4]!r}, not a gzip header"
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        for start in range(0, len(data), 1 << 20):
            inflater.decompress(data[start : start + (1 << 20)])
            if inflater.eof:
                break
    except zlib.error as exc:
        return "incomplete_gzip", f"corrupt gzip member: {exc}"
    if not inflater.eof:
        return "incomplete_gzip", f"gzip member does not end within the {len(data)} bytes"
    if inflater.unused_data or start + (1 << 20) < len(data):
        return "trailing_bytes", "gzip member ends before the range does"
    return None


class _Reader:
    """Reads byte ranges of files below one root (local, ``http(s)://`` or ``s3://``)."""

    def __init__(self, root: str, timeout: float) -> None:
        self.root = root
        self.timeout = timeout
        self._s3_files: dict[str, Any] = {}
        self._lock = threading.Lock()

    def read(self, path: str, offset: int, length: int) -> bytes:
        uri = storage.join(self.root, path)
        if uri.startswith(("http://", "https://")):
            return self._http(uri, offset, length)
        if uri.startswith(("s3://", "s3a://")):
            return self._s3(uri, offset, length)
        try:
            with open(uri.removeprefix("file://"), "rb") as handle:
                handle.seek(offset)
                return handle.read(length)
        except OSError as exc:
            raise FetchError("io", f"{type(exc).__name__}: {exc}") from exc

    def _http(self, uri: str, offset: int, length: int) -> bytes:
        return http_range(uri, offset, length, self.timeout)

    def _s3(self, uri: str, offset: int, length: int) -> bytes:
        try:
            with self._lock:  # one HEAD per file (pyarrow's open); every range is one GET
                handle = self._s3_files.get(uri)
                if handle is None:
                    filesystem, path = storage.filesystem(uri)
                    handle = self._s3_files[uri] = filesystem.open_input_file(path)
            return handle.read_at(length, offset)
        except OSError as exc:
            raise TransientFetchError("io", f"{type(exc).__name__}: {exc}") from exc


def http_range(uri: str, offset: int, length: int, timeout: float) -> bytes:
    """``length`` bytes at ``offset`` of ``uri`` by one ``Range`` request (a 206 whose
    ``Content-Range`` starts at ``offset``), or a named transient/permanent error."""
    end = offset + length - 1
    request = urllib.request.Request(
        uri, headers={"Range": f"bytes={offset}-{end}", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status != 206:
                raise FetchError(
                    "range_ignored", f"HTTP {response.status} instead of 206 Partial Content"
                )
            content_range = response.headers.get("Content-Range", "")
            if not content_range.startswith(f"bytes {offset}-"):
                raise FetchError(
                    "wrong_length", f"Content-Range {content_range!r} for bytes {offset}-{end}"
                )
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 416:
            raise FetchError("range_not_satisfiable", "HTTP 416") from exc
        kind = f"http_{exc.code}"
        if exc.code in RETRY_STATUSES:
            raise TransientFetchError(kind, f"HTTP {exc.code} {exc.reason}") from exc
        raise FetchError(kind, f"HTTP {exc.code} {exc.reason}") from exc
    except TimeoutError as exc:
        raise TransientFetchError("timeout", f"no answer within {timeout} s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TransientFetchError("timeout", f"no answer within {timeout} s") from exc
        raise TransientFetchError("connection", f"{exc.reason}") from exc
    except (http.client.HTTPException, ConnectionError) as exc:
        raise TransientFetchError("connection", f"{type(exc).__name__}: {exc}") from exc


def fetch_records(
    root: str,
    ranges: list[RecordRange],
    *,
    concurrency: int = 8,
    attempts: int = 4,
    backoff_seconds: float = 0.25,
    timeout: float = 60.0,
    max_merged_bytes: int = MAX_MERGED_BYTES,
    on_done: Callable[[int], None] | None = None,
) -> FetchReport:
    """Fetch every record of ``ranges`` below ``root``; members come back sorted by
    (file, offset), failures are listed by record. Never raises for a bad record.
    ``on_done(n)`` hears of every ``n`` records finished (fetched or failed): a progress bar."""
    started = time.monotonic()
    reader = _Reader(root, timeout)
    report = FetchReport()
    spans = merge_adjacent(ranges, max_merged_bytes)

    def fetch_span(span: list[RecordRange]) -> tuple[list, list, int, int, int]:
        first, last = span[0], span[-1]
        length = last.offset + last.length - first.offset
        requests = retries = 0
        failure: tuple[str, str] | None = None
        data = b""
        for attempt in range(attempts):
            requests += 1
            try:
                data = reader.read(first.warc_filename, first.offset, length)
                failure = None
                break
            except TransientFetchError as exc:
                failure = (exc.kind, f"{exc} (after {attempt + 1} attempt(s))")
                if attempt + 1 < attempts:
                    retries += 1
                    time.sleep(backoff_seconds * 2**attempt)
            except FetchError as exc:
                failure = (exc.kind, str(exc))
                break
        if failure is None and len(data) != length:
            failure = ("wrong_length", f"got {len(data)} bytes for a range of {length}")
        if failure is not None:
            kind, message = failure
            return [], [FetchFailure(r, kind, message) for r in span], requests, retries, len(data)
        members, failures = [], []
        for r in span:
            piece = data[r.offset - first.offset : r.offset - first.offset + r.length]
            problem = check_member(piece)
            if problem:
                failures.append(FetchFailure(r, *problem))
            else:
                members.append(FetchedMember(r, piece))
        return members, failures, requests, retries, len(data)

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(spans) or 1))) as pool:
        for members, failures, requests, retries, size in pool.map(fetch_span, spans):
            report.members.extend(members)
            report.failures.extend(failures)
            report.requests += requests
            report.retries += retries
            report.bytes_fetched += size
            if on_done is not None:
                on_done(len(members) + len(failures))
    report.seconds = time.monotonic() - started
    return report
