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
