"""The ``companies`` job over Pipes: imprint records re-read by byte range, then the graph.

``pages`` is built from the sample's columnar index (the same url / warc_filename / offset /
length rows extraction writes), so no extract run is needed; ``company_links`` holds two
links to non-seed targets, so the real graph job shows their imprint names.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance, materialize
from deltalake import DeltaTable, write_deltalake

from pipelines.companies.assets import companies
from pipelines.companies.checks import companies_checks
from pipelines.config import Settings
from pipelines.crawl.assets import link_graph
from pipelines.crawl.partitions import crawl_partitions
from pipelines.definitions import build_definitions
from spark_jobs.tables import COMPANIES, COMPANY_LINKS, LINK_GRAPH, PAGES
from tests.paths import SAMPLES

pytestmark = pytest.mark.spark
CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"
CRAWL = "CC-MAIN-2024-22"


def pages_from_index() -> pa.Table:
    index = pq.read_table(next(CC_ROOT.glob(f"cc-index/**/crawl={CRAWL}/**/*.parquet")))
    rows = [
        {
            **dict.fromkeys(PAGES.columns),
            "url": r["url"],
            "host": r["url_host_name"],
            "registered_domain": r["url_host_registered_domain"],
            "fetch_time": r["fetch_time"],
            "status": r["fetch_status"],
            "warc_filename": r["warc_filename"],
            "warc_record_offset": r["warc_record_offset"],
            "warc_record_length": r["warc_record_length"],
            "crawl": CRAWL,
            "segment": "00",
        }
        for r in index.to_pylist()
        if r["content_mime_type"] == "text/html"
    ]
    return pa.Table.from_pylist(rows, schema=PAGES.schema)


def company_link(src: str, src_id: str, dst: str) -> dict:
    return {
        **dict.fromkeys(COMPANY_LINKS.columns),
        "link_id": f"{src}>{dst}", "src_url": f"https://www.{src}/kunden",
        "src_domain": src, "src_company_id": src_id, "dst_url": f"https://www.{dst}/",
        "dst_domain": dst, "relation": "customer", "confidence": 0.9,
        "model_version": "rules-test", "crawl": CRAWL, "segment": "00",
    }  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    warehouse = str(tmp_path_factory.mktemp("companies") / "warehouse")
    for spec, table in (
        (PAGES, pages_from_index()),
        (COMPANY_LINKS, pa.Table.from_pylist(
            [company_link("promech-distribution.co.uk", "C31", "harbour-retail.co.uk"),
             company_link("rheinauer-stahlguss.de", "C03", "giesserei-ahlen.de")],
            schema=COMPANY_LINKS.schema)),
    ):  # fmt: skip
        write_deltalake(spec.path(warehouse), table, partition_by=list(spec.partition_by))
    settings = Settings(warehouse=warehouse, cc_root=str(CC_ROOT), seeds=str(SEEDS), model="rules")
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(crawl_partitions.name, [CRAWL])
    result = materialize(
        [companies, link_graph, *companies_checks],
        instance=instance,
        resources=build_definitions(settings).resources,
        partition_key=CRAWL,
    )
    return warehouse, result


def test_identities_from_imprint_records(run):
    warehouse, result = run
    rows = {
        r["registered_domain"]: r
        for r in DeltaTable(COMPANIES.path(warehouse)).to_pyarrow_table().to_pylist()
    }
    assert len(rows) == len({(r["crawl"], d) for d, r in rows.items()})  # one per domain
    ahlen = rows["giesserei-ahlen.de"]
    assert (ahlen["legal_name"], ahlen["register_number"], ahlen["vat_id"]) == (
        "Gießerei Ahlen GmbH", "HRB 10452", "DE811587147",
    )  # fmt: skip
    assert ahlen["company_id"] is None and ahlen["imprint_pages"] == 2
    evidence = json.loads(ahlen["evidence"])
    assert evidence["vat_id"]["evidence"] == "DE811587147" and evidence["vat_id"]["confidence"] > 0
    swiss = rows["helvetia-foerdersysteme.ch"]
    assert (swiss["register_number"], swiss["vat_id"], swiss["country"]) == (
        "CHE-945.992.467", "CHE945992467MWST", "CH",
    )  # fmt: skip
    assert "HRB 1207" in rows["stadtwerke-kornbach.de"]["conflicts"]
    assert rows["rheinauer-stahlguss.de"]["other_ids"].startswith("HRB ")  # general partner
    assert {rows[d]["country"] for d in rows} >= {"DE", "AT", "CH", "GB", "NL", "FR"}
    assert "pacificrim-trading.com" not in rows  # no site, no imprint
    meta = next(
        e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == COMPANIES.name
    )
    assert meta["identities"].value == len(rows) and meta["records_skipped"].value == 0


def test_checks_report_conflicts_and_renamed_seeds(run):
    _, result = run
    checks = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks["ids_valid"].passed and checks["one_identity_per_domain"].passed
    assert checks["zorder_ran"].passed
    assert not checks["imprints_agree"].passed  # stadtwerke-kornbach.de states two HRBs
    renamed = checks["seed_names_match_imprints"]
    assert not renamed.passed
    problems = renamed.metadata["problems"].value
    assert [(p["company_id"], p["legal_name"]) for p in problems] == [
        ("C20", "Westbridge Materials Group plc")
    ]


def test_graph_names_non_seed_targets_by_their_imprint(run):
    warehouse, _ = run
    edges = DeltaTable(LINK_GRAPH.path(warehouse)).to_pyarrow_table().to_pylist()
    names = {e["dst_domain"]: e["dst_name"] for e in edges}
    assert names == {
        "harbour-retail.co.uk": "Harbour Retail Group Ltd.",
        "giesserei-ahlen.de": "Gießerei Ahlen GmbH",
    }


def test_graph_company_prints_the_identity_with_evidence(run, capsys):
    from pipelines.cli import main

    warehouse, _ = run
    assert main(["graph", "company", "harbour-retail.co.uk", "--warehouse", warehouse]) == 0
    out = capsys.readouterr().out
    assert "identity (imprint https://www.harbour-retail.co.uk/legal-notice" in out
    assert 'register    SC417233  (0.90; "SC417233")' in out
    assert "VAT id      GB224555178" in out and '"GB 224 5551 78"' in out
    assert (
        main(["graph", "company", "harbour-retail.co.uk", "--json", "--warehouse", warehouse]) == 0
    )
    identity = json.loads(capsys.readouterr().out)["identity"]
    assert identity["legal_name"] == "Harbour Retail Group Ltd."
    assert identity["evidence"]["register_number"]["value"] == "SC417233"
