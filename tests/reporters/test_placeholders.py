from __future__ import annotations

import pytest

from auditor.reporters.placeholders import is_placeholder


@pytest.mark.parametrize("value", [
    "https://example.com", "https://www.example.org/page", "shop.example", "https://app.test/x",
    "your-deployment-id", "YOUR_QUEUE_ID", "<queueId>", "{conversationId}",
    "00000000-0000-0000-0000-000000000000", "11111111-1111-1111-1111-111111111111",
    "12345678-1234-1234-1234-123456789012", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
])
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", [
    "https://shop.northwind-retail.com/checkout", "2655a54c-e4fa-5e95-a73a-892ed77139ea", "Web Support",
    "examples.com", "https://notexample.com", "", None,
])
def test_real_values(value) -> None:
    assert not is_placeholder(value)
