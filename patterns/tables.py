"""The dashboard as tables: the page shows them, the charts draw from them and the
CSV export writes them, so all three show the same figures. Pure."""

from cases import codes
from patterns import outcomes as o
from patterns.words import amount
from rules.store import DISMISS_REASONS

# The order of the dashboard's sections and which tables each holds.
SECTIONS = (
    ("uitkomsten", "Uitkomsten", ("now", "outcomes", "moves", "network", "goals", "actions")),
    ("signalen", "Signalen", ("partners", "rules")),
    ("problematiek", "Problematiek", ("problems", "cooccurrence")),
    ("oplossingen", "Oplossingen", ("components",)),
    ("groepen", "Groepen van gelijke gezinnen", ("groups",)),
)
TABLE_NAMES = tuple(name for _key, _title, names in SECTIONS for name in names)


def _n(value):
    return "" if value is None else str(value)


def _mean(value):
    return o.DASH if value is None else f"{value:.1f}".replace(".", ",")


# A table has this many columns or more: it takes the full width, its chart above it.
WIDE_COLUMNS = 5


def _drawable(chart):
    """Whether a chart has anything to draw: a bar chart of zeros and dashes says
    nothing a sentence cannot, and reads as "0%" where there is no figure yet."""
    return bool(chart) and any(value for d in chart["datasets"] for value in d["data"])


def _table(name, title, headers, rows, *, summary=None, chart=None, note=None, empty=None):
    """A table of the dashboard. ``empty`` says in Dutch why there is nothing to draw
    yet; it is shown instead of the chart when the chart has no figure."""
    drawable = _drawable(chart) and bool(rows)
    return {
        "name": name,
        "title": title,
        "headers": list(headers),
        "rows": [[_n(cell) if not isinstance(cell, str) else cell for cell in r] for r in rows],
        "summary": summary or [],
        "chart": chart if drawable else None,
        "empty": None
        if drawable
        else (empty or "Nog niets om te tekenen: alle aantallen in deze selectie zijn 0."),
        "wide": len(headers) >= WIDE_COLUMNS,
        "note": note,
    }


def _bar(labels, datasets, *, percent=False, horizontal=False, stacked=False):
    return {
        "type": "bar",
        "labels": list(labels),
        "datasets": [{"label": label, "data": list(data)} for label, data in datasets],
        "percent": percent,
        "horizontal": horizontal,
        "stacked": stacked,
    }


def _pct(value):
    return None if value is None else round(value * 100, 1)


def _known(group, total, value):
    """A percentage only once some outcome is known: all pending reads as a dash."""
    return o.DASH if group["pending"] >= total else value


def outcomes_table(records):
    found = o.outcomes(records)
    rows = [
        [g["label"], g["measure_label"], g["families"], g["successes"],
         _known(g, g["families"], g["percent"]), g["pending"], g["per_child"]["children"],
         g["per_child"]["successes"],
         _known(g["per_child"], g["per_child"]["children"], g["per_child"]["percent"])]
        for g in found
    ]  # fmt: skip
    summary = [
        f"{g['label'].capitalize()}: {o.count_text(g['successes'], g['families'], 'gezinnen')}"
        f" ({g['measure_label']}); per kind "
        f"{o.count_text(g['per_child']['successes'], g['per_child']['children'], 'kinderen')}"
        if g["pending"] < g["families"]
        else f"{g['label'].capitalize()}: nog geen uitkomst ({amount(g['families'], 'gezinnen')})"
        for g in found
        if g["families"]
    ]
    known = [g for g in found if g["pending"] < g["families"]]
    chart = _bar(
        [g["label"] for g in known],
        [("gezinnen (%)", [_pct(g["rate"]) for g in known]),
         ("kinderen (%)", [_pct(g["per_child"]["rate"]) for g in known])],
        percent=True,
    ) if known else None  # fmt: skip
    aiming = sum(g["families"] for g in found)
    if not aiming:
        empty = "Geen gezinnen met het doel terug naar huis of familieversterking in deze selectie."
    else:
        empty = (
            f"Nog geen uitkomsten: een uitkomst wordt vastgelegd als een gezin het traject "
            f"afsluit, en van de {amount(aiming, 'gezinnen')} met dit doel heeft nog geen "
            f"enkel een uitkomst. Kies bij Gezinnen 'afgesloten' of 'alle' voor de uitkomsten; "
            f"wat lopende gezinnen nu hebben staat hierboven."
        )
    headers = ("Doel", "Uitkomstmaat", "Gezinnen", "Gelukt", "Percentage", "Nog geen uitkomst",
               "Kinderen", "Kinderen gelukt", "Percentage kinderen")  # fmt: skip
    return _table("outcomes", "Doelen bereikt", headers, rows, summary=summary, chart=chart,
                  empty=empty, note="Percentage: gelukt van alle gezinnen (of kinderen) met "
                  "dit doel; wie nog geen uitkomst heeft telt mee als nog niet "
                  "gelukt.")  # fmt: skip


