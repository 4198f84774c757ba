"""The local runtime's PySpark daemon: PySpark imported from its installed package.

Spark puts ``$SPARK_HOME/python/lib/pyspark.zip`` (and py4j's zip) first on the Python
workers' path. Python caches no bytecode for modules imported from a zip, so the daemon, and
every worker it forks (each imports ``pyspark.worker`` after the fork), compiles PySpark's
sources again at the start of every job: ``import pyspark.daemon, pyspark.worker`` takes
0.69 s from the zip and 0.15 s from the installed package on this machine, on the critical
path of every local job (the first task waits for the daemon, then for its worker).

When the zip sits inside the installed ``pyspark`` package itself (a pip install: the wheel
ships both, so they are the same version), this daemon moves the zips behind the installed
package and runs PySpark's own daemon; otherwise the path stays as Spark made it. Selected
with ``spark.python.daemon.module`` in local mode only (:mod:`spark_jobs.session`); cluster
images keep PySpark's daemon.
"""

from __future__ import annotations

import os
import sys

#: The zips Spark prepends to the workers' path.
SPARK_ZIP_PREFIXES = ("pyspark.zip", "py4j-")


def bundled_zips(path: list[str]) -> list[str]:
    """The entries of ``path`` that are zips shipped inside an installed ``pyspark`` package
    (``…/pyspark/python/lib/*.zip``): the same PySpark as the installed package."""
    found = []
    for entry in path:
        name = os.path.basename(entry)
        if not (name.endswith(".zip") and name.startswith(SPARK_ZIP_PREFIXES)):
            continue
        package = os.path.dirname(os.path.dirname(os.path.dirname(entry)))
        if os.path.basename(package) == "pyspark" and os.path.isfile(
            os.path.join(package, "__init__.py")
        ):
            found.append(entry)
    return found


def prefer_installed_pyspark(path: list[str]) -> list[str]:
    """``path`` with the bundled zips moved to its end (nothing else changes)."""
    zips = bundled_zips(path)
    return [p for p in path if p not in zips] + zips


def main() -> None:
    sys.path[:] = prefer_installed_pyspark(sys.path)
    from pyspark.daemon import manager

    manager()


if __name__ == "__main__":
    main()
