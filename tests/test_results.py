"""Result.to_dict: every field, in declaration order, optional ones only when set, nested dicts copied."""

from __future__ import annotations

from dataclasses import asdict, fields

from auditor.results import Result, Severity, Status


def _result(**extra) -> Result:
    return Result("COB-003", "t", Severity.HIGH, Status.WAIVED, "web_deployment", "d1", "Shop", "m", "r", "fp",
                  category="delivery", blocks_cobrowse=True, **extra)


def test_to_dict_is_asdict_with_values_for_enums_and_unset_optionals_left_out() -> None:
    full = _result(original_status=Status.FAIL, waiver={"rule": "COB-003", "reasons": ["x"]},
                   location={"file": "main.tf", "line": 3}, facts={"status": "Inactive", "list": [1]})
    expected = asdict(full) | {"severity": "high", "status": "WAIVED", "original_status": "FAIL"}
    assert full.to_dict() == expected
    assert list(full.to_dict()) == [f.name for f in fields(Result)]
    bare = _result().to_dict()
    assert not {"original_status", "waiver", "location", "facts"} & set(bare)


def test_nested_values_are_copies() -> None:
    result = _result(facts={"need": ["Voice"]})
    result.to_dict()["facts"]["need"].append("Webmessaging")
    assert result.facts == {"need": ["Voice"]}


def test_fingerprint_of_an_id_with_a_lone_surrogate() -> None:
    from auditor.results import fingerprint

    assert fingerprint("QUE-003", "org", "q1") == fingerprint("QUE-003", "org", "q1")
    assert len(fingerprint("QUE-003", "org", "\ud800")) == 32  # found by the nightly-backends property test
