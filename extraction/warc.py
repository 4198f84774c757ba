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

Neither library checks a record's framing (warcio only warns on stderr, FastWARC reads a
too-long record on into the next ones), so on a seekable source every record the library
frames is checked against its declared ``Content-Length`` before it counts
(:class:`_Framing`; cheap: a gzip member's trailer says its inflated size, a plain record
is followed by its blank line). A record that fails is an error at its offset, never a
page: no page ever carries another record's bytes. Every record seen is counted once, as a
page, a skip or an error: ``records_read == pages + records_skipped + records_failed``.
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
#: The reader everything uses unless told otherwise: FastWARC reads ~1.6x faster, and both
#: give the same records, skips and errors (tests/extraction/test_warc*.py run both).
DEFAULT_READER = "fastwarc"
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

    records_read: int = 0  # pages + records_skipped + records_failed
    records_skipped: int = 0
    records_failed: int = 0
    bytes_read: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)

    def error(self, file: str, offset: int | None, error: str, record: bool = True) -> None:
        """An error; ``record`` (the default): it stands for a record, counted as read."""
        self.errors.append({"file": file, "offset": offset, "error": error})
        if record:
            self.records_failed += 1
            self.records_read += 1

    def skip(self, reason: str) -> None:
        """A record read and left out for ``reason``."""
        self.skipped[reason] += 1
        self.records_skipped += 1
        self.records_read += 1

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
    reader: str = DEFAULT_READER,
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
            stats.error(name, None, f"cannot open: {exc}", record=False)
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
    resume: int | None = None  # set with ``reframed``: where the next record starts
    reframed: bool = False  # a framing check failed: error recorded, resume at ``resume``


def _read(stream: BinaryIO, name: str, stats: ReadStats, reader: str) -> Iterator[WarcRecord]:
    """Run a reader; after a failure resynchronise on the next record start and go on.

    Every resumption starts strictly after the previous one, so a broken file cannot loop.
    """
    read_one = _read_warcio if reader == "warcio" else _read_fastwarc
    seekable = _seekable(stream)
    start = stream.tell() if seekable else 0
    gzipped = True
    framing = None
    if seekable:
        head = stream.read(2)
        gzipped = head == _GZIP_MAGIC[:2]
        size = stream.seek(0, os.SEEK_END)
        stream.seek(start)
        if size <= start:
            stats.error(name, start, "empty file: no WARC records", record=False)
            return
        framing = _Framing(stream, name, stats, gzipped, size)
    seen = stats.records_read
    floor = start
    while True:
        attempt = yield from read_one(stream, name, stats, gzipped if seekable else None, framing)
        if attempt.reframed:
            if attempt.resume is None or attempt.resume <= floor:
                return
            floor = attempt.resume
            stream.seek(attempt.resume)
            continue
        if attempt.failed_at is None:
            if seekable and gzipped and attempt.last_offset is not None:
                _check_last_member(stream, name, attempt.last_offset, stats)
            if stats.records_read == seen:
                stats.error(name, start, "no WARC record in the file", record=False)
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


#: The framing check found nothing wrong with a record.
_FRAMED = -1
#: At most this much record header is inflated/read to find its Content-Length.
_MAX_HEADER_BYTES = 16 << 20
#: Bytes inflated at a time while looking for a gzip member's WARC header.
_HEADER_PROBE_BYTES = 4096


