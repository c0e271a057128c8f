"""Cross-lingual vocabulary of the deal: English and German words mapped to the covenant's Dutch terms.
Used to expand questions for the lexical ranker and to route theme names; general domain words only."""

from __future__ import annotations

import re
from functools import lru_cache

TERMS: dict[str, str] = {
    # governance and procedure
    "cashier": "regiokassier kassier", "treasurer": "regiokassier kassier", "kassierer": "regiokassier kassier",
    "terminate": "opzeggen opzegging", "termination": "opzegging opzeggen", "cancel": "opzeggen opzegging",
    "notice": "opzegtermijn opzegging", "kündigung": "opzegging opzeggen", "kündigen": "opzeggen opzegging",
    "kündigungsfrist": "opzegtermijn", "amend": "wijzigen wijziging", "amendment": "wijziging wijzigen",
    "change": "wijzigen wijziging", "änderung": "wijziging wijzigen", "ändern": "wijzigen wijziging",
    "join": "toetreden toetreding", "accession": "toetreding toetreden", "beitritt": "toetreding toetreden",
    "beitreten": "toetreden toetreding", "evaluation": "evaluatie", "evaluate": "evaluatie",
    "progress": "voortgang voortgangsrapportage", "report": "voortgangsrapportage rapportage",
    "fortschritt": "voortgang voortgangsrapportage", "bericht": "voortgangsrapportage rapportage",
    "meeting": "overleg vergadert", "consultation": "overleg", "beratung": "overleg", "treffen": "overleg vergadert",
    "communication": "communicatie", "kommunikation": "communicatie", "publication": "publicatie staatscourant",
    "published": "publicatie staatscourant", "veröffentlichung": "publicatie staatscourant",
    "data": "gegevensuitwisseling informatie", "information": "informatie gegevensuitwisseling",
    "confidential": "geheimhouding", "confidentiality": "geheimhouding", "enforceable": "afdwingbaar nakoming",
    "einklagbar": "afdwingbaar nakoming", "law": "recht", "recht": "recht", "eu": "unierecht europese unie",
    "invalid": "ongeldigheid nietig", "signing": "ondertekening", "citation": "citeertitel",
    "start": "inwerkingtreding treedt werking", "starts": "inwerkingtreding treedt werking",
    "end": "eindigt looptijd", "ends": "eindigt looptijd", "duration": "looptijd", "term": "looptijd",
    "laufzeit": "looptijd", "kraft": "werking inwerkingtreding",
    "endet": "eindigt looptijd", "beginnt": "inwerkingtreding treedt werking",
    "goals": "doelen", "goal": "doelen", "objectives": "doelen", "ziele": "doelen", "ziel": "doelen",
    "escalation": "escalatieregeling", "parties": "partijen", "partners": "partners partner",
    "vertragsparteien": "partijen", "parteien": "partijen", "definition": "begripsbepaling",
    # money
    "money": "bijdrage financiering bedrag", "budget": "bijdrage financiering bedrag mln",
    "geld": "bijdrage financiering",
    "funding": "financiering bijdrage", "finanzierung": "financiering bijdrage", "contribution": "bijdrage",
    "beitrag": "bijdrage", "million": "mln miljoen", "millionen": "mln miljoen", "euro": "mln bedrag",
    "vat": "btw", "mwst": "btw", "costs": "kosten uitvoeringskosten", "kosten": "kosten uitvoeringskosten",
    "national": "rijk rijksbijdrage", "regional": "regionale regio", "total": "totaal",
    # themes and topics
    "safety": "veiligheid", "security": "veiligheid", "sicherheit": "veiligheid", "crime": "criminaliteit",
    "kriminalität": "criminaliteit", "youth": "jeugd jongeren", "jugend": "jeugd jongeren",
    "housing": "wonen woningen woningbouw", "wohnen": "wonen woningen", "wohnungsbau": "woningbouw",
    "homes": "woningen", "retail": "winkelgebieden winkelstructuur", "shopping": "winkelgebieden",
    "einzelhandel": "winkelgebieden", "talent": "talentrijke talent", "education": "onderwijs",
    "bildung": "onderwijs", "schools": "scholen onderwijs", "schulen": "scholen onderwijs",
    "school": "school schooldag", "university": "universiteit", "universität": "universiteit",
    "circular": "circulaire circulair", "kreislaufwirtschaft": "circulaire economie",
    "entrepreneurship": "ondernemerschap mkb", "sme": "mkb", "smes": "mkb",
    "businesses": "bedrijven mkb", "unternehmertum": "ondernemerschap",
    "business": "bedrijven bedrijfsleven", "industrial": "bedrijventerreinen", "parks": "bedrijventerreinen",
    "gewerbegebiete": "bedrijventerreinen", "cross-border": "grensoverstijgende grensoverschrijdende",
    "grenzüberschreitend": "grensoverstijgende grensoverschrijdende", "grenzüberschreitende": "grensoverstijgende",
    "rural": "landelijk gebied", "countryside": "landelijk gebied", "ländlichen": "landelijk gebied",
    "ländlich": "landelijk gebied", "ländliche": "landelijk gebied",
    "dorf": "dorpen kernen", "dörfer": "dorpen kernen", "village": "dorpen kernen", "villages": "dorpen kernen",
    "ländlicher": "landelijk gebied", "agriculture": "landbouw", "landwirtschaft": "landbouw",
    "health": "gezondheid zorg", "gesundheit": "gezondheid zorg", "care": "zorg", "poverty": "armoede",
    "armut": "armoede", "debt": "schulden", "schulden": "schulden", "labour": "arbeidsmarkt",
    "labor": "arbeidsmarkt", "arbeitsmarkt": "arbeidsmarkt", "jobs": "arbeidsmarkt werk",
    "municipalities": "gemeenten", "gemeinden": "gemeenten", "inhabitants": "inwoners", "einwohner": "inwoners",
    "residents": "inwoners bewoners", "focus": "focusgebieden", "areas": "gebieden focusgebieden",
    "neighbourhoods": "wijken", "neighborhoods": "wijken", "viertel": "wijken", "knowledge": "kennis",
    "wissen": "kennis", "innovation": "innovatie", "telescope": "einsteintelescoop einstein telescope",
    "footnote": "voetnoot", "fußnote": "voetnoot", "source": "bron zie", "link": "zie",
    "considerations": "overwegingen", "erwägungen": "overwegingen", "tasks": "opgaven", "challenges": "opgaven",
}

