"""Extractive answers: a short direct answer built from the retrieved clauses and their structure,
followed by the supporting clauses quoted verbatim with their labels. No LLM needed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from assistant.dictionary import Dictionary, cognates
from assistant.focus import (
    FREQUENCY,
    LEADING,
    RELATION_WORDS,
    asking_sentence,
    counted,
    counted_after,
    named_holder,
    ranks,
    read_focus,
)
from assistant.glossary import GLOSSARY, THEME_NAMES, terms_of
from assistant.lexical import STOP, fold, stem, tokens
from assistant.prompts import phrase
from assistant.query import Query
from assistant.register import Commitment, Register, RegisterBuilder
from assistant.retrieve import Corpus, Hit
from ingest.actors import ACTORS, BY_KEY, MINISTRIES, MUNICIPALITIES, Actor
from ingest.model import Chunk

_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z‘'(•])")
_NO_END = re.compile(r"(?:\b[A-Z]\.|\b(?:ca|nr|bijv|incl|excl|mln|o\.a|m\.b\.t|t\.a\.v|e\.d|resp|zgn|art)\.|"
                     r"\b[A-Z]{2,}!)$")
_AMOUNT = re.compile(r"€\s*[\d.,]+(?:\s*(?:mln|miljoen)\.?)?|\d+\s*%")
_DATE = re.compile(r"\b(?:19|20)\d\d\b|’\d\d|\b\d{1,2}\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|"
                   r"september|oktober|november|december)\b|\bvoorjaar\b|\b\d+\s+(?:weken|maanden|jaar)\b")
_QUANTITY = re.compile(r"\b(hoeveel|how much|how many|wie ?viel|welk bedrag|what amount|welcher betrag|budget|"
                       r"totaal|total|insgesamt|bedrag|betrag|amount|maximaal|maximum|minimaal|minimum|procent|percent|"
                       r"prozent|kost|kosten|costs?)\b|€", re.I)
_COMMITMENT_CUES = re.compile(
    r"\b(doet|doen|toegezegd|toezeggingen|afspraken|belooft|beloofd|rol|bijdrage|inbreng|taak|taken|verplicht|"
    r"do|does|commit|commits|committed|commitments|promise|promised|role|contribute|"
    r"macht|tut|zugesagt|zusagen|rolle|aufgabe|verpflichtet)\b", re.I)
_MONEY = re.compile(r"€\s*\d")
_MONEY_CUES = re.compile(r"\b(geld|euro|budget|bedrag|bijdrage|rijksbijdrage|rijksgeld|financiering|subsidie|kosten|"
                         r"kost|uitvoeringskosten|btw|money|funding|funds?|grant|costs?|vat|betrag|beitrag|finanzierung|"
                         r"förder\w*|zuschuss|mittel|mwst)\b|€|\bmln\b|miljoen|million", re.I)
_COUNT_CUES = re.compile(r"\b(hoeveel|hoe groot|how many|how much|how big|how large|wie viele|wie viel|wieviel|"
                         r"wie groß|wie gross)\b", re.I)
_NUMBER = re.compile(r"\d")
_PAID = re.compile(r"\b(krijgt|krijgen|ontvangt|betaalt|betalen|reserveert|kost|gets?|receives?|pays?|reserves?|"
                   r"bekommt|erhält|erhalt|zahlt|procent|percent|prozent|kostet|beschikbaar|available|verfügbar|"
                   r"gaat (?:er )?naar|gaan (?:er )?naar|goes to|go to|geht an|gehen an|fließt|fliesst|flows?|"
                   r"bijdraagt|bijdragen|contributes?|gives?|geeft|geven|spends?|besteedt|investeert|invests?|gibt|"
                   r"investiert|beisteuert)\b|%|\b(?:draagt|dragen|trägt|tragt)\b.*\b(?:bij|bei)\b", re.I)
_COST = re.compile(r"\b(kost|kosten|kostet|cost|costs|price|prijs|preis)\b", re.I)
# things counted rather than paid: "hoeveel inwoners" is answered from the clause, not from the budget table
_COUNTED = re.compile(r"\b(inwoners|bewoners|inhabitants|residents|population|einwohner|bevölkerung|hectare|ha|"
                      r"hektar|gemeenten|municipalities|gemeinden|artikelen|articles|artikel|thema's|themes|themen|"
                      r"jaar|jaren|years?|jahre?|weken|weeks|wochen|maanden|months|monate|banen|jobs|woningen|homes|"
                      r"houses|wohnungen|leden|members|partijen|parties|parteien|ministeries|ministries|ministerien|"
                      r"gebieden|areas|gebiete|focusgebieden|kavels|plots|scholen|schools|schulen|mensen|people|"
                      r"menschen|keer|times|mal)\b", re.I)
_MEMBERSHIP_WORDS = frozenset(tokens(
    "mee meedoen deelnemen deelnemende betrokken ondertekenen ondertekend tekenen horen behoren hoort vallen zitten "
    "bestaat bestaan omvat stadsregio parkstad limburg regio deal rijk rijk-regio-overleg overleg partij partijen "
    "take part participate participating involved sign signed signatories belong belongs included member members "
    "gehören gehört beteiligt teilnehmen nehmen teil unterzeichnen unterzeichnet mitglied mitglieder stadteregion"))
_GROUP = re.compile(r"\b(?:welke|which|what|welche|alle|all|noem)\b.{0,20}?\b(gemeenten|municipalities|gemeinden|"
                    r"kommunen|ministeries|ministries|ministerien)\b")
# past participles (Dutch ge-...-d/-t/-en, also after a separable prefix; German ge-...-t/-en)
_PARTICIPLE = re.compile(r"(?:aan|af|in|op|uit|mee|toe|voor|door|over|om|bij|vast|ein|auf|an|aus|mit|vor|zu)?"
                         r"ge[a-z]{2,}(?:d|t|en|n)")
PLACES = frozenset(fold(p) for p in (
    *MUNICIPALITIES, "Parkstad", "Limburg", "Zuid-Limburg", "Maastricht", "Aken", "Aachen", "Sittard", "Geleen",
    "Sittard-Geleen", "Nuth", "Schinveld", "Ubachsberg", "Schaesberg", "Nieuwenhagen", "Lauradorp", "Luik", "Liège",
    "Keulen", "Köln", "Cologne", "Jülich", "Frankfurt", "Brussel", "Brussels", "Brüssel", "Duitsland", "Germany",
    "Deutschland", "België", "Belgium", "Belgien", "Nederland", "Netherlands", "Niederlande", "Euregio", "Noord",
    "Oost", "Zuid", "West", "Heerlen-Noord", "Kerkrade-Oost", "Städteregion", "Stadteregion", "Eyserbeek",
    "Ransdalerveld", "Schimmert", "Ravensbosch", "Oostflank"))
_GENERIC_MINISTRY = frozenset(("minister", "ministers", "ministerie", "ministeries", "ministry", "ministries",
                               "ministerium", "ministerien", "ministerin", "ministerial", "ministeriele"))
_ROMAN = re.compile(r"I{1,3}|IV|VI{0,3}")
_PARTY_WORDS = frozenset(w for a in ACTORS if a.kind == "party" for alias in (a.key, a.name, *a.abbreviations)
                         for w in re.findall(r"[a-z0-9]+", fold(alias)))
QUESTION_WORDS = frozenset(tokens(
    "wie wat waar wanneer hoeveel welke waarom hoe doet doen staat gaat gaan geld rol taak verantwoordelijk afspraak "
    "afspraken precies belangrijk zeggen zegt geregeld convenant deal regio vraag informatie uitleg gebeurt gebeuren "
    "betekent betekenen bedoeld verstaan vanaf sinds nog eigenlijk allemaal soort manier mogen mag kun kunnen moet "
    "moeten komt komen krijgt krijgen heeft hebben wordt worden zit zitten noemen staan vallen valt hoort horen "
    "ongeveer ca precies welk wel niet iets ergens iemand lezen vinden vind zoeken hier daar qua "
    "toegezegd toezeggen toezegging beloofd belooft afgesproken afspreken bijdragen verplicht "
    "committed commit promised promise agreed contribute zugesagt versprochen vereinbart beitragen "
    "who what where when which how much many does do role responsible say says deal agreement commitment "
    "exactly about happens happen mean means meant there get gets give gives take takes part play plays "
    "must should can could will would need needs have has find read "
    "wer was wo wann welche wie viel viele rolle verantwortlich sagt vereinbarung zuständig gibt macht machen "
    "tut tun passiert bedeutet genau etwa steht stehen muss müssen kann können wird werden hat haben finde lesen "
    # phrasing words: size, time and state words and light verbs that frame a question but are never its subject
    "heet heten heißt heisst called named duurt duren dauert dauern last lasts voert voeren loopt lopen speelt "
    "spelen spielt spielen play plays jaren "
    "jaar years year jahre jahr groot grote klein kleine lang lange kort korte hoog hoge laag lage oud oude nieuw "
    "nieuwe klaar gereed eerst "
    "eerste laatst laatste vaak soms altijd nooit datum keer deel geval houden houdt voldoen voldoet vallen zorgen "
    "regelen geregeld stappen stapt eruit erin erbij eraan inbegrepen meegerekend betreft betreffen gelden geldt "
    "anything something everything nothing anyone someone anybody somebody whatever "
    "big large small long short high low old new ready first last often always never date time times part case "
    "hold holds meet meets fall falls arrange included count counts apply applies "
    # paying frames a money question; what is paid for is its subject
    "betaalt betalen betaald pay pays paid paying zahlt zahlen bezahlt bezahlen "
    "gepland planned planning vorgesehen geplant itself themselves zelf selbst "
    "gross grosse klein kleine lang lange kurz hoch alt alte neu neue fertig erst erste letzte oft immer nie "
    "datum mal teil fall halten erfüllen fallen regeln enthalten gilt gelten übernimmt übernehmen übernommen"))


@dataclass(frozen=True)
class Thresholds:
    """When the retrieved clauses count as answering the question; calibrated on the dev split
    (evals/tune.py): the top dense similarity needed per language, and how many unknown words a question
    may hold before the documents are taken not to cover it (a share up to `missing_low` needs only the plain
    similarity), and below which top similarity the best clauses must hold one of the question's subject words."""

    dense_nl: float = 0.70
    dense_en: float = 0.70
    dense_de: float = 0.70
    dense_high: float = 0.87
    missing_ratio: float = 0.67
    topic_dense: float = 0.86
    missing_low: float = 0.0

    def dense(self, language: str) -> float:
        return {"en": self.dense_en, "de": self.dense_de}.get(language, self.dense_nl)

    def accepts(self, language: str, top: float, salient: int, missing: int) -> bool:
        """Whether a question with `missing` of its `salient` words unknown, and best similarity `top`, counts
        as answered by the documents."""
        share = missing / max(salient, 1)
        if not missing or share <= self.missing_low:
            return top >= self.dense(language)
        return top >= self.dense_high and share <= self.missing_ratio