class _Framing:
    """Checks that a record the library framed at ``[offset, end)`` is what its header
    declares, so a wrong ``Content-Length`` can never hand one record's bytes to another.

    gzip: the member's trailer holds its inflated size (ISIZE); it must equal header +
    Content-Length + the closing CRLF CRLF. Only when it does not is the member inflated
    to say what is wrong (and to find where it really ends). Plain: the block must be
    followed by its blank line. :meth:`check` returns ``_FRAMED`` when the record is
    sound, else records the error and returns where the next record starts (None: none).
    """

    def __init__(self, stream: BinaryIO, name: str, stats: ReadStats, gzipped: bool, size: int):
        self.stream, self.name, self.stats = stream, name, stats
        self.gzipped, self.size = gzipped, size

    def check(self, offset: int, end: int, suspect: bool = False) -> int | None:
        """``suspect``: the library failed after this record, so ``end`` is a guess and the
        member is inflated whatever its trailer says."""
        position = self.stream.tell()
        try:
            if self.gzipped:
                problem, resume = self._check_member(offset, end, suspect)
            else:
                problem, resume = self._check_plain(offset)
        finally:
            self.stream.seek(position)
        if problem is None:
            return _FRAMED
        self.stats.error(self.name, offset, problem)
        return resume

    def _read_at(self, offset: int, n: int) -> bytes:
        self.stream.seek(offset)
        return self.stream.read(n)

    def _check_plain(self, offset: int) -> tuple[str | None, int | None]:
        header = b""
        while True:
            chunk = self._read_at(offset + len(header), 1 << 16)
            header += chunk
            length, problem = _header_content_length(header)
            if length is not None or problem or not chunk or len(header) > _MAX_HEADER_BYTES:
                break
        resume = _next_record_start(self.stream, offset + 1, gzipped=False)
        if problem or length is None:
            cut = offset + len(header) >= self.size
            return problem or _UNENDED_HEADER[cut], resume
        head_size, declared = length
        block_end = offset + head_size + declared
        if block_end + 4 > self.size:
            return (
                f"record cut short at end of file: Content-Length {declared}, "
                f"{self.size - offset - head_size} bytes follow (truncated file?)",
                resume,
            )
        closing = self._read_at(block_end, 4)
        if closing != b"\r\n\r\n" and not closing.startswith(b"\n\n"):
            return (
                f"Content-Length {declared} does not end the record (no blank line after "
                "it): the declared length is wrong",
                resume,
            )
        return None, None

    def _check_member(self, offset: int, end: int, suspect: bool) -> tuple[str | None, int | None]:
        inflater = zlib.decompressobj(wbits=31)
        inflated = pending = b""
        position = offset
        length = problem = None
        try:
            while len(inflated) <= _MAX_HEADER_BYTES:
                if not pending:
                    pending = self._read_at(position, 1 << 14)
                    if not pending:
                        break
                    position += len(pending)
                # only the header is wanted: inflating the whole chunk cost a third of
                # the read (the payload is inflated again by the reader)
                inflated += inflater.decompress(pending, _HEADER_PROBE_BYTES)
                pending = inflater.unconsumed_tail
                length, problem = _header_content_length(inflated)
                if length is not None or problem or inflater.eof:
                    break
        except zlib.error as exc:
            return f"corrupt gzip member: {exc}", _next_record_start(self.stream, offset + 1, True)
        if problem or length is None:
            resume = _next_record_start(self.stream, offset + 1, gzipped=True)
            return problem or _UNENDED_HEADER[position >= self.size], resume
        head_size, declared = length
        expected = head_size + declared + 4
        trailer_size = int.from_bytes(self._read_at(end - 4, 4), "little") if end >= 4 else -1
        if not suspect and end - offset >= 18 and trailer_size == expected & 0xFFFFFFFF:
            return None, None
        return self._inflate_member(offset, end, head_size, declared)

    def _inflate_member(
        self, offset: int, end: int, head_size: int, declared: int
    ) -> tuple[str | None, int | None]:
        """The slow path: inflate the whole member, say what is wrong with it."""
        inflater = zlib.decompressobj(wbits=31)
        size = 0
        tail = b""
        position = offset
        try:
            while not inflater.eof:
                chunk = self._read_at(position, 1 << 20)
                if not chunk:
                    break
                position += len(chunk)
                data = inflater.decompress(chunk)
                size += len(data)
                tail = (tail + data)[-(1 << 16) :]
        except zlib.error as exc:
            return f"corrupt gzip member: {exc}", _next_record_start(self.stream, offset + 1, True)
        if not inflater.eof:
            return "truncated gzip member: file ends inside it", None
        member_end = position - len(inflater.unused_data)
        block = size - head_size
        if block < declared:
            problem = (
                f"Content-Length {declared} exceeds the {max(block, 0)} bytes the record "
                "holds (the declared length is wrong)"
            )
            return problem, member_end
        after = tail[len(tail) - (block - declared) :] if block > declared else b""
        if after.strip(b"\r\n"):
            problem = (
                f"Content-Length {declared} is less than the record's {block - 4} bytes "
                "(the declared length is wrong)"
            )
            return problem, member_end
        if member_end < end:  # the library went past a stretch that is no record
            self.stats.error(
                self.name,
                member_end,
                f"{end - member_end} bytes after the record are no gzip member "
                "(corrupt gzip header?)",
            )
        return None, None


_UNENDED_HEADER = {
    False: "record header never ends (no blank line)",
    True: "record cut short at end of file inside its header (truncated file?)",
}


