"""The errors a user can meet, each with the exit status the ``qa`` command gives it.

Every message names the file, index or question and says what to do; the CLI prints it as it is.
"""

from __future__ import annotations

from pathlib import Path


class QaError(Exception):
    """Base of the errors a person can act on (bad file, unusable index, bad question)."""

    exit_code = 2


class DocumentError(QaError):
    """A file that cannot be read as a report. The message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class IndexProblem(QaError):
    """An index that cannot be used as it is; the message says what to do."""


class IndexBusy(IndexProblem):
    """Another update holds the index's lock."""

    exit_code = 3


class QuestionError(QaError, ValueError):
    """A question that cannot be searched (empty, only spaces, a bad option); the message says why."""
