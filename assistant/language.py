"""The language of a question: Dutch, English, German, or another. Function words decide when they clearly do;
otherwise a character-model detector (lingua, loaded on first need) weighs the words it has not listed, so a
German question of content words ("Wie hoch ist die Miete?") does not fall to Dutch."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache


class Language(StrEnum):
    """The language of a question and its answer; OTHER is a language the assistant does not answer in."""

    NL = "nl"
    EN = "en"
    DE = "de"
    OTHER = "other"


_NL = {"de", "het", "een", "is", "wat", "wie", "welke", "hoeveel", "wanneer", "van", "voor", "en", "zijn", "wordt",
       "in", "op", "met", "er", "staat", "doet", "deal", "waar", "hoe", "moet", "mag", "kan", "zich", "ook", "over",
       "bij", "tot", "om", "dat", "die", "naar", "daar", "gemeenten", "afspraken", "geld", "zit", "welk", "waarom",
       "worden", "heeft", "hebben", "gaat", "gaan", "komt", "komen", "wil", "willen", "zal", "zullen", "niet", "nog",
       "al", "ze", "hun", "deze", "dit", "uit", "aan", "tegen", "wel", "heet", "krijgt", "krijgen"}
_EN = {"the", "is", "what", "who", "which", "how", "much", "when", "of", "for", "and", "are", "does", "do", "in",
       "on", "with", "there", "deal", "where", "can", "about", "to", "a", "an", "responsible", "many", "will",
       "by", "that", "this", "say", "says", "money", "has", "have", "be", "been", "was", "were", "would", "should",
       "from", "into", "its", "their", "they", "it", "get", "gets", "any", "some", "not", "or", "if", "happens"}
_DE = {"der", "die", "das", "ist", "was", "wer", "welche", "wie", "viel", "wann", "von", "für", "und", "sind",
       "wird", "im", "mit", "gibt", "es", "wo", "kann", "über", "zu", "den", "dem", "ein", "eine", "verantwortlich",
       "geld", "bis", "auf", "werden", "sagt", "steht", "welcher", "welches", "zusammenarbeit", "wieviel",
       "des", "am", "vom", "zum", "zur", "nicht", "auch", "noch", "nach", "bei", "aus", "wurde", "soll", "sollen",
       "muss", "müssen", "hat", "haben", "tritt", "kraft", "vereinbarung", "getan", "macht", "tut", "gegen", "ihre",
       "sich", "oder", "aber", "einen", "einem", "einer", "dieser", "diese", "dieses", "wieso", "warum", "geht",
       "gehen", "insgesamt", "dass", "ob", "wenn", "weil", "mehr", "sehr", "schon", "nur", "jetzt", "ins", "beim",
       "bekommt", "bekommen", "kommt", "gehört", "gehören", "welchen", "welchem", "wirtschaft", "gemeinden",
       "wen", "wem", "wessen", "bedeutet", "bedeuten", "versteht", "passiert", "geschieht", "unternimmt",
       "kümmert", "leitet", "zahlt", "kostet", "beträgt", "heißt", "gilt", "darf", "dürfen", "erhält", "gibt's"}
_OTHER = {"le", "la", "les", "est", "qui", "quoi", "combien", "pour", "des", "el", "los", "las", "que", "qué",
          "cuánto", "por", "para", "il", "che", "quanto", "chi", "une", "dans", "och", "ett", "jest", "nie"}

_FUNCTION = _NL | _EN | _DE
_CONTENT = 4  # letters of a word that speaks for its language; two such words, not the covenant's, are weighed alone
_CLEAR = 2.0  # function-word lead at which the detector is not asked
_WEIGHT = 0.25  # what one function word adds to the detector's confidence
_LOCK = threading.Lock()


def detect_language(text: str, term: Callable[[str], bool] | None = None) -> Language:
    """Dutch, English, German, or another. Function words decide a clear case; a close one is decided by the
    detector's confidence plus the function-word evidence; Dutch, the corpus language, when nothing speaks.
    `term` tells the covenant's own words: the detector does not weigh them ('Zusammensetzung Stuurgroep
    landelijk gebied Mitglieder' is German with the covenant's Dutch name in it) when two content words of the
    question's own are left."""
    lowered = text.lower()
    words = re.findall(r"[a-zäöüßéèëïóáñ]+", lowered)
    scores = {
        Language.NL: float(sum(w in _NL for w in words)),
        Language.EN: float(sum(w in _EN for w in words)),
        Language.DE: sum(w in _DE for w in words) + (2.0 if re.search(r"[äöüß]", lowered) else 0.0),
    }
    other = sum(w in _OTHER for w in words)
    if other >= 2 and other > max(scores.values()) + 0.5:
        return Language.OTHER
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] - ranked[1] >= _CLEAR or not words:
        return max(scores, key=lambda k: scores[k] + (0.5 if k == Language.NL else 0.0))
    own = [w for w in re.findall(r"[^\W\d_]+", text) if term is None or w.lower() in _FUNCTION or not term(w)]
    content = [w for w in own if len(w) >= _CONTENT and w.lower() not in _FUNCTION]
    confidence = _confidence(" ".join(own) if len(content) >= 2 else text)
    return max(scores, key=lambda k: confidence.get(k, 0.0) + _WEIGHT * scores[k])


def _confidence(text: str) -> dict[Language, float]:
    detector = _detector()
    if detector is None:
        return {}
    with _LOCK:  # the detector loads its models on first use
        values = detector.compute_language_confidence_values(text)
    names = {"DUTCH": Language.NL, "ENGLISH": Language.EN, "GERMAN": Language.DE}
    return {names[v.language.name]: v.value for v in values if v.language.name in names}


@lru_cache(maxsize=1)
def _detector():  # noqa: ANN202 - lingua's detector, or None where lingua is not installed
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.ENGLISH, Language.GERMAN).build()


def warm_up() -> None:
    """Load the detector's models now (the app does this in the background at start)."""
    _confidence("Wie viele Gemeinden?")