ACTOR_WORDS = frozenset(w for a in ACTORS for alias in (a.name, *a.aliases, *a.abbreviations)
                        for w in re.findall(r"[a-z0-9]+", fold(alias)))
# words that name an organisation rather than a subject: abbreviations and keys (OCW, JenV, RWTH), and the
# capitalised words of the other actors' names (Brightlands, Zuyd); ministries' names are subjects (onderwijs)
_ABBREVIATION_WORDS = frozenset(w for a in ACTORS for alias in (a.key, *a.abbreviations)
                                for w in re.findall(r"[a-z0-9]+", fold(alias)) if a.kind == "party" or alias.isupper())
_ACTOR_NAME_WORDS = frozenset(fold(w) for a in ACTORS if a.kind != "party" for alias in (a.name, *a.aliases)
                              for w in re.findall(r"[^\W\d_]+", alias) if w[0].isupper())
ENTITY_WORDS = ACTOR_WORDS | frozenset(
    w for k, v in THEME_NAMES.items() for alias in (k, *v) for w in re.findall(r"[a-z0-9]+", fold(alias)))


@dataclass(frozen=True)
class Draft:
    """An answer before timing: its text, whether it is supported, the chunks it cites in order, and its short
    answer without the sources (`lead`)."""

    text: str
    found: bool
    cited: tuple[Chunk, ...]
    lead: str = ""


