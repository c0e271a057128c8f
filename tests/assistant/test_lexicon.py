"""The lexicon as data: the loader rejects duplicate and conflicting keys and missing reasons, every target term
stands in the covenant, and the actors load as before."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from assistant import lexicon
from assistant.lexical import fold
from assistant.lexicon import FOLDER, LexiconError
from ingest.actors import ACTORS
from tests.helpers import COVENANT

_ACTOR = '[[other]]\nkey = "GGD"\nname = "GGD"\n'
_REGION = '[region]\nkey = "Regio"\nname = "Regio"\nkind = "party"\n'


@pytest.mark.parametrize(("name", "text", "error"), [
    ("glossary.toml", 'cashier = { terms = ["kassier"], reason = "translation" }\n'
                      'cashier = { terms = ["regiokassier"], reason = "translation" }\n', "'cashier': duplicate key"),
    ("glossary.toml", '"kündigung" = { terms = ["opzegging"], reason = "translation" }\n'
                      'Kundigung = { terms = ["opzeggen"], reason = "translation" }\n',
     "'Kundigung': conflicts with 'kündigung'"),
    ("glossary.toml", 'cashier = { terms = ["kassier"] }\n', "'cashier': has no reason"),
    ("glossary.toml", 'cashier = { terms = ["kassier"], reason = "guess" }\n', "'cashier': unknown reason 'guess'"),
    ("glossary.toml", 'cashier = { terms = [], reason = "translation" }\n', "'cashier': needs terms"),
    ("themes.toml", '[wonen]\nreason = "covenant term"\naliases = [{ name = "housing" }]\n',
     "'wonen / housing': has no reason"),
    ("themes.toml", '[wonen]\naliases = []\n', "'wonen': has no reason"),
    ("programme_lines.toml", '[3]\nnames = [{ name = "Rückstände", reason = "translation" },'
                             ' { name = "ruckstande", reason = "translation" }]\n',
     "'3 / ruckstande': conflicts with 'Rückstände'"),
    ("phrases.toml", "[[phrase]]\npattern = 'kmu'\nterms = ['mkb']\n", "'kmu': has no reason"),
    ("actors.toml", _REGION + _ACTOR * 2, "'GGD': duplicate key"),
    ("actors.toml", _REGION + _ACTOR + _ACTOR.replace("GGD", "ggd"), "'ggd': conflicts with 'GGD'"),
    ("actors.toml", _REGION + _ACTOR + 'acts_for = { key = "Regio" }\n', "'GGD': acts_for needs a key and a reason"),
])
def test_the_loader_rejects_duplicates_conflicts_and_missing_reasons(tmp_path: Path, name: str, text: str,
                                                                     error: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    load = {"glossary.toml": lexicon.glossary, "themes.toml": lexicon.theme_names, "phrases.toml": lexicon.phrases,
            "programme_lines.toml": lexicon.programmalijn_names, "actors.toml": lexicon.actors}[name]
    with pytest.raises(LexiconError, match=re.escape(f"{name}: {error}")):
        load(path)


def _covenant_texts() -> tuple[str, str]:
    text = re.sub(r"\s+", " ", fold(COVENANT.read_text(encoding="utf-8")))
    return text, re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)  # start-up is also startup


def _occurs(term: str, texts: tuple[str, str]) -> bool:
    """The term stands in the covenant at a word's start or end: itself, inflected (opleiding: opleidingen) or as
    a compound's head (rapportage: voortgangsrapportage)."""
    t = re.escape(fold(term))
    left = r"(?<![a-z0-9])" if fold(term)[0].isalnum() else ""
    right = r"(?![a-z0-9])" if fold(term)[-1].isalnum() else ""
    return any(re.search(f"{left}{t}|{t}{right}", text) for text in texts)


def _targets() -> list[tuple[str, str, str]]:
    """(file, key, term) for every term the lexicon says is the covenant's."""
    def load(name: str) -> dict:
        return tomllib.loads((FOLDER / name).read_text(encoding="utf-8"))

    out = [("glossary.toml", k, t) for k, e in load("glossary.toml").items() for t in e["terms"]]
    out += [("phrases.toml", e["pattern"], t) for e in load("phrases.toml")["phrase"] for t in e["terms"]]
    for name, field in (("themes.toml", "aliases"), ("programme_lines.toml", "names")):
        for key, entry in load(name).items():
            if entry.get("reason") == "covenant term":
                out.append((name, key, key))
            out += [(name, key, a["name"]) for a in entry[field] if a["reason"] == "covenant term"]
    actors = load("actors.toml")
    for entry in (*actors["ministry"], actors["region"], *actors["partner"], *actors["other"]):
        if not entry.get("each_municipality"):
            out += [("actors.toml", entry["key"], a["name"]) for a in entry.get("aliases", [])
                    if a["reason"] == "covenant term"]
    return out


def test_every_target_term_stands_in_the_covenant() -> None:
    texts = _covenant_texts()
    targets = _targets()
    assert len(targets) > 800
    assert [t for t in targets if not _occurs(t[2], texts)] == []


def test_the_lexicon_loads_with_every_entry_reasoned() -> None:
    assert len(lexicon.glossary()) == 541
    assert set(lexicon.theme_names()) >= {"veiligheid", "wonen", "winkelgebieden"}
    assert set(lexicon.programmalijn_names()) == {"1", "2", "3"}
    assert len(lexicon.phrases()) == 15


def test_the_actors_load_as_before() -> None:
    assert [a.key for a in ACTORS] == [
        "VRO", "BZK", "EZ", "JenV", "IenW", "LVVN", "SZW", "VWS", "OCW", "Regio", "SSZL", "BMC", "ESZL", "EBZL",
        "programmateam Zuid-Limburg", "programmateam Kansrijke Start", "projectgroep Rijke Schooldagen/GBT",
        "Het Rijk", "gemeenten", "gemeente Beekdaelen", "gemeente Brunssum", "gemeente Heerlen", "gemeente Kerkrade",
        "gemeente Landgraaf", "gemeente Simpelveld", "gemeente Voerendaal", "gemeente Maastricht",
        "Universiteit Maastricht", "Zuyd Hogeschool", "RWTH Aachen", "Brightlands", "Vista",
        "Stichting Medlands Parkstad", "GGD", "woningcorporaties", "RIEC", "onderwijsbesturen", "kennisinstellingen",
        "stuurgroep landelijk gebied", "Partijen", "Rijk-Regio-overleg",
    ]
    by_key = {a.key: a for a in ACTORS}
    assert [a.kind for a in ACTORS].count("party") == 10
    assert by_key["VRO"].aliases[:2] == ("Volkshuisvesting en Ruimtelijke Ordening", "minister van VRO")
    assert "education minister" in by_key["OCW"].aliases
    assert by_key["gemeente Heerlen"].aliases == ("Heerlen", "Gemeinde Heerlen", "municipality of Heerlen")
    assert by_key["Regio"].not_before == ("deal", "deals", "envelop")
