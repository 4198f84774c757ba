"""WARC reading: HTML response records out of (gzip) WARC files, with counted skips.

Two readers behind one interface: ``warcio`` (the reference, pure Python) and ``fastwarc``
(C++, several times faster at reading). Both yield :class:`WarcRecord` with the payload
de-chunked and content-decoded (FastWARC's default ``auto_decode="none"`` would hand back
chunked/gzip bodies, so it is asked for ``"all"``) and with the record's offset and length in
the compressed file, so a page can be fetched again with one HTTP range request.

Bad input never raises out of :func:`iter_html_records`: a record that cannot be parsed
becomes an entry in ``stats.errors`` naming file and offset; on a seekable source the reader
then resynchronises on the next gzip member (or ``WARC/`` line when uncompressed) and goes
on, otherwise it stops cleanly.
"""

from __future__ import annotations

import io
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from extraction.native import pagewalk

#: Payload bytes kept per record; the rest is drained and counted as ``payload_capped``.
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml+xhtml"})
READERS = ("warcio", "fastwarc")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])
_SKIP_TYPES = {"request", "metadata", "warcinfo", "revisit"}


@dataclass
class WarcRecord:
    """One HTML response: what the extractor needs, plus where it sits in its file."""

    url: str
    fetch_time: datetime | None
    status: int
    content_type: str
    charset: str | None
    payload: bytes
    warc_filename: str
    offset: int
    length: int
    truncated: bool = False


@dataclass
class ReadStats:
    """Counts of one read: records seen, compressed bytes, skips by reason, errors."""

    records_read: int = 0
    bytes_read: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)

    def error(self, file: str, offset: int | None, error: str) -> None:
        self.errors.append({"file": file, "offset": offset, "error": error})

    def merge(self, other: ReadStats) -> ReadStats:
        """Add ``other``'s counts to this one (returns self, for folding)."""
        for name, value in vars(other).items():
            mine = getattr(self, name, None)
            if isinstance(value, Counter):
                mine.update(value)
            elif isinstance(value, list):
                mine.extend(value)
            elif isinstance(value, int | float) and isinstance(mine, int | float):
                setattr(self, name, mine + value)
        return self

    def as_dict(self) -> dict[str, Any]:
        """JSON-able summary (skip reasons sorted, errors as given)."""
        out: dict[str, Any] = {}
        for name, value in vars(self).items():
            if isinstance(value, Counter):
                out[name] = dict(sorted(value.items()))
            elif isinstance(value, list):
                out[name] = list(value)
            else:
                out[name] = value
        return out


def iter_html_records(
    source: str | os.PathLike | BinaryIO,
    warc_filename: str | None = None,
    stats: ReadStats | None = None,
    reader: str = "warcio",
) -> Iterator[WarcRecord]:
    """HTML response records of a WARC file (path or binary file-like), in file order.

    Everything else is counted in ``stats.skipped`` by reason (request, metadata, warcinfo,
    revisit, not_html, binary_payload, status_4xx, ...); broken records are ``stats.errors``.
    """
    if reader not in READERS:
        raise ValueError(f"unknown WARC reader {reader!r}; expected one of {READERS}")
    stats = stats if stats is not None else ReadStats()
    if isinstance(source, str | os.PathLike):
        name = warc_filename or os.fspath(source)
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            stats.error(name, None, f"cannot open: {exc}")
            return
        with stream:
            yield from _read(stream, name, stats, reader)
    else:
        name = warc_filename or getattr(source, "name", None) or "<stream>"
        yield from _read(source, str(name), stats, reader)


@dataclass
class _Attempt:
    """How one pass of a reader over the stream ended (readers return it)."""

    last_offset: int | None = None  # offset of the last record read in this pass
    failed_at: int | None = None  # offset where reading failed; None = clean end
    error: str = ""
    certain: bool = True  # False: the failure lies somewhere after ``failed_at``