def now_table(records):
    s = o.current_state(records)
    rows = [[p["label"], p["at_table"], p["involved"]] for p in s["partners"]]
    n = s["families"]
    summary = [
        "Doelen van ouders met een score: "
        + (f"{amount(s['goals_scored'], 'doelen')} in {s['families_scored']} van "
           f"{amount(n, 'gezinnen')}, gemiddelde laatste score {_mean(s['mean_last_score'])}"
           if s["goals_scored"] else "nog geen (een doel krijgt zijn score in een overleg)"),
        "Acties gedaan: "
        + (o.count_text(s["actions_done"], s["actions"], "acties") if s["actions"]
           else "nog geen acties afgesproken"),
        "Gezinnen met een partner aan tafel: "
        + o.count_text(s["families_with_partner_at_table"], n, "gezinnen"),
    ] if n else []  # fmt: skip
    chart = _bar(
        [r[0] for r in rows],
        [("aan tafel (gezinnen)", [r[1] for r in rows]),
         ("betrokken (gezinnen)", [r[2] for r in rows])],
        horizontal=True,
    )  # fmt: skip
    empty = (
        "Geen lopende gezinnen in deze selectie: kies bij Gezinnen 'lopend' of 'alle'."
        if not n
        else "Nog geen partner betrokken of aan tafel bij de lopende gezinnen."
    )
    return _table("now", "Lopende gezinnen: wat ze nu hebben", ("Partner",
                  "Aan tafel (gezinnen)", "Betrokken (gezinnen)"), rows, summary=summary,
                  chart=chart, empty=empty, note="Lopende gezinnen hebben nog geen uitkomst. "
                  "Aan tafel: in het team of bij het laatste overleg; betrokken: met een band "
                  "met iemand van het gezin.")  # fmt: skip


def moves_table(records):
    m = o.moves(records)
    rows = [
        ["Voor het eerste overleg", m["moves_before"], _mean(m["mean_before"])],
        ["Vanaf het eerste overleg", m["moves_after"], _mean(m["mean_after"])],
    ]
    moved = m["children_moved_after"]
    summary = [
        f"{amount(m['children'], 'kinderen')} met een overleg; {moved} van hen "
        f"{'verhuisde' if moved == 1 else 'verhuisden'} daarna nog. Zonder overleg (niet "
        f"meegeteld): {amount(m['children_without_conference'], 'kinderen')}."
    ]
    chart = _bar(
        ["voor", "vanaf eerste overleg"],
        [("verplaatsingen per kind", [m["mean_before"] or 0, m["mean_after"] or 0])],
    )
    return _table("moves", "Verplaatsingen per kind", ("Periode", "Verplaatsingen",
                  "Gemiddeld per kind"), rows, summary=summary, chart=chart,
                  empty="Nog geen verplaatsingen te tonen: ze worden geteld rond het eerste "
                  "overleg, en " + ("in deze selectie is nog geen overleg gehouden."
                  if not m["children"] else "geen kind met een overleg is verplaatst."),
                  note="Elke plaatsing die begon is een verplaatsing; de periode vanaf het "
                  "eerste overleg is meestal korter dan die ervoor.")  # fmt: skip


