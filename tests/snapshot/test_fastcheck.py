"""The validation pre-check never accepts what fastjsonschema rejects, and it leaves errors alone."""

from __future__ import annotations

import copy
from typing import Any

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.snapshot import schemas
from auditor.snapshot.datasets import BY_NAME, DATASETS
from auditor.snapshot.fastcheck import compile_precheck
from auditor.snapshot.validate import check, validator
from auditor.testing import factories as f

# Scalars of every JSON type, including the near misses (integral floats, bools for ints).
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
# Keys drawn mostly from the schemas' own field names, so generated objects reach deep branches.
FIELD_NAMES = st.sampled_from(["id", "name", "user", "joined", "memberBy", "division", "mediaSettings",
                               "acwSettings", "timeoutMs", "permissionPolicies", "actionSet", "domain",
                               "entityName", "scope", "roleDivisions", "roleId", "configuration",
                               "cobrowse", "enabled", "channels", "x"])
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(FIELD_NAMES | st.text(max_size=4),
                                                                      children, max_size=6),
    max_leaves=20,
)


def _accepts(schema: dict[str, Any], data: Any) -> bool:
    try:
        validator(schema)(data)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


@pytest.mark.parametrize("dataset", [d.name for d in DATASETS])
def test_every_dataset_schema_gets_a_precheck(dataset: str) -> None:
    assert compile_precheck(BY_NAME[dataset].file_schema) is not None


def test_schemas_with_other_keywords_get_none() -> None:
    assert compile_precheck(schemas.MANIFEST) is None  # "enum"
    assert compile_precheck({"type": "string", "minLength": 1}) is None


@settings(max_examples=300, deadline=None)
@given(data=JSON, dataset=st.sampled_from(DATASETS))
def test_precheck_never_accepts_what_the_schema_rejects(data: Any, dataset: Any) -> None:
    schema = dataset.file_schema
    precheck = compile_precheck(schema)
    assert precheck is not None
    if precheck(data):
        assert _accepts(schema, data)


@settings(max_examples=300, deadline=None)
@given(field=FIELD_NAMES, value=SCALARS | st.lists(SCALARS, max_size=2) | st.dictionaries(FIELD_NAMES, SCALARS),
       nested=st.booleans())
def test_precheck_on_mutated_real_entities(field: str, value: Any, nested: bool) -> None:
    member = f.queue_member(f.new_id("user:ana"), "Ana Silva")
    entity = copy.deepcopy(member)
    (entity["user"] if nested else entity)[field] = value
    schema = BY_NAME["queue_members"].file_schema
    data = {"queue-1": [member, entity]}
    precheck = compile_precheck(schema)
    assert precheck is not None
    assert precheck({"queue-1": [member]}) is True
    if precheck(data):
        assert _accepts(schema, data)


def test_check_reports_the_same_error_as_before() -> None:
    member = f.queue_member(f.new_id("user:ana"), "Ana Silva")
    bad = {**member, "joined": "yes"}
    with pytest.raises(InputError) as caught:
        check(BY_NAME["queue_members"].file_schema, {"q1": [member, bad]}, "queue_members.json")
    message = str(caught.value)
    assert "queue_members.json" in message
    assert "q1[1].joined" in message
    assert "expected boolean, got str 'yes'" in message


def test_integral_float_is_left_to_the_schema() -> None:
    # Stricter than the schema (the pre-check wants an exact int) must not turn into an error.
    queue = {**f.queue("Q"), "joinedMemberCount": 3.0}
    precheck = compile_precheck(BY_NAME["queues"].file_schema)
    assert precheck is not None and precheck([queue]) is False
    check(BY_NAME["queues"].file_schema, [queue], "queues.json")  # accepted, as before
