"""The family as the layout reads it from the genogram graph."""

from genogram.labels import member_half_width, person_half_width


class Family:
    """The parts of the graph the layout needs, in case order."""

    def __init__(self, graph):
        nodes = graph.nodes
        self.persons = [n for n, d in nodes(data=True) if d["kind"] == "person"]
        self.members = [n for n, d in nodes(data=True) if d["kind"] == "member"]
        self.unions = [n for n, d in nodes(data=True) if d["kind"] == "union"]
        self.order = {p: nodes[p]["order"] for p in self.persons}
        self.year = {p: _year(nodes[p].get("birth_year")) for p in self.persons}
        self.sex = {p: nodes[p].get("sex") for p in self.persons}
        self.partners = {u: tuple(f"person:{x}" for x in nodes[u]["partners"]) for u in self.unions}
        self.children = {}
        self.links = []
        for u in self.unions:
            kids = [t for _, t, d in graph.out_edges(u, data=True) if d["kind"] == "child"]
            self.children[u] = _birth_order(kids, self.year, self.order)
        for p in self.persons:
            for _, t, d in graph.out_edges(p, data=True):
                if d["kind"] == "parent_link":
                    self.links.append((p, t))
        self.links.sort(key=lambda link: (self.order[link[1]], self.order[link[0]]))
        self.ties = {
            m: sorted(
                (t for _, t, d in graph.out_edges(m, data=True) if d["kind"] == "tie"),
                key=self.order.get,
            )
            for m in self.members
        }
        self.formal = {m: nodes[m].get("partner") != "informal" for m in self.members}
        # Half the horizontal footprint: the symbol or the widest text line under it.
        self.half = {p: person_half_width(nodes[p]) for p in self.persons}
        self.member_half = {m: member_half_width(nodes[m]) for m in self.members}
        self.member_order = {m: i for i, m in enumerate(self.members)}
        self.couples = [u for u in self.unions if len(self.partners[u]) == 2]
        # Chronological order of a person's partnerships: first child's birth year, then
        # the couple relation's place in the case.
        self.chrono = {}
        for i, u in enumerate(self.unions):
            years = [self.year[c] for c in self.children[u] if self.year[c] is not None]
            relation = nodes[u].get("relation")
            self.chrono[u] = (
                0 if years else 1,
                min(years) if years else 0,
                relation if relation is not None else 1 << 30,
                i,
            )


def _year(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _birth_order(children, year, order):
    """Case order, with the children whose birth year is known sorted by it in their slots."""
    kids = sorted(children, key=order.get)
    dated = [k for k in kids if year[k] is not None]
    known = iter(sorted(dated, key=lambda k: (year[k], order[k])))
    return [next(known) if year[k] is not None else k for k in kids]
