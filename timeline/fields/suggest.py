"""Suggestions for likely typos ("did you mean ...?").

Finding the closest of n known ids costs a comparison with each, so suggestions are rationed: a file
with 3,000 unknown tags once took minutes to check, all of it spent on suggestions nobody reads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable

MAX_WORD = 100  # longer words are not typos of an id, and comparing them costs the square of their length
MAX_PER_FILE = 10  # suggestions worked out for one file's problems
MAX_PER_RUN = 200


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The most similar choice, if any is similar enough to be a likely typo.

    The words must also be similar once digits are set aside, so that a shared year
    ('reuters-2022', 'wire-2022') is not mistaken for a typo.
    """
    if len(word) > MAX_WORD:
        return None
    letters = _letters(word)
    candidates = [choice for choice in choices if len(choice) <= MAX_WORD]
    for match in difflib.get_close_matches(word, candidates, n=3, cutoff=0.6):
        if not letters or difflib.SequenceMatcher(None, letters, _letters(match)).ratio() >= 0.6:
            return match
    return None


def _letters(word: str) -> str:
    return re.sub(r"[\d\W_]+", "", word)


class Suggester:
    """`closest` for the problems of a whole run: each word worked out once, at most MAX_PER_FILE new
    suggestions for one file and MAX_PER_RUN in all; past that, problems are reported without one."""

    def __init__(self, per_file: int = MAX_PER_FILE, per_run: int = MAX_PER_RUN) -> None:
        self.per_file, self.per_run = per_file, per_run
        self.counts: dict[str, int] = {}
        self.total = 0
        self.known: dict[tuple[str, str], str | None] = {}

    def __call__(self, kind: str, word: str, choices: Collection[str], path: str) -> str | None:
        """The closest of `choices` (the known ids of `kind`) to `word`, for a problem in file `path`."""
        if (kind, word) in self.known:
            return self.known[kind, word]
        if self.counts.get(path, 0) >= self.per_file or self.total >= self.per_run:
            return None
        self.counts[path] = self.counts.get(path, 0) + 1
        self.total += 1
        self.known[kind, word] = guess = closest(word, choices)
        return guess
