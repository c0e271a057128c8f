"""English and German words to Dutch, from FreeDict's dictd files (eng-nld, deu-nld and the reverse of nld-eng,
nld-deu). Used to tell whether a word of an English or German question has a Dutch counterpart in the deal."""

from __future__ import annotations

import gzip
import logging
import re
from functools import lru_cache
from pathlib import Path

from assistant.lexical import fold

log = logging.getLogger("parkstad")
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "dictionaries"
SYSTEM_DIR = Path("/usr/share/dictd")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_NUMBERED = re.compile(r"^\s*\d+\.\s*")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_FILES = {"en": ("eng-nld", "nld-eng"), "de": ("deu-nld", "nld-deu")}


class Dictionary:
    """Dutch translations of English and German words; empty (and `available` false) without the files."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or next((d for d in (DEFAULT_DIR, SYSTEM_DIR) if _complete(d)), DEFAULT_DIR)
        self._maps: dict[str, dict[str, frozenset[str]]] = {}

    @property
    def available(self) -> bool:
        return _complete(self.directory)

    def dutch(self, word: str, language: str) -> tuple[frozenset[str], ...]:
        """The Dutch words given for a word (or its plural-less form); for a German compound not in the
        dictionary, those of each part. An empty tuple when the dictionary does not know the word."""
        mapping = self._map(language)
        word = fold(word)
        for form in _forms(word, language):
            if form in mapping:
                return (mapping[form],)
        if language == "de" and len(word) >= 8:
            for i in range(len(word) - 4, 3, -1):
                head, tail = word[:i], word[i:]
                tails = next((mapping[f] for f in _forms(tail, language) if f in mapping), None)
                heads = next((mapping[f] for f in _forms(head.removesuffix("s"), language) if f in mapping), None)
                if tails and heads:
                    return heads, tails
        return ()

    def has(self, word: str, language: str) -> bool:
        """Whether the dictionary has the word itself (not another form of it) as an English or German headword."""
        return fold(word) in self._map(language)

    def is_dutch_word(self, word: str) -> bool:
        """Whether the Dutch-English dictionary has the (folded) word as a headword: a lemma, so for a word ending
        in -en most often an infinitive (plural nouns are not headwords)."""
        return fold(word) in _headwords(self.directory, "nld-eng")

    def _map(self, language: str) -> dict[str, frozenset[str]]:
        if language not in self._maps:
            self._maps[language] = _load(self.directory, language) if language in _FILES else {}
        return self._maps[language]


@lru_cache(maxsize=4)
def _load(directory: Path, language: str) -> dict[str, frozenset[str]]:
    forward, backward = _FILES[language]
    pairs: dict[str, set[str]] = {}
    reverse: dict[str, set[str]] = {}
    try:
        for head, translations in _entries(directory, forward):
            for t in translations:
                pairs.setdefault(head, set()).update(_words(t))
        for head, translations in _entries(directory, backward):
            dutch = _words(head)
            for t in translations:
                reverse.setdefault(t, set()).update(dutch)
    except (OSError, EOFError, ValueError) as exc:
        log.warning("dictionary %s unreadable (%s); answering without it", directory, exc)
        return {}
    # the reversed dictionary only fills gaps: it carries every sense of a Dutch word back (recht -> tax)
    for word, dutch in reverse.items():
        if not pairs.get(word):
            pairs[word] = dutch
    return {k: frozenset(v) for k, v in pairs.items() if v}


@lru_cache(maxsize=2)
def _headwords(directory: Path, name: str) -> frozenset[str]:
    try:
        index = (directory / f"freedict-{name}.index").read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(_clean(line.split("\t", 1)[0]) for line in index.splitlines() if not line.startswith("00"))


def _entries(directory: Path, name: str) -> list[tuple[str, list[str]]]:
    index = (directory / f"freedict-{name}.index").read_text(encoding="utf-8")
    with gzip.open(directory / f"freedict-{name}.dict.dz") as fh:
        data = fh.read()
    out = []
    for line in index.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00"):
            continue
        start, length = _b64(parts[1]), _b64(parts[2])
        lines = data[start : start + length].decode("utf-8", "replace").splitlines()[1:]
        translations = [t for raw in lines for t in re.split(r"[,;]", _NUMBERED.sub("", raw)) if t.strip()]
        out.append((_clean(parts[0]), [_clean(t) for t in translations]))
    return out


def _clean(text: str) -> str:
    return " ".join(fold(_PARENS.sub(" ", text)).replace("ĳ", "ij").replace("‐", "-").split())


def _words(phrase: str) -> set[str]:
    # combining forms ("kern-") are not words of their own
    return {w for w in re.findall(r"[a-z0-9ß-]+", phrase) if len(w) > 2 and not w.endswith("-")}


def _forms(word: str, language: str) -> list[str]:
    forms = [word]
    if language == "en":
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        if word.endswith("es"):
            forms.append(word[:-2])
        if word.endswith("s"):
            forms.append(word[:-1])
        if word.endswith("ing"):
            forms += [word[:-3], word[:-3] + "e"]
        if word.endswith("ed"):
            forms += [word[:-2], word[:-1]]
    else:
        for suffix in ("en", "er", "es", "n", "e", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                forms.append(word[: -len(suffix)])
        for suffix in ("test", "tet", "ten", "te", "st", "et", "t"):  # verb forms back to the infinitive
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                forms += [word[: -len(suffix)] + "en", word[: -len(suffix)] + "n"]
    return forms


# Regular spelling correspondences of Latin and Greek loans: Kriminalität / criminaliteit, Zentrum / centrum,
# organisation / organisatie. They cover many words a small dictionary lacks.
_COGNATES = {
    "de": ((r"^oko", "eco"), (r"sk(?=[aou])", "sc"), (r"tions(?=[a-z]{4,})", "tie"), (r"^k(?=[aoulr])", "c"),
           (r"(?<=[aeiou])k(?=[aeiou])", "c"), (r"^z(?=[ei])", "c"), (r"itat$", "iteit"),
           (r"tat$", "teit"), (r"tion$", "tie"),
           (r"ion$", "ie"), (r"ung$", "ing"), (r"ph", "f"), (r"iell$", "ieel"), (r"ie$", "ie"), (r"ismus$", "isme"),
           (r"ieren$", "eren"), (r"iert$", "eert"), (r"(?<=[aeiou])kt", "ct"), (r"leiter$", "leider")),
    "en": ((r"ation$", "atie"), (r"tion$", "tie"), (r"sion$", "sie"), (r"ity$", "iteit"), (r"ism$", "isme"),
           (r"ical$", "isch"), (r"ic$", "isch"), (r"i[sz]e$", "iseren"), (r"y$", "ie"), (r"ph", "f"),
           (r"^c(?=[aou])", "k")),
}


def cognates(word: str, language: str) -> list[str]:
    """Dutch spellings a German or English loanword would have (kriminalitat -> criminaliteit)."""
    out: list[str] = []
    current = word
    for pattern, replacement in _COGNATES.get(language, ()):
        changed = re.sub(pattern, replacement, current)
        if changed != current:
            current = changed
            out.append(current)
    return out


def _b64(text: str) -> int:
    value = 0
    for c in text:
        value = value * 64 + _B64[c]
    return value


def _complete(directory: Path) -> bool:
    return all((directory / f"freedict-{n}.index").is_file() for pair in _FILES.values() for n in pair)
