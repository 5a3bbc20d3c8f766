"""The genogram as a networkx graph, built from a case in the exchange format.

Nodes (attribute ``kind``):
- ``person:<id>``: a person, with the case's person fields;
- ``union:<a>+<b>``: a couple (or the parents of a child who are not recorded as a
  couple, ``status`` None; or one parent alone, ``union:<a>+``), as open-pedigree and
  GoJS do: person -> union -> child;
- ``member:<id>``: a network member (ecomap), with its fields.

Edges (attribute ``kind``):
- ``partner``: person -> union;
- ``child``: union -> person, with ``types`` {parent id: relation type} of the parents
  the child descends from (biological or adoptive; foster or step when there is no one
  else);
- ``parent_link``: parent -> child for a parent relation that is not part of the child's
  union (a step- or foster parent beside the biological ones), with ``type``;
- ``emotional``: person -> person (``a`` -> ``b``), with ``quality``; when ``a`` -> ``b``
  is already a ``parent_link`` the edge runs ``b`` -> ``a`` with ``reversed`` True, so
  that neither relation overwrites the other in this simple DiGraph;
- ``tie``: member -> person, with ``strength``, ``stressful``, ``flow``.

Every relation of the case is one edge or one part of a union, so a drawing of this
graph shows each exactly once. Pure: no Flask, no database.
"""

DESCENT_TYPES = ("biological", "adoptive")


def person_node(person_id):
    return f"person:{person_id}"


def member_node(member_id):
    return f"member:{member_id}"


def union_node(*partners):
    first, *rest = sorted(partners)
    return f"union:{first}+{rest[0] if rest else ''}"


def local_id(node):
    """``person:p1`` -> ``p1``."""
    return node.split(":", 1)[1]


def _primary_parents(links):
    """The parents a child hangs under: its descent parents, else foster, else step."""
    for types in (DESCENT_TYPES, ("foster",), ("step",)):
        chosen = [(parent, kind) for parent, kind in links if kind in types]
        if chosen:
            return chosen[:2]
    return []


def build_graph(case):
    """The genogram graph of a canonical case (see the module docstring)."""
    import networkx as nx  # on first use: the app starts without it (0.1 s)

    graph = nx.DiGraph(code=case.get("code"), title=case.get("title"))
    for order, person in enumerate(case["persons"]):
        graph.add_node(person_node(person["id"]), kind="person", order=order, **person)

    unions = {}

    def add_union(partners, status, relation_index=None):
        node = union_node(*partners)
        if node not in unions:
            unions[node] = {"status": status, "relation": relation_index}
            graph.add_node(
                node,
                kind="union",
                partners=tuple(sorted(partners)),
                status=status,
                relation=relation_index,
            )
            for partner in partners:
                graph.add_edge(person_node(partner), node, kind="partner")
        elif status is not None and graph.nodes[node]["status"] is None:
            graph.nodes[node].update(status=status, relation=relation_index)
        return node

    parent_links = {}
    emotional = []
    parent_index = {}  # (parent, child) -> index of the parent relation
    for index, relation in enumerate(case.get("relations", [])):
        kind = relation["kind"]
        if kind == "couple":
            add_union((relation["a"], relation["b"]), relation["status"], index)
        elif kind == "parent":
            parent_index[(relation["parent"], relation["child"])] = index
            parent_links.setdefault(relation["child"], []).append(
                (relation["parent"], relation.get("type") or "biological")
            )
        else:
            emotional.append((index, relation))

    for child, links in parent_links.items():
        primary = _primary_parents(links)
        union = add_union(tuple(parent for parent, _ in primary), None)
        graph.add_edge(
            union,
            person_node(child),
            kind="child",
            types=dict(primary),
            relations={parent: parent_index[(parent, child)] for parent, _ in primary},
        )
        for parent, kind in links:
            if (parent, kind) not in primary:
                graph.add_edge(
                    person_node(parent),
                    person_node(child),
                    kind="parent_link",
                    type=kind,
                    relation=parent_index[(parent, child)],
                )

    # After the parent links: an emotional relation between a step- or foster parent
    # and the child must not overwrite the parent_link edge (or be overwritten by it).
    for index, relation in emotional:
        a, b = person_node(relation["a"]), person_node(relation["b"])
        flipped = graph.has_edge(a, b)
        graph.add_edge(
            *((b, a) if flipped else (a, b)),
            kind="emotional",
            quality=relation["quality"],
            by=relation.get("by"),
            relation=index,
            reversed=flipped,
        )

    for order, member in enumerate(case.get("network", [])):
        node = member_node(member["id"])
        graph.add_node(node, kind="member", order=order, **member)
        for tie in member.get("ties", []):
            graph.add_edge(
                node,
                person_node(tie["person"]),
                kind="tie",
                strength=tie["strength"],
                stressful=tie["stressful"],
                flow=tie["flow"],
            )
    return graph


def persons(graph):
    return [n for n, data in graph.nodes(data=True) if data["kind"] == "person"]


def members(graph):
    return [n for n, data in graph.nodes(data=True) if data["kind"] == "member"]


def unions(graph):
    return [n for n, data in graph.nodes(data=True) if data["kind"] == "union"]


def parents_of(graph, person):
    """The parents of a person (through its union and any extra parent links)."""
    found = []
    for source, _, data in graph.in_edges(person, data=True):
        if data["kind"] == "child":
            found += [person_node(p) for p in graph.nodes[source]["partners"]]
        elif data["kind"] == "parent_link":
            found.append(source)
    return found


def children_of_union(graph, union):
    return [t for _, t, d in graph.out_edges(union, data=True) if d["kind"] == "child"]


def children_of(graph, parent):
    """The children of a person: through each of its unions and any parent links."""
    found = []
    for _, target, d in graph.out_edges(parent, data=True):
        if d["kind"] == "partner":
            found += children_of_union(graph, target)
        elif d["kind"] == "parent_link":
            found.append(target)
    return found


def siblings(graph, person, *, half=True):
    """Persons sharing a parent (``half=False``: sharing the child's whole union).

    Symmetric: B is a sibling of A exactly when A is one of B's (``parents_of`` counts
    the parent links of step- and foster parents too).
    """
    own = {s for s, _, d in graph.in_edges(person, data=True) if d["kind"] == "child"}
    found = set()
    for union in own:
        found.update(children_of_union(graph, union))
    if half:
        for parent in parents_of(graph, person):
            found.update(children_of(graph, parent))
    found.discard(person)
    return sorted(found, key=lambda n: graph.nodes[n]["order"])
