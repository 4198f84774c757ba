"""Fuzzing both WARC readers over damaged copies of the real WARC files (issue 16).

Byte flips, truncations, Content-Length edits and gzip member splices, on the gzip files
and on their uncompressed form. Whatever the damage: no exception escapes, every error
names its file and offset, every record seen is counted once (page, skip or error), and no
page carries bytes of another record. Bounded: a fixed number of examples per test.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.warc import READERS, ReadStats, iter_html_records
from tests.paths import REAL_WARC

FILES = ("whirlwind.warc.gz", "example.warc.gz", "example-2010-000000.extracted.warc.gz")
FUZZ = settings(
    max_examples=int(os.environ.get("SUPPLYLINKS_FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=os.environ.get("SUPPLYLINKS_FUZZ_EXAMPLES") is None,  # CI: same examples
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
pytestmark = pytest.mark.skipif(not REAL_WARC.is_dir(), reason=f"{REAL_WARC} is absent")


@cache
def members(name: str) -> tuple[bytes, ...]:
    """The gzip members of a real WARC file (one record each)."""
    data = (REAL_WARC / name).read_bytes()
    out, pos = [], 0
    while pos < len(data):
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[pos:])
        end = len(data) - len(inflater.unused_data)
        out.append(data[pos:end])
        pos = end
    return tuple(out)


def inflate(member: bytes) -> bytes:
    """A member's record (a damaged member: what can still be inflated of it)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(member)
    except zlib.error:
        return member


def edit_length(record: bytes, value: str) -> bytes:
    new = f"Content-Length: {value}".encode()
    return re.sub(rb"Content-Length: [^\r\n]*", new, record, count=1)


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """(file name, damaged bytes): one to three mutations of a real file, gzip or plain."""
    source = draw(st.sampled_from(FILES))
    parts = list(members(source))
    plain = draw(st.booleans())
    if plain:
        parts = [inflate(m) for m in parts]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "length", "drop", "splice", "cut"]))
        k = draw(st.integers(0, len(parts) - 1))
        if kind == "length":
            value = draw(st.sampled_from(["-1", "abc", "0", "7", "99999999", ""]) | st.integers(
                0, 300_000).map(str))  # fmt: skip
            record = edit_length(parts[k] if plain else inflate(parts[k]), value)
            parts[k] = record if plain else gzip.compress(record, mtime=0)
        elif kind == "drop" and len(parts) > 1:
            del parts[k]
        elif kind == "splice":  # a member (or record) inserted again elsewhere
            parts.insert(draw(st.integers(0, len(parts))), parts[k])
        elif kind == "cut":  # a member (or record) cut short in the middle of the file
            parts[k] = parts[k][: draw(st.integers(0, max(len(parts[k]) - 1, 0)))]
        elif any(parts):
            data = bytearray(b"".join(parts))
            at = draw(st.integers(0, len(data) - 1))
            if kind == "flip":
                data[at] ^= draw(st.integers(1, 255))
            else:
                data = data[:at]
            parts = [bytes(data)]
    name = source.removesuffix(".gz") if plain else source
    return name, b"".join(parts)


def check_invariants(name: str, data: bytes, reader: str) -> None:
    stats = ReadStats()
    pages = list(iter_html_records(io.BytesIO(data), name, stats, reader=reader))
    assert stats.records_read == len(pages) + stats.records_skipped + stats.records_failed
    for error in stats.errors:
        assert error["file"] == name and isinstance(error["offset"], int), error
        assert 0 <= error["offset"] <= len(data) and error["error"], error
    for got in pages:
        assert 0 <= got.offset < got.offset + got.length <= len(data)
        # a page holding the start of another WARC record was framed wrongly
        assert b"WARC-Record-ID:" not in got.payload, (got.url, got.offset)
        assert not re.search(rb"(^|\n)WARC/1\.[01]\r?\n", got.payload), (got.url, got.offset)


@pytest.mark.parametrize("reader", READERS)
@FUZZ
@given(case=damaged())
def test_damaged_real_files_keep_the_invariants(reader: str, case: tuple[str, bytes]) -> None:
    check_invariants(*case, reader)


@pytest.mark.parametrize("reader", READERS)
def test_undamaged_real_files_read_without_errors(reader: str) -> None:
    for source in FILES:
        plain = b"".join(inflate(m) for m in members(source))
        for name, data in ((source, b"".join(members(source))), (source[:-3], plain)):
            stats = ReadStats()
            list(iter_html_records(io.BytesIO(data), name, stats, reader=reader))
            assert not stats.errors and stats.records_read == len(members(source)), name