def _read(stream: BinaryIO, name: str, stats: ReadStats, reader: str) -> Iterator[WarcRecord]:
    """Run a reader; after a failure resynchronise on the next record start and go on.

    Every resumption starts strictly after the previous one, so a broken file cannot loop.
    """
    read_one = _read_warcio if reader == "warcio" else _read_fastwarc
    seekable = _seekable(stream)
    start = stream.tell() if seekable else 0
    gzipped = True
    if seekable:
        gzipped = stream.read(2) == _GZIP_MAGIC[:2]
        stream.seek(start)
    floor = start
    while True:
        attempt = yield from read_one(stream, name, stats, gzipped if seekable else None)
        if attempt.failed_at is None:
            if seekable and gzipped and attempt.last_offset is not None:
                _check_last_member(stream, name, attempt.last_offset, stats)
            return
        if attempt.error and (attempt.certain or not seekable):
            stats.error(name, attempt.failed_at, attempt.error)
        if not seekable:
            return
        resume = _next_record_start(stream, max(attempt.failed_at, floor) + 1, gzipped)
        if resume is None:
            if attempt.error and not attempt.certain:
                stats.error(name, attempt.failed_at, attempt.error)
            return
        floor = resume
        stream.seek(resume)


def _check_last_member(stream: BinaryIO, name: str, offset: int, stats: ReadStats) -> None:
    """Readers may take a gzip member cut short at end of file for a short record, or not
    see it at all: inflate the members from the last record on and report a cut one."""
    stream.seek(offset)
    data = stream.read()
    pos = 0
    while pos < len(data):
        if not data.startswith(_GZIP_MAGIC[:2], pos):
            if data[pos:].strip():
                stats.error(name, offset + pos, "bytes after the last record are no gzip member")
            return
        inflater = zlib.decompressobj(wbits=31)
        try:
            while not inflater.eof:
                inflater.decompress(data[pos:] if not inflater.unconsumed_tail else
                                    inflater.unconsumed_tail, 1 << 20)  # fmt: skip
                if not inflater.eof and not inflater.unconsumed_tail:
                    stats.error(name, offset + pos, "truncated gzip member: file ends inside it")
                    return
        except zlib.error as exc:
            stats.error(name, offset + pos, f"corrupt gzip member: {exc}")
            return
        pos = len(data) - len(inflater.unused_data)


def _tell(stream) -> int:
    try:
        return stream.tell()
    except (AttributeError, OSError, ValueError):
        return 0


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable()) and stream.tell() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _next_record_start(stream: BinaryIO, pos: int, gzipped: bool) -> int | None:
    """Offset of the next gzip member (or ``WARC/`` line) at or after ``pos``."""
    marker = _GZIP_MAGIC if gzipped else b"WARC/1."
    stream.seek(pos)
    carry = b""
    base = pos
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return None
        data = carry + chunk
        hit = data.find(marker)
        while hit >= 0 and not gzipped and hit > 0 and data[hit - 1 : hit] != b"\n":
            hit = data.find(marker, hit + 1)
        if hit >= 0:
            return base + hit
        keep = len(marker) - 1
        carry = data[-keep:]
        base += len(data) - keep


def _classify(
    rec_type: str, status: int | None, mime: str, payload_head: bytes | None
) -> str | None:
    """Skip reason of a record, or None when it is an HTML page to extract."""
    if rec_type != "response":
        return rec_type if rec_type in _SKIP_TYPES else "other_type"
    if status is None:
        return "not_http"
    if not 200 <= status < 300:
        return f"status_{status // 100}xx"
    if mime and mime not in HTML_TYPES:
        return "not_html"
    if payload_head is not None:
        if not payload_head.strip():
            return "empty_payload"
        if _looks_binary(payload_head):
            return "binary_payload"
        if not mime and b"<" not in payload_head:
            return "not_html"
    return None


def _looks_binary(head: bytes) -> bool:
    """True for payloads that are not text (images/PDFs labelled text/html, NUL bytes)."""
    sample = head[:1024].lstrip()
    if sample.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in sample:  # UTF-16 pages carry NULs too; they are rare and left out
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 10


def _split_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("'\"").lower() or None
    return mime.strip().lower(), charset


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _clean_uri(uri: str | None) -> str:
    return (uri or "").strip().strip("<>")


