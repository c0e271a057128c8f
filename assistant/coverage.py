"""Whether the documents answer a question: the evidence the extractive answerer weighs before it answers, and
the thresholds, calibrated on the dev split, that turn it into a yes or a refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.dictionary import Dictionary
from assistant.focus import (
    FREQUENCY,
    LEADING,
    MEMBERSHIP,
    PAYMENT_SAID,
    RELATION_WORDS,
    SHARE_SAID,
    Focus,
    asking_sentence,
    clause_final_verbs,
    counted,
    counted_after,
    named_holder,
    names_one,
    ranks,
    read_focus,
)
from assistant.glossary import terms_of
from assistant.lexical import STOP, fold, stem, tokens
from assistant.query import Query
from assistant.retrieve import Corpus, Hit
from assistant.vocabulary import ACTOR_WORDS, Vocabulary, shared_prefix
from ingest.actors import ACTORS, BY_KEY, MUNICIPALITIES
from ingest.model import Chunk

DATE = re.compile(r"\b(?:19|20)\d\d\b|’\d\d|\b\d{1,2}\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|"
                   r"september|oktober|november|december)\b|\bvoorjaar\b|\b\d+\s+(?:weken|maanden|jaar)\b")

QUANTITY = re.compile(r"\b(hoeveel|how much|how many|wie ?viel|welk bedrag|what amount|welcher betrag|budget|"
                       r"totaal|total|insgesamt|bedrag|betrag|amount|maximaal|maximum|minimaal|minimum|procent|percent|"
                       r"prozent|kost|kosten|costs?)\b|€", re.I)

_MONEY = re.compile(r"€\s*\d")

MONEY_CUES = re.compile(r"\b(geld|euro|budget|bedrag|bijdrage|rijksbijdrage|rijksgeld|financiering|subsidie|kosten|"
                         r"kost|kostet|uitvoeringskosten|btw|money|funding|funds?|grant|costs?|vat|contribut\w*|"
                         r"betrag|beitrag|finanzierung|förder\w*|zuschuss|mittel|mwst)\b|€|\bmln\b|miljoen|million",
                         re.I)

_COST = re.compile(r"\b(kost|kosten|kostet|cost|costs|price|prijs|preis)\b", re.I)
# things counted rather than paid: "hoeveel inwoners" is answered from the clause, not from the budget table

_PARTICIPLE = re.compile(r"(?:aan|af|in|op|uit|mee|toe|voor|door|over|om|bij|vast|ein|auf|an|aus|mit|vor|zu)?"
                         r"ge[a-z]{2,}(?:d|t|en|n)")

PLACES = frozenset(fold(p) for p in (
    *MUNICIPALITIES, "Parkstad", "Limburg", "Zuid-Limburg", "Maastricht", "Aken", "Aachen", "Sittard", "Geleen",
    "Sittard-Geleen", "Nuth", "Schinveld", "Ubachsberg", "Schaesberg", "Nieuwenhagen", "Lauradorp", "Luik", "Liège",
    "Keulen", "Köln", "Cologne", "Jülich", "Frankfurt", "Brussel", "Brussels", "Brüssel", "Duitsland", "Germany",
    "Deutschland", "België", "Belgium", "Belgien", "Nederland", "Netherlands", "Niederlande", "Euregio", "Noord",
    "Oost", "Zuid", "West", "Heerlen-Noord", "Kerkrade-Oost", "Städteregion", "Stadteregion", "Eyserbeek",
    "Ransdalerveld", "Schimmert", "Ravensbosch", "Oostflank"))

# "de vorige minister", "the previous deal": the clause must speak of the past too ("eerdere Regio Deals")
_PAST_ASKED = re.compile(r"\b(?:vorige|voormalige?|previous|former|earlier|prior|vorherigen?|ehemaligen?|"
                         r"fr(?:ü|ue)heren?|eerdere?)\b|"
                         # what is done so far ("welke projecten zijn al goedgekeurd"), not what is agreed
                         r"\b(?:al|already|schon|bereits)\b.*\b(?:goedgekeurd|afgerond|gerealiseerd|bereikt|"
                         r"gebouwd|approved|completed|finished|realised|realized|achieved|built|genehmigt|"
                         r"abgeschlossen|erreicht|gebaut|fertig)\b", re.I)
_PAST_SAID = re.compile(r"\b(?:vorige|voormalig\w*|eerder\w*|afgelopen|destijds|vroeger\w*)\b|Limburg II?\b", re.I)
# "wat vindt de provincie van de deal": the covenant states commitments; an opinion needs a clause that gives one
_OPINION_ASKED = re.compile(r"\b(?:wat vindt|wat vinden|mening|think (?:of|about)|opinion|view of|views on|"
                            r"h(?:ä|ae|a)lt\b.*\bvon|meinung|denkt\b.*\b(?:über|ueber))\b", re.I)
_OPINION_SAID = re.compile(r"\b(?:erkent|erkennen|van mening|onderschrijft|onderschrijven|waardeert|denkt\b.*\bmee|"
                           r"positief|kritisch)\b", re.I)
# "de volgende vergadering", "the next meeting": a clause must say what comes next
# another deal than this one (III): "de eerste Regio Deal", "Regio Deal Parkstad Limburg IV", "the next Regio Deal"
_ORDINALS = {"I": ("eerste", "first", "erste", "i", "1"), "II": ("tweede", "second", "zweite", "ii", "2"),
             "IV": ("vierde", "fourth", "vierte", "iv", "4", "volgende", "next", "nachste", "naechste", "nächste")}
_OTHER_DEAL = (re.compile(r"\b(\w+)\s+regio\s*deals?\b", re.I),
               re.compile(r"\bregio\s*deals?\s+(?:parkstad\s+)?(?:limburg\s+)?(IV|II|I|[124])\b", re.I))
# the next or the first time something happens: a date for it, not how often it happens
_NEXT_ASKED = re.compile(r"\b(?:volgende|eerstvolgende|komende|next|upcoming|n(?:ä|ae)chsten?|kommenden?|"
                         r"voor het eerst|eerste keer|(?:for )?the first time|erstmals|zum ersten mal)\b", re.I)
# not "bestaat uit de volgende vertegenwoordigers:"
_NEXT_SAID = re.compile(r"\b(?:(?:eerst)?volgende(?![^:.;]{0,40}:)|komende|waarna|daarna|vervolgens)\b", re.I)

# in most clauses ("Stadsregio Parkstad", "programmateam Zuid-Limburg"): they place nothing
_OWN_REGION = frozenset(("parkstad", "limburg", "zuid-limburg"))

GENERIC_MINISTRY = frozenset(("minister", "ministers", "ministerie", "ministeries", "ministry", "ministries",
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
    "heet heten heißt heisst called named duurt duren dauert dauern last lasts voert voeren loopt lopen ligt liggen "
    "speelt spelen spielt spielen play plays jaren "
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
    # time frames and "is it true that": until when does it run, klopt het dat, stimmt es
    "until till since run runs running klopt kloppen klopte stimmt stimmen true correct juist "
    "name names mention mentions mentioned list lists listed nennt nennen erwahnt noemt vermeldt "
    "vandaan wen wem wessen "
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


# words that name an organisation rather than a subject: abbreviations and keys (OCW, JenV, RWTH), and the
# capitalised words of the other actors' names (Brightlands, Zuyd); ministries' names are subjects (onderwijs)
_ABBREVIATION_WORDS = frozenset(w for a in ACTORS for alias in (a.key, *a.abbreviations)
                                for w in re.findall(r"[a-z0-9]+", fold(alias)) if a.kind == "party" or alias.isupper())
_ACTOR_NAME_WORDS = frozenset(fold(w) for a in ACTORS if a.kind != "party" for alias in (a.name, *a.aliases)
                              for w in re.findall(r"[^\W\d_]+", alias) if w[0].isupper())


class Coverage(Vocabulary):
    """Weighs whether the retrieved clauses answer a question: its subject words known to the documents, the
    places and amounts it names held together, what it asks for (a count, a role holder, a ranking) held by a
    clause, and the best similarity against the calibrated thresholds."""

    def __init__(self, corpus: Corpus, thresholds: Thresholds | None = None,
                 dictionary: Dictionary | None = None) -> None:
        super().__init__(corpus, dictionary)
        self.thresholds = thresholds or Thresholds()
        self._readings: dict[Query, tuple[Focus, list[str], list[str]]] = {}

    def supported(self, query: Query, hits: list[Hit]) -> bool:
        if not hits:
            return False
        for asked, said in ((_PAST_ASKED, _PAST_SAID), (_NEXT_ASKED, _NEXT_SAID), (_OPINION_ASKED, _OPINION_SAID)):
            if asked.search(query.text) and not query.has_reference and not any(
                    said.search(h.chunk.text) for h in hits[:3]):
                return False  # "wie was de vorige minister": the clauses name today's
        other = _other_deal(query.text)
        if other and not any(re.search(rf"\bLimburg {other}\b", h.chunk.text) for h in hits[:3]):
            return False  # "wat bereikte de eerste Regio Deal": a clause must speak of that deal
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

    def typed_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """The hits with, when none of the first three holds the kind of answer asked for (a date, a place, a
        named institution) beside the question's subject, the first of the next five that does moved ahead."""
        focus, salient, missing = self._reading(query)
        if focus.kind not in ("when", "where", "named", "share", "count") or len(hits) < 4:
            return hits
        subject = [w for w in focus.of if w not in missing and len(w) > 3]
        if focus.kind in ("when", "where"):  # the same test as the refusal's
            exact = self._time_place_subject(tuple(w for w in focus.of if w in salient), missing)
            typed = [i for i, h in enumerate(hits[:8]) if self._dates_or_places(query, focus, h.chunk, exact)]
        elif focus.kind == "count":  # "how many hectares": a number of them
            forms = frozenset().union(*(self._forms(query, w) for w in focus.asked))
            subject = [w for w in subject if not self._locates(w)]
            typed = [i for i, h in enumerate(hits[:12]) if _counted_in(h.chunk.text, forms, set())
                     and (not subject or self._speaks_of(query, h.chunk.id, subject))]
        else:
            typed = [i for i, h in enumerate(hits[:8]) if _holds(focus, h.chunk.text) and (
                not subject or self._speaks_of(query, h.chunk.id, subject))]
        if not typed or typed[0] < 3:
            return hits
        return [hits[typed[0]], *hits[:typed[0]], *hits[typed[0] + 1:]]

    @staticmethod
    def _time_place_subject(of: tuple[str, ...], missing: list[str]) -> tuple[str, ...]:
        """What a when or where question asks of, not who: "wanneer is de Stadsregio opgericht" asks of the
        founding."""
        return tuple(w for w in of if w not in missing and w not in ACTOR_WORDS | GENERIC_MINISTRY)

    def _dates_or_places(self, query: Query, focus: Focus, chunk: Chunk, subject: tuple[str, ...]) -> bool:
        """Whether the chunk holds a date (a place) beside the subject."""
        return _holds(focus, chunk.text) and self._on_subject(query, chunk, subject)

    def _on_subject(self, query: Query, chunk: Chunk, subject: tuple[str, ...]) -> bool:
        """Whether the chunk speaks of all of the subject but one word, and of its most specific word
        ("grondstoffendepot", not "regionale")."""
        return self._covers(query, chunk, subject, spare=1) and (
            not subject or self._covers(query, chunk, self._rarest(subject)))

    def routed(self, query: Query, hits: list[Hit]) -> bool:
        """Answered from where the question points, whatever the similarity (the answerer adds its structure
        questions)."""
        return any(h.routed for h in hits[:3])

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
            parts = word.split("-")
            # national-regional: either part; start-ups: one word, not "start"
            candidates = ({word.replace("-", "")} if min(map(len, parts)) < 4 else {word, *parts}) | set(
                terms_of(word).split())
            if query.language in ("en", "de"):
                candidates |= self.dutch_candidates(word, query.language)
            words = {t for c in candidates for t in tokens(c)}
            if words & present:
                return True
            wanted = {t for t in words if len(t) >= 5}
            # another form (woningen / woning: both all but a few letters shared from the start, so
            # realisatiestimulans is no form of realisatie) or a compound holding it (jeugdcriminaliteit)
            if any((len(t) >= 6 and len(p) >= 6 and shared_prefix(t, p) >= max(5, len(t) - 3, len(p) - 3))
                   or p.startswith(t) or p.endswith(t) for t in wanted for p in present if not p.startswith("~")):
                return True
            if query.language == "nl" and any(_parts_present(t, present) for t in wanted if len(t) >= 10):
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
                    if w not in GENERIC_MINISTRY and not w.startswith("admin")]  # administrative is no ministry
        return bool(named or compound)

    def _names_answered(self, query: Query, hits: list[Hit]) -> bool:
        """A question for an amount or a date that names places or organisations needs a retrieved clause that
        holds both: "How much does Landgraaf get?" is not answered by a table without Landgraaf."""
        wanted = _MONEY if MONEY_CUES.search(query.text) else DATE if "when" in query.intents else None
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
        focus = self._reading(query)[0]
        of = tuple(w for w in focus.of if w in salient)
        if focus.kind == "role" and of:
            if focus.asked[-1] in missing:
                return False
            # an English compound is one Dutch word: "contact person" / contactpersoon
            roles = self._forms(query, focus.asked[-1]) | self._forms(query, "".join(focus.asked))
            return any(self._speaks_of_any(query, h.chunk, focus.asked) and self._covers(query, h.chunk, of)
                       and named_holder(h.chunk.text, tuple(roles)) for h in hits[:3])
        if focus.kind == "attribute":  # "what is the salary of the programme manager": a clause says it
            return any(self._speaks_of_any(query, h.chunk, focus.asked) for h in hits[:3])
        if focus.kind == "lead" and of:
            return any(LEADING.search(h.chunk.text) and self._covers(query, h.chunk, of) for h in hits[:3])
        if focus.kind == "superlative":  # a ranking: the table ranks by its amounts, a clause by its words
            forms = self._forms(query, focus.asked[0]) if focus.asked else frozenset()
            return any(h.chunk.kind == "table" or ranks(h.chunk.text, lambda w: not forms or _same_word(w, forms))
                       for h in hits[:3])
        if focus.kind in ("payer", "funded"):
            # "wie betaalt de Einsteintelescoop": a clause on it speaks of money; "betaalt de deal mee aan X": or is
            # an activity of the deal (Artikel 2) on it
            subject = self._time_place_subject(of, missing)
            return any((h.chunk.kind == "table" or bool(PAYMENT_SAID.search(h.chunk.text))
                        or focus.kind == "funded" and h.chunk.location.article == "2")
                       and self._on_subject(query, h.chunk, subject) for h in hits[:3])
        if focus.kind == "members":  # "wie zitten er in de stuurgroep": a clause on it says who it consists of
            subject = self._rarest(tuple(w for w in focus.of if w not in missing and len(w) > 3))
            return any(MEMBERSHIP.search(h.chunk.text) and self._covers(query, h.chunk, subject) for h in hits[:3])
        if focus.kind == "named":  # "welke bedrijven": one of the best clauses names one
            return any(_holds(focus, h.chunk.text) for h in hits[:3])
        if focus.kind in ("when", "where"):  # a date, or a place ("in Kerkrade"), in a clause on the subject
            # "wann wurde die Stadsregio gegründet": with no subject but who, what happens to them is the subject
            subject = self._time_place_subject(of, missing) or self._time_place_subject(focus.of, missing)
            return any(self._dates_or_places(query, focus, h.chunk, subject) for h in hits[:3])
        if focus.kind == "count":
            forms = frozenset().union(*(self._forms(query, w) for w in focus.asked))
            places = self._question_names(query) & self.corpus.names  # not the deal's own region (Parkstad)
            # "how many people are unemployed": the clause that counts them says of what
            subject = self._rarest(tuple(w for w in of if w not in missing and not self._locates(w)))
            if focus.asked[-1] in missing or not any(
                    _counted_in(h.chunk.text, forms, places) and self._covers(query, h.chunk, subject)
                    for h in hits[:5]):
                return False
        amount = self._amount_of(query, hits, [w for w in salient if w not in missing])
        if hits[0].dense >= self.thresholds.dense_high and (amount or _priced(hits[0].chunk)):
            return True  # a close match to a clause outweighs what the wording suggests, unless it lacks the amount
        if not amount:
            return False
        if focus.kind == "share":  # "welk deel van de banen": a per cent in a clause on the rarest subject word
            subject = self._rarest(tuple(w for w in of if w not in missing and not self._locates(w)))
            return any(SHARE_SAID.search(h.chunk.text) and self._covers(query, h.chunk, subject) for h in hits[:3])
        if focus.kind == "frequency":
            subject = self._rarest(of)
            return any(FREQUENCY.search(h.chunk.text) and self._covers(query, h.chunk, subject) for h in hits[:3])
        return True

    def _amount_of(self, query: Query, hits: list[Hit], topic: list[str]) -> bool:
        """A question for an amount ("wat kost het grondstoffendepot") needs a retrieved clause with an amount
        that speaks of at least half of what the question is about."""
        if not (QUANTITY.search(query.text) or _COST.search(query.text)) or not MONEY_CUES.search(query.text):
            return True
        topic = [w for w in topic if not MONEY_CUES.search(w) and not _COST.search(w)
                 and w not in self.corpus.title_words and w not in _PARTY_WORDS]
        if not topic:
            return True
        for hit in hits[:6]:
            position = self.corpus.position[hit.chunk.id]
            if _priced(hit.chunk):
                present = self.corpus.token_sets[position]
                if 2 * sum(self._mentions(query, present, [w]) for w in topic) >= len(topic):
                    return True
        return False

    def _rarest(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The word fewest chunks hold (of those some chunk holds): the most specific, most likely the subject
        ("stuurgroep" in "hoe vaak vergadert de stuurgroep")."""
        counts = [(self._cached("chunks", w, "", lambda w=w: sum(
            bool(set(tokens(w.replace("-", ""))) & s) for s in self.corpus.token_sets)), w) for w in words]
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
            forms |= self.dutch_candidates(word, query.language)
        return frozenset(fold(f) for f in forms if f)

    def _covers(self, query: Query, chunk: Chunk, words: tuple[str, ...], spare: int = 2) -> bool:
        """Whether the chunk speaks of all these words (of all but one, when there are `spare` + 1 or more)."""
        if not words:
            return True
        position = self.corpus.position.get(chunk.id)
        if position is None:
            return False
        present = self.corpus.token_sets[position]
        found = sum(self._mentions(query, present, [w]) for w in words)
        return found >= len(words) - (1 if len(words) > spare else 0)

    def _reading(self, query: Query) -> tuple[Focus, list[str], list[str]]:
        """What the question asks for, its content words and those the documents do not know: read once per
        question (the answerer reorders the hits, then weighs them)."""
        reading = self._readings.get(query)
        if reading is None:
            if len(self._readings) > 1024:
                self._readings.clear()
            focus = read_focus(query.text, query.language, lambda w: stem(w) in QUESTION_WORDS)
            reading = self._readings[query] = (focus, *self._unknown_words(query))
        return reading

    def unknown_words(self, query: Query) -> tuple[list[str], list[str]]:
        """The question's content words, and those the documents (and their vocabulary) do not know."""
        _, salient, missing = self._reading(query)
        return salient, missing

    def _unknown_words(self, query: Query) -> tuple[list[str], list[str]]:
        """The question's content words, and those the documents (and their vocabulary) do not know.
        An English or German word the documents do not hold counts as unknown when the dictionary gives no
        Dutch word for it (or for each part of a compound) that the documents know. Without the dictionary
        only names and numbers count: common words of another language say nothing about a Dutch text."""
        salient, missing = [], []
        # "Ik werk in Heerlen. Wanneer eindigt de deal?": the asking sentence says what is asked
        raw_words = re.findall(r"[\w’'-]+", asking_sentence(query.text))
        verbs = clause_final_verbs(asking_sentence(query.text)) if query.language == "nl" else frozenset()
        for i, raw in enumerate(raw_words):
            word = re.sub(r"'s$", "", fold(raw)).strip("-’'")  # the deal's -> deal
            if len(word) < 3 and not word.isdigit() or word in STOP or stem(word) in QUESTION_WORDS or (
                    word in RELATION_WORDS):
                continue
            if query.language == "nl" and _verb_second(raw_words, i) and self.dutch_verb_form(word):
                continue  # "wat verwacht de regio", "hoeveel geld legt de regio in": the finite verb
            if self.known(word):
                # a place or an organisation locates a question; its subject is in the other words
                if not self._locates(word):
                    salient.append(word)
                continue
            if _PARTICIPLE.fullmatch(word) and not (query.language == "de" and raw[:1].isupper()):
                continue  # geholpen, aangepast, getan: the verb of the question, not its subject
            if query.language == "en" and self.english_participle(word):
                continue  # "when must it be described": a verb's participle says how, not what (not unemployed)
            if word in verbs and self.dictionary.is_dutch_word(word):
                continue  # "moet de regio geld inleggen": the infinitive ending the clause is how, not what
            if query.language == "de" and (not raw[:1].isupper() or i == 0) and not word.isdigit():
                # German writes its nouns capitalised: kümmert, bekämpft are how, not what; a question opens with
                # its question word or, asking yes or no, its verb ("Haftet eine Partei ...")
                continue
            salient.append(word)
            if self.superlative_of_known(word, query.language):
                continue  # krapst, tightest, knappsten: the documents' word in its highest degree
            if query.language in ("en", "de") and self.foreign_known(word, query.language):
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


_QUESTION_OPENERS = frozenset("wat wie waar wanneer hoe waarom hoeveel welke welk".split())


def _verb_second(raw_words: list[str], i: int) -> bool:
    """Whether the i-th word stands where a Dutch question puts its finite verb: first (a yes-no question), after
    the question word, or after "welke" or "hoeveel" and its noun ("in welke gebieden liep", "hoeveel geld legt")."""
    before = [fold(w) for w in raw_words[max(0, i - 3):i]]
    return i == 0 or (bool(before) and before[-1] in _QUESTION_OPENERS) or any(
        w in ("welke", "welk", "hoeveel") for w in before[-3:-1])


def _counted_in(text: str, forms: frozenset[str], places: set[str]) -> bool:
    """Whether the text gives a number of what is counted; of a place it names ("hoeveel inwoners heeft
    Simpelveld"), right after the place."""
    if places:
        return any(counted_after(text, p, lambda w: _same_word(w, forms)) for p in places)
    return counted(text, lambda w: _same_word(w, forms))


def _other_deal(text: str) -> str | None:
    """The numeral of another Regio Deal than this one the text asks about ("I", "II", "IV"), if any."""
    for pattern in _OTHER_DEAL:
        for m in pattern.finditer(text):
            if m.group(1) != "i":  # a lowercase i is no numeral
                numeral = next((n for n, words in _ORDINALS.items() if fold(m.group(1)) in words), None)
                if numeral:
                    return numeral
    return None


def _priced(chunk: Chunk) -> bool:
    """Whether the chunk states an amount of money (the Artikel 3 table does throughout)."""
    return chunk.kind == "table" or bool(_MONEY.search(chunk.text))


def _holds(focus: Focus, text: str) -> bool:
    """Whether the text holds the kind of answer a when, where or which-institution question asks for."""
    if focus.kind == "named":
        return names_one(text, focus.asked)
    if focus.kind == "share":
        return bool(SHARE_SAID.search(text))
    if focus.kind == "when":  # a date, or a recurring time ("eenmaal per jaar")
        return bool(DATE.search(text) or FREQUENCY.search(text))
    return _located(text, frozenset(focus.of))


def _located(text: str, asked_of: frozenset[str] = frozenset()) -> bool:
    """Whether the text places something: it names a place ("in Kerkrade gevestigde", "grenzend aan de
    Städteregion Aachen") other than the deal's own region and the places the question itself names."""
    return bool((set(re.findall(r"[a-z-]+", fold(text))) & PLACES) - _OWN_REGION - asked_of)


def _parts_present(word: str, present: set[str] | frozenset[str]) -> bool:
    """Whether both parts of a Dutch compound stand in the text as words of their own ("toetredingsverzoek":
    "verzoek tot toetreding"), each part at least five letters."""
    words = [p for p in present if not p.startswith("~")]
    for i in range(5, len(word) - 4):
        left, right = word[:i], word[i:]
        for head in {left, left[:-1] if left.endswith("s") else left}:
            if len(head) >= 5 and any(shared_prefix(head, p) >= max(5, len(head) - 4) for p in words) and any(
                    shared_prefix(right, p) >= max(5, len(right) - 2) and len(p) <= len(right) + 2 for p in words):
                return True
    return False


def _same_word(word: str, forms: frozenset[str]) -> bool:
    """The same word in another form, or a compound ending in it (focusgebieden / gebieden)."""
    for form in forms:
        if word == form or stem(word) == stem(form) or (len(form) > 4 and word == form.removesuffix("s")):
            return True  # hectare / hectares
        if min(len(word), len(form)) >= 5 and (word.endswith(form) or form.endswith(word)):
            return True
    return False
