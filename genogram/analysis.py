"""Network analysis on the genogram graph, as plain data for the rules and the UI.

Every function takes the graph of :func:`genogram.graph.build_graph` (one, the siblings
apart, also the case itself) and returns dicts and lists keyed by the case's local ids
(``p1``, ``n3``), in case order, JSON-able.
Pure: no Flask, no database.

Definitions:
- a *tie* is any tie of a network member to a person, whatever its strength, flow or
  stress: a stressful tie to youth protection is still a tie to someone;
- *informal* members are those with partner code ``informal``; all others are formal;
- *support* from the family itself is a ``close`` or ``very_close`` emotional relation
  (either direction);
- *siblings* share a biological or adoptive parent; *full* siblings share two;
- deceased persons never count as needing support, and are left out of the sizes,
  the unsupported lists and the siblings living apart.
"""

from genogram.graph import DESCENT_TYPES, local_id

SUPPORTIVE_QUALITIES = ("close", "very_close")
BRIDGING_TOP = 5
# Betweenness is O(nodes x edges): beyond this many nodes it is estimated from a fixed
# sample of sources (seeded, so the same graph gives the same answer).
BETWEENNESS_EXACT_UP_TO = 600
BETWEENNESS_SAMPLE = 200


def _nodes(graph, kind):
    found = [(data["order"], n) for n, data in graph.nodes(data=True) if data["kind"] == kind]
    return [n for _, n in sorted(found)]


def _living(graph):
    return [p for p in _nodes(graph, "person") if not graph.nodes[p].get("deceased")]


def _ties(graph, person):
    """The members tied to ``person``, in case order."""
    tied = [s for s, _, d in graph.in_edges(person, data=True) if d["kind"] == "tie"]
    return sorted(tied, key=lambda m: graph.nodes[m]["order"])


def _is_informal(graph, member):
    return graph.nodes[member].get("partner") == "informal"


def informal_network_size(graph):
    """``{person: number of informal members tied to them}`` for every living person."""
    return {
        local_id(p): sum(1 for m in _ties(graph, p) if _is_informal(graph, m))
        for p in _living(graph)
    }


def _supportive_relatives(graph, person):
    found = set()
    for a, b, d in [*graph.in_edges(person, data=True), *graph.out_edges(person, data=True)]:
        if d["kind"] == "emotional" and d["quality"] in SUPPORTIVE_QUALITIES:
            found.add(b if a == person else a)
    return found


def unsupported_persons(graph):
    """Living persons without any member tie and without a close or very close relative."""
    return [
        local_id(p)
        for p in _living(graph)
        if not _ties(graph, p) and not _supportive_relatives(graph, p)
    ]


def _children(graph, person):
    found = set()
    for _, target, d in graph.out_edges(person, data=True):
        if d["kind"] == "partner":
            found.update(
                t for _, t, e in graph.out_edges(target, data=True) if e["kind"] == "child"
            )
        elif d["kind"] == "parent_link":
            found.add(target)
    return found


def unsupported_parents(graph):
    """Living parents (any parent relation, step and foster included) without a member tie."""
    return [local_id(p) for p in _living(graph) if _children(graph, p) and not _ties(graph, p)]


def _descent_parents(graph, person):
    """The biological and adoptive parents of ``person``."""
    found = set()
    for source, _, d in graph.in_edges(person, data=True):
        if d["kind"] == "child":
            found.update(
                f"person:{parent}"
                for parent, kind in d.get("types", {}).items()
                if kind in DESCENT_TYPES
            )
        elif d["kind"] == "parent_link" and d.get("type") in DESCENT_TYPES:
            found.add(source)
    return found


def siblings_apart(graph):
    """Pairs of (half-)siblings living at different residences.

    Each pair once, the elder in case order first: ``{"a", "b", "residence_a",
    "residence_b", "half"}``. Persons without a known residence are left out.
    """
    living = [p for p in _living(graph) if graph.nodes[p].get("residence")]
    pairs = _pairs_apart(
        living,
        {p: graph.nodes[p]["residence"] for p in living},
        {p: _descent_parents(graph, p) for p in living},
    )
    for pair in pairs:
        pair["a"], pair["b"] = local_id(pair["a"]), local_id(pair["b"])
    return pairs


