"""Misspelt words of a Dutch question ("wanner loopt de deal af", "voorzieningewijzer") read as the one word of the
documents or of the question vocabulary that is a single edit away."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.lexical import fold

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[^\W\d_]{5,}")


class Speller:
    """Reads a word that is not among the known `words` (nor `known` in another way: another form of one, a term
    of the glossary) as the only known word one edit away: a letter added, dropped, changed or two swapped. Words
    with no such neighbour, or with several, stay as they are."""

    def __init__(self, words: frozenset[str], known: Callable[[str], bool]) -> None:
        self.words = words
        self.known = known

    def correct(self, text: str) -> str:
        return _WORD.sub(self._fix, text)

    def _fix(self, match: re.Match[str]) -> str:
        raw = match.group(0)
        word = fold(raw)
        if len(word) != len(raw) or word in self.words or self.known(word):
            return raw
        found = {w for w in _edits(word) if w in self.words}
        if len(found) != 1:
            return raw
        (fixed,) = found
        return fixed.capitalize() if raw[0].isupper() else fixed


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})