class ExtractiveAnswerer:
    """Builds who / what / how much / when / definition / structure / where answers from the clauses."""

    def __init__(self, corpus: Corpus, thresholds: Thresholds | None = None,
                 dictionary: Dictionary | None = None) -> None:
        self.corpus = corpus
        self.thresholds = thresholds or Thresholds()
        self.dictionary = dictionary if dictionary is not None else Dictionary()
        self._memo: dict[tuple[str, str, str], object] = {}
        self._members_by_group: dict[str, list[tuple[int, int, Chunk, list[Actor]]]] = {}
        self._register: Register | None = None

    @property
    def register(self) -> Register:
        if self._register is None:
            self._register = RegisterBuilder().build(self.corpus.covenant())
        return self._register

    def supported(self, query: Query, hits: list[Hit]) -> bool:
        if not hits:
            return False
        if self.routed(query, hits):
            return True
        if not self._names_answered(query, hits) or self._other_ministry(query):
            return False
        t = self.thresholds
        salient, missing = self.unknown_words(query)
        if not self._focus_answered(query, hits, salient, missing):
            return False
        if hits[0].dense < t.topic_dense and not self._topic_retrieved(
                query, hits, [w for w in salient if w not in missing]):
            return False
        top = hits[0].dense if hits[0].dense > 0 else 1.0  # no dense signal (lexical-only ranking)
        return t.accepts(query.language, top, len(salient), len(missing))

    def routed(self, query: Query, hits: list[Hit]) -> bool:
        """Answered from where the question points or from the structure, whatever the similarity."""
        return any(h.routed for h in hits[:3]) or self._structure_scope(query) is not None or bool(self._group(query))

    def _topic_retrieved(self, query: Query, hits: list[Hit], topic: list[str]) -> bool:
        """Whether the best clauses speak of what the question asks about, not only of the places it names:
        one of its known subject words (or, for English and German, a Dutch word for it) stands in them."""
        if not topic:
            return True
        parties = {a for a in query.actors if BY_KEY[a].kind == "party"}
        if parties and all(fold(w) in ACTOR_WORDS for w in topic) and any(
                parties & set(h.chunk.parties) for h in hits[:3]):
            return True  # "who is the education minister": the subject is the party itself
        present: set[str] = set()
        for hit in hits[:3]:
            present |= self.corpus.token_sets[self.corpus.position[hit.chunk.id]]
        if query.paraphrase and set(tokens(query.paraphrase)) & present:
            return True  # what the question says in other words ("wie beheert het geld": the regiokassier)
        return self._mentions(query, present, topic)

    def _speaks_of(self, query: Query, chunk_id: str, topic: list[str]) -> bool:
        position = self.corpus.position.get(chunk_id)
        return position is not None and self._mentions(query, self.corpus.token_sets[position], topic)

    def _mentions(self, query: Query, present: set[str] | frozenset[str], topic: list[str]) -> bool:
        for word in topic:
            candidates = {word, *word.split("-")} | set(terms_of(word).split())  # national-regional: either part
            if query.language in ("en", "de"):
                candidates |= self._dutch_candidates(word, query.language)
            words = {t for c in candidates for t in tokens(c)}
            if words & present:
                return True
            wanted = {t for t in words if len(t) >= 5}
            # another form (woningen / woning: both all but a few letters shared from the start, so
            # realisatiestimulans is no form of realisatie) or a compound holding it (jeugdcriminaliteit)
            if any((len(t) >= 6 and len(p) >= 6 and _shared(t, p) >= max(5, len(t) - 3, len(p) - 3))
                   or p.startswith(t) or p.endswith(t) for t in wanted for p in present if not p.startswith("~")):
                return True
        return False

    @staticmethod
    def _question_names(query: Query) -> set[str]:
        """Capitalised words inside a sentence of the question (not its first word, not a question word)."""
        names = set()
        for sentence in re.split(r"[.!?]\s+", query.text):
            words = re.findall(r"[^\W\d_]+", sentence)
            names |= {fold(w) for w in words[1:] if w[0].isupper()}
        return {n for n in names if n not in STOP and stem(n) not in QUESTION_WORDS}

    @staticmethod
    def _other_ministry(query: Query) -> bool:
        """A ministry the question names ("Finanzministerium", "Ministry of Defence") that is no party."""
        if any(BY_KEY[a].kind == "party" for a in query.actors):
            return False
        folded = fold(query.text)
        named = re.search(r"\bministe?r\w*\s+(?:of|van|voor|für|fur|der|des)\s+\w+", folded)
        compound = [w for w in re.findall(r"[a-z]*ministe?r[a-z]*", folded)
                    if w not in _GENERIC_MINISTRY and not w.startswith("admin")]  # administrative is no ministry
        return bool(named or compound)

    def _names_answered(self, query: Query, hits: list[Hit]) -> bool:
        """A question for an amount or a date that names places or organisations needs a retrieved clause that
        holds both: "How much does Landgraaf get?" is not answered by a table without Landgraaf."""
        wanted = _MONEY if _MONEY_CUES.search(query.text) else _DATE if "when" in query.intents else None
        if wanted is None:
            return True
        names = self._question_names(query) & self.corpus.names
        names |= {fold(w) for w in re.findall(r"[^\W\d_]+", query.text) if _ROMAN.fullmatch(w)}
        names -= _PARTY_WORDS | self.corpus.title_words
        if not names:
            return True
        for hit in hits[:6]:
            position = self.corpus.position[hit.chunk.id]
            if names <= self.corpus.folded_words[position] and wanted.search(hit.chunk.text):
                return True
        return False

    def _focus_answered(self, query: Query, hits: list[Hit], salient: list[str], missing: list[str]) -> bool:
        """Whether a retrieved clause can hold what the question asks for: the holder of the role it asks about
        together with what it is a role in ("de voorzitter van de stuurgroep"); and, unless a clause matches the
        question closely, a number of what it counts, a frequency of what it names, an amount for its subject."""
        focus = read_focus(query.text, query.language, lambda w: stem(w) in QUESTION_WORDS)
        of = tuple(w for w in focus.of if w in salient)
        if focus.kind == "role" and of:
            if focus.asked[-1] in missing:
                return False
            return any(self._speaks_of_any(query, h.chunk, focus.asked) and self._covers(query, h.chunk, of)
                       and named_holder(h.chunk.text, self._forms(query, focus.asked[-1])) for h in hits[:3])
        if focus.kind == "lead" and of:
            return any(LEADING.search(h.chunk.text) and self._covers(query, h.chunk, of) for h in hits[:3])
        if focus.kind == "superlative":  # a ranking: the table ranks by its amounts, a clause by its words
            forms = self._forms(query, focus.asked[0]) if focus.asked else frozenset()
            return any(h.chunk.kind == "table" or ranks(h.chunk.text, lambda w: not forms or _same_word(w, forms))
                       for h in hits[:3])
        if hits[0].dense >= self.thresholds.dense_high:
            return True  # a close match to a clause outweighs what the wording suggests
        if not self._amount_of(query, hits, [w for w in salient if w not in missing]):
            return False
        if focus.kind == "count":
            forms = frozenset().union(*(self._forms(query, w) for w in focus.asked))
            places = self._question_names(query) & self.corpus.names  # not the deal's own region (Parkstad)
            if places:  # "hoeveel inwoners heeft Simpelveld": the number stands right after the place
                return focus.asked[-1] not in missing and any(
                    counted_after(h.chunk.text, p, lambda w: _same_word(w, forms)) for h in hits[:5] for p in places)
            return focus.asked[-1] not in missing and any(
                counted(h.chunk.text, lambda w: _same_word(w, forms)) for h in hits[:5])
        if focus.kind == "frequency":
            subject = self._rarest(of)
            return any(FREQUENCY.search(h.chunk.text) and self._covers(query, h.chunk, subject) for h in hits[:3])
        return True

    def _amount_of(self, query: Query, hits: list[Hit], topic: list[str]) -> bool:
        """A question for an amount ("wat kost het grondstoffendepot") needs a retrieved clause with an amount
        that speaks of at least half of what the question is about."""
        if not (_QUANTITY.search(query.text) or _COST.search(query.text)) or not _MONEY_CUES.search(query.text):
            return True
        topic = [w for w in topic if not _MONEY_CUES.search(w) and not _COST.search(w)
                 and w not in self.corpus.title_words and w not in _PARTY_WORDS]
        if not topic:
            return True
        for hit in hits[:6]:
            position = self.corpus.position[hit.chunk.id]
            if _MONEY.search(hit.chunk.text) or hit.chunk.kind == "table":
                present = self.corpus.token_sets[position]
                if 2 * sum(self._mentions(query, present, [w]) for w in topic) >= len(topic):
                    return True
        return False

    def _rarest(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The word fewest chunks hold (of those some chunk holds): the most specific, most likely the subject
        ("stuurgroep" in "hoe vaak vergadert de stuurgroep")."""
        counts = [(sum(bool(set(tokens(w.replace("-", ""))) & s) for s in self.corpus.token_sets), w) for w in words]
        known = [(n, w) for n, w in counts if n]
        return (min(known)[1],) if known else words

    def _speaks_of_any(self, query: Query, chunk: Chunk, words: tuple[str, ...]) -> bool:
        """Whether the chunk holds one of the words, also as the head of another compound
        (kennisinstellingen / onderwijsinstellingen)."""
        if any(self._covers(query, chunk, (w,)) for w in words):
            return True
        present = self.corpus.token_sets[self.corpus.position[chunk.id]] if chunk.id in self.corpus.position else ()
        heads = {w[i:] for w in words for i in range(1, len(w) - 6) if w[i:] in self.corpus.vocabulary}
        return any(p.endswith(h) for h in heads for p in present)

    def _forms(self, query: Query, word: str) -> frozenset[str]:
        """The word and, for English and German, the Dutch words it may stand for."""
        forms = {word, *terms_of(word).split()}
        if query.language in ("en", "de"):
            forms |= self._dutch_candidates(word, query.language)
        return frozenset(fold(f) for f in forms if f)

    def _covers(self, query: Query, chunk: Chunk, words: tuple[str, ...]) -> bool:
        """Whether the chunk speaks of all these words (of all but one, when there are three or more)."""
        if not words:
            return True
        position = self.corpus.position.get(chunk.id)
        if position is None:
            return False
        present = self.corpus.token_sets[position]
        found = sum(self._mentions(query, present, [w]) for w in words)
        return found >= len(words) - (1 if len(words) >= 3 else 0)

    def unknown_words(self, query: Query) -> tuple[list[str], list[str]]:
        """The question's content words, and those the documents (and their vocabulary) do not know.
        An English or German word the documents do not hold counts as unknown when the dictionary gives no
        Dutch word for it (or for each part of a compound) that the documents know. Without the dictionary
        only names and numbers count: common words of another language say nothing about a Dutch text."""
        salient, missing = [], []
        # "Ik werk in Heerlen. Wanneer eindigt de deal?": the asking sentence says what is asked
        raw_words = re.findall(r"[\w’'-]+", asking_sentence(query.text))
        for i, raw in enumerate(raw_words):
            word = re.sub(r"'s$", "", fold(raw)).strip("-’'")  # the deal's -> deal
            if len(word) < 3 and not word.isdigit() or word in STOP or stem(word) in QUESTION_WORDS or (
                    word in RELATION_WORDS):
                continue
            if self.known(word):
                # a place or an organisation locates a question; its subject is in the other words
                if not self._locates(word):
                    salient.append(word)
                continue
            if _PARTICIPLE.fullmatch(word) and not (query.language == "de" and raw[:1].isupper()):
                continue  # geholpen, aangepast, getan: the verb of the question, not its subject
            if query.language == "de" and not raw[:1].isupper() and not word.isdigit():
                continue  # German writes its nouns capitalised: kümmert, bekämpft are how, not what
            salient.append(word)
            if query.language in ("en", "de") and self._foreign_known(word, query.language):
                continue
            if query.language in ("en", "de") and self.dictionary.available:
                missing.append(word)
            elif query.language == "nl" or word.isdigit() or (raw[:1].isupper() and i > 0):
                missing.append(word)
        return salient, missing

    def _locates(self, word: str) -> bool:
        """A place or an organisation's name: it says where or who, not what about."""
        return word in PLACES or word in _ABBREVIATION_WORDS or (
            word in _ACTOR_NAME_WORDS and word in self.corpus.names)

    def _cached(self, kind: str, word: str, language: str, compute):  # noqa: ANN001, ANN202 - internal memo
        key = (kind, word, language)
        if key not in self._memo:
            if len(self._memo) > 50_000:
                self._memo.clear()
            self._memo[key] = compute()
        return self._memo[key]

    def _dutch_candidates(self, word: str, language: str) -> set[str]:
        """Dutch words an English or German word may stand for: dictionary senses and loanword spellings, also
        of each part of a hyphenated word and of a German compound's tail."""
        return self._cached("candidates", word, language, lambda: self._dutch_candidates_of(word, language))

    def _dutch_candidates_of(self, word: str, language: str) -> set[str]:
        out = {d for part in self.dictionary.dutch(word, language) for d in part} | set(cognates(word, language))
        for part in word.split("-") if "-" in word else ():
            out |= self._dutch_candidates(part, language)
        if language == "de" and len(word) >= 9:
            for i in range(4, len(word) - 4):
                tail = word[i:]
                tail_words = {d for part in self.dictionary.dutch(tail, language) for d in part}
                tail_words |= set(cognates(tail, language))
                if any(self.known(t) for t in tail_words):
                    out |= tail_words
                    break
        return {d for d in out if d not in STOP}

    def _foreign_known(self, word: str, language: str) -> bool:
        """An English or German word with a Dutch counterpart the documents know: by the dictionary, by the
        spelling of a loanword (Kriminalität / criminaliteit), part by part for 'co-financing', and for a German
        compound by its head and its tail (Jugend-kriminalität)."""
        return self._cached("foreign", word, language, lambda: self._foreign_known_of(word, language))

    def _foreign_known_of(self, word: str, language: str) -> bool:
        if "-" in word:
            parts = [p for p in word.split("-") if len(p) > 3]
            return bool(parts) and all(self.known(p) or self._foreign_known(p, language) for p in parts)
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
                if (self.known(tail) or self._foreign_known(tail, language)) and (
                        self.known(head) or any(self._foreign_known(h, language) for h in heads)):
                    return True
        return False

    def known(self, word: str) -> bool:
        """Whether the documents know the (folded) word: as it is, in another form, or as a compound of theirs."""
        return self._cached("known", word, "", lambda: self._known_of(word))

    def _known_of(self, word: str) -> bool:
        vocab = self.corpus.vocabulary
        parts = [p for p in word.split("-") if p]
        if all(stem(p) in vocab or terms_of(p) or p in ENTITY_WORDS for p in parts):
            return True
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

    def answer(self, query: Query, hits: list[Hit]) -> Draft:
        lang = query.language
        from_register = self._commitments(query, hits)
        if from_register is not None:
            return from_register
        if not self.supported(query, hits):
            nearest = [h.chunk for h in hits[:3]]
            lines = [phrase(lang, "not_found"), "", phrase(lang, "nearest")]
            lines += [f"- {c.label}: “{_short(c.text, 160)}”" for c in nearest]
            return Draft("\n".join(lines), False, tuple(nearest), phrase(lang, "not_found"))
        for builder in (self._structure, self._members, self._where, self._definition, self._due, self._amount,
                        self._who):
            draft = builder(query, hits)
            if draft is not None:
                return draft
        return self._what(query, hits)

    # --- builders -------------------------------------------------------------------------------------------

    def _structure_scope(self, query: Query) -> str | None:
        if "structure" not in query.intents:
            return None
        folded = fold(query.text)
        if query.programmalijn and re.search(r"them|thema", folded):
            return "themes"
        if re.search(r"artikel|article", folded):
            return "articles"
        if re.search(r"programmalijn|programme line|program line|programmlinie", folded):
            return "programmalijnen"
        if re.search(r"them|thema", folded):
            return "all_themes"
        return None

    def _structure(self, query: Query, hits: list[Hit]) -> Draft | None:
        scope = self._structure_scope(query)
        if scope is None:
            return None
        lang = query.language
        chunks = self.corpus.covenant()
        if scope in ("themes", "all_themes"):
            pls = [query.programmalijn] if scope == "themes" else sorted(
                {c.location.programmalijn for c in chunks if c.location.thema_name} - {None})
            parts, cited = [], []
            for pl in pls:
                themes = _ordered({(c.location.thema, c.location.thema_name): c for c in chunks
                                   if c.location.programmalijn == pl and c.location.thema_name})
                listing = _join([f"Thema {n} {name}" for (n, name) in themes], lang)
                parts.append(phrase(lang, "themes_of", pl=pl, count=len(themes), themes=listing))
                cited += [c for c in chunks if c.location.programmalijn == pl and c.kind == "heading"]
                cited += [c for c in chunks if c.location.programmalijn == pl and c.kind in ("clause", "intro")
                          and c.location.letter is None][:3]
            return self._draft(lang, " ".join(parts), cited[:6])
        if scope == "articles":
            arts = _ordered({c.location.article: c for c in chunks if c.location.article})
            listing = "; ".join(f"{n} – {self._article_title(n)}" for n in arts)
            cited = [arts[n] for n in list(arts)[:5]]
            return self._draft(lang, phrase(lang, "articles", count=len(arts), list=listing), cited)
        heads = [c for c in chunks if c.kind == "heading" and c.location.programmalijn]
        listing = "; ".join(f"Programmalijn {c.location.programmalijn}: {c.text}" for c in heads)
        return self._draft(lang, phrase(lang, "programmalijnen", count=len(heads), list=listing), heads)

    def _group(self, query: Query) -> str | None:
        """'Which municipalities / ministries ...' without a theme or clause: a question for a list of members."""
        if query.has_reference or query.themes or (m := _GROUP.search(fold(query.text))) is None:
            return None
        rest = set(tokens(query.text)) - QUESTION_WORDS - _MEMBERSHIP_WORDS - set(tokens(m.group(0)))
        if rest:  # "which ministries work on education" asks for more than the members
            return None
        return "ministries" if m.group(1).startswith("minist") else "municipalities"

    def _members(self, query: Query, hits: list[Hit]) -> Draft | None:
        """The members of a group (the seven municipalities, the nine ministries) from the clause naming most."""
        group = self._group(query)
        if group is None:
            return None
        counted = self._members_by_group.get(group)
        if counted is None:
            members = MINISTRIES if group == "ministries" else tuple(BY_KEY[f"gemeente {m}"] for m in MUNICIPALITIES)
            counted = []
            for chunk in self.corpus.covenant():
                folded = fold(chunk.text)
                found = [a for a in members if a.found_in(chunk.text, folded)]
                if found:
                    counted.append((len(found), -self.corpus.position[chunk.id], chunk, found))
            counted.sort(key=lambda t: (t[0], t[1]), reverse=True)
            self._members_by_group[group] = counted
        if not counted:
            return None
        _, _, top, found = counted[0]
        names = [display_name(a) if group == "ministries" else a.key.removeprefix("gemeente ") for a in found]
        lead = phrase(query.language, "members", group=phrase(query.language, group), count=len(found),
                      list=_join(names, query.language), label=top.label)
        return self._draft(query.language, lead, [c for _, _, c, _ in counted[:3]])

    def _definition(self, query: Query, hits: list[Hit]) -> Draft | None:
        folded = fold(query.text)
        for hit in hits[:4]:
            c = hit.chunk
            term = fold(c.location.item or "")
            if c.kind == "definition" and ("definition" in query.intents or (
                    hit is hits[0] and term in self.corpus.definitions and term in folded)):
                term, _, rest = c.text.partition(":")
                lead = phrase(query.language, "definition", term=term.strip(), text=rest.strip())
                return self._draft(query.language, lead, [c] + [h.chunk for h in hits[:3] if h.chunk is not c][:2])
        return None

    def _where(self, query: Query, hits: list[Hit]) -> Draft | None:
        if "where" not in query.intents and not query.footnote:
            return None
        # a footnote scores by its own rank, and more when a top clause carries its mark
        by_number = {c.location.item: c for c in self.corpus.chunks if c.kind == "footnote"}
        clause_marks = [str(n) for h in hits[:2] if h.chunk.kind != "footnote" for n in h.chunk.footnotes]
        scored: dict[str, float] = {}
        for h in hits[:8]:
            if h.chunk.kind == "footnote":
                scored[h.chunk.location.item or ""] = h.score
        for n in clause_marks:
            scored[n] = scored.get(n, hits[0].score * 0.8) + 0.5
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        notes = [by_number[n] for n, score in ranked if n in by_number and score >= ranked[0][1] * 0.9][:2]
        if not notes:
            return None
        lang = query.language
        lines, cited = [], []
        for note in notes[:2]:
            lines.append(phrase(lang, "footnote", number=note.location.item, text=note.text))
            if note.links:
                lines.append(phrase(lang, "links", links=" ".join(note.links)))
            citing = [c for c in self.corpus.chunks if int(note.location.item or 0) in c.footnotes]
            if citing:
                lines.append(phrase(lang, "cited_by", label=citing[0].label))
            cited += [note] + citing[:1]
        return self._draft(lang, "\n".join(lines), cited)

    def _amount(self, query: Query, hits: list[Hit]) -> Draft | None:
        if "amount" not in query.intents or not _QUANTITY.search(query.text) or (
                hits and hits[0].chunk.location.part == "Document") or (
                _COUNTED.search(query.text) and not _MONEY_CUES.search(query.text)) or not (
                _MONEY_CUES.search(query.text) or _PAID.search(query.text)):
            return None  # "met hoeveel opzegtermijn": a count or a period, not an amount
        lang = query.language
        table = next((c for c in self.corpus.chunks if c.kind == "table" and len(c.table) > 2), None)
        with_amounts = [h.chunk for h in hits[:5] if _AMOUNT.search(h.chunk.text) and h.chunk.kind != "table"]
        lines: list[str] = []
        cited: list[Chunk] = []
        if table is not None and (any(h.chunk is table for h in hits[:6]) or not with_amounts):
            header, rows = table.table[0], table.table[1:]
            wanted = self._table_rows(query, rows)
            for row in wanted:
                cells = ", ".join(f"{h.rstrip('1)').strip().lower()} {v}" for h, v in zip(header[1:], row[1:],
                                                                                          strict=False))
                lines.append(phrase(lang, "amount_row", row=row[0], cells=cells))
            cited.append(table)
        for chunk in with_amounts[:2]:
            best = self._best_sentences(query, chunk, 1, prefer=_AMOUNT)
            if best:
                lines.append(best)
            cited.append(chunk)
        if not lines:
            return None
        return self._draft(lang, "\n".join(lines), cited)

    def _table_rows(self, query: Query, rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
        folded = fold(query.text + " " + query.expansion)
        pls = {query.programmalijn} if query.programmalijn else set()
        pls |= {c.location.programmalijn for c in self.corpus.chunks if c.location.thema_name in query.themes}
        chosen = []
        for row in rows:
            number = re.match(r"^(\d)\.", row[0])
            words = [w for w in re.findall(r"[a-z]+", fold(row[0])) if len(w) > 3]
            if (number and number.group(1) in pls) or (words and all(w in folded for w in words)):
                chosen.append(row)
        return chosen or [rows[-1]]

    def _commitments(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'What does OCW do / what did EZ promise': every commitment of that party, grouped by theme."""
        if len(query.actors) != 1 or query.has_reference or query.themes or not _COMMITMENT_CUES.search(query.text):
            return None
        if "amount" in query.intents and _QUANTITY.search(query.text):
            return None  # "how much does the region put in": an amount, not the party's commitments
        actor = BY_KEY[query.actors[0]]
        if actor.kind != "party":
            return None
        records = [c for c in self.register.commitments if actor.key in c.actors]
        involved = [c for c in self.register.commitments if actor.key in c.co_actors and actor.key not in c.actors]
        naming = actor.named_words(fold(query.text))
        topic = [w for w in self.unknown_words(query)[0] if not _COMMITMENT_CUES.search(w)
                 and not actor.found_in(w, w) and w not in naming]
        if topic:  # "what does the Regio do about poverty": only the commitments on that subject
            on_topic = [c for c in records + involved if self._speaks_of(query, c.chunk_id, topic)]
            if not on_topic:
                return None  # none on the subject: the clauses retrieved for it answer, or the refusal does
            records = [c for c in records if c in on_topic]
            involved = [c for c in involved if c in on_topic]
        if not records and not involved:
            return None
        lead = ""
        if records:
            key = "commitments_of_one" if len(records) == 1 else "commitments_of"
            lead = phrase(query.language, key, who=display_name(actor), count=len(records), scopes=_scopes(records))
        if involved:
            lead = f"{lead} {phrase(query.language, 'involved_in', who=actor.key, scopes=_scopes(involved))}".strip()
        chunks = [self.corpus.by_id[c.chunk_id] for c in records + involved if c.chunk_id in self.corpus.by_id]
        ranked = sorted(chunks, key=lambda c: next((i for i, h in enumerate(hits) if h.chunk.id == c.id), 99))
        return self._draft(query.language, lead, ranked)

    def _due(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'What is due in 2026': every dated item of that year, with who owes it."""
        years = [int(y) for y in re.findall(r"\b(20[2-3]\d)\b", query.text)]
        if "when" not in query.intents or len(years) != 1 or query.actors or query.themes or query.has_reference:
            return None
        items = self.register.due(years[0])
        if not items:
            return None
        lines, cited = [], []
        for d in items:
            who = ", ".join(display_name(BY_KEY[a]) for a in d.actors if a in BY_KEY)
            lines.append(f"- {d.when}: {who} ({d.label})")
            if d.location.label not in [c.label for c in cited]:
                cited += [c for c in self.corpus.chunks if c.label == d.label][:1]
        lead = phrase(query.language, "due_in", year=years[0]) + "\n" + "\n".join(lines)
        return self._draft(query.language, lead, cited)

    def _who(self, query: Query, hits: list[Hit]) -> Draft | None:
        if "who" not in query.intents:
            return None
        lang = query.language
        routed = sorted((h.chunk for h in hits if h.routed and h.chunk.kind in ("clause", "bullet")),
                        key=lambda c: self.corpus.position[c.id])
        if len(routed) >= 2:
            scope = routed[0].location
            groups: dict[str, list[Chunk]] = {}
            for chunk in sorted(routed, key=lambda c: self.corpus.position[c.id]):
                actor = subject_of(chunk)
                groups.setdefault(actor.key if actor else "?", []).append(chunk)
            parts = []
            for key, chunks in groups.items():
                if key == "?":
                    continue
                clauses = ", ".join(f"onder {c.location.letter}" if c.location.letter else c.label for c in chunks)
                parts.append(phrase(lang, "per_actor", who=display_name(BY_KEY[key]), clauses=clauses))
            if parts:
                where = f"Thema {scope.thema} {scope.thema_name}" if scope.thema_name else scope.label
                lead = phrase(lang, "responsible_many", scope=where) + " " + _join(parts, lang) + "."
                return self._draft(lang, lead, routed)
        # the best hit, or else the better of the next two clauses, that has a party or organisation as subject
        top, actor = next(((h.chunk, a) for i, h in enumerate(hits[:3]) if (i == 0 or h.chunk.kind in (
            "clause", "bullet")) and (a := subject_of(h.chunk)) is not None), (None, None))
        if top is None or actor is None:
            return None
        sentence, children = self._with_children(top, self._best_sentences(query, top, 1))
        lead = phrase(lang, "responsible", who=display_name(actor), what=sentence)
        rest = [h.chunk for h in hits[:3] if h.chunk is not top][:2]
        return self._draft(lang, lead, [top, *children, *rest])

    def _what(self, query: Query, hits: list[Hit]) -> Draft:
        lang = query.language
        top = hits[0].chunk
        prefer = _DATE if "when" in query.intents else _NUMBER if _COUNT_CUES.search(query.text) else None
        if top.location.part == "Document":
            return self._from_document(query, hits, prefer)
        lead, children = self._with_children(top, self._best_sentences(query, top, 2, prefer=prefer))
        if prefer is _NUMBER and (fragment := self._fragment(query, lead)):
            lead = f"{fragment} …"
        lines = [phrase(lang, "according", label=top.label), lead]
        cited = [top, *children]
        if len(hits) > 1 and hits[1].score >= hits[0].score * 0.9 and hits[1].chunk.kind != "footnote":
            second = hits[1].chunk
            lines.append(self._best_sentences(query, second, 1, prefer=prefer))
            cited.append(second)
        cited += [h.chunk for h in hits[1:4] if h.chunk not in cited and h.chunk.kind != "footnote"][:2]
        return self._draft(lang, " ".join(lines), cited)

    # --- helpers --------------------------------------------------------------------------------------------

    def _best_sentences(self, query: Query, chunk: Chunk, n: int, prefer: re.Pattern[str] | None = None) -> str:
        sentences = split_sentences(chunk.text)
        if len(sentences) <= n:
            return chunk.text
        wanted = set(tokens(query.lexical_text))
        idf = self.corpus.lexical.idf

        def score(s: str) -> float:
            got = set(tokens(s))
            value = sum(idf.get(t, 0.0) for t in wanted & got)
            if prefer is not None and prefer.search(s):
                value += 2.0
            return value

        ranked = sorted(range(len(sentences)), key=lambda i: (-score(sentences[i]), i))[:n]
        if n == 1 and ranked[0] != 0 and score(sentences[0]) >= score(sentences[ranked[0]]) * 0.8:
            ranked = [0]
        return " ".join(sentences[i] for i in sorted(ranked))

    def _fragment(self, query: Query, text: str) -> str | None:
        """For 'how many inhabitants has Heerlen Noord': the part of a long enumeration that holds the named
        place and a number, e.g. 'Heerlen Noord (ca. 56.000 inwoners)'."""
        if len(text) < 200:
            return None
        names = self._question_names(query) - self.corpus.title_words
        if not names:
            return None
        for part in re.split(r",\s+|;\s+|\s+en\s+|\s+én\s+", text):
            folded = set(re.findall(r"[a-z0-9]+", fold(part)))
            if names <= folded and _NUMBER.search(part):
                return part.strip(" .;:")
        return None

    def _from_document(self, query: Query, hits: list[Hit], prefer: re.Pattern[str] | None) -> Draft:
        """A referenced document answers: say so, and set the covenant's own words beside it when it speaks."""
        lang = query.language
        top = hits[0].chunk
        lines = [phrase(lang, "document_says", document=top.location.document, page=top.location.page or "?"),
                 self._best_sentences(query, top, 2, prefer=prefer)]
        cited = [top]
        deal = next((h for h in hits[1:6] if h.chunk.location.part != "Document" and h.chunk.kind != "footnote"
                     and h.score >= hits[0].score * 0.6), None)
        if deal is not None:
            lines += [phrase(lang, "deal_says", label=deal.chunk.label),
                      self._best_sentences(query, deal.chunk, 1, prefer=prefer)]
            cited.append(deal.chunk)
        return self._draft(lang, "\n".join(lines), cited)

    def _with_children(self, chunk: Chunk, lead: str) -> tuple[str, list[Chunk]]:
        """A lead that ends in a colon announces a list: append the items it opens."""
        if not lead.rstrip().endswith(":"):
            return lead, []
        children = self.corpus.children(chunk)[:12]
        if not children:
            return lead, []
        return lead + " " + " ".join(c.text for c in children), children

    def _article_title(self, number: str) -> str:
        return next((c.location.article_title or "" for c in self.corpus.chunks if c.location.article == number), "")

    def _draft(self, lang: str, lead: str, cited: list[Chunk]) -> Draft:
        return render(lang, [(lead, cited)])


def render(lang: str, parts: list[tuple[str, list[Chunk]]]) -> Draft:
    """An answer of one or more short answers, each marked with its first three sources, over one numbered list
    of the cited clauses (those first three quoted in full)."""
    unique: list[Chunk] = []
    for _, cited in parts:  # each part's first three sources, quoted in full, before any part's further ones
        unique += [c for c in cited[:3] if c not in unique]
    quoted = len(unique)
    for _, cited in parts:
        unique += [c for c in cited[3:] if c not in unique]
    unique = unique[:8]
    leads = []
    for lead, cited in parts:
        shown = [c for c in dict.fromkeys(cited) if c in unique][:3]
        leads.append(f"{lead} {' '.join(f'[{unique.index(c) + 1}]' for c in shown)}".strip())
    lines = [*leads, "", phrase(lang, "sources")]
    for i, chunk in enumerate(unique, start=1):
        page = f", p. {chunk.location.page}" if chunk.location.page else ""
        quote = chunk.text if i <= quoted else _short(chunk.text, 240)
        lines.append(f"[{i}] {chunk.label}{page}: “{quote}”")
    return Draft("\n".join(lines), True, tuple(unique), "\n".join(lead for lead, _ in parts))


def _scopes(records: list[Commitment]) -> str:
    """'Thema 1 Talentrijke Regio (onder e, onder g); Artikel 6 (lid 6)': where the records stand, grouped."""
    by_scope: dict[str, list[str]] = {}
    for c in records:
        loc = c.location
        scope = (f"Thema {loc.thema} {loc.thema_name}" if loc.thema_name else
                 f"Programmalijn {loc.programmalijn}" if loc.programmalijn else f"Artikel {loc.article}")
        where = f"onder {loc.letter}" if loc.letter else (f"lid {loc.lid}" if loc.lid else "")
        by_scope.setdefault(scope, [])
        if where and where not in by_scope[scope]:
            by_scope[scope].append(where)
    return "; ".join(f"{scope} ({', '.join(w)})" if w else scope for scope, w in by_scope.items())


def _shared(a: str, b: str) -> int:
    """How many letters two words share from the start."""
    return len(os.path.commonprefix([a, b]))


def _same_word(word: str, forms: frozenset[str]) -> bool:
    """The same word in another form, or a compound ending in it (focusgebieden / gebieden)."""
    for form in forms:
        if word == form or stem(word) == stem(form):
            return True
        if min(len(word), len(form)) >= 5 and (word.endswith(form) or form.endswith(word)):
            return True
    return False


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause; initials ('de heer R. Wever'), abbreviations ('ca.', 'o.a.') and names ending
    in '!' ('ACT! Interventieteam') do not end one."""
    out: list[str] = []
    for piece in (p.strip() for p in _SENTENCE.split(text)):
        if not piece:
            continue
        if out and _NO_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def subject_of(chunk: Chunk) -> Actor | None:
    """The actor that acts in a clause: the earliest actor named in its first words."""
    head = chunk.text[:120]
    folded = fold(head)
    best: tuple[int, int, Actor] | None = None
    for rank, actor in enumerate(ACTORS):
        positions = []
        if actor.abbreviation_pattern is not None and (m := actor.abbreviation_pattern.search(head)):
            positions.append(m.start())
        if m2 := actor.pattern.search(folded):
            positions.append(m2.start())
        if positions:
            pos = min(positions)
            if best is None or (pos, rank) < (best[0], best[1]):
                best = (pos, rank, actor)
    return best[2] if best and best[0] < 90 else None


def display_name(actor: Actor) -> str:
    if actor.kind == "party" and actor.key != "Regio":
        return f"{actor.key} ({actor.name})"
    if actor.key == "Regio":
        return "Stadsregio Parkstad Limburg (de Regio)"
    return actor.name


def _ordered(mapping: dict) -> dict:  # type: ignore[type-arg]
    return dict(sorted(mapping.items(), key=lambda kv: _sort_key(kv[0])))


def _sort_key(key: object) -> tuple:  # type: ignore[type-arg]
    if isinstance(key, tuple):
        return tuple(int(k) if isinstance(k, str) and k.isdigit() else 0 for k in key)
    return (int(key),) if isinstance(key, str) and key.isdigit() else (0,)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {phrase(lang, 'and')} " + items[-1]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
