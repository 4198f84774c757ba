"""The benchmarks' kept input: reused only when generated whole for the same parameters."""

from __future__ import annotations

import pytest

from pipelines.bench.workdir import prepared_input


def test_input_is_reused_only_when_whole_and_for_the_same_parameters(tmp_path):
    builds = []

    def build(root):
        builds.append(root)
        (root / "crawl-data").mkdir(parents=True)
        (root / "crawl-data" / "file").write_text(str(len(builds)))

    workdir, root = prepared_input(str(tmp_path), "unused-", {"records": 10}, build)
    assert workdir == tmp_path and root == tmp_path / "commoncrawl" and len(builds) == 1
    prepared_input(str(tmp_path), "unused-", {"records": 10}, build)
    assert len(builds) == 1  # same parameters: kept
    prepared_input(str(tmp_path), "unused-", {"records": 20}, build)
    assert len(builds) == 2 and (root / "crawl-data" / "file").read_text() == "2"

    def interrupted(root):
        (root / "crawl-data").mkdir(parents=True)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        prepared_input(str(tmp_path), "unused-", {"records": 30}, interrupted)
    prepared_input(str(tmp_path), "unused-", {"records": 30}, build)
    assert len(builds) == 3  # no marker was left by the interrupted generation