def _read_payload(read, stats: ReadStats) -> tuple[bytes, bool]:
    """Read at most MAX_PAYLOAD_BYTES; say whether the payload was cut."""
    payload = read(MAX_PAYLOAD_BYTES + 1)
    if len(payload) > MAX_PAYLOAD_BYTES:
        stats.skipped["payload_capped"] += 1
        lost, carry = 0, payload[MAX_PAYLOAD_BYTES:]
        while carry:  # the links of the cut-off rest are counted as lost (a byte scan)
            chunk = read(1 << 20)
            text = carry.lower()
            lost += text.count(b"href=")
            carry = text[-4:] + chunk if chunk else b""
        if lost:
            stats.skipped["link_after_payload_cap"] += lost
        return payload[:MAX_PAYLOAD_BYTES], True
    return payload, False


def _read_warcio(
    stream: BinaryIO, name: str, stats: ReadStats, gzipped: bool | None
) -> Iterator[WarcRecord]:
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(stream)
    current = getattr(iterator, "offset", 0)
    records = iter(iterator)
    last_offset = None
    warnings = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            tail = _tell(iterator.fh) - iterator.offset
            if tail > 0:  # warcio stops quietly at a record cut short at end of file
                message = f"{tail} bytes at the end are no complete record (truncated file?)"
                return _Attempt(last_offset, iterator.offset, message)
            return _Attempt(last_offset)
        except Exception as exc:  # warcio raises many types on broken input
            return _Attempt(last_offset, iterator.offset, _describe(exc))
        try:
            current = iterator.offset
            rec_type = record.rec_type
            http = record.http_headers
            status = mime = charset = None
            if rec_type == "response" and http is not None:
                try:
                    status = int(http.get_statuscode())
                except (TypeError, ValueError):
                    status = None
                mime, charset = _split_content_type(http.get_header("Content-Type"))
            reason = _classify(rec_type, status, mime or "", None)
            payload = b""
            truncated = False
            if reason is None:
                payload, truncated = _read_payload(record.content_stream().read, stats)
                reason = _classify(rec_type, status, mime or "", payload[:1024])
            offset = iterator.get_record_offset()
            length = iterator.get_record_length()
        except Exception as exc:
            return _Attempt(last_offset, current, _describe(exc))
        last_offset = offset
        if iterator.err_count > warnings:  # warcio only warns on stderr: make it an error
            warnings = iterator.err_count
            stats.error(name, offset, "record not followed by a blank line (wrong Content-Length?)")
        stats.records_read += 1
        stats.bytes_read += length
        if reason is not None:
            stats.skipped[reason] += 1
            continue
        headers = record.rec_headers
        truncated = truncated or bool(headers.get_header("WARC-Truncated"))
        yield WarcRecord(
            url=_clean_uri(headers.get_header("WARC-Target-URI")),
            fetch_time=_parse_date(headers.get_header("WARC-Date")),
            status=status,
            content_type=mime or "text/html",
            charset=charset,
            payload=payload,
            warc_filename=name,
            offset=offset,
            length=length,
            truncated=truncated,
        )


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


class _CountingReader(io.RawIOBase):
    """A non-seekable stream that can say how far it got (FastWARC asks ``tell``)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.pos = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.pos += n
        return n

    def tell(self) -> int:
        return self.pos


def _fatal(exc: BaseException) -> bool:
    """Exceptions that must propagate (FastWARC's Rust panics derive from BaseException)."""
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError)