MORE_TERMS: dict[str, str] = {
    # English
    "force": "inwerkingtreding werking", "enter": "inwerkingtreding", "effect": "inwerkingtreding werking",
    "expire": "eindigt looptijd", "expires": "eindigt looptijd", "signed": "ondertekend ondertekening",
    "sign": "ondertekening namens", "signs": "ondertekening namens", "behalf": "namens",
    "undermining": "ondermijning", "organised": "georganiseerde ondermijning", "organized": "ondermijning",
    "justice": "justitie", "economy": "economie", "economic": "economische economie", "line": "programmalijn",
    "lines": "programmalijnen", "programme": "programmalijn programma", "program": "programmalijn programma",
    "theme": "thema", "themes": "thema", "annual": "jaarlijkse jaar", "yearly": "jaarlijkse",
    "progress": "voortgang voortgangsrapportage", "contain": "bevat", "deadline": "voor uiterlijk",
    "minister": "minister", "ministry": "ministerie", "ministries": "ministeries", "parties": "partijen",
    "party": "partij", "region": "regio", "regional": "regionale", "municipality": "gemeente",
    "circular": "circulaire", "modular": "modulaire", "housing": "woningen wonen woningbouw",
    "houses": "woningen", "university": "universiteit", "universities": "universiteit kennisinstellingen",
    "knowledge": "kennis", "cluster": "kenniscluster", "legally": "rechte afdwingbaar", "court": "rechte",
    "legal": "recht rechte", "applicable": "toepassing", "dutch": "nederlands", "state": "staat staatssteun",
    "aid": "staatssteun", "procurement": "aanbesteding", "competition": "mededinging",
    "secret": "geheimhouding", "public": "openbaar publicatie", "gazette": "staatscourant",
    "parliament": "tweede kamer",
    "house": "tweede kamer", "representatives": "vertegenwoordigers", "members": "vertegenwoordigers",
    "consists": "bestaat", "composition": "bestaat vertegenwoordigers", "lead": "lead", "chair": "lead",
    "monitoring": "monitor monitoringsinstrument", "baseline": "beginsituatie", "learning": "lerende",
    "inhabitants": "inwoners", "population": "inwoners", "people": "inwoners mensen", "areas": "gebieden",
    "area": "gebied", "hectares": "ha", "percent": "%", "percentage": "percentage", "costs": "kosten",
    "implementation": "uitvoering uitvoeringsactiviteiten", "execution": "uitvoering", "carry": "uitvoering",
    "agriculture": "landbouw", "nature": "natuur", "landscape": "landschap", "roads": "wegen",
    "foreign-language": "anderstalig", "courses": "opleidingen opleidingsaanbod onderwijsaanbod",
    "course": "opleiding opleidingsaanbod", "fremdsprachig": "anderstalig", "fremdsprachige": "anderstalig",
    "school": "school", "schoolday": "schooldag", "pupils": "scholieren leerlingen", "students": "studenten",
    "young": "jongeren jong", "youth": "jeugd jongeren", "children": "kind kinderen jeugd", "parents": "ouders",
    "crime": "criminaliteit", "prevention": "preventie preventieve", "police": "politie",
    "debts": "schulden", "income": "inkomen", "vulnerable": "kwetsbare", "neighbourhood": "wijken wijk",
    "social": "sociale sociaal", "care": "zorg", "welfare": "welzijn", "shops": "winkelgebieden winkels",
    "centres": "centra", "centers": "centra", "entrepreneurs": "ondernemers ondernemerschap",
    "companies": "bedrijven", "firms": "bedrijven", "industry": "industrie bedrijfsleven",
    "artificial": "ai", "intelligence": "ai", "digital": "digitale", "literacy": "geletterdheid",
    "cross": "grensoverstijgende", "border": "grens grensregio", "neighbouring": "buurland",
    "germany": "duitse duitsland aken", "aachen": "aken", "cologne": "keulen", "liege": "luik",
    "telescope": "einsteintelescoop telescope", "cooperation": "samenwerking", "collaboration": "samenwerking",
    "together": "samen samenwerking", "support": "ondersteunt ondersteuning", "supports": "ondersteunt",
    "shares": "deelt", "share": "deelt", "expertise": "expertise kennis", "network": "netwerk",
    "promise": "zet zich in", "promises": "zet zich in", "commit": "zet zich in", "commitments": "afspraken",
    "agreements": "afspraken", "agreed": "afspraken overeen", "depot": "grondstoffendepot",
    "materials": "materialen grondstoffen", "fibre": "vezelgewassenakkoord", "fiber": "vezelgewassenakkoord",
    "retail": "retail winkelgebieden", "regulation": "verordening regeling", "ordinance": "verordening",
    "allocation": "verdeling", "distribution": "verdeling", "split": "verdeling", "divided": "verdeling",
    "maximum": "maximaal", "minimum": "minimaal", "at": "", "cofinancing": "cofinanciering",
    # German
    "inkrafttreten": "inwerkingtreding werking", "unterzeichnet": "ondertekend namens", "namens": "namens",
    "unterzeichnen": "ondertekening", "ministerium": "ministerie", "ministerien": "ministeries",
    "jahrlich": "jaarlijkse", "jahrlichen": "jaarlijkse", "fortschrittsbericht": "voortgangsrapportage",
    "erstellt": "stelt op", "geandert": "wijzigen wijziging", "andern": "wijzigen wijziging",
    "anderung": "wijziging wijzigen", "kundigung": "opzegging opzeggen", "kundigen": "opzeggen opzegging",
    "kundigungsfrist": "opzegtermijn", "beitritt": "toetreding toetreden", "beitreten": "toetreden toetreding",
    "einklagbar": "afdwingbaar rechte", "rechtlich": "rechte recht", "gericht": "rechte",
    "themen": "thema", "programmlinie": "programmalijn", "programmlinien": "programmalijnen",
    "gemeinden": "gemeenten", "gemeinde": "gemeente", "einwohner": "inwoners", "bevolkerung": "inwoners",
    "sicherheit": "veiligheid", "wohnen": "wonen woningen", "wohnungen": "woningen",
    "bildung": "onderwijs", "schule": "school scholen", "schulen": "scholen", "hochschule": "hogeschool",
    "universitat": "universiteit", "wirtschaft": "economie economische",
    "grenzuberschreitende": "grensoverstijgende",
    "grenzuberschreitend": "grensoverstijgende", "zusammenarbeit": "samenwerking",
    "kreislaufwirtschaft": "circulaire economie",
    "landwirtschaft": "landbouw", "landlichen": "landelijk gebied", "landlicher": "landelijk gebied",
    "gesundheit": "gezondheid zorg", "armut": "armoede", "schulden": "schulden", "jugend": "jeugd jongeren",
    "kriminalitat": "criminaliteit", "benachteiligte": "achterstanden kwetsbare",
    "benachteiligten": "achterstanden kwetsbare", "intelligenz": "ai",
    "umsetzung": "uitvoering uitvoeringsactiviteiten", "umsetzen": "uitvoeren uitvoering",
    "durchfuhrung": "uitvoering", "unterstutzt": "ondersteunt", "teilt": "deelt", "wissen": "kennis",
    "kassierer": "regiokassier kassier", "regiokassierer": "regiokassier", "geld": "bijdrage financiering bedrag",
    "insgesamt": "totaal", "hochstens": "maximaal", "mindestens": "minimaal",
    "staat": "rijk rijksbijdrage", "reich": "rijk", "zahlt": "bijdrage reserveert", "umfasst": "totaal",
    "bericht": "rapportage voortgangsrapportage", "frist": "termijn", "wochen": "weken", "monate": "maanden",
    "trifft": "overleg vergadert", "sitzung": "overleg vergadert", "veroffentlicht": "publicatie staatscourant",
    "teleskop": "einsteintelescoop", "ziele": "doelen", "definition": "begripsbepaling", "bedeutet": "",
    # Dutch paraphrases
    "stoppen": "opzeggen opzegging beeindiging", "stappen": "opzeggen opzegging",
    "beeindigen": "opzeggen beeindiging",
    "afloop": "eindigt looptijd", "aflopen": "eindigt looptijd", "einde": "eindigt looptijd",
    "veranderen": "wijzigen wijziging", "aanpassen": "wijzigen wijziging", "wijzigingsverzoek": "wijzigen verzoek",
    "aansluiten": "toetreden toetreding", "meedoen": "toetreden deelnemen", "rechter": "rechte afdwingbaar",
    "geheim": "geheimhouding", "naam": "citeertitel aangehaald", "verwijzen": "aangehaald citeertitel",
    "procent": "percentage %", "budget": "bijdrage financiering bedrag", "betalen": "bijdrage reserveert",
    "betaalt": "bijdrage reserveert", "kost": "bedrag kosten", "totaalbedrag": "totaal bedrag",
    "ondertekent": "namens ondertekening", "tekent": "namens ondertekening", "ondertekenen": "namens",
    "jaarverslag": "voortgangsrapportage", "rapport": "voortgangsrapportage rapportage",
    "verslag": "verslagleggen voortgangsrapportage", "overleggen": "overleg", "vergaderen": "vergadert overleg",
    "inwoners": "inwoners", "bewoners": "inwoners bewoners", "ministeries": "ministeries",
    # everyday Dutch for the covenant's terms
    "platteland": "landelijk gebied", "buitengebied": "landelijk gebied", "dorp": "dorpen kernen",
    "boer": "agrariers landbouw", "boeren": "agrariers landbouw", "boerderij": "agrarische bebouwing",
    "boerderijen": "agrarische bebouwing", "boerderijgebouwen": "agrarische bebouwing",
    "stallen": "agrarische bebouwing", "schuren": "agrarische bebouwing",
    "vertrouwelijk": "geheimhouding", "vertrouwelijke": "geheimhouding", "privacy": "privacygevoelige",
    "tussentijds": "gedurende looptijd", "verlengen": "looptijd wijzigen", "verlenging": "looptijd wijzigen",
    "startdatum": "inwerkingtreding werking", "begindatum": "inwerkingtreding werking",
    "einddatum": "eindigt looptijd", "haag": "rijk tweede kamer", "parlement": "tweede kamer",
    "notulen": "verslagleggen", "notuleert": "verslagleggen", "notuleren": "verslagleggen",
    "verslaglegging": "verslagleggen", "aanklagen": "afdwingbaar rechte", "dagvaarden": "afdwingbaar rechte",
    "procederen": "afdwingbaar rechte", "penningmeester": "regiokassier kassier",
    "uitbetaling": "regiokassier specifieke uitkering", "ondertekenaars": "namens ondertekening",
    "probleemwijken": "kwetsbare wijken achterstanden", "achterstandswijken": "kwetsbare wijken achterstanden",
    "aandachtswijken": "kwetsbare wijken focusgebieden", "misdaad": "criminaliteit ondermijning",
    "criminelen": "criminaliteit ondermijning", "drugscriminaliteit": "ondermijning criminaliteit",
    "schooluitval": "voortijdig schoolverlaters", "spijbelen": "voortijdig schoolverlaters",
    "geldproblemen": "schulden armoede", "schuldhulp": "schulden schuldenproblematiek",
    "winkelcentrum": "winkelgebieden centra retail", "winkelcentra": "winkelgebieden centra retail",
    "winkelstraten": "winkelgebieden retail", "binnenstad": "winkelgebieden centra", "huizen": "woningen",
    "industrieterrein": "bedrijventerreinen", "industrieterreinen": "bedrijventerreinen",
    "bedrijfsterreinen": "bedrijventerreinen", "recycling": "circulaire hergebruikt",
    "hergebruik": "circulaire hergebruikt", "banen": "arbeidsmarkt werk", "werkgelegenheid": "arbeidsmarkt werk",
    "gemeentes": "gemeenten", "duitsland": "duitse aken buurland", "belgie": "belgische",
    # the same in English and German
    "national-regional": "rijk-regio-overleg rijk regio", "bund-region": "rijk-regio-overleg rijk regio",
    "farm": "agrarische bebouwing", "farms": "agrarische bebouwing", "farmhouses": "agrarische bebouwing",
    "barns": "agrarische bebouwing", "minutes": "verslagleggen", "extend": "looptijd wijzigen",
    "extension": "looptijd wijzigen",
    "sue": "afdwingbaar rechte", "bauernhof": "agrarische bebouwing", "bauernhofe": "agrarische bebouwing",
    "vertraulich": "geheimhouding", "vertrauliche": "geheimhouding", "protokoll": "verslagleggen",
    "arbeitsplatze": "arbeidsmarkt werk", "verlangern": "looptijd wijzigen", "verlangerung": "looptijd wijzigen",
    "verklagen": "afdwingbaar rechte", "leavers": "schoolverlaters", "dropouts": "voortijdig schoolverlaters",
    "dropout": "voortijdig schoolverlaters", "schulabbrecher": "voortijdig schoolverlaters",
    "schulabbruch": "voortijdig schoolverlaters", "schulabganger": "schoolverlaters",
    "jahresbericht": "jaarlijkse voortgangsrapportage", "inleggen": "bijdrage financiering",
    "toezicht": "ziet toe rijk-regio-overleg", "oversees": "ziet toe rijk-regio-overleg",
    "oversight": "ziet toe rijk-regio-overleg", "supervises": "ziet toe rijk-regio-overleg",
    "aufsicht": "ziet toe rijk-regio-overleg", "uberwacht": "ziet toe rijk-regio-overleg",
    "kreislauf": "kringlopen circulaire", "kreislaufe": "kringlopen circulaire",
    "mensen": "inwoners mensen", "menschen": "inwoners", "revolving": "revolverend",
    "liable": "schadeplichtig", "liability": "schadeplichtig", "damages": "schadeplichtig",
    "haftet": "schadeplichtig", "haften": "schadeplichtig", "haftung": "schadeplichtig",
    "schadenersatz": "schadeplichtig", "schadevergoeding": "schadeplichtig", "aansprakelijk": "schadeplichtig",
    "start-ups": "ondernemerschap startup league stimuleringsprogramma",
    "startups": "ondernemerschap startup league stimuleringsprogramma",
    "start-up": "ondernemerschap startup league stimuleringsprogramma",
    "branche": "sectoren", "branchen": "sectoren", "einkaufsstraßen": "winkelgebieden winkelstraten retail",
    "einkaufsstrassen": "winkelgebieden winkelstraten retail", "einkaufsstraße": "winkelgebieden retail",
    "antrag": "aanvraag aanvragen", "antrage": "aanvragen", "foerderprogramme": "regelingen stimuleringsregeling",
    "forderprogramme": "regelingen stimuleringsregeling", "schemes": "regelingen stimuleringsregeling",
    "tight": "krap", "knapp": "krap",
    "gemeenteraad": "volksvertegenwoordigers achterbannen", "gemeenteraden": "volksvertegenwoordigers achterbannen",
    "gemeinderat": "volksvertegenwoordigers achterbannen", "gemeinderaten": "volksvertegenwoordigers achterbannen",
    "council": "volksvertegenwoordigers achterbannen", "councils": "volksvertegenwoordigers achterbannen",
    "rechenschaft": "verantwoording", "accountability": "verantwoording", "accountable": "verantwoording",
    "berufsorientierung": "beroepsorientatie loopbaan", "powers": "bevoegdheden", "befugnisse": "bevoegdheden",
    "zustandigkeiten": "bevoegdheden", "shrinking": "krimp", "shrink": "krimp", "schrumpft": "krimp",
    "schrumpfen": "krimp", "growing": "groei", "wachst": "groei", "unterwanderung": "ondermijning",
    "ansprechperson": "contactpersoon", "ansprechpartner": "contactpersoon", "contactperson": "contactpersoon",
    "withdraw": "opzeggen opzegging", "withdraws": "opzeggen opzegging", "withdrawal": "opzegging opzeggen",
    "austreten": "opzeggen opzegging", "austritt": "opzegging opzeggen", "aussteigen": "opzeggen opzegging",
    "uitstappen": "opzeggen opzegging", "opstappen": "opzeggen opzegging",
    "ausbildung": "opleiding opleidingen opleidingsaanbod", "ausbildungen": "opleidingen opleidingsaanbod",
    "ki": "ai", "taal": "anderstalig", "talen": "anderstalig", "language": "anderstalig",
    "languages": "anderstalig", "sprache": "anderstalig", "sprachen": "anderstalig",
    "lenkungsgruppe": "stuurgroep", "lenkungsausschuss": "stuurgroep", "steering": "stuurgroep",
    "pflege": "zorg", "krankenpflege": "zorg", "altenpflege": "zorg ouderen", "vertrag": "convenant regio deal",
    "vertrages": "convenant regio deal", "vertrags": "convenant regio deal",
}

