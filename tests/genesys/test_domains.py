import pytest

from auditor.genesys.domains import DomainEntry, Site, allowing_entry


@pytest.mark.parametrize(
    ("entry", "site", "allowed"),
    [
        ("www.example.com", "https://www.example.com/help", True),
        ("WWW.Example.COM.", "https://www.example.com/help", True),  # case and trailing dot ignored
        ("  www.example.com  ", "https://www.example.com", True),
        ("www.example.com", "https://www.example.com:8443/", True),  # no port in the entry: any port
        ("www.example.com", "https://example.com", False),  # exact host: the apex is another host
        ("www.example.com", "https://shop.www.example.com", False),
        ("example.com", "https://www.example.com", False),
        ("*.example.com", "https://www.example.com", True),
        ("*.example.com", "https://a.b.example.com", True),  # any depth
        ("*.example.com", "https://example.com", False),  # not the apex
        ("*.example.com", "https://badexample.com", False),
        (".example.com", "https://example.com", True),
        (".example.com", "https://shop.example.com", True),
        (".example.com", "https://notexample.com", False),
        ("*", "https://anything.test", True),
        ("https://www.example.com", "https://www.example.com/help", True),
        ("http://www.example.com", "https://www.example.com/help", False),  # the entry's scheme must match
        ("https://*.example.com", "https://shop.example.com", True),
        ("www.example.com/help/faq", "https://www.example.com/other", True),  # a path is ignored
        ("www.example.com:8443", "https://www.example.com:8443/x", True),
        ("www.example.com:8443", "https://www.example.com/x", False),  # 443 != 8443
        ("https://www.example.com:443", "https://www.example.com", True),  # default port made explicit
        ("www.*.com", "https://www.example.com", False),  # unsupported wildcard matches nothing
        ("*example.com", "https://www.example.com", False),
        ("", "https://www.example.com", False),
        ("www.example.com:notaport", "https://www.example.com", False),
        ("bücher.de", "https://xn--bcher-kva.de/", True),  # IDNA: unicode and punycode are one host
    ],
)
def test_entry_matching(entry, site, allowed):
    parsed = Site.parse(site)
    assert parsed is not None
    assert (allowing_entry(parsed, [entry]) is not None) is allowed


def test_first_allowing_entry_is_reported_and_non_strings_are_skipped():
    site = Site.parse("https://shop.example.com")
    assert allowing_entry(site, [None, "other.test", "*.example.com", ".example.com"]) == "*.example.com"


def test_unparseable_sites_and_entries_are_none_not_errors():
    assert Site.parse("https://www.example.com:99999/") is None
    assert Site.parse("not a url") is None
    assert DomainEntry.parse("[::1") is None
