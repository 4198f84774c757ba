"""Seed CSV validation (issue 16): every damaged seed list is named with its cause."""

from __future__ import annotations

import pytest

from extraction.companies import SEED_CHECKS, SeedCompanies, seed_problems
from tests.paths import SAMPLES

HEADER = b"company_id,name,domains,country\n"


def failed(data: bytes) -> dict[str, list[str]]:
    return {k: v for k, v in seed_problems(data, "s.csv").items() if v}


def test_the_sample_seed_list_passes_every_check() -> None:
    data = (SAMPLES / "seeds" / "companies.csv").read_bytes()
    assert failed(data) == {}
    assert len(SeedCompanies.from_bytes(data, "companies.csv")) > 0


@pytest.mark.parametrize(
    ("data", "check", "words"),
    [
        (b"company_id,name,country\nC1,Acme,DE\n", "required_columns", "lacks column(s) domains"),
        (HEADER + "C1,Müller,mueller.de,DE\n".encode("latin-1"), "utf8", "not UTF-8"),
        (HEADER, "has_companies", "no company"),
        (b"", "required_columns", "lacks column(s) company_id, domains"),
        (HEADER + b"C1,A,a.de,DE\nC1,B,b.de,DE\n", "unique_company_ids", "'C1' on rows 1 and 2"),
        (HEADER + b"C1,A,a.de,DE\nC2,B,www.a.de,DE\n", "unique_domains", "'a.de' listed for"),
        (HEADER + b"C1,A,not a domain,DE\n", "valid_domains", "is no registered domain"),
        (HEADER + b"C1,A,,DE\n", "valid_domains", "has no domain"),
    ],
    ids=[
        "no-domains-column",
        "latin-1",
        "header-only",
        "empty",
        "dup-id",
        "dup-domain",
        "bad-domain",
        "no-domain",
    ],  # fmt: skip
)
def test_each_damage_fails_its_check_naming_the_file(data, check, words) -> None:
    problems = failed(data)
    assert check in problems and words in problems[check][0]
    assert problems[check][0].startswith("s.csv: ")
    first = [c for c in SEED_CHECKS if c in problems][0]
    assert first == check  # the first failing check is the cause, later ones say "not checked"
    with pytest.raises(ValueError, match="^s.csv: "):
        SeedCompanies.from_bytes(data, "s.csv")


def test_duplicate_company_ids_are_refused_by_the_loader_too() -> None:
    rows = [{"company_id": "C1", "domains": "a.de"}, {"company_id": "C1", "domains": "b.de"}]
    with pytest.raises(ValueError, match="'C1' listed twice"):
        SeedCompanies.from_rows(rows)
