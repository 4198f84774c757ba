"""Pipes entrypoint: ``company_links`` -> ``link_graph``, one slice per crawl.

The slice of crawl C is the company graph *as of* C: evidence from every crawl up to and
including C, aggregated per (source company, target company or registered domain,
relation). Companies are named by their primary domain (first in the seed list), so a
company with several domains is one node.
"""

from __future__ import annotations

from typing import Any

from dagster_pipes import PipesContext

from spark_jobs import storage
from spark_jobs.delta import read_slices, table_crawls, write_slices
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows, seed_domains_frame
from spark_jobs.tables import COMPANIES, COMPANY_LINKS, LINK_GRAPH


def build_edges(spark, company_links, seed_rows: list[dict[str, str]], as_of: str, imprints=None):
    """Aggregate link evidence of crawls <= ``as_of`` into company-level edges.

    ``imprints`` (rows of ``companies``) names targets that are no seed company by the
    legal name their imprint states, as of the newest crawl <= ``as_of`` that has one.
    """
    from pyspark.sql import functions as F

    companies = (
        seed_domains_frame(spark, seed_rows)
        .select("company_id", "primary_domain", "name")
        .dropDuplicates(["company_id"])
    )
    src = companies.select(
        F.col("company_id").alias("src_company_id"),
        F.col("primary_domain").alias("src_primary"),
        F.col("name").alias("src_name"),
    )
    dst = companies.select(
        F.col("company_id").alias("dst_company_id"),
        F.col("primary_domain").alias("dst_primary"),
        F.col("name").alias("dst_name"),
    )
    links = (
        company_links.where(F.col("crawl") <= as_of)
        .join(F.broadcast(src), "src_company_id")
        .join(F.broadcast(dst), "dst_company_id", "left")
        .withColumn("src_key", F.col("src_primary"))
        .withColumn("dst_key", F.coalesce("dst_primary", "dst_domain"))
        .where(F.col("src_key") != F.col("dst_key"))
    )
    edges = links.groupBy("src_company_id", "src_key", "dst_key", "relation").agg(
        F.first("src_name").alias("src_name"),
        F.first("dst_company_id", ignorenulls=True).alias("dst_company_id"),
        F.first("dst_name", ignorenulls=True).alias("dst_name"),
        # A URL fetched in two segments is one page: count distinct links, not rows.
        F.countDistinct("link_id").alias("links"),
        F.countDistinct("src_url").alias("pages"),
        F.countDistinct("crawl").cast("int").alias("crawls"),
        F.avg("confidence").alias("mean_confidence"),
        F.min("crawl").alias("first_crawl"),
        F.max("crawl").alias("last_crawl"),
    )
    if imprints is not None:
        edges = edges.join(F.broadcast(imprint_names(imprints, as_of)), "dst_key", "left")
        edges = edges.withColumn(
            "dst_name",
            F.when(F.col("dst_company_id").isNull(), F.col("imprint_name")).otherwise(
                F.col("dst_name")
            ),
        )
    return edges.select(
        "src_company_id",
        F.col("src_key").alias("src_domain"),
        "src_name",
        "dst_company_id",
        F.col("dst_key").alias("dst_domain"),
        "dst_name",
        "relation",
        "links",
        "pages",
        "crawls",
        "mean_confidence",
        "first_crawl",
        "last_crawl",
        F.lit(as_of).alias("crawl"),
    )


def imprint_names(imprints, as_of: str):
    """(dst_key, imprint_name): each domain's legal name from its newest imprint <= as_of."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    newest = Window.partitionBy("registered_domain").orderBy(F.col("crawl").desc())
    return (
        imprints.where((F.col("crawl") <= as_of) & F.col("legal_name").isNotNull())
        .withColumn("rank", F.row_number().over(newest))
        .where("rank = 1")
        .select(
            F.col("registered_domain").alias("dst_key"), F.col("legal_name").alias("imprint_name")
        )
    )


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "graph", params)
    spark = job.spark
    crawls = sorted(set(params.crawls) or {c for c, _ in params.slices})
    if not crawls:
        raise ValueError("the graph job needs at least one crawl (extra 'crawls')")
    seed_rows = load_seed_rows(params.seeds)
    available = table_crawls(spark, COMPANY_LINKS, params.warehouse, reader=params.writer)
    wanted = {c: None for c in available if c <= max(crawls)}
    if not wanted:
        job.log("company_links holds no crawl up to the requested ones", level="warning")
    links = read_slices(
        spark, COMPANY_LINKS, params.warehouse, wanted or {crawls[0]: None}, reader=params.writer
    )
    companies_log = storage.join(COMPANIES.path(params.warehouse), "_delta_log")
    imprint_crawls = [
        c
        for c in (
            table_crawls(spark, COMPANIES, params.warehouse, reader=params.writer)
            if storage.exists(companies_log)
            else []
        )
        if c <= max(crawls)
    ]
    imprints = (
        read_slices(
            spark, COMPANIES, params.warehouse, dict.fromkeys(imprint_crawls), reader=params.writer
        )
        if imprint_crawls
        else None
    )
    frames = [build_edges(spark, links, seed_rows, crawl, imprints) for crawl in crawls]
    edges = frames[0]
    for frame in frames[1:]:
        edges = edges.unionByName(frame)
    report = write_slices(
        spark,
        LINK_GRAPH,
        params.warehouse,
        {c: None for c in crawls},
        edges,
        writer=params.writer,
        staging_root=params.staging_root,
    )
    written = read_slices(
        spark, LINK_GRAPH, params.warehouse, {c: None for c in crawls}, reader=params.writer
    )
    relations = {r["relation"]: r["count"] for r in written.groupBy("relation").count().collect()}
    extra = {
        "crawls_built": crawls,
        "evidence_crawls": sorted(wanted),
        "imprint_crawls": imprint_crawls,
        "edges_by_relation": relations,
    }
    job.report(LINK_GRAPH.name, report, extra)
    return {"report": report.metadata(), **extra}


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