def siblings_apart_in_case(case):
    """:func:`siblings_apart` of the case's genogram, read from the canonical case itself
    (its persons and parent relations), without building the graph: what the rules'
    facts and the finder need of it for every case."""
    descent = {}
    for relation in case["relations"]:
        if relation["kind"] == "parent" and (relation.get("type") or "biological") in (
            DESCENT_TYPES
        ):
            descent.setdefault(relation["child"], set()).add(relation["parent"])
    living = [p for p in case["persons"] if not p.get("deceased") and p.get("residence")]
    return _pairs_apart(
        [p["id"] for p in living],
        {p["id"]: p["residence"] for p in living},
        {p["id"]: descent.get(p["id"], set()) for p in living},
    )


def _pairs_apart(living, residence, parents):
    """The pairs of :func:`siblings_apart` among ``living`` (in case order, each with a
    residence), ``parents`` their biological and adoptive parents."""
    # Only children of a shared parent can pair: look them up per parent rather than
    # comparing every two persons (10,000 persons are 50 million pairs).
    position = {p: i for i, p in enumerate(living)}
    children = {}
    for p in living:
        for parent in parents[p]:
            children.setdefault(parent, []).append(p)
    pairs = []
    for i, a in enumerate(living):
        if not parents[a]:
            continue
        others = {b for parent in parents[a] for b in children[parent] if position[b] > i}
        for b in sorted(others, key=position.get):
            shared = parents[a] & parents[b]
            where_a, where_b = residence[a], residence[b]
            if where_a != where_b:
                pairs.append(
                    {
                        "a": a,
                        "b": b,
                        "residence_a": where_a,
                        "residence_b": where_b,
                        "half": not (len(shared) == 2 and parents[a] == parents[b]),
                    }
                )
    return pairs


def _undirected(graph):
    """The family and its network as one undirected graph; a cut-off is no connection."""
    import networkx as nx  # on first use: the app starts without it (0.1 s)

    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for a, b, d in graph.edges(data=True):
        if d["kind"] == "emotional" and d["quality"] == "cutoff":
            continue
        undirected.add_edge(a, b)
    return undirected


def bridging_members(graph, top=BRIDGING_TOP):
    """The members that bridge the family to the outside, most first.

    Betweenness centrality (normalised) of each member node on the undirected graph of
    persons, unions and members; members with a betweenness of zero (tied to one person,
    or to no one) are left out. ``[{"member", "betweenness"}]``, at most ``top``.
    """
    members = _nodes(graph, "member")
    if not members:
        return []
    import networkx as nx

    undirected = _undirected(graph)
    if undirected.number_of_nodes() > BETWEENNESS_EXACT_UP_TO:
        scores = nx.betweenness_centrality(undirected, k=BETWEENNESS_SAMPLE, seed=0)
    else:
        scores = nx.betweenness_centrality(undirected)
    ranked = sorted(
        (m for m in members if scores[m] > 1e-12),
        key=lambda m: (-round(scores[m], 9), graph.nodes[m]["order"]),
    )
    return [{"member": local_id(m), "betweenness": round(scores[m], 4)} for m in ranked[:top]]


def partners_around(graph):
    """``{person: sorted partner codes of the members tied to them}`` for every living person."""
    return {
        local_id(p): sorted({graph.nodes[m]["partner"] for m in _ties(graph, p)})
        for p in _living(graph)
    }


def partners_present(graph):
    """The partner codes of all members of the network, sorted."""
    return sorted({graph.nodes[m]["partner"] for m in _nodes(graph, "member")})


def facts(graph):
    """All of the above in one dict."""
    return {
        "informal_network_size": informal_network_size(graph),
        "unsupported_persons": unsupported_persons(graph),
        "unsupported_parents": unsupported_parents(graph),
        "siblings_apart": siblings_apart(graph),
        "bridging_members": bridging_members(graph),
        "partners_around": partners_around(graph),
        "partners_present": partners_present(graph),
    }
