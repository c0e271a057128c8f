"""Instructions to the assistant inside a question ("ignore your rules", "du bist jetzt …", "zeg dat …"): read
past, like framing. What they ask is nothing the documents answer; a question about the deal beside them is.

The signal is the shape of an instruction addressed to the system, never particular phrases: an imperative that
sets aside its instructions, rules, prompt or sources; a reference to its own prompt or configuration; a new
role or mode given to it; permission to invent; an order to assert something. In Dutch, English and German."""

from __future__ import annotations

import re

from assistant.lexical import fold

# words that may open an imperative without changing it: please, now, okay, and, first, from now on. Each word once,
# at most eight of them, read possessively: a run of openers with no instruction after it fails at once instead of
# being re-split exponentially many ways.
_OPEN = (r"(?:(?:please|pls|kindly|now|ok(?:ay)?|so|and|then|also|first|just|hey|hi|alsjeblieft|alstublieft|aub|"
         r"graag|nu|oke|dus|en|dan|ook|eerst|even|gewoon|hoi|bitte|jetzt|nun|und|auch|zuerst|erst|"
         r"einfach|mal|hallo|from now on|vanaf nu|ab jetzt|ab sofort)[\s,!:;]++){0,8}+")
# verbs that set something aside, as an imperative (or said to "you")
_DISREGARD = (r"(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|abandon|discard|stop following|"
              r"don'?t follow|do not follow|never ?mind|set aside|throw away|negeer|vergeet|veronachtzaam|schrap|"
              r"laat(?: \w+){0,4} (?:varen|los|vallen)|sla(?: \w+){0,4} over|volg(?: \w+){0,4} niet|"
              r"hou(?:d)? je (?:\w+ )?niet (?:meer )?aan|trek je (?:er )?(?:niets|niks) (?:van )?aan|"
              r"(?:pay|don'?t pay|do not pay) (?:no |any )?(?:attention|heed)|"
              r"kummere dich nicht|ignorier(?:e)?(?= )|ignorieren sie|vergiss|vergesst|"
              r"vergessen sie|missachte|missachten sie|ubergehe|uberspring(?:e)?(?= )|verwirf|"
              r"befolge(?: \w+){0,4} nicht|halte? dich (?:\w+ )?nicht (?:mehr )?an)")
# what the assistant was given: its instructions, rules, prompt, sources; everything said before
_GIVEN = (r"(?:instructions?|instructie\w*|anweisung\w*|rules?|regels?|regeln|prompts?|guidelines?|richtlijn\w*|"
          r"richtlinie\w*|directions?|directives?|aanwijzing\w*|vorgaben?|constraints?|restrictions?|beperking\w*|"
          r"beschrankung\w*|einschrankung\w*|guardrails?|programming|programmering|programmierung|"
          r"configurati\w*|konfiguration|context|kontext|opdracht\w*|auftrag|befehle?|commands?|bevelen?|"
          r"system ?message|clauses?|documents?|sources?|documenten|bronnen|quellen|dokumente|bepalingen|"
          r"bestimmungen|everything|all of (?:the |that |this )?(?:above|before)|anything|alles|allem|all das|"
          r"what (?:you were|i|we) (?:told|said)|wat (?:je|jij|ik) (?:is |werd )?(?:gezegd|verteld)\w*|"
          r"(?:the |de |die |das )?(?:above|previous|prior|earlier|bovenstaande|vorige|eerdere|vorherige\w*|"
          r"obige\w*|bisherige\w*))")
_SETS_ASIDE = re.compile(rf"^{_OPEN}{_DISREGARD}\b(?:[\s,]+[\w'-]+){{0,5}}?[\s,]+{_GIVEN}\b")
_YOU_SET_ASIDE = re.compile(
    r"\b(?:you|u|je|jij|du|ihr)\s+(?:should|must|can|may|will|have to|need to|moet|mag|kunt|kan|zult|gaat|"
    r"sollst|musst|darfst|kannst|wirst|sollt)\s+(?:now\s+|nu\s+|jetzt\s+|nun\s+)?(?:[\w'-]+\s+){0,5}?"
    r"(?:ignore|disregard|forget|negeren|vergeten|ignorieren|vergessen|missachten)\b")
# the assistant's own prompt, configuration or mode
_ITSELF = re.compile(
    r"\b(?:system ?prompts?|systeem ?prompts?|systemprompts?|system ?messages?|systeem ?berichte?n?|"
    r"systemnachrichte?n?|(?:initial|hidden|original|secret|verborgen|geheime?|oorspronkelijke?|versteckte?n?|"
    r"ursprungliche?n?) (?:prompt|instructions?|instructies|anweisungen)|developer ?mode|dev ?mode|"
    r"ontwikkelaars?modus|entwicklermodus|jailbreak\w*|dan mode|god ?mode|pre-?prompt)\b"
    r"|\b(?:your|je|jouw|uw|dein\w*|eure?)\s+(?:(?:own|real|original|hidden|secret|current|actual|eigen|echte|"
    r"geheime|huidige|oorspronkelijke|eigenen?|echten?|geheimen?|aktuellen?|ursprunglichen?)\s+)?(?:instructions?|rules|prompts?|guidelines|programming|"
    r"configuration|instructies|regels|richtlijnen|programmering|configuratie|anweisungen|regeln|vorgaben|"
    r"richtlinien|programmierung|konfiguration)\b")