def network_table(records):
    n = o.network_placements(records)
    rows = [[codes.RESIDENCES.get(r, "onbekend"), count] for r, count in n["now"].items()]
    summary = [
        "Plaatsingen in het netwerk (netwerkpleeggezin): "
        + o.count_text(n["within_network"], n["placements"], "plaatsingen"),
        "Kinderen nu thuis of in het netwerk: "
        + o.count_text(n["now_home_or_network"], n["children"], "kinderen"),
    ]
    chart = _bar([r[0] for r in rows], [("kinderen", [r[1] for r in rows])])
    return _table("network", "Waar de kinderen nu wonen", ("Woonplek", "Kinderen"), rows,
                  summary=summary, chart=chart,
                  empty="Geen kinderen in deze selectie.")  # fmt: skip


def goals_table(records):
    g = o.parent_goals(records)
    rows = [
        ["Bereikt (laatste score 8 of hoger)", g["reached"], g["goals"], o.percent(g["rate"])],
        ["Vooruitgegaan (laatste score hoger dan eerste)", g["improved"], g["scored_twice"],
         o.percent(g["improved_rate"])],
    ]  # fmt: skip
    summary = ["Doelen van ouders bereikt: " + o.count_text(g["reached"], g["goals"], "doelen")]
    chart = _bar(
        [r[0].split(" (")[0] for r in rows],
        [("doelen (%)", [_pct(g["rate"]), _pct(g["improved_rate"])])],
        percent=True,
    )
    return _table("goals", "Doelen van ouders", ("Maat", "Doelen", "Van", "Percentage"), rows,
                  summary=summary, chart=chart,
                  empty="Nog geen doelen van ouders gescoord: een doel krijgt zijn score (0-10) "
                  "in een overleg." if not g["goals"] else "Nog geen doel bereikt of "
                  "vooruitgegaan.")  # fmt: skip


def actions_table(records, today):
    a = o.actions_on_time(records, today)
    rows = [
        ["Op tijd gedaan", a["on_time"]],
        ["Te laat gedaan", a["late"]],
        ["Open en over de datum", a["overdue"]],
        ["Open, nog niet verlopen", a["open_not_due"]],
        ["Zonder datum", a["without_due"]],
    ]
    summary = ["Acties op tijd gedaan: " + o.count_text(a["on_time"], a["judged"], "acties")]
    chart = _bar([r[0] for r in rows[:3]], [("acties", [r[1] for r in rows[:3]])])
    return _table("actions", "Acties op tijd", ("Stand", "Acties"), rows, summary=summary,
                  chart=chart, empty="Nog geen actie om te beoordelen: acties komen uit de "
                  "besluiten van een overleg en tellen mee zodra ze gedaan zijn of over hun "
                  "datum.", note="Beoordeeld: gedaan (op tijd of te laat) of open en "
                  "over de datum.")  # fmt: skip


def partners_table(records):
    found = o.missing_partners(records)
    rows = [
        [p["label"], p["missing_now"], p["decided"], p["accepted"], p["joined"],
         o.percent(p["joined_rate"])]
        for p in found
    ]  # fmt: skip
    chart = _bar(
        [p["label"] for p in found],
        [("ontbreekt nu", [p["missing_now"] for p in found]),
         ("aangeschoven na het signaal", [p["joined"] for p in found])],
        horizontal=True,
    )  # fmt: skip
    return _table("partners", "Ontbrekende partners", ("Partner", "Ontbreekt nu (gezinnen)",
                  "Besluit genomen", "Opgepakt", "Aangeschoven", "Aangeschoven van opgepakt"),
                  rows, chart=chart, note="Aangeschoven: het signaal is opgepakt en de partner "
                  "staat nu in het netwerk van het gezin (de app kent geen datum van aansluiten: "
                  "'na' betekent na het besluit).")  # fmt: skip


def rules_table(records, rule_titles):
    found = o.rule_decisions(records, rule_titles)
    rows = [
        [r["title"], r["fires_now"], r["accepted"], r["dismissed"],
         "; ".join(f"{DISMISS_REASONS.get(k, k)}: {v}" for k, v in r["reasons"].items())]
        for r in found
    ]  # fmt: skip
    chart = _bar(
        [r["title"] for r in found],
        [("gaat nu af", [r["fires_now"] for r in found]),
         ("opgepakt", [r["accepted"] for r in found]),
         ("afgewezen", [r["dismissed"] for r in found])],
        horizontal=True,
    )  # fmt: skip
    return _table("rules", "Regels: opgepakt of afgewezen", ("Regel", "Gaat nu af (gezinnen)",
                  "Opgepakt", "Afgewezen", "Redenen van afwijzen"), rows, chart=chart)  # fmt: skip


