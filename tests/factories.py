"""Small, valid cases for tests, built fresh each time so tests can change them."""

import copy

BASE_CASE = {
    "format": "case/1",
    "code": "test-gezin",
    "title": "Het Testgezin",
    "region": "West",
    "goal": "return_home",
    "status": "active",
    "started": "2020-03-01",
    "narrative": "Meisje van 14 dat steeds terugkeert in de gesloten jeugdzorg.",
    "child_perspective": "Ik wil bij mijn vader wonen.",
    "persons": [
        {
            "id": "p1",
            "name": "Sanne",
            "sex": "female",
            "birth_year": 2008,
            "index": True,
            "problems": ["trauma", "running_away"],
            "interests": ["paarden"],
            "residence": "secure",
            "placements": [
                {
                    "residence": "residential",
                    "provider": "Open groep",
                    "start": "2019-09-01",
                    "end": "2020-02-01",
                },
                {"residence": "secure", "provider": "De Koppeling", "start": "2020-02-01"},
            ],
        },
        {
            "id": "p2",
            "name": "Vader",
            "sex": "male",
            "birth_year": 1975,
            "problems": ["psychiatric", "housing"],
            "residence": "home",
        },
        {"id": "p3", "name": "Moeder", "sex": "female", "birth_year": 1977, "deceased": True},
        {"id": "p4", "name": "Opa", "sex": "male", "birth_year": 1948},
    ],
    "relations": [
        {"kind": "couple", "a": "p2", "b": "p3", "status": "ended_by_death"},
        {"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"},
        {"kind": "parent", "parent": "p3", "child": "p1", "type": "biological"},
        {"kind": "parent", "parent": "p4", "child": "p2", "type": "biological"},
        {"kind": "emotional", "a": "p1", "b": "p2", "quality": "close"},
    ],
    "network": [
        {
            "id": "n1",
            "name": "Paardenfluisteraar",
            "partner": "informal",
            "in_team": True,
            "ties": [{"person": "p1", "strength": "strong", "stressful": False, "flow": "to"}],
        },
        {
            "id": "n2",
            "name": "Jeugdbeschermer",
            "partner": "youth_protection",
            "in_team": True,
            "ties": [{"person": "p1", "strength": "normal", "stressful": False, "flow": "both"}],
        },
    ],
    "solutions": [
        {
            "title": "Paardenfluisteraar en leasepaard",
            "summary": "De enige ingang bij haar zijn paarden.",
            "components": ["paardenfluisteraar", "leasepaard"],
            "partners": ["informal"],
            "addresses": ["trauma"],
            "outcome": "ongoing",
        }
    ],
    "outcome": {"returned_home": None, "family_contact_improved": None, "date": None},
}


def make_case(code="test-gezin", **changes):
    """A valid case with ``code``; keyword arguments replace top-level fields."""
    case = copy.deepcopy(BASE_CASE)
    case["code"] = code
    case.update(changes)
    return case


# Attack text for the cross-site-scripting tests: 64 characters, so it fits a name (120)
# and a word (80) of the exchange format.
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_TEMPLATE = "{{7*7}}"
XSS_JS_URL = "javascript:alert(1)"
XSS_PAYLOAD = XSS_SCRIPT + XSS_IMG + XSS_TEMPLATE
XSS_LONG = f"{XSS_PAYLOAD} {XSS_JS_URL}"


def make_xss_case(code="xss-gezin"):
    """A valid case with attack text in every free-text field of the exchange format."""
    case = make_case(
        code, title=XSS_LONG, region=XSS_PAYLOAD, narrative=XSS_LONG, child_perspective=XSS_LONG
    )
    for person in case["persons"]:
        person["name"] = f"{XSS_PAYLOAD} {person['id']}"
        person["interests"] = [XSS_PAYLOAD, XSS_JS_URL]
        person["strengths"] = [XSS_PAYLOAD]
        for placement in person.get("placements", []):
            placement["provider"] = XSS_PAYLOAD
    for member in case["network"]:
        member["name"] = f"{XSS_PAYLOAD} {member['id']}"
    for solution in case["solutions"]:
        solution["title"] = XSS_LONG
        solution["summary"] = XSS_LONG
        solution["components"] = [XSS_PAYLOAD, XSS_JS_URL]
    return case


def three_generations(code="drie-generaties", network=()):
    """Grandparents, their daughter and her husband, and two children (the girl is the
    index child): a minimal case for the genogram's drawing."""
    persons = [
        {"id": "gm", "name": "Oma Truus", "sex": "female", "birth_year": 1950},
        {"id": "gf", "name": "Opa Kees", "sex": "male", "birth_year": 1948},
        {"id": "mo", "name": "Sandra", "sex": "female", "birth_year": 1978},
        {"id": "fa", "name": "Marco", "sex": "male", "birth_year": 1976},
        {"id": "girl", "name": "Lotte", "sex": "female", "birth_year": 2012, "index": True},
        {"id": "boy", "name": "Daan", "sex": "male", "birth_year": 2014},
    ]
    relations = [
        {"kind": "couple", "a": "gf", "b": "gm", "status": "married"},
        {"kind": "couple", "a": "fa", "b": "mo", "status": "married"},
    ]
    for parent, child in (("gm", "mo"), ("gf", "mo"), ("mo", "girl"), ("fa", "girl"),
                          ("mo", "boy"), ("fa", "boy")):  # fmt: skip
        relations.append({"kind": "parent", "parent": parent, "child": child, "type": "biological"})
    return {"format": "case/1", "code": code, "title": "Drie generaties", "goal": "return_home",
            "persons": persons, "relations": relations, "network": list(network)}  # fmt: skip
