"""Local entry point of a job: ``python -m spark_jobs.launch JOB`` runs ``spark_jobs/JOB.py``.

It starts the Spark driver JVM in a background thread first, then imports the job and runs
its ``main`` while the JVM boots, so the job's imports (pyarrow, the extraction package,
deltalake) and its planning overlap the JVM and context start-up instead of preceding them.
Clusters run the job scripts themselves (``spark-submit``), where the context is given.
"""

from __future__ import annotations

import importlib
import sys

from spark_jobs import session

#: Jobs that start Spark only when their input turns out big (a targeted read of a few
#: thousand records runs in-process): booting the JVM ahead would cost them seconds.
SPARK_WHEN_NEEDED = frozenset({"targeted_crawl"})


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].isidentifier():
        raise SystemExit("usage: python -m spark_jobs.launch JOB  (e.g. extract)")
    job = args[0]
    if job not in SPARK_WHEN_NEEDED:
        session.start_context(f"supplylinks-{job}")
    importlib.import_module(f"spark_jobs.{job}").main()


if __name__ == "__main__":
    main()