THEME_NAMES: dict[str, tuple[str, ...]] = {
    "talentrijke regio": ("talent", "talented region", "talentreiche region", "human capital"),
    "ruim baan voor ondernemerschap": ("entrepreneurship", "sme", "smes", "unternehmertum", "mkb"),
    "aantrekkelijk vestigingsklimaat": ("business climate", "business parks", "industrial estates",
                                        "gewerbegebiete", "bedrijventerreinen", "standortklima"),
    "circulaire economie": ("circular economy", "kreislaufwirtschaft", "circular"),
    "medlands parkstad": ("medlands", "med-tech", "medtech", "medische technologie", "medical technology",
                          "medizintechnik", "medical devices"),
    "oostflank brunssum": ("oostflank", "eastern flank"),
    "grensoverstijgende samenwerking": ("cross-border cooperation", "cross-border collaboration",
                                        "grenzüberschreitende zusammenarbeit"),
    "sociaaleconomische structuurversterking": ("socio-economic", "socioeconomic", "sozioökonomisch",
                                                "sociaaleconomisch", "sociaal-economische"),
    "veiligheid": ("safety", "security", "sicherheit", "crime", "kriminalität"),
    "wonen": ("housing", "wohnen", "wohnungen"),
    "winkelgebieden": ("retail", "shopping areas", "shopping", "einzelhandel", "einkaufs", "winkels"),
}


