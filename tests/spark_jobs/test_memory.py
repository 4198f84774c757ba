"""The extract task's allocator settings (spark_jobs.memory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc mallopt: Linux only")
def test_keep_heap_turns_off_unmapping_and_moves_arrow_to_the_same_heap() -> None:
    """In a fresh process (allocator settings are process-wide): once set, freed large
    blocks stay mapped, so the resident size does not drop after a big buffer is freed."""
    code = """
import pyarrow as pa
from spark_jobs.memory import keep_heap

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 >> 20

before = pa.default_memory_pool().backend_name
kept = keep_heap()
block = bytearray(300 << 20)
peak = rss_mb()
del block
print(before, kept, keep_heap(), pa.default_memory_pool().backend_name, peak - rss_mb())
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    before, kept, again, backend, released_mb = out
    assert before != "system" and (kept, again, backend) == ("True", "True", "system")
    assert int(released_mb) < 50, "the freed 300 MB block went back to the kernel"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and madvise: Linux only")
def test_heap_prefault_makes_the_heap_top_resident_before_it_is_used() -> None:
    """ensure() populates the free top of the heap in one call: the resident size grows by
    what was asked, and a buffer allocated next lands on pages already resident."""
    code = """
from spark_jobs.memory import HeapPrefault

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 >> 20

heap = HeapPrefault()
start = rss_mb()
heap.ensure(200 << 20)
populated = rss_mb()
top = heap.top_free() >> 20
heap.ensure(200 << 20)  # already there: nothing more
again = rss_mb()
block = bytearray(150 << 20)
print(heap.active, populated - start, top, again - populated, rss_mb() - again)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    active, populated_mb, top_mb, again_mb, buffer_mb = out
    if active != "True":
        pytest.skip("no MADV_POPULATE_WRITE or mallinfo2 here")
    assert int(populated_mb) >= 190 and int(top_mb) >= 200
    assert int(again_mb) < 5, "a second ensure() populated again"
    assert int(buffer_mb) < 20, "the 150 MB buffer was faulted in instead of reusing the top"
