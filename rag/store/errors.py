"""Errors about the index that users can cause and fix."""


class IndexProblem(Exception):
    """The index is missing, corrupted, locked or unwritable; the message says what to do."""