def _fold(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


GLOSSARY: dict[str, str] = {_fold(k): v for k, v in {**TERMS, **MORE_TERMS}.items()}


# Dutch separable verbs and idioms whose parts stand apart in a question ("loopt de deal af").
# The programmalijnen by their subject, in the three languages ("the rural area line" is Programmalijn 2).
PROGRAMMALIJN_NAMES: dict[str, tuple[str, ...]] = {
    "1": ("kenniseconomie", "economie", "economy", "knowledge economy", "economic", "wirtschaft", "wissensökonomie"),
    "2": ("landelijk gebied", "landelijke gebied", "platteland", "rural", "countryside", "ländlich", "ländlichen"),
    "3": ("achterstanden", "kwetsbare wijken", "deprived", "disadvantaged", "vulnerable neighbourhoods",
          "benachteiligt", "rückstände", "ruckstande"),
}

PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(?:juridisch|wettelijk)\w*\b.*\b(?:bindend|afdwingbaar|verplicht)\w*|\brechter\b|\bafdwingen\b",
     "afdwingbaar rechte nakoming"),
    (r"\blegally\b|\bbinding\b|\bcourt\b|\benforce", "afdwingbaar rechte nakoming"),
    (r"\brechtlich\b|\bverbindlich\b|\bgericht\b|\beinklagbar\b", "afdwingbaar rechte nakoming"),
    (r"\b(?:loopt|lopen|liep)\b.*\baf\b", "eindigt looptijd"),
    (r"\b(?:stapt|stappen|stap)\b.*\buit\b", "opzeggen opzegging"),
    (r"\b(?:treedt|treden|trad)\b.*\btoe\b", "toetreden toetreding"),
    (r"\b(?:treedt|treden)\b.*\bin werking\b", "inwerkingtreding"),
    (r"\b(?:zegt|zeggen)\b.*\bop\b", "opzeggen opzegging"),
    (r"\b(?:komt|komen)\b.*\bbij elkaar\b", "overleg vergadert"),
    (r"\b(?:stelt|stellen)\b.*\bop\b", "stelt op opstellen"),
    (r"\b(?:vult|vullen)\b.*\bin\b", "invulling"),
    (r"\bkleine\w* und mittlere\w* unternehmen\b|\bkmu\b|\bmittelstand\w*\b|\bsmall and medium", "mkb"),
    (r"\bkunstmatige intelligentie\b|\bartificial intelligence\b|\bkunstliche\w* intelligenz\b", "ai"),
    # whoever manages the deal's money is its regiokassier
    (r"\b(?:beheer\w*|houdt|bijhoud\w*|manag\w*|administ\w*|handles?|keeps?|verwalt\w*|treasur\w*)\b.*"
     r"\b(?:geld|middelen|money|funds|mittel)\b", "regiokassier kassier"),
    # a dispute between the parties goes to the escalation arrangement of the Rijk-Regio-overleg
    (r"\bruzie\b|\bconflict\w*|\bgeschil\w*|\bonenigheid\b|\boneens\b|\bdispute\w*|\bdisagree\w*|"
     r"\bstreit\w*|\bkonflikt\w*|\buneinig\w*|\bmeinungsverschiedenheit\w*", "escalatieregeling"),
)


