"""The code lists of the case exchange format, with their Dutch labels.

The codes are the contract of ``shared/docs/case-format.md``; the labels are what the
interface shows. Dicts keep the documented order, which is also the order of select lists.
"""

FORMAT = "case/1"

GOALS = {
    "return_home": "terug naar huis",
    "family_strengthening": "familieversterking",
    "as_home_as_possible": "zo thuis mogelijk",
}

STATUSES = {"active": "actief", "closed": "afgesloten"}

SEXES = {"female": "vrouw", "male": "man", "other": "anders", "unknown": "onbekend"}

PROBLEMS = {
    "psychiatric": "psychiatrische problematiek",
    "addiction": "verslaving",
    "debts": "schulden",
    "poverty": "armoede",
    "housing": "huisvestingsprobleem of dakloosheid",
    "divorce": "(vecht)scheiding",
    "domestic_violence": "huiselijk geweld",
    "parenting": "opvoedingsproblemen",
    "intellectual_disability": "licht verstandelijke beperking",
    "trauma": "trauma",
    "behaviour": "gedragsproblemen",
    "school": "schoolverzuim of onderwijsproblemen",
    "self_harm": "zelfbeschadiging",
    "running_away": "weglopen",
    "criminality": "justitie of criminaliteit",
    "isolation": "sociaal isolement",
    "health": "lichamelijke gezondheid",
}

PARTNERS = {
    "youth_protection": "jeugdbescherming (gecertificeerde instelling)",
    "child_protection_board": "Raad voor de Kinderbescherming",
    "adult_mental_health": "volwassen-GGZ",
    "youth_mental_health": "jeugd-GGZ",
    "municipality": "gemeente of wijkteam",
    "housing": "woningcorporatie",
    "debt_counselling": "schuldhulpverlening",
    "addiction_care": "verslavingszorg",
    "school": "school of leerplicht",
    "gp": "huisarts",
    "police": "politie",
    "safe_home": "Veilig Thuis",
    "youth_care": "jeugdzorgaanbieder",
    "family_home": "gezinshuis",
    "disability_care": "gehandicaptenzorg",
    "informal": "informeel netwerk: familie, buren, vrienden, club",
    "other": "anders",
}

RESIDENCES = {
    "home": "thuis",
    "kinship": "netwerkpleeggezin",
    "foster": "pleeggezin",
    "family_home": "gezinshuis",
    "residential": "open residentiële groep",
    "secure": "gesloten jeugdzorg (JeugdzorgPlus)",
    "assisted_living": "begeleid wonen",
    "independent": "zelfstandig",
    "other": "anders",
}

RELATION_KINDS = {"couple": "partners", "parent": "ouder-kind", "emotional": "emotionele band"}

COUPLE_STATUSES = {
    "married": "getrouwd",
    "cohabiting": "samenwonend",
    "separated": "uit elkaar",
    "divorced": "gescheiden",
    "ended_by_death": "beëindigd door overlijden",
}

PARENT_TYPES = {
    "biological": "biologisch",
    "adoptive": "adoptie",
    "foster": "pleeg",
    "step": "stief",
}

EMOTIONAL_QUALITIES = {
    "very_close": "heel hecht",
    "close": "hecht",
    "distant": "afstandelijk",
    "conflict": "conflict",
    "cutoff": "verbroken",
    "abuse": "misbruik of geweld",
}

TIE_STRENGTHS = {"strong": "sterk", "normal": "gewoon", "weak": "zwak"}

TIE_FLOWS = {
    "to": "naar de persoon",
    "from": "van de persoon",
    "both": "wederzijds",
}

SOLUTION_OUTCOMES = {
    "worked": "werkte",
    "partly": "werkte deels",
    "not_worked": "werkte niet",
    "ongoing": "loopt nog",
}
