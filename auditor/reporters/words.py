"""Moved to `auditor.answer.words` (the answer's actions are worded in the engine layer); kept as an
import path for reporters and custom tooling."""

from auditor.answer.words import (  # noqa: F401
    ACTIONS,
    FINDING_TITLES,
    RESOURCE_WORDS,
    action,
    finding_title,
    resource_group,
    resource_word,
)