def _read_fastwarc(
    stream: BinaryIO, name: str, stats: ReadStats, gzipped: bool | None
) -> Iterator[WarcRecord]:
    """FastWARC reading; a record's length is known when the next one starts (or at EOF).

    A seekable stream is handed over as is (``stream_pos`` is then the absolute offset);
    FastWARC needs ``tell`` on anything else, so other streams get a counting wrapper.
    FastWARC does not say where a failure happened: it lies after the last record read, so
    the attempt reports that offset as uncertain and the caller resumes at the next record.
    """
    from fastwarc.warc import ArchiveIterator

    seekable = gzipped is not None
    source = stream if seekable else _CountingReader(stream)
    attempt_start = source.tell()
    pending: WarcRecord | None = None
    last_offset: int | None = None
    try:
        iterator = ArchiveIterator(source, parse_http=False, auto_decode="all", quirks_mode=False)
        records = iter(iterator)
    except BaseException as exc:
        if _fatal(exc):
            raise
        return _Attempt(None, attempt_start, _describe(exc))
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except BaseException as exc:
            if _fatal(exc):
                raise
            if last_offset is None:
                return _Attempt(None, attempt_start, _describe(exc))
            end = _next_record_start(stream, last_offset + 1, gzipped) if seekable else None
            _account(stats, (end - last_offset) if end else 0)
            if pending is not None:
                pending.length = (end - last_offset) if end else 0
                yield pending
            message = f"{_describe(exc)} (after the record at offset {last_offset})"
            return _Attempt(last_offset, last_offset, message, certain=False)
        offset = record.stream_pos
        if last_offset is not None:
            _account(stats, offset - last_offset)
            if pending is not None:
                pending.length = offset - last_offset
                yield pending
        last_offset = offset
        try:
            pending, reason = _fastwarc_record(record, name, offset, stats)
        except _Overrun as overrun:  # the next record was swallowed: report, resume after it
            stats.error(name, offset, str(overrun))
            end = _next_record_start(stream, offset + 1, gzipped) if seekable else None
            _account(stats, (end - offset) if end else 0)
            return _Attempt(offset, offset, "", certain=False)
        except BaseException as exc:  # this record only: FastWARC finds the next by itself
            if _fatal(exc):
                raise
            pending, reason = None, None
            stats.error(name, offset, _describe(exc))
        if reason is not None:
            stats.skipped[reason] += 1
    if last_offset is not None:
        end = source.tell()
        _account(stats, end - last_offset)
        if pending is not None:
            pending.length = end - last_offset
            yield pending
    return _Attempt(last_offset)


def _account(stats: ReadStats, length: int) -> None:
    stats.records_read += 1
    stats.bytes_read += length


#: FastWARC's WarcRecordType flag values (see fastwarc.warc.WarcRecordType).
_FASTWARC_TYPES = {2: "warcinfo", 4: "response", 16: "request", 32: "metadata", 64: "revisit"}


#: What a record's content looks like when it ran on into the next record.
_NEXT_RECORD = b"\r\n\r\nWARC/1."


class _Overrun(Exception):
    """A record's content ran into the next record; carries the payload before it."""

    def __init__(self, payload: bytes) -> None:
        super().__init__("record content runs into the next record (Content-Length too long?)")
        self.payload = payload


def _fastwarc_record(
    record, name: str, offset: int, stats: ReadStats
) -> tuple[WarcRecord | None, str | None]:
    type_name = _FASTWARC_TYPES.get(int(record.record_type), "other_type")
    if type_name != "response":
        return None, _classify(type_name, None, "", None)
    if not record.is_http:
        return None, "not_http"
    record.parse_http(auto_decode="all", quirks_mode=False)
    status = record.http_headers.status_code
    mime, charset = _split_content_type(record.http_headers.get("Content-Type"))
    reason = _classify("response", status, mime, None)
    if reason is not None:
        return None, reason
    payload, truncated = _read_payload(record.reader.read, stats)
    reason = _classify("response", status, mime, payload[:1024])
    if reason is not None:
        return None, reason
    overrun = pagewalk.find(payload, _NEXT_RECORD)  # memchr for CR: ~15x faster than bytes.find
    if overrun >= 0:  # FastWARC reads on into the next member when Content-Length is too long
        raise _Overrun(payload[:overrun])
    headers = record.headers
    return (
        WarcRecord(
            url=_clean_uri(headers.get("WARC-Target-URI")),
            fetch_time=_parse_date(headers.get("WARC-Date")),
            status=status,
            content_type=mime or "text/html",
            charset=charset,
            payload=payload,
            warc_filename=name,
            offset=offset,
            length=0,
            truncated=truncated or headers.get("WARC-Truncated") is not None,
        ),
        None,
    )