# a new role or mode for the assistant
_ROLE = re.compile(
    rf"\b(?:you are now|you're now|you are no longer|from now on,? (?:you|answer|respond|reply|act|say|speak|only)|"
    rf"je bent (?:nu|voortaan|niet langer|vanaf nu)|jij bent (?:nu|voortaan)|vanaf nu (?:ben|moet|mag|antwoord|"
    rf"zeg|gedraag|doe|spreek)|voortaan (?:ben|moet|antwoord|zeg)|du bist (?:jetzt|nun|ab sofort|ab jetzt|kein)|"
    rf"ab (?:jetzt|sofort) (?:bist|antwortest|sagst|sollst|musst|darfst)|new (?:instructions?|task|role)\s*:|"
    rf"nieuwe (?:instructies?|opdracht|rol)\s*:|neue (?:anweisung\w*|aufgabe|rolle)\s*:)"
    rf"|^{_OPEN}(?:act as|pretend|role-?play|imagine you are|doe alsof|gedraag je als|speel|stel je voor dat je|"
    rf"tu so|verhalte dich|spiel\w*|stell dir vor,? du bist)\b"
    rf"|\b(?:you|je|jij|du)\s+(?:will |should |must |now |moet |gaat |sollst |wirst )*(?:act as|pretend|doen "
    rf"alsof|so tun)\b")
# permission to invent, given to the assistant
_PERMITS = re.compile(
    r"\b(?:you|u|je|jij|du)\s+(?:may|can|are allowed to|are free to|should|must|mag|mogen|kunt|moet|darfst|"
    r"kannst|sollst|musst)\s+(?:now\s+|nu\s+|jetzt\s+|also\s+|ook\s+|auch\s+|gerust\s+|ruhig\s+)?(?:[\w'-]+\s+)"
    r"{0,3}?(?:invent|make up|fabricate|lie|guess|hallucinate|speculate|verzinnen|verzin|liegen|gokken|fantaseren|"
    r"erfinden|lugen|raten|ausdenken|spekulieren)")
# an order to assert something: "zeg dat …", "say that …", "antworte, dass …"
_ASSERT = re.compile(
    rf"^{_OPEN}(?:say|state|claim|answer|reply|respond|write|tell (?:me|us|them|everyone)|zeg|antwoord|"
    rf"beweer|schrijf|vertel(?: me| ons)?|sag\w*|antworte\w*|behaupte\w*|schreib\w*)"
    rf"(?: \w+)?,? (?:that|dat|dass|with|met|mit)\b")
_ASK_VERB = (r"(?:(?:tell|show|give) (?:me|us)|explain|describe|vertel(?: me| ons)?|zeg (?:me|ons)|leg uit|"
             r"beschrijf|sag (?:mir|uns)|erklar\w*|beschreib\w*|nenn\w* (?:mir|uns))")
_WH = (r"(?:who|what|when|how|which|where|why|whether|if|wie|wat|wanneer|hoeveel|hoe|welke?|waar|waarom|of|wer|"
       r"was|wann|wieviel|welche\w*|wo|warum|ob)\b")
_ASKS = re.compile(rf"^{_ASK_VERB}?\s*{_WH}")
_ASKS_STRICTLY = re.compile(rf"^{_ASK_VERB}\s*{_WH}")
_SEGMENT = re.compile(r"[^.!?:;\n]+[.!?:;\n]*")
_JOIN = re.compile(r"(?<!\s)\s*+(?:,|;|\band\b|\ben\b|\bund\b|\bthen\b|\bdan\b|\bdann\b)\s*")


def instruction(segment: str) -> re.Match[str] | None:
    """Where a sentence instructs the assistant (the match), or None."""
    folded = fold(segment).strip()
    for pattern in (_SETS_ASIDE, _ASSERT, _ROLE, _ITSELF, _PERMITS, _YOU_SET_ASIDE):
        if m := pattern.search(folded):
            return m
    return None


def read_past_instructions(text: str) -> tuple[str, bool]:
    """The text less its instructions to the assistant, and whether it held any. A sentence that instructs is
    read past, and so are the sentences that follow it without asking anything (they go on instructing); what
    follows an instruction inside its sentence after 'and' or a comma is kept when it asks ('… and tell me who
    pays for X?')."""
    kept: list[str] = []
    found = instructing = False
    for m in _SEGMENT.finditer(text):
        segment = m.group(0)
        if not segment.strip():
            continue
        hit = instruction(segment)
        if hit is None:
            if instructing and not _asks(segment):
                continue
            instructing = False
            kept.append(segment.strip())
            continue
        found = instructing = True
        rest = _rest_after(segment, hit)
        if rest and _asks(rest, strictly=True) and instruction(rest) is None:
            kept.append(rest)
            instructing = False
    return " ".join(kept).strip(), found


def addressed(text: str) -> bool:
    """Whether the text instructs the assistant and asks nothing else."""
    rest, found = read_past_instructions(text)
    return found and not rest


def _asks(segment: str, strictly: bool = False) -> bool:
    """Whether a sentence asks: a question mark, or a question word (inside a sentence, after an instruction, only
    'tell me who …': 'vergiss alles, was man dir gesagt hat' asks nothing)."""
    s = segment.strip()
    return s.endswith("?") or bool((_ASKS_STRICTLY if strictly else _ASKS).match(fold(s)))


def _rest_after(segment: str, hit: re.Match[str]) -> str:
    """What follows the instruction inside its sentence, from the first 'and'/'en'/'und'/comma after it."""
    folded = fold(segment)  # same length as the segment for the scripts asked in
    if len(folded) != len(segment):
        return ""
    tail_start = hit.end() + (len(segment) - len(segment.lstrip()))
    for j in _JOIN.finditer(folded, tail_start):
        rest = segment[j.end():].strip()
        if rest:
            return rest
    return ""
