"""The actors the covenant names, with their aliases in Dutch, English and German (assistant/lexicon/actors.toml)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from assistant import lexicon
from assistant.lexical import fold


@dataclass(frozen=True)
class Actor:
    """A signing party, a partner or another actor that carries commitments."""

    key: str
    name: str
    kind: str  # "party" | "partner" | "actor"
    abbreviations: tuple[str, ...] = ()  # matched case-sensitively
    aliases: tuple[str, ...] = ()  # matched case-insensitively, accents ignored
    signatory: str = ""
    not_before: tuple[str, ...] = ()  # words that, following a match, make it mean something else
    acts_for: str = ""  # the party whose commitments this actor's count as (the programmateam for the Regio)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        words = [re.escape(fold(a)).replace(r"\ ", r"[\s-]+") for a in (self.name, *self.aliases)]
        stop = "".join(rf"(?!\s+{re.escape(w)})" for w in self.not_before)
        return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])" + stop)

    @cached_property
    def abbreviation_pattern(self) -> re.Pattern[str] | None:
        if not self.abbreviations:
            return None
        words = [re.escape(a) for a in self.abbreviations]
        return re.compile(r"(?<![\w&])(?:" + "|".join(words) + r")(?![\w&])")

    def named_with_modifiers(self, folded: str, is_function_word: Callable[[str], bool]) -> set[str]:
        """The naming words and the words right before a name that modify it ('the Dutch education ministry',
        'das niederländische Bildungsministerium'): up to two, stopping at a function word."""
        words = set()
        for m in self.pattern.finditer(folded):
            words |= set(re.findall(r"[a-z0-9]+", m.group(0)))
            for before in list(reversed(re.findall(r"[a-z0-9]+", folded[:m.start()])))[:2]:
                if is_function_word(before):
                    break
                words.add(before)
        return words

    def found_in(self, text: str, folded: str | None = None) -> bool:
        if self.abbreviation_pattern is not None and self.abbreviation_pattern.search(text):
            return True
        return bool(self.pattern.search(folded if folded is not None else fold(text)))


def _ministry(key: str, name: str, minister: str, aliases: tuple[str, ...]) -> Actor:
    """A ministry. Its key is its one canonical abbreviation in all output (IenW, JenV); the covenant's other
    spellings of it ('I&W' beside 'IenW') are aliases, recognised as the same actor."""
    return Actor(key, f"Ministerie van {name}", "party", (key,), (name, *aliases, *_ministers(aliases)), minister)


def _ministers(aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The minister for each name of the ministry: 'Ministerium für Bildung' -> 'Minister für Bildung',
    'Bildungsministerium' -> 'Bildungsminister', 'education ministry' -> 'education minister'."""
    out = []
    for alias in aliases:
        for old, new in (("Ministerium", "Minister"), ("ministerium", "minister"), ("ministry", "minister"),
                         ("ministerie", "minister")):
            if old in alias and alias.replace(old, new) not in aliases:
                out.append(alias.replace(old, new))
                break
    return tuple(out)


_DATA = lexicon.actors()
MINISTRIES = tuple(_ministry(m["key"], m["name"], m["signatory"], m["aliases"]) for m in _DATA["ministry"])
REGION = Actor(**_DATA["region"])
PARTNERS = tuple(Actor(**{"kind": "partner", **a}) for a in _DATA["partner"])
MUNICIPALITIES: tuple[str, ...] = _DATA["municipalities"]
OTHERS = tuple(Actor(**{"kind": "actor", **a}) for a in _DATA["other"])

ACTORS: tuple[Actor, ...] = (*MINISTRIES, REGION, *PARTNERS, *OTHERS)
BY_KEY = {a.key: a for a in ACTORS}
SIGNING_PARTIES: tuple[Actor, ...] = (*MINISTRIES, REGION)


def actors_in(text: str, kinds: tuple[str, ...] = ("party", "partner", "actor")) -> tuple[str, ...]:
    """Keys of the actors named in a text, in registry order."""
    folded = fold(text)
    return tuple(a.key for a in ACTORS if a.kind in kinds and a.found_in(text, folded))


def find_actor(name: str) -> Actor | None:
    """The actor a user means by a name, abbreviation or alias in Dutch, English or German."""
    name = name.strip()
    if name in BY_KEY:
        return BY_KEY[name]
    lowered = {a.key.lower(): a for a in ACTORS}
    if name.lower() in lowered:
        return lowered[name.lower()]
    for actor in ACTORS:
        if actor.found_in(name):
            return actor
    return None


def acting_for(key: str) -> frozenset[str]:
    """The actor's key and the keys of the actors that act for it: whose records count as its commitments."""
    return frozenset({key, *(a.key for a in ACTORS if a.acts_for == key)})
