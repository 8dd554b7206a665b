from __future__ import annotations

import pytest

from auditor.errors import InputError
from auditor.inputs.plan import load_plan


def _plan(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    return path


def test_full_plan_is_parsed_and_channels_normalised(tmp_path):
    plan = load_plan(
        _plan(
            tmp_path,
            """
cobrowse:
  channels: [webmessaging, VOICE]
  deployments: [Support Site]
  queues: [Web Support, Billing Web, Web Support]
  sites: [https://www.example.com/help]
  integration_clients: [Cobrowse Launcher]
""",
        )
    )
    assert plan.channels == ("Webmessaging", "Voice")
    assert plan.queues == ("Web Support", "Billing Web")
    assert plan.sites == ("https://www.example.com/help",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the plan is empty"),
        ("- a\n- b\n", "expected a mapping"),
        ("queues: [a]\n", "cobrowse: missing or not a mapping"),
        ("cobrowse:\n  channels: [Cobrowse]\n", "cobrowse.channels[0]: 'Cobrowse' is not a co-browse channel"),
        ("cobrowse:\n  queues: {a: 1}\n", "cobrowse.queues: expected a list of strings"),
        ("cobrowse:\n  queues: [[1]]\n", "cobrowse.queues[0]: expected a string"),
        ("cobrowse:\n  sites: [www.example.com]\n", "cobrowse.sites[0]"),
        ("cobrowse:\n  queue: [a]\n", "cobrowse.queue: unknown key"),
        ("cobrowse: [\n", "not valid YAML"),
    ],
)
def test_bad_plans_are_one_line_errors_naming_the_field(tmp_path, text, expected):
    with pytest.raises(InputError) as info:
        load_plan(_plan(tmp_path, text))
    assert expected in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "plan.yaml"))
    assert "\n" not in str(info.value)


def test_cobrowse_channel_hint_explains_the_forum_myth(tmp_path):
    with pytest.raises(InputError, match="rides on web messaging or voice"):
        load_plan(_plan(tmp_path, "cobrowse:\n  channels: [cobrowse]\n"))
