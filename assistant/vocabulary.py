"""Which words the documents know: as they are, in another form, as a compound of theirs, or, for an English or
German word, through a Dutch counterpart (FreeDict, loanword spellings, the glossary)."""

from __future__ import annotations

import os
import re

from assistant.dictionary import Dictionary, cognates
from assistant.glossary import GLOSSARY, THEME_NAMES, terms_of
from assistant.lexical import STOP, fold, stem
from assistant.retrieve import Corpus
from ingest.actors import ACTORS

ACTOR_WORDS = frozenset(w for a in ACTORS for alias in (a.name, *a.aliases, *a.abbreviations)
                        for w in re.findall(r"[a-z0-9]+", fold(alias)))
ENTITY_WORDS = ACTOR_WORDS | frozenset(
    w for k, v in THEME_NAMES.items() for alias in (k, *v) for w in re.findall(r"[a-z0-9]+", fold(alias)))


# the past tense of common strong Dutch verbs, which no rule derives from the infinitive (liep / lopen); not the
# forms that are nouns too (namen, gaven, lagen, sloten, boden, zagen)
_STRONG_PAST = frozenset(
    "liep liepen ging gingen kwam kwamen nam gaf zag deed deden kreeg kregen stond stonden zat zaten bleef bleven "
    "schreef schreven bracht brachten dacht dachten werd werden hield hielden viel vielen sprak spraken trok "
    "trokken begon begonnen vond vonden wist wisten koos kozen bood droeg droegen sloot hielp hielpen lag verliep "
    "verliepen ontstond ontstonden besloot besloten".split())


