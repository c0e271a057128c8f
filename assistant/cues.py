"""What a question asks for, as cue patterns the reader applies once (`read.py: Asks`); no later stage applies
them to the question's text again."""

from __future__ import annotations

import re

# asks for an amount or a quantity
QUANTITY = re.compile(r"\b(hoeveel|how much|how many|wie ?viel|welk bedrag|what amount|welcher betrag|budget|"
                      r"totaal|total|insgesamt|bedrag|betrag|amount|maximaal|maximum|minimaal|minimum|procent|percent|"
                      r"prozent|kost|kosten|costs?)\b|€", re.I)

MONEY = re.compile(r"\b(geld|euro|budget|bedrag|bijdrage|rijksbijdrage|rijksgeld|financiering|subsidie|kosten|"
                        r"kost|kostet|btw|money|funding|funds?|grant|costs?|vat|contribut\w*|"
                        r"betrag|beitrag|finanzierung|förder\w*|zuschuss|mittel|mwst)\b|€|\bmln\b|miljoen|million",
                        re.I)
COUNT_CUES = re.compile(r"\b(hoeveel|hoe groot|how many|how much|how big|how large|wie viele|wie viel|wieviel|"
                         r"wie groß|wie gross)\b", re.I)
PAID = re.compile(r"\b(krijgt|krijgen|ontvangt|betaalt|betalen|reserveert|kost|gets?|receives?|pays?|reserves?|"
                   r"bekommt|erhält|erhalt|zahlt|procent|percent|prozent|kostet|beschikbaar|available|verfügbar|"
                   r"gaat (?:er )?naar|gaan (?:er )?naar|goes to|go to|geht an|gehen an|fließt|fliesst|flows?|"
                   r"bijdraagt|bijdragen|contributes?|gives?|geeft|geven|spends?|besteedt|investeert|invests?|gibt|"
                   r"legt|leggen|inleggen|inlegt|steekt|steken|stopt|stoppen|puts?|"
                   r"investiert|beisteuert)\b|%|\b(?:draagt|dragen|trägt|tragt)\b.*\b(?:bij|bei)\b", re.I)
COUNTED = re.compile(r"\b(inwoners|bewoners|inhabitants|residents|population|einwohner|bevölkerung|hectare|ha|"
                      r"hektar|gemeenten|municipalities|gemeinden|artikelen|articles|artikel|thema's|themes|themen|"
                      r"jaar|jaren|years?|jahre?|weken|weeks|wochen|maanden|months|monate|banen|jobs|woningen|homes|"
                      r"houses|wohnungen|leden|members|partijen|parties|parteien|ministeries|ministries|ministerien|"
                      r"gebieden|areas|gebiete|focusgebieden|kavels|plots|scholen|schools|schulen|mensen|people|"
                      r"menschen|keer|times|mal)\b", re.I)

COMMITMENT_CUES = re.compile(
    r"\b(doet|doen|toegezegd|toezeggingen|afspraken|belooft|beloofd|rol|bijdrage|inbreng|taak|taken|verplicht|"
    r"do|does|commit|commits|committed|commitments|promise|promised|role|contribute|"
    r"macht|tut|zugesagt|zusagen|rolle|aufgabe|verpflichtet)\b", re.I)
SIGNING = re.compile(r"\b(tekent|tekenen|getekend|ondertekent|ondertekenen|ondertekend|ondertekening|namens|"
                      r"signs?|signed|signing|signatory|signatories|behalf|unterzeichnet|unterzeichnen|unterschreibt|"
                      r"unterschrieben|\w*minister(?:in)?|staatssecretaris|bewindspersoon)\b", re.I)
# "wie zit er namens de regio in het overleg": on behalf of, but sitting in a body, not signing
SITS = re.compile(r"\b(zit|zitten|sits?|sitting|sitzt|sitzen|vertegenwoordigt|vertegenwoordigen|represents?|"
                   r"vertritt|vertreten)\b", re.I)
DUTY = re.compile(r"\b(afspra\w*|toegezegd|belooft|verantwoordelijk|commit\w*|promis\w*|responsible|"
                         r"zugesagt|verantwortlich|zuständig)\b", re.I)
DOCUMENT_CUES = re.compile(r"\b(agenda|document|visie|akkoord|rapport|brochure|woonvisie|report|dokument|"
                            r"bericht|vision)\b", re.I)
COUNT_ASKED = re.compile(r"\b(?:hoeveel|how many|number of|wie viele|anzahl|aantal)\b(?!\s+(?:geld|euro|money|"
                          r"geld|budget))", re.I)
YEAR = re.compile(r"\b(20[2-3]\d)\b")
# a question that asks what is not so ("which municipalities are not …", "welche Gemeinden haben nicht vor …")
NEGATION = re.compile(r"\b(?:niet|geen|not|none|nicht|keine?[nmrs]?|nie|never|nooit|ohne|zonder|without)\b|n't\b",
                      re.I)
# a yes/no question: it opens with a finite verb ('Kan een partij …', 'Is the deal …', 'Gibt es …'); it asks
# whether, so it needs no typed value (English 'was' is left out: German 'Was' opens a question for what)
POLAR = re.compile(r"^\W*(?:kan|kun|kunnen|mag|mogen|moet|moeten|is|zijn|heeft|hebben|wordt|worden|geldt|gelden|"
                   r"krijgt|krijgen|valt|vallen|blijft|blijven|telt|tellen|bestaat|staat|gaat|zal|zullen|"
                   r"can|could|may|might|must|are|were|does|do|did|has|have|had|will|would|should|shall|"
                   r"kann|können|konnen|darf|dürfen|durfen|muss|müssen|mussen|ist|sind|hat|haben|wird|werden|gibt|"
                   r"gilt|gelten|soll|sollen|bekommt|erhält|erhalt|fällt|fallt|zählt|zahlt|bleibt|steht)\b", re.I)
