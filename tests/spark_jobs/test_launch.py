"""The local entry point names a job by its module; anything else is a usage error."""

from __future__ import annotations

import pytest

from spark_jobs import launch


@pytest.mark.parametrize("argv", [[], ["../extract"], ["extract", "graph"]])
def test_anything_but_one_job_name_is_a_usage_error(argv):
    with pytest.raises(SystemExit, match="usage: python -m spark_jobs.launch JOB"):
        launch.main(argv)
