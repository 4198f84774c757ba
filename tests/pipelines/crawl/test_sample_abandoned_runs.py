"""A killed ``supplylinks sample`` leaves no run STARTED for good (issue 16): the next
sample marks its abandoned runs failed, and leaves a live one alone. Real instance, real
process, real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from pipelines.commands.sample import fail_abandoned_runs

SLOW_SAMPLE = """
import socket, sys, time
from dagster import DagsterInstance, asset, materialize
from pipelines.commands.sample import SAMPLE_TAG

@asset
def slow():
    time.sleep(300)

instance = DagsterInstance.local_temp(sys.argv[1])
materialize([slow], instance=instance, tags={SAMPLE_TAG: socket.gethostname()})
"""


def started_runs(instance) -> list:
    return instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED]))


def test_a_killed_sample_run_is_marked_failed_next_time(tmp_path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    process = subprocess.Popen([sys.executable, "-c", SLOW_SAMPLE, str(home)], env=os.environ)
    try:
        instance = DagsterInstance.local_temp(str(home))
        deadline = time.monotonic() + 90
        while not started_runs(instance) and time.monotonic() < deadline:
            assert process.poll() is None, "the sample process ended early"
            time.sleep(0.5)
        (run,) = started_runs(instance)
        assert fail_abandoned_runs(instance) == []  # alive: not touched
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED
        assert fail_abandoned_runs(instance) == [run.run_id]
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.FAILURE
        assert fail_abandoned_runs(instance) == []
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_the_printed_summary_names_each_failure(capsys) -> None:
    from pipelines.commands.sample import print_summary

    failure = {"what": "CC-MAIN-2024-22", "step": "extract", "error": "Spark job 'extract' "
               "failed: SliceFailure: 1 WARC file(s) of 1 slice(s) failed\n  details"}  # fmt: skip
    print_summary({"warehouse": "w", "rows": {"pages": 3}, "relations": [], "seconds": 1.0,
                   "failures": [failure]})  # fmt: skip
    out = capsys.readouterr().out
    assert "FAILED CC-MAIN-2024-22 (extract): Spark job 'extract' failed: SliceFailure" in out
    assert "1 step(s) failed" in out and "details" not in out
