"""parse_json decodes bytes itself (to free them before parsing) exactly as json.loads would."""

import json

import pytest

from auditor.errors import InputError
from auditor.safety.fileio import parse_json, shorten


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_every_encoding_json_loads_accepts_still_parses(encoding):
    text = '{"name": "Zoë ✓", "ids": [1, 2]}'
    assert parse_json(text.encode(encoding), "x.json") == json.loads(text.encode(encoding))


def test_lone_surrogate_escapes_behave_as_before():
    raw = b'{"name": "\\ud800"}'
    assert parse_json(raw, "x.json") == json.loads(raw)


def test_errors_still_name_line_and_column():
    with pytest.raises(InputError, match=r"x\.json.*not valid JSON: .* at line 2 column 1"):
        parse_json(b'{"a": 1,\n}', "x.json")


def test_non_utf8_is_a_one_line_error():
    with pytest.raises(InputError, match="not UTF-8"):
        parse_json(b'{"a": "\xff"}', "x.json")


def test_shorten_keeps_printable_text_and_replaces_the_rest():
    assert shorten("Ann Lee") == "Ann Lee"
    assert shorten("a\x1b[2Jb\u202e") == "a?[2Jb?"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"
