from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.sources.collectors.regions import REGIONS, resolve_region


@pytest.mark.parametrize(
    ("value", "name", "api_base", "token_url"),
    [
        ("eu-west-1", "eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token"),
        ("eu_west_1", "eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token"),
        ("EU-WEST-1", "eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token"),
        ("mypurecloud.ie", "eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token"),
        ("api.mypurecloud.ie", "eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token"),
        ("https://api.mypurecloud.ie", "eu-west-1", "https://api.mypurecloud.ie",
         "https://login.mypurecloud.ie/oauth/token"),
        ("https://api.mypurecloud.ie/", "eu-west-1", "https://api.mypurecloud.ie",
         "https://login.mypurecloud.ie/oauth/token"),
        ("us-east-1", "us-east-1", "https://api.mypurecloud.com", "https://login.mypurecloud.com/oauth/token"),
        ("ap_southeast_2", "ap-southeast-2", "https://api.mypurecloud.com.au",
         "https://login.mypurecloud.com.au/oauth/token"),
        # The gc CLI spells these three with underscores: both spellings must work.
        ("me_central_1", "me-central-1", "https://api.mec1.pure.cloud", "https://login.mec1.pure.cloud/oauth/token"),
        ("eu-central-2", "eu-central-2", "https://api.euc2.pure.cloud", "https://login.euc2.pure.cloud/oauth/token"),
        ("eusc-de-east-1", "eusc-de-east-1", "https://api.edee1.eusc-pure.cloud",
         "https://login.edee1.eusc-pure.cloud/oauth/token"),
        ("use2.us-gov-pure.cloud", "us-east-2", "https://api.use2.us-gov-pure.cloud",
         "https://login.use2.us-gov-pure.cloud/oauth/token"),
        # A proxy or test server: no `api.` host, so the token endpoint is on the same base.
        ("http://127.0.0.1:8080", None, "http://127.0.0.1:8080", "http://127.0.0.1:8080/oauth/token"),
        ("https://gateway.example.com/genesys/", None, "https://gateway.example.com/genesys",
         "https://gateway.example.com/genesys/oauth/token"),
    ],
)
def test_region_spellings(value: str, name: str | None, api_base: str, token_url: str) -> None:
    region = resolve_region(value)
    assert (region.name, region.api_base, region.token_url) == (name, api_base, token_url)


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_every_region_in_every_spelling(name: str) -> None:
    domain = REGIONS[name]
    expected = resolve_region(name)
    assert expected.api_base == f"https://api.{domain}"
    assert expected.token_url == f"https://login.{domain}/oauth/token"
    for spelling in (name.replace("-", "_"), domain, f"https://api.{domain}"):
        assert resolve_region(spelling) == expected


@pytest.mark.parametrize("value", ["eu-west-9", "mypurecloud.fr", "ftp://api.mypurecloud.ie", "http://", ""])
def test_unknown_region_is_a_clear_error(value: str) -> None:
    with pytest.raises(InputError) as err:
        resolve_region(value)
    message = str(err.value)
    assert "region" in message
    if value and "://" not in value:
        assert "unknown region" in message
        assert "eu-west-1" in message and "ap-northeast-3" in message  # lists the valid ones


@pytest.mark.parametrize("value", ["http://[::1", "https://[", "A://[", "http://api.example.com:99999",
                                   "https://api.mypurecloud.ie:port"])
def test_malformed_base_urls_are_input_errors(value: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_region(value)
    assert "not a valid base URL" in str(info.value)
