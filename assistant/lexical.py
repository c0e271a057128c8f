"""Lexical ranking: BM25 over Dutch-stemmed tokens without stop words, compounds kept whole and split."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

DUTCH_STOP = frozenset("""
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen
maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen
toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden wordt zal ze zelf
zich zij zijn zo zonder zou zullen welke welk waar wanneer hoeveel waarom staat gaat doet deal regio
""".split())
ENGLISH_STOP = frozenset("""
a an and are as at be by can could did do does for from has have how i in is it its of on or that the their
there these this to was what when where which who whom will with would about into does did should according
against between without through under over after before during within towards upon via per than
""".split())
GERMAN_STOP = frozenset("""
aber alle als am an auch auf aus bei bis das dass dem den der des die dies diese dieser du durch ein eine
einem einen einer es für hat ich im in ist mit nach nicht noch oder sich sie sind so um und uns von vor wann
war was welche welcher welches wer wie wird wo zu zum zur über gibt wieviel viel
gegen ohne zwischen unter neben hinter seit während wegen trotz statt innerhalb außerhalb gegenüber
""".split())
# the words that phrase a request as a task ("Vat samen …", "Give me an overview of …", "Bitte alle aufzählen"):
# they ask for a form of answer, not for anything the documents say
REQUEST = frozenset("""
vat samen samenvatting samenvatten overzicht geef noem beschrijf toelichting opsommen
summarise summarize summary overview give list describe explain outline tell please
fasse zusammen zusammenfassung zusammenfassen überblick gib nenne nennen beschreibe erkläre erläutere bitte mir
aufzählen auflisten
""".split())
STOP = DUTCH_STOP | ENGLISH_STOP | GERMAN_STOP | REQUEST
_TOKEN = re.compile(r"[a-z0-9]+(?:[-/&][a-z0-9]+)*")


def fold(text: str) -> str:
    """Lower case without accents, with a typographic apostrophe as a plain one: 'Kündigung’s' -> "kundigung's".
    The one fold of the code base: questions, clauses, names and lexicon keys are compared in it."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


STOP = STOP | frozenset(fold(w) for w in STOP)  # words are compared folded: für -> fur


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    import Stemmer

    return Stemmer.Stemmer("dutch")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """Stemmed content tokens; 'grens-overstijgende' yields its parts and the joined word."""
    out: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        parts = re.split(r"[-/&]", raw)
        candidates = parts + ([raw.replace("-", "").replace("/", "").replace("&", "")] if len(parts) > 1 else [])
        for word in candidates:
            if word and word not in STOP and (len(word) > 1 or word.isdigit()):
                out.append(stem(word))
    return out


def with_stems(words: list[str]) -> list[str]:
    """The tokens plus a shared beginning for long ones, so that word forms a stemmer keeps apart still meet:
    ondernemers / ondernemerschap, leegstaande / leegstand, winkels / winkelgebieden."""
    return words + [f"~{w[:6]}" for w in words if len(w) >= 7 and not w.startswith("~")]


def compound_head(word: str, words: set[str]) -> str | None:
    """The head of a Dutch compound whose parts are both words (regio|kassier -> kassier, kennis|instell ->
    instell), at least six letters long."""
    parts = compound_parts(word, words, shortest_head=6)
    return parts[-1] if parts else None


def compound_parts(word: str, words: set[str], shortest_head: int = 4) -> list[str]:
    """The parts of a compound that are words of `words`, read by the longest head: rechts|stel (rechtsstelsel) ->
    recht, stel; regio|kassier -> regio, kassier. A linking s or e is dropped; a first part that is a stop word
    gives the head alone."""
    if len(word) < shortest_head + 4 or word.startswith("~"):
        return []
    for i in range(4, len(word) - shortest_head + 1):
        left, head = word[:i], word[i:]
        if head not in words:
            continue
        forms = [left] + ([left[:-1]] if left[-1] in "se" else [])
        found = [f for form in forms for f in (form, stem(form)) if f in words]
        if found:
            return [found[0], head]
        if any(form in STOP for form in forms):
            return [head]
    return []


class LexicalIndex:
    """BM25 (bm25s) over chunk texts; scores every chunk for a query."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.6) -> None:
        import bm25s

        self.documents = [tokens(t) for t in texts]
        self._words = {t for d in self.documents for t in d}
        self._heads = {w: h for w in self._words if (h := compound_head(w, self._words))}
        self._docs = [self._expand(d) for d in self.documents]
        self.vocabulary = {t for d in self._docs for t in d}
        df: dict[str, int] = {}
        for doc in self._docs:
            for t in set(doc):
                df[t] = df.get(t, 0) + 1
        n = max(len(self._docs), 1)
        self.idf = {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        self._bm25.index([d or ["\x00"] for d in self._docs], show_progress=False)

    def _expand(self, words: list[str]) -> list[str]:
        """The tokens, their shared beginnings, and the heads of compounds: regiokassier also counts as kassier."""
        return with_stems(words) + [self._heads[w] for w in words if w in self._heads]

    def scores(self, query: str | list[str]) -> np.ndarray:
        q = tokens(query) if isinstance(query, str) else query
        q = with_stems(q) + [p for w in q if w not in self._words for p in compound_parts(w, self._words)]
        q = [t for t in q if t in self.vocabulary]
        if not q:
            return np.zeros(len(self._docs), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(q), dtype=np.float32)