def problems_tables(records):
    p = o.problems(records)
    rows = [[x["label"], x["families"], o.percent(x["rate"])] for x in p["problems"]]
    chart = _bar(
        [x["label"] for x in p["problems"]],
        [("gezinnen", [x["families"] for x in p["problems"]])],
        horizontal=True,
    )
    frequency = _table("problems", "Hoe vaak elk probleem voorkomt",
                       ("Probleem", "Gezinnen", "Van het cohort"), rows, chart=chart,
                       summary=[f"{amount(p['families'], 'gezinnen')} in het cohort."],
                  empty="Geen problematiek vastgelegd in deze selectie.")  # fmt: skip
    labels = [codes.PROBLEMS.get(c, c) for c in p["codes"]]
    matrix_rows = [[labels[i], *row] for i, row in enumerate(p["matrix"])]
    cooccurrence = _table("cooccurrence", "Welke problemen samen voorkomen",
                          ("Probleem", *labels), matrix_rows,
                          note="Aantal gezinnen met beide problemen; op de diagonaal: met dit "
                          "probleem.")  # fmt: skip
    return frequency, cooccurrence


def components_table(records):
    found = o.solutions(records)
    rows = [
        [c["component"], c["solutions"], c["families"],
         ", ".join(codes.PROBLEMS.get(x, x) for x in c["problems"]),
         c["outcomes"]["worked"], c["outcomes"]["partly"], c["outcomes"]["not_worked"],
         c["outcomes"]["ongoing"], o.percent(c["worked_rate"])]
        for c in found
    ]  # fmt: skip
    top = found[:15]
    chart = _bar(
        [c["component"] for c in top],
        [(codes.SOLUTION_OUTCOMES[k], [c["outcomes"][k] for c in top])
         for k in codes.SOLUTION_OUTCOMES],
        horizontal=True, stacked=True,
    )  # fmt: skip
    return _table("components", "Onderdelen van oplossingen", ("Onderdeel", "Oplossingen",
                  "Gezinnen", "Bij problemen", "Werkte", "Deels", "Werkte niet", "Loopt nog",
                  "Werkte (van beoordeeld)"), rows, chart=chart)  # fmt: skip


def groups_table(records, found):
    titles = {r["id"]: r["title"] for r in records}
    rows = [
        [g["group"], g["size"], g["description"], ", ".join(titles[i] for i in g["families"])]
        for g in found
    ]
    chart = _bar([f"groep {g['group']}" for g in found], [("gezinnen", [g["size"] for g in found])])
    return _table("groups", "Groepen van gelijke gezinnen", ("Groep", "Gezinnen",
                  "Wat ze delen", "Casussen"), rows, chart=chart,
                  note="k-means op de kenmerken die ook de zoeker naar vergelijkbare casussen "
                  "gebruikt (problematiek, woonplek, doel, gezin, partners).")  # fmt: skip


def dashboard(records, today, *, rule_titles=None, only=None):
    """Every table of the dashboard as ``{name: table}`` (``only``: just those names)."""
    wanted = set(only or TABLE_NAMES)
    tables = {}
    if "now" in wanted:
        tables["now"] = now_table(records)
    if "outcomes" in wanted:
        tables["outcomes"] = outcomes_table(records)
    if "moves" in wanted:
        tables["moves"] = moves_table(records)
    if "network" in wanted:
        tables["network"] = network_table(records)
    if "goals" in wanted:
        tables["goals"] = goals_table(records)
    if "actions" in wanted:
        tables["actions"] = actions_table(records, today)
    if "partners" in wanted:
        tables["partners"] = partners_table(records)
    if "rules" in wanted:
        tables["rules"] = rules_table(records, rule_titles or {})
    if wanted & {"problems", "cooccurrence"}:
        tables["problems"], tables["cooccurrence"] = problems_tables(records)
    if "components" in wanted:
        tables["components"] = components_table(records)
    if "groups" in wanted:
        from patterns import groups as groups_module  # scikit-learn: on first use

        tables["groups"] = groups_table(
            records, groups_module.groups(records, rule_titles=rule_titles)
        )
    return {name: tables[name] for name in TABLE_NAMES if name in wanted}