class Vocabulary:
    """The documents' words and their counterparts, memoised per word: `known` for a (folded) Dutch word,
    `foreign_known` and `dutch_candidates` for an English or German one."""

    def __init__(self, corpus: Corpus, dictionary: Dictionary | None = None) -> None:
        self.corpus = corpus
        self.dictionary = dictionary if dictionary is not None else Dictionary()
        self._memo: dict[tuple[str, str, str], object] = {}

    def dutch_verb_form(self, word: str) -> bool:
        """Whether the word is a finite form of a Dutch verb the dictionary has (verwacht / verwachten, zegt /
        zeggen, loopt / lopen) and no headword itself."""
        if word in _STRONG_PAST:
            return True
        if self.dictionary.is_dutch_word(word) or len(word) < 4:
            return False
        root = word[:-1] if word.endswith(("t", "d")) else word
        undoubled = re.sub(r"([aeou])\1(?=[^aeiou]$)", r"\1", root)
        forms = {word + "en", root + "en", root + root[-1] + "en", undoubled + "en"}
        return any(self.dictionary.is_dutch_word(f) for f in forms)

    def english_participle(self, word: str) -> bool:
        """Whether an English word is the participle of a verb the dictionary has (described / describe, planned /
        plan) and no headword itself (unemployed)."""
        if not word.endswith("ed") or self.dictionary.has(word, "en"):
            return False
        stems = (word[:-1], word[:-2], word[:-3] if len(word) >= 4 and word[-3] == word[-4] else "")
        return any(s and self.dictionary.has(s, "en") for s in stems)

    def superlative_of_known(self, word: str, language: str) -> bool:
        """Whether the word is the superlative of a word the documents know (krapst / krap) or, in English and
        German, of one with a Dutch counterpart they know (tightest / tight, knappsten / knapp)."""
        endings = {"nl": ("ste", "st"), "en": ("est",), "de": ("sten", "ste", "st")}.get(language, ())
        for ending in endings:
            base = word[: -len(ending)]
            if not word.endswith(ending) or len(base) < 4:
                continue
            bases = (base, base + "e") if language == "en" else (base,)
            if any(self.known(b) or (language != "nl" and self.foreign_known(b, language)) for b in bases):
                return True
        return False

    def _cached(self, kind: str, word: str, language: str, compute):  # noqa: ANN001, ANN202 - internal memo
        key = (kind, word, language)
        if key not in self._memo:
            if len(self._memo) > 50_000:
                self._memo.clear()
            self._memo[key] = compute()
        return self._memo[key]

    def dutch_candidates(self, word: str, language: str) -> set[str]:
        """Dutch words an English or German word may stand for: dictionary senses and loanword spellings, also
        of each part of a hyphenated word and of a German compound's tail."""
        return self._cached("candidates", word, language, lambda: self._dutch_candidates_of(word, language))

    def _dutch_candidates_of(self, word: str, language: str) -> set[str]:
        if terms_of(word):  # the glossary knows it (Mittelstand: mkb); its parts' senses would add noise (stand)
            return set(terms_of(word).split()) | set(cognates(word, language))
        out = {d for part in self.dictionary.dutch(word, language) for d in part} | set(cognates(word, language))
        parts = word.split("-")
        for part in parts if len(parts) > 1 and min(map(len, parts)) >= 4 else ():  # not start-ups: "start"
            out |= self.dutch_candidates(part, language)
        if language == "de" and len(word) >= 9:
            for i in range(4, len(word) - 4):
                tail = word[i:]
                tail_words = {d for part in self.dictionary.dutch(tail, language) for d in part}
                tail_words |= set(cognates(tail, language))
                if any(self.known(t) for t in tail_words):
                    out |= tail_words
                    break
        return {d for d in out if d not in STOP}

    def foreign_known(self, word: str, language: str) -> bool:
        """An English or German word with a Dutch counterpart the documents know: by the dictionary, by the
        spelling of a loanword (Kriminalität / criminaliteit), part by part for 'co-financing', and for a German
        compound by its head and its tail (Jugend-kriminalität)."""
        return self._cached("foreign", word, language, lambda: self._foreign_known_of(word, language))

    def _foreign_known_of(self, word: str, language: str) -> bool:
        if "-" in word:
            parts = [p for p in word.split("-") if len(p) > 3]
            return bool(parts) and all(self.known(p) or self.foreign_known(p, language) for p in parts)
        if any(self.known(c) for c in cognates(word, language)):
            return True
        translations = self.dictionary.dutch(word, language)
        if translations and all(any(self.known(d) for d in part if d not in STOP) for part in translations):
            return True
        if language == "de" and len(word) >= 9:
            for i in range(4, len(word) - 4):
                head, tail = word[:i], word[i:]
                # the head may be a verb's stem: Wohn|viertel (wohnen), Bau|projekt (bauen)
                heads = (head.removesuffix("s"), head + "en", head + "n")
                if (self.known(tail) or self.foreign_known(tail, language)) and (
                        self.known(head) or head in self.corpus.prefixes  # Modul|wohnungen: modulaire
                        or any(self.foreign_known(h, language) for h in heads)):
                    return True
        return False

    def known(self, word: str) -> bool:
        """Whether the documents know the (folded) word: as it is, in another form, or as a compound of theirs."""
        return self._cached("known", word, "", lambda: self._known_of(word))

    def _known_of(self, word: str) -> bool:
        vocab = self.corpus.vocabulary
        parts = [p for p in word.split("-") if p]
        # keten: the stem of "ketens", though the stemmer makes it "keet"
        if all(stem(p) in vocab or (len(p) >= 4 and p in vocab) or terms_of(p) or p in ENTITY_WORDS for p in parts):
            return True
        if len(parts) > 1 and all(self.known(p) or (len(p) >= 3 and any(
                len(w) >= len(p) + 4 and w.endswith(p) for w in self.corpus.words)) for p in parts):
            return True  # AI-lab: each part a word of the documents or the head of one (Onderwijslab)
        if word.isdigit():
            return False
        if len(word) >= 6 and word[: max(5, len(word) - 2)] in self.corpus.prefixes:
            return True
        if len(word) >= 5 and stem(word) in self.corpus.suffixes:
            return True  # the head of a compound the documents use: maaltijd / schoolmaaltijden
        # another form of a word the documents use (leegstaande / leegstand): a long shared beginning
        if len(word) >= 9 and word[: max(7, round(0.6 * len(word)))] in self.corpus.prefixes:
            return True
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            for lead in (left, left[:-1] if left.endswith(("s", "e")) else left):
                # the second part a word of the documents, or the head of one of their compounds (concept|rapportage)
                if (stem(lead) in vocab or lead in vocab) and (stem(right) in vocab or right in GLOSSARY or (
                        len(right) >= 7 and stem(right) in self.corpus.suffixes)):
                    return True
        return False


def shared_prefix(a: str, b: str) -> int:
    """How many letters two words share from the start."""
    return len(os.path.commonprefix([a, b]))
