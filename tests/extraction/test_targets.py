"""The curated list of non-business link targets (extraction/targets.py)."""

import pytest

from extraction.targets import (
    HOST_PATTERNS,
    NON_BUSINESS_DOMAINS,
    TARGET_KINDS,
    is_non_business,
    target_kind,
)
from extraction.urls import registered_domain


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("www.linkedin.com", "social"),
        ("de.linkedin.com", "social"),
        ("www.stepstone.de", "jobs"),
        ("www.karriere.at", "jobs"),
        ("www.jobs.ch", "jobs"),
        ("uk.indeed.com", "jobs"),
        ("acme-gmbh.jobs.personio.de", "jobs"),
        ("www.shopware.com", "shop_system"),
        ("shop-name.myshopify.com", "shop_system"),
        ("www.paypal.com", "payment"),
        ("uk.trustpilot.com", "reviews"),
        ("maps.google.com", "maps"),
        ("www.google.com", "tool"),
        ("apps.apple.com", "app_store"),
        ("play.google.com", "app_store"),
        ("podcasts.apple.com", "social"),
        ("cdn3.example-shop.de", "cdn"),
        ("www.webagentur-schmidt.de", "agency"),
        ("www.allgaeuer-zeitung.de", "news"),
        ("de.wikipedia.org", "reference"),
        ("www.handelsregister.de", "registry"),
        ("find-and-update.company-information.service.gov.uk", "registry"),
    ],
)
def test_known_non_business_targets_have_their_kind(host, kind):
    assert target_kind(registered_domain(host), host) == kind
    assert is_non_business(registered_domain(host), host)


@pytest.mark.parametrize(
    "host",
    [
        "www.siemens.com",
        "www.tuev-sued.de",  # a certifier: membership, a business relation
        "www.ihk-muenchen.de",
        "www.bayernkapital.de",
        "www.newsome-engineering.co.uk",  # "news" inside a word is no news site
        "www.achterberg-maschinenbau.de",
        "www.statusquo-consulting.de",
    ],
)
def test_business_targets_are_not_flagged(host):
    assert target_kind(registered_domain(host), host) is None


def test_case_www_and_missing_host_do_not_matter():
    assert target_kind("LinkedIn.com") == "social"
    assert target_kind("www.xing.com", None) == "social"
    assert target_kind(None, "WWW.KARRIERE.AT") == "jobs"
    assert target_kind(None, None) is None
    assert target_kind("", "") is None


def test_tables_are_consistent():
    assert set(NON_BUSINESS_DOMAINS.values()) <= set(TARGET_KINDS)
    assert set(HOST_PATTERNS) <= set(TARGET_KINDS)
    for domain in NON_BUSINESS_DOMAINS:
        assert domain == domain.lower().strip() and not domain.startswith("www.")
