"""Cross-lingual vocabulary of the deal: English and German words mapped to the covenant's Dutch terms.
Used to expand questions for the lexical ranker and to route theme names; general domain words only. The words
themselves are data, in assistant/lexicon/*.toml."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant import lexicon

GLOSSARY: dict[str, str] = lexicon.glossary()
THEME_NAMES: dict[str, tuple[str, ...]] = lexicon.theme_names()
PROGRAMMALIJN_NAMES: dict[str, tuple[str, ...]] = lexicon.programmalijn_names()
PHRASES: tuple[tuple[str, str], ...] = lexicon.phrases()


def expand(words: list[str], text: str = "") -> str:
    """Dutch terms for the English, German and paraphrased Dutch words of a question (words are folded)."""
    return " ".join([found for w in words if (found := _lookup(w) or _tail(w))] + ([paraphrases(text)] if text else []))


def _tail(word: str) -> str:
    """The glossary entry for the last part of a compound the glossary does not hold (Kinder|armut: armoede)."""
    for i in range(4, len(word) - 3) if len(word) >= 9 else ():
        if found := _lookup(word[i:]):
            return found
    return ""


def paraphrases(text: str) -> str:
    """The covenant's terms for what the (folded) text says in other words: 'als partijen ruzie krijgen' speaks
    of the escalatieregeling."""
    return " ".join(exp for pattern, exp in PHRASES if re.search(pattern, text))


@lru_cache(maxsize=8192)  # asked for every subject word of every clause weighed
def terms_of(word: str) -> str:
    """The Dutch terms for one folded word: its glossary entry (also in an inflected form: Gewerbegebieten), or
    what a phrase that the word alone makes says (Mittelstand, KMU: mkb)."""
    return _lookup(word) or paraphrases(word)


def _lookup(word: str) -> str:
    """The glossary entry for a word or for it without a German or English inflection (Gewerbegebieten)."""
    forms = [word, *(word[: -len(e)] for e in ("en", "n", "e", "s") if word.endswith(e) and len(word) > 5)]
    if word.startswith("ge") and word.endswith(("t", "d")) and len(word) > 6:
        forms.append(word[2:-1] + "en")  # a participle by its infinitive: gekündigt / kündigen, gewijzigd / wijzigen
    for form in forms:
        if GLOSSARY.get(form):
            return GLOSSARY[form]
    return ""
