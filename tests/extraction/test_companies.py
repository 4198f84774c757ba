"""Seed companies by registered domain, and company names found by legal-form rules."""

from __future__ import annotations

import pytest

from extraction.companies import Company, SeedCompanies, find_company_names

CSV = """company_id,name,domains,country
C1,Siemens AG,siemens.com; siemens.de https://new.siemens.com/global,DE
C2,ZEW,www.zew.de,DE
C3,Acme Ltd,acme.co.uk,GB
"""


@pytest.fixture
def seeds(tmp_path) -> SeedCompanies:
    path = tmp_path / "companies.csv"
    path.write_text(CSV, encoding="utf-8")
    return SeedCompanies.from_csv(path)


def test_csv_maps_every_domain_to_its_company(seeds: SeedCompanies) -> None:
    assert len(seeds) == 3
    siemens = seeds.company_for_domain("siemens.de")
    assert siemens == Company("C1", "Siemens AG", ("siemens.com", "siemens.de"), "DE")
    assert siemens.primary_domain == "siemens.com"
    assert seeds.company_for_domain("siemens.com") is siemens
    assert seeds.company_for_domain("zew.de").company_id == "C2"  # www. reduced to the domain
    assert seeds.company_for_domain("acme.co.uk").primary_domain == "acme.co.uk"
    assert seeds.company_for_domain("unknown.de") is None
    assert seeds.company_for_domain(None) is None


def test_rows_round_trip_for_spark_executors(seeds: SeedCompanies) -> None:
    again = SeedCompanies.from_rows(seeds.to_rows())
    assert list(again) == list(seeds)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"company_id": "", "domains": "a.de"}], "empty company_id"),
        ([{"company_id": "C1", "domains": ""}], "no domains"),
        ([{"company_id": "C1", "domains": "not a domain!"}], "bad domain"),
        ([{"company_id": "C1", "domains": "a.de"}, {"company_id": "C2", "domains": "a.de"}],
         "listed for both"),
    ],
)  # fmt: skip
def test_bad_seed_rows_are_clear_errors(rows, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SeedCompanies.from_rows(rows)


def test_csv_without_domains_column_is_refused(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks column"):
        SeedCompanies.from_csv(path)


def test_sample_seed_list_loads() -> None:
    from tests.paths import SAMPLES

    path = SAMPLES / "seeds" / "companies.csv"
    if not path.is_file():
        pytest.skip(f"{path} not built yet")
    seeds = SeedCompanies.from_csv(path)
    assert len(seeds) >= 40
    first = next(iter(seeds))
    assert seeds.company_for_domain(first.primary_domain) is first


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Wir liefern an die Robert Bosch GmbH in Stuttgart.", ["Robert Bosch GmbH"]),
        ("Partner: Müller Maschinenbau GmbH & Co. KG und SAP SE.",
         ["Müller Maschinenbau GmbH & Co. KG", "SAP SE"]),
        ("Clients include Acme Inc. and Foo Holdings Ltd. in London.",
         ["Acme Inc.", "Foo Holdings Ltd."]),
        ("Banco Santander S.A., Philips N.V., Fiat S.p.A. and Tesco plc",
         ["Banco Santander S.A.", "Philips N.V.", "Fiat S.p.A.", "Tesco plc"]),
        ("Die Siemens AG ist Kunde.", ["Siemens AG"]),
        ("Förderverein Stadtbibliothek e.V. hilft.", ["Förderverein Stadtbibliothek e.V."]),
        ("no company here, just the ag sector", []),
        ("", []),
    ],
)  # fmt: skip
def test_company_names_by_legal_form(text: str, names: list[str]) -> None:
    assert find_company_names(text) == names
