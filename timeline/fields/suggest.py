"""Suggestions for likely typos ("did you mean ...?")."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The most similar choice, if any is similar enough to be a likely typo.

    The words must also be similar once digits are set aside, so that a shared year
    ('reuters-2022', 'wire-2022') is not mistaken for a typo.
    """
    letters = _letters(word)
    for match in difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6):
        if not letters or difflib.SequenceMatcher(None, letters, _letters(match)).ratio() >= 0.6:
            return match
    return None


def _letters(word: str) -> str:
    return re.sub(r"[\d\W_]+", "", word)