def expand(words: list[str], text: str = "") -> str:
    """Dutch terms for the English, German and paraphrased Dutch words of a question (words are folded)."""
    return " ".join([found for w in words if (found := _lookup(w) or _tail(w))] + ([paraphrases(text)] if text else []))


def _tail(word: str) -> str:
    """The glossary entry for the last part of a compound the glossary does not hold (Kinder|armut: armoede)."""
    for i in range(4, len(word) - 3) if len(word) >= 9 else ():
        if found := _lookup(word[i:]):
            return found
    return ""


def paraphrases(text: str) -> str:
    """The covenant's terms for what the (folded) text says in other words: 'als partijen ruzie krijgen' speaks
    of the escalatieregeling."""
    return " ".join(exp for pattern, exp in PHRASES if re.search(pattern, text))


@lru_cache(maxsize=8192)  # asked for every subject word of every clause weighed
def terms_of(word: str) -> str:
    """The Dutch terms for one folded word: its glossary entry (also in an inflected form: Gewerbegebieten), or
    what a phrase that the word alone makes says (Mittelstand, KMU: mkb)."""
    return _lookup(word) or paraphrases(word)


def _lookup(word: str) -> str:
    """The glossary entry for a word or for it without a German or English inflection (Gewerbegebieten)."""
    forms = [word, *(word[: -len(e)] for e in ("en", "n", "e", "s") if word.endswith(e) and len(word) > 5)]
    if word.startswith("ge") and word.endswith(("t", "d")) and len(word) > 6:
        forms.append(word[2:-1] + "en")  # a participle by its infinitive: gekündigt / kündigen, gewijzigd / wijzigen
    for form in forms:
        if GLOSSARY.get(form):
            return GLOSSARY[form]
    return ""