def _header_content_length(data: bytes) -> tuple[tuple[int, int] | None, str | None]:
    """((header size, Content-Length), None) once ``data`` holds a whole WARC header,
    (None, problem) if it is broken, (None, None) while it is still incomplete."""
    if not data.startswith(b"WARC/"):
        if len(data) >= 5:
            return None, f"no WARC record here (starts {data[:16]!r})"
        return None, None
    crlf, lf = data.find(b"\r\n\r\n"), data.find(b"\n\n")
    if crlf < 0 and lf < 0:
        return None, None
    if crlf >= 0 and (lf < 0 or crlf <= lf):
        head, head_size = data[:crlf], crlf + 4
    else:
        head, head_size = data[:lf], lf + 2
    for line in head.split(b"\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            value = value.strip()
            if not value.isdigit():
                shown = value[:40].decode("latin-1")
                return None, f"Content-Length {shown!r} is not a non-negative integer"
            return (head_size, int(value)), None
    return None, "record header has no Content-Length"


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
    stream: BinaryIO,
    name: str,
    stats: ReadStats,
    gzipped: bool | None,
    framing: _Framing | None = None,
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
        warned = iterator.err_count > warnings  # warcio only warns on stderr
        warnings = iterator.err_count
        if framing is not None:
            resume = framing.check(offset, offset + length)
            if resume != _FRAMED:
                return _Attempt(offset, resume=resume, reframed=True)
        elif warned or getattr(record.raw_stream, "limit", 0):
            # unseekable: warcio's own signals are all there is (no blank line after the
            # block, or the block ended before its Content-Length); the next record is lost
            stats.error(name, offset, "record does not end where its Content-Length says")
            return _Attempt(offset, resume=None, reframed=True)
        stats.bytes_read += length
        if reason is not None:
            stats.skip(reason)
            continue
        stats.records_read += 1
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
    text = " ".join(str(exc).split())  # no raw binary in a message: it lands in logs
    text = "".join(c if c.isprintable() and ord(c) < 0x80 else "?" for c in text[:300])
    return f"{type(exc).__name__}: {text}"


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


@dataclass
class _Pending:
    """A FastWARC record whose length is known only once the next one starts."""

    offset: int
    page: WarcRecord | None = None
    reason: str | None = None
    error: str | None = None


def _settle(
    pending: _Pending,
    end: int,
    stats: ReadStats,
    name: str,
    framing: _Framing | None,
    suspect: bool = False,
) -> Iterator[WarcRecord]:
    """Count (or yield) a record now that its end is known; returns ``_FRAMED`` or, when
    its framing is wrong (error recorded), where the next record starts."""
    if framing is not None:
        resume = framing.check(pending.offset, end, suspect)
        if resume != _FRAMED:
            return resume
    stats.bytes_read += end - pending.offset
    if pending.error is not None:
        stats.error(name, pending.offset, pending.error)
    elif pending.reason is not None:
        stats.skip(pending.reason)
    elif pending.page is not None:
        stats.records_read += 1
        pending.page.length = end - pending.offset
        yield pending.page
    return _FRAMED


def _read_fastwarc(
    stream: BinaryIO,
    name: str,
    stats: ReadStats,
    gzipped: bool | None,
    framing: _Framing | None = None,
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
    pending: _Pending | None = None
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
            if pending is None:
                return _Attempt(None, attempt_start, _describe(exc))
            last = pending.offset
            end = _next_record_start(stream, last + 1, gzipped) if seekable else None
            if end is None:  # no record after it: the last one runs to the end of the file
                end = framing.size if framing is not None else last
            resume = yield from _settle(pending, end, stats, name, framing, True)
            if resume != _FRAMED:
                return _Attempt(last, resume=resume, reframed=True)
            message = f"{_describe(exc)} (after the record at offset {last})"
            return _Attempt(last, last, message, certain=False)
        offset = record.stream_pos
        if pending is not None:
            resume = yield from _settle(pending, offset, stats, name, framing)
            if resume != _FRAMED:
                return _Attempt(pending.offset, resume=resume, reframed=True)
        pending = _Pending(offset)
        try:
            pending.page, pending.reason = _fastwarc_record(record, name, offset, stats)
        except _Overrun as overrun:  # the next record was swallowed
            if framing is None:  # unseekable: report, stop (the caller cannot resume)
                stats.error(name, offset, str(overrun))
                return _Attempt(offset, resume=None, reframed=True)
            pending.page, pending.reason, pending.error = None, None, str(overrun)
        except BaseException as exc:  # this record only: FastWARC finds the next by itself
            if _fatal(exc):
                raise
            pending.page, pending.reason, pending.error = None, None, _describe(exc)
    if pending is None:
        return _Attempt(None)
    resume = yield from _settle(pending, source.tell(), stats, name, framing)
    if resume != _FRAMED:
        return _Attempt(pending.offset, resume=resume, reframed=True)
    return _Attempt(pending.offset)


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
