"""What a link target *is*, when it is no business partner: the curated list of
non-business target domains and host patterns (issue 15).

A company page links to many sites it has no business relation with: social networks,
job portals, the shop system or newsletter tool that runs the site, the web agency that
built it, newspapers, registries, maps, app stores, CDNs, reference works. Whatever the
heading above such a link says ("Unsere Kunden", "Partner"), it is not a customer or a
partner; a link to one is ``other``. :func:`target_kind` names the kind of such a target
(or ``None`` for a possible business target); models use it as a feature and as a
post-rule, and the ``link_graph`` check refuses business edges to such domains.

Two tables: :data:`NON_BUSINESS_DOMAINS` (registered domain -> kind; exact, also matching
any subdomain through the registered domain) and :data:`HOST_PATTERNS` (kind -> regex over
the host's labels, for families such as ``*.jobs.personio.de`` or ``webagentur-*.de``).
The domains are public platforms every crawl meets; a firm's own site is never listed.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: The kinds a non-business target can have.
TARGET_KINDS = (
    "social",
    "jobs",
    "tool",
    "shop_system",
    "payment",
    "agency",
    "news",
    "registry",
    "maps",
    "app_store",
    "cdn",
    "reviews",
    "reference",
)

_DOMAINS_BY_KIND: dict[str, tuple[str, ...]] = {
    "social": (
        "facebook.com",
        "fb.com",
        "fb.me",
        "twitter.com",
        "x.com",
        "t.co",
        "instagram.com",
        "linkedin.com",
        "lnkd.in",
        "xing.com",
        "youtube.com",
        "youtu.be",
        "vimeo.com",
        "tiktok.com",
        "pinterest.com",
        "pinterest.de",
        "flickr.com",
        "tumblr.com",
        "reddit.com",
        "whatsapp.com",
        "wa.me",
        "telegram.org",
        "t.me",
        "snapchat.com",
        "threads.net",
        "mastodon.social",
        "bsky.app",
        "discord.com",
        "discord.gg",
        "spotify.com",
        "soundcloud.com",
        "podcasts.apple.com",
        "medium.com",
        "issuu.com",
        "slideshare.net",
        "behance.net",
        "dribbble.com",
    ),
    "jobs": (
        "stepstone.de",
        "stepstone.at",
        "stepstone.be",
        "stepstone.com",
        "indeed.com",
        "indeed.de",
        "karriere.at",
        "jobs.ch",
        "jobscout24.ch",
        "jobup.ch",
        "monster.de",
        "monster.com",
        "jobware.de",
        "stellenanzeigen.de",
        "meinestadt.de",
        "kununu.com",
        "glassdoor.com",
        "glassdoor.de",
        "glassdoor.co.uk",
        "reed.co.uk",
        "totaljobs.com",
        "cv-library.co.uk",
        "wellfound.com",
        "angel.co",
        "workable.com",
        "personio.de",
        "personio.com",
        "softgarden.io",
        "jobs.lever.co",
        "lever.co",
        "greenhouse.io",
        "join.com",
        "arbeitsagentur.de",
        "ams.at",
        "azubiyo.de",
        "ausbildung.de",
        "absolventa.de",
        "hokify.at",
        "hokify.de",
        "stellenwerk.de",
    ),
    "tool": (
        "google.com",
        "google.de",
        "google.at",
        "google.ch",
        "google.co.uk",
        "goo.gl",
        "apple.com",
        "microsoft.com",
        "office.com",
        "adobe.com",
        "get.adobe.com",
        "mozilla.org",
        "wordpress.org",
        "wordpress.com",
        "wix.com",
        "jimdo.com",
        "squarespace.com",
        "webflow.com",
        "typo3.org",
        "joomla.org",
        "drupal.org",
        "cookiebot.com",
        "usercentrics.eu",
        "usercentrics.com",
        "onetrust.com",
        "borlabs.io",
        "mailchimp.com",
        "list-manage.com",
        "cleverreach.com",
        "sendinblue.com",
        "brevo.com",
        "hubspot.com",
        "calendly.com",
        "doodle.com",
        "terminland.de",
        "etermin.net",
        "zoom.us",
        "teams.microsoft.com",
        "typeform.com",
        "surveymonkey.com",
        "atlassian.com",
        "statuspage.io",
        "zendesk.com",
        "intercom.com",
        "tawk.to",
        "recaptcha.net",
        "gstatic.com",
        "googletagmanager.com",
        "bit.ly",
        "tinyurl.com",
        "dropbox.com",
        "wetransfer.com",
        "teamviewer.com",
        "deepl.com",
        "komoot.com",
        "komoot.de",
        "eventbrite.com",
        "eventbrite.de",
        "w3.org",
    ),
    "shop_system": (
        "shopify.com",
        "myshopify.com",
        "shopware.com",
        "woocommerce.com",
        "magento.com",
        "oxid-esales.com",
        "gambio.de",
        "jtl-software.de",
        "plentymarkets.com",
        "bigcommerce.com",
        "ecwid.com",
        "strato.de",
        "ionos.de",
        "ionos.com",
    ),
    "payment": (
        "paypal.com",
        "paypal.de",
        "klarna.com",
        "stripe.com",
        "sofort.com",
        "giropay.de",
        "mastercard.com",
        "visa.com",
        "americanexpress.com",
        "twint.ch",
        "trustedshops.de",
        "trustedshops.com",
    ),
    "reviews": (
        "trustpilot.com",
        "provenexpert.com",
        "ekomi.de",
        "yelp.com",
        "yelp.de",
        "tripadvisor.com",
        "tripadvisor.de",
        "houzz.com",
        "houzz.co.uk",
        "houzz.de",
        "checkatrade.com",
        "golocal.de",
        "werkenntdenbesten.de",
        "falstaff.com",
    ),
    "maps": (
        "openstreetmap.org",
        "maps.google.com",
        "bing.com",
        "here.com",
        "ordnancesurvey.co.uk",
        "map.search.ch",
        "viamichelin.com",
        "herold.at",
        "gelbeseiten.de",
        "dasoertliche.de",
        "local.ch",
        "yell.com",
    ),
    "app_store": (
        "apps.apple.com",
        "play.google.com",
        "microsoftstore.com",
        "appgallery.huawei.com",
    ),
    "cdn": (
        "cloudflare.com",
        "cloudfront.net",
        "akamaihd.net",
        "jsdelivr.net",
        "unpkg.com",
        "fonts.googleapis.com",
        "googleapis.com",
        "bootstrapcdn.com",
        "fontawesome.com",
        "typekit.net",
    ),
    "registry": (
        "handelsregister.de",
        "unternehmensregister.de",
        "bundesanzeiger.de",
        "northdata.de",
        "northdata.com",
        "zefix.ch",
        "zefix.admin.ch",
        "justiz.gv.at",
        "firmenbuch.at",
        "company-information.service.gov.uk",
        "companieshouse.gov.uk",
        "opencorporates.com",
        "dnb.com",
        "bfdi.bund.de",
        "uid.admin.ch",
    ),
    "news": (
        "faz.net",
        "sueddeutsche.de",
        "spiegel.de",
        "zeit.de",
        "handelsblatt.com",
        "welt.de",
        "bild.de",
        "tagesschau.de",
        "n-tv.de",
        "focus.de",
        "derstandard.at",
        "diepresse.com",
        "krone.at",
        "kleinezeitung.at",
        "orf.at",
        "nzz.ch",
        "tagesanzeiger.ch",
        "srf.ch",
        "bbc.co.uk",
        "bbc.com",
        "theguardian.com",
        "ft.com",
        "reuters.com",
        "bloomberg.com",
        "nytimes.com",
        "forbes.com",
        "techcrunch.com",
        "wired.com",
        "br.de",
        "dvz.de",
    ),
    "reference": ("wikipedia.org", "wikimedia.org", "wikidata.org", "duden.de", "archive.org"),
}

#: Registered domain (or full host) -> kind.
NON_BUSINESS_DOMAINS: dict[str, str] = {
    domain: kind for kind, domains in _DOMAINS_BY_KIND.items() for domain in domains
}

#: Kind -> pattern over a host (all labels): families of hosts no list can enumerate.
HOST_PATTERNS: dict[str, str] = {
    # the big networks under every country domain (pinterest.ie, facebook.at, linkedin.cn)
    "social": r"(?:^|\.)(?:pinterest|facebook|instagram|linkedin|xing|youtube|twitter|tiktok"
    r"|kununu)\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$",
    "jobs": r"(?:^|\.)(?:jobs|karriere|careers)\.(?:personio|softgarden|lever|workable)\."
    r"|(?:^|[.-])(?:jobboerse|jobportal|stellenmarkt|stellenboerse|jobsuche)[.-]",
    "agency": r"(?:^|[.-])(?:webdesign|webagentur|werbeagentur|internetagentur|webdesigner"
    r"|web-?agency|webstudio|digitalagentur)[.-]",
    "news": r"(?:^|[.-])(?:zeitung|nachrichten|gazette|news|presse|journal)[.-]",
    "maps": r"^maps\.|\.maps\.|(?:^|[.-])(?:stadtplan|routenplaner)[.-]",
    "app_store": r"^(?:apps|itunes)\.apple\.com$|^play\.google\.",
    "cdn": r"(?:^|\.)(?:cdn|static|assets)\d*\.",
    "tool": r"(?:^|\.)(?:status|statuspage)\.",
}
_HOST_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in HOST_PATTERNS.items())
#: All patterns in one: most hosts match none, and one search is ~7x cheaper than seven.
_ANY_HOST_PATTERN = re.compile("|".join(f"(?:{pattern})" for pattern in HOST_PATTERNS.values()))


@lru_cache(maxsize=65_536)
def target_kind(registered_domain: str | None, host: str | None = None) -> str | None:
    """The non-business kind of a target (``"jobs"``, ``"social"``, …) or ``None``.

    ``registered_domain`` is e.g. ``linkedin.com``; ``host`` (optional) the full host,
    e.g. ``de.linkedin.com`` or ``firma.jobs.personio.de``. Case and a ``www.`` prefix do
    not matter. Exact entries win over patterns; hosts listed in full (``play.google.com``)
    win over their registered domain (``google.com``).
    """
    host = _clean(host)
    domain = _clean(registered_domain)
    if host:
        labels = host.split(".")
        # the host itself and each parent above the registered domain, most specific first
        for start in range(len(labels) - 1):
            kind = NON_BUSINESS_DOMAINS.get(".".join(labels[start:]))
            if kind:
                return kind
    if domain and domain in NON_BUSINESS_DOMAINS:
        return NON_BUSINESS_DOMAINS[domain]
    subject = host or domain
    if subject and _ANY_HOST_PATTERN.search(subject):
        for kind, pattern in _HOST_PATTERNS:
            if pattern.search(subject):
                return kind
    return None


def is_non_business(registered_domain: str | None, host: str | None = None) -> bool:
    """True when a link to this target can carry no business relation."""
    return target_kind(registered_domain, host) is not None


def _clean(name: str | None) -> str:
    if not name:
        return ""
    return name.strip().lower().rstrip(".").removeprefix("www.")
