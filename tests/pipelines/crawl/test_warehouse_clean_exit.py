"""A user's script reading two Delta tables exits cleanly (issue 16): 20 runs, all exit 0.

Reading with ``DeltaTable(...).to_pyarrow_table()`` aborted at interpreter exit about one
run in sixteen (exit 134); ``pipelines.warehouse.read_table`` reads through pyarrow's own
filesystem (see its module docstring for the cause).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
from deltalake import write_deltalake

from tests.paths import REPO_ROOT

SCRIPT = """
import sys
from pipelines.warehouse import read_table
pages, links = (read_table(path) for path in sys.argv[1:3])
assert pages.num_rows == 2_000 and links.num_rows == 2_000, (pages.num_rows, links.num_rows)
assert set(pages.column_names) == {"url", "segment", "n"}  # partition column included
print(pages.num_rows + links.num_rows)
"""


def test_a_script_reading_two_tables_exits_0_twenty_times(tmp_path) -> None:
    paths = []
    for name in ("pages", "links"):
        rows = pa.table(
            {
                "url": [f"https://a{i % 97}.de/{i}" for i in range(2_000)],
                "segment": [f"{i % 4:02d}" for i in range(2_000)],
                "n": list(range(2_000)),
            }
        )
        write_deltalake(str(tmp_path / name), rows, partition_by=["segment"])
        paths.append(str(tmp_path / name))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    def run(_: int) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, *paths],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        return done.returncode, done.stderr[-300:]

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, range(20)))
    assert [code for code, _ in results] == [0] * 20, [r for r in results if r[0]]
