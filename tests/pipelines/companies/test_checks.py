"""The companies checks find what they claim to find on hand-made Delta tables."""

from __future__ import annotations

import pyarrow as pa
from deltalake import write_deltalake

from pipelines.companies.checks import (
    conflict_problems,
    id_format_problems,
    seed_name_problems,
    valid_register_number,
    valid_vat_id,
)
from pipelines.crawl.checks import duplicate_key_problems
from spark_jobs.tables import COMPANIES

CRAWL = "CC-MAIN-2024-22"


def write(warehouse, *items: dict) -> None:
    rows = []
    for item in items:
        row = dict.fromkeys(COMPANIES.columns)
        row.update({"crawl": CRAWL, **item})
        rows.append(row)
    write_deltalake(
        COMPANIES.path(str(warehouse)),
        pa.Table.from_pylist(rows, schema=COMPANIES.schema),
        partition_by=list(COMPANIES.partition_by),
        mode="append",
    )


def test_ids_are_revalidated():
    assert valid_vat_id("DE626018158") and not valid_vat_id("DE626018159")
    assert valid_vat_id("CHE571177778MWST") and not valid_vat_id("CHE571177778")
    assert valid_vat_id("NL578245048B01") and valid_vat_id("GB334018783001")
    for number in ("HRB 154321 B", "FN 245871k", "CHE-571.177.778", "SC298765", "925242737"):
        assert valid_register_number(number), number
    for number in ("HRB12345", "FN 245871", "CHE-571.177.779", "925242738", "12 34"):
        assert not valid_register_number(number), number


def test_checks_on_a_bad_table(tmp_path):
    good = {"registered_domain": "good.de", "company_id": "C1", "legal_name": "Good GmbH",
            "register_number": "HRB 723456", "vat_id": "DE626018158"}  # fmt: skip
    write(
        tmp_path,
        good,
        {**good, "legal_name": "Good Holding GmbH"},  # a second identity for good.de
        {"registered_domain": "bad.de", "vat_id": "DE626018159", "register_number": "HRB x"},
        {
            "registered_domain": "two.de",
            "legal_name": "Two GmbH",
            "register_number": "HRB 1",
            "conflicts": "HRB 2 (https://two.de/alt/impressum)",
        },  # fmt: skip
    )
    warehouse = str(tmp_path)
    invalid = id_format_problems(warehouse)
    assert [(p["registered_domain"], p["problem"]) for p in invalid] == [
        ("bad.de", "invalid VAT id"),
        ("bad.de", "invalid register number"),
    ]
    assert [p["registered_domain"] for p in duplicate_key_problems(warehouse, COMPANIES)] == [
        "good.de"
    ]
    assert [p["registered_domain"] for p in conflict_problems(warehouse)] == ["two.de"]
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("company_id,name,domains,country\nC1,Good GmbH,good.de,DE\n")
    mismatches = seed_name_problems(warehouse, str(seeds))
    assert [(p["csv_name"], p["legal_name"]) for p in mismatches] == [
        ("Good GmbH", "Good Holding GmbH")
    ]


def test_no_table_no_problems(tmp_path):
    assert id_format_problems(str(tmp_path)) == [] and conflict_problems(str(tmp_path)) == []
