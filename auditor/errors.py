"""Errors a user can act on. The CLI prints them as one line and exits with `exit_code`."""

from __future__ import annotations


class GcauditError(Exception):
    """A problem with the user's input or environment, reported without a traceback."""

    exit_code = 2


class InputError(GcauditError):
    """Bad input: a file that cannot be read, parsed or validated.

    The message always names the file and, where there is one, the field.
    """

    def __init__(self, source: object, problem: str, field: str | None = None) -> None:
        self.source = str(source)
        self.field = field
        self.problem = problem
        where = f"{self.source}: {field}" if field else self.source
        super().__init__(f"{where}: {problem}")


class OutputError(GcauditError):
    """An output path that cannot or must not be written (unwritable directory, a symlink, a socket...).

    Exit 2, like bad input: nothing was replaced, and the message names the path.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class DatasetUnavailable(GcauditError):
    """A rule asked for a dataset that the snapshot does not hold (it failed to collect)."""

    exit_code = 3

    def __init__(self, dataset: str, reason: str) -> None:
        self.dataset = dataset
        self.reason = reason
        super().__init__(f"dataset {dataset!r} was not collected: {reason}")
