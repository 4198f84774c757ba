"""A tiny Pipes job (no Spark) run by the fakes from the uploaded wheel: it proves the
whole round trip (artefacts, context, messages, logs, exit status) in a second."""

import sys
import time

import spark_jobs
from spark_jobs.pipes_session import open_pipes


def main() -> None:
    with open_pipes() as pipes:
        mode = pipes.extras.get("mode", "ok")
        print(f"driver stdout: spark_jobs from {spark_jobs.__file__}")
        print("driver stderr line", file=sys.stderr)
        pipes.log.info(f"report job running with mode={mode}, spark_jobs={spark_jobs.__file__}")
        if mode == "fail":
            raise RuntimeError("remote boom: the partition is broken")
        if mode == "sleep":
            time.sleep(600)
        if mode == "silent":  # exits 0 without reporting anything
            return
        for key in pipes.asset_keys:
            pipes.report_asset_materialization(
                asset_key=key,
                metadata={"rows_written": 3, "spark_jobs_file": spark_jobs.__file__},
            )


if __name__ == "__main__":
    main()
