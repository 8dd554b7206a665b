from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter

from auditor.reporters import json_report, junit
from tests.reporters.hostile import SCRIPT_QUEUE, hostile_report


def test_counts_match_the_json_output() -> None:
    report = hostile_report(fail_dataset="role_subjectgrants")
    root = ET.fromstring(junit.render(report).encode())
    results = json.loads(json_report.render(report))["results"]
    by_category: dict[str, Counter] = {}
    for r in results:
        by_category.setdefault(r["category"] or "uncategorized", Counter())[r["status"]] += 1
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    readiness = suites.pop("gcaudit.cobrowse-readiness")  # the answer's one testcase, first
    verdict = json.loads(json_report.render(report))["summary"]["verdict"]
    assert root.findall("testsuite")[0] is readiness
    assert readiness.find("properties/property[@name='verdict']").get("value") == verdict
    extra_failures = int(verdict == "not_ready")
    assert int(readiness.get("failures")) == extra_failures == len(readiness.findall("testcase/failure"))
    assert set(suites) == {f"gcaudit.{c}" for c in by_category}
    for category, counts in by_category.items():
        suite = suites[f"gcaudit.{category}"]
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) == sum(counts.values())
        assert int(suite.get("failures")) == counts["FAIL"] == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == counts["ERROR"] == len(suite.findall("testcase/error"))
        skipped = counts["NOT_APPLICABLE"] + counts["WAIVED"]
        assert int(suite.get("skipped")) == skipped == len(suite.findall("testcase/skipped"))
    assert int(root.get("tests")) == len(results) + 1
    assert int(root.get("failures")) == sum(1 for r in results if r["status"] == "FAIL") + extra_failures


def test_failures_carry_message_and_remediation_and_names_survive() -> None:
    report = hostile_report()
    root = ET.fromstring(junit.render(report).encode())
    case = next(c for c in root.iter("testcase") if SCRIPT_QUEUE in c.get("name", "")
                and c.get("classname") == "gcaudit.queues.QUE-002")
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "high"
    assert "no wrap-up codes assigned" in failure.get("message")
    assert "Remediation: Admin > Contact Center > Queues" in failure.text
    waived = [c for c in root.iter("testcase") if c.find("skipped") is not None
              and c.find("skipped").get("message", "").startswith("WAIVED")]
    assert len(waived) == 1


def test_output_has_no_xml_invalid_characters() -> None:
    text = junit.render(hostile_report())
    assert not any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in text)
    assert "\ufffe" not in text and "\x7f" not in text
    ET.fromstring(text.encode())  # well-formed
