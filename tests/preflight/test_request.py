"""Parsing request files, bare bodies and curl commands into a PlannedRequest."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.preflight.request import from_document, parse_curl, parse_request_file

TOKEN = "eyJhbGciOi.SECRET-bearer-VALUE.xyz"
URL = "https://api.mypurecloud.com/api/v2/conversations/cobrowse"


def test_request_file_with_url_body_and_token(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"method": "post", "url": "https://API.mypurecloud.ie/api/v2/conversations/x/cobrowse?a=1",'
                    ' "body": {"a": 1}, "token": {"grant": "authorization_code", "client": "App", "user": "u"}}')
    request = parse_request_file(path)
    assert (request.method, request.scheme, request.host, request.path) == (
        "POST", "https", "api.mypurecloud.ie", "/api/v2/conversations/x/cobrowse")
    assert request.has_body and request.body == {"a": 1}
    assert (request.token.grant, request.token.client, request.token.user) == ("CODE", "App", "u")


def test_bare_body_is_the_threads_call():
    request = from_document({"cobrowseType": "WEB"}, "payload.json")
    assert (request.method, request.path, request.host) == ("POST", "/api/v2/conversations/cobrowse", None)
    assert request.notes


@pytest.mark.parametrize("doc,field", [
    ({"method": "POST"}, "path"),
    ({"path": "/api/v2/x", "url": "https://api.mypurecloud.com/x"}, "url"),
    ({"path": "api/v2/no-slash"}, "path"),
    ({"path": "/x", "method": "PO ST"}, "method"),
    ({"path": "/x", "token": {"grant": "magic"}}, "token.grant"),
    ({"path": "/x", "token": {"access_token": TOKEN}}, "token.access_token"),
    ({"path": "/x", "token": "code"}, "token"),
    ({"path": "/x", "verb": "GET"}, "verb"),
    ({"path": 42.5}, "path"),
])
def test_bad_request_documents_name_the_field(doc, field):
    with pytest.raises(InputError) as err:
        from_document(doc, "r.json")
    assert err.value.field == field
    assert TOKEN not in str(err.value)


def test_non_object_and_invalid_json_files(tmp_path):
    listing = tmp_path / "list.json"
    listing.write_text("[1, 2]")
    with pytest.raises(InputError, match="expected a JSON object"):
        parse_request_file(listing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"method": "POST",')
    with pytest.raises(InputError, match="not valid JSON"):
        parse_request_file(broken)
    with pytest.raises(InputError, match="no such file"):
        parse_request_file(tmp_path / "missing.json")


def test_curl_with_continuations_headers_and_data():
    command = (f"curl -X POST {URL} \\\n  -H 'Authorization: Bearer {TOKEN}' \\\n"
               "  -H 'Content-Type: application/json' \\\n  --data-raw '{\"cobrowseType\": \"WEB\"}'")
    request = parse_curl(command)
    assert (request.method, request.host, request.path) == ("POST", "api.mypurecloud.com",
                                                            "/api/v2/conversations/cobrowse")
    assert request.body == {"cobrowseType": "WEB"} and request.credentials_dropped
    assert TOKEN not in repr(request) and TOKEN not in str(request.to_dict()) and TOKEN not in request.describe()


@pytest.mark.parametrize("command,method", [
    (f"curl --url {URL} --request=GET", "GET"),
    (f"curl -XDELETE '{URL}'", "DELETE"),
    (f"curl {URL} -d '{{}}'", "POST"),  # data without -X: curl posts
    (f"curl -s -i --compressed {URL}", "GET"),
    (f"curl --header 'Authorization: Bearer {TOKEN}' --json '{{\"a\": 1}}' {URL}", "POST"),
    (f"curl -u 'client:{TOKEN}' {URL}", "GET"),
])
def test_curl_variants(command, method):
    request = parse_curl(command)
    assert request.method == method and request.path == "/api/v2/conversations/cobrowse"
    assert TOKEN not in repr(request)


@pytest.mark.parametrize("command,problem", [
    (f"curl -X POST '{URL} -H 'Authorization: Bearer {TOKEN}'", "not a valid shell command"),
    (f"wget {URL}", "starting with `curl`"),
    (f"curl -H 'Authorization: Bearer {TOKEN}'", "no URL"),
    (f"curl {URL} -X", "needs a value"),
    (f"curl {URL} -d '{{not json'", "not valid JSON"),
    (f"curl {URL} https://api.mypurecloud.com/other", "more than one URL"),
    ("curl 'http://[::1'", "not a URL"),
])
def test_malformed_curl_is_a_one_line_error_without_the_token(command, problem):
    with pytest.raises(InputError) as err:
        parse_curl(command)
    assert problem in str(err.value)
    assert "\n" not in str(err.value) and TOKEN not in str(err.value)


# --- arbitrary input never raises anything but InputError ------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_curl_text_parses_or_is_an_input_error(text):
    for command in (text, f"curl {text}", f"curl -X POST {text} -d {text}"):
        try:
            parse_curl(command)
        except InputError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["method", "path", "url", "body", "token", "headers", "x"]), _json,
                       max_size=5) | _json)
def test_any_document_parses_or_is_an_input_error(doc):
    try:
        from_document(doc, "r.json")
    except InputError as exc:
        assert "\n" not in str(exc)


def test_a_curl_body_file_name_with_a_nul_is_an_input_error():
    # `-d @name` reads a file: a NUL in the name is bad input (exit 2), not a traceback.
    with pytest.raises(InputError, match="NUL"):
        parse_curl("curl -d @a\x00b https://api.mypurecloud.com/api/v2/conversations/x/cobrowse")
