"""The query SQL is engine-neutral: Spark SQL gives DuckDB's answers on the same graph."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from pipelines.graph import sql
from pipelines.graph.queries import LinkGraph
from spark_jobs.tables import COMPANY_LINKS, LINK_GRAPH
from tests.pipelines.graph.graph_fixture import NEW

pytestmark = pytest.mark.spark


def _views(spark, warehouse: Path) -> None:  # noqa: ANN001
    for spec in (LINK_GRAPH, COMPANY_LINKS):
        arrow = pa.table(DeltaTable(spec.path(str(warehouse))).to_pyarrow_dataset().to_table())
        spark.createDataFrame(arrow.to_pandas()).createOrReplaceTempView(spec.name)


def test_same_sql_same_answers_in_spark(spark, warehouse: Path) -> None:  # noqa: ANN001
    _views(spark, warehouse)
    local = LinkGraph(warehouse)
    statements = {
        "neighbors": sql.neighbors_sql(NEW, ["acme.de"], out_relations=None, in_relations=None),
        "degree": sql.degree_sql(NEW, None, "out_degree", 5),
        "pairs": sql.pairs_sql(NEW, ["supplier"]) + " ORDER BY src_domain, dst_domain",
        "evidence": sql.evidence_sql(NEW, ["acme.de", "acme.com"], "c1", 10),
    }
    for name, statement in statements.items():
        view = "company_links" if name == "evidence" else "link_graph"
        source = local.links if view == "company_links" else local.graph
        expected = local._run(statement, view, source.scan())
        got = [row.asDict() for row in spark.sql(statement).collect()]
        assert [_comparable(r) for r in got] == [_comparable(r) for r in expected], name
        assert expected, name


def _comparable(row: dict) -> dict:
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()}
