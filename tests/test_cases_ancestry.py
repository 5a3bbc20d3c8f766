from cases.ancestry import cycle_links


def test_cycle_links_finds_the_link_that_closes_a_loop():
    # a is b's parent, b is c's parent, c is a's parent: one loop, closed once.
    parents_of = {"b": [("a", 1)], "c": [("b", 2)], "a": [("c", 3)]}
    found = list(cycle_links(parents_of))
    assert len(found) == 1
    trail, parent, _ = found[0]
    assert parent == trail[0]


def test_cycle_links_is_quiet_for_a_family_tree():
    parents_of = {"kind": [("moeder", 1), ("vader", 2)], "moeder": [("oma", 3)]}
    assert list(cycle_links(parents_of)) == []


def test_cycle_links_handles_lines_deeper_than_the_recursion_limit():
    depth = 5000
    parents_of = {f"p{i}": [(f"p{i + 1}", i)] for i in range(depth)}
    assert list(cycle_links(parents_of)) == []
    parents_of[f"p{depth}"] = [("p0", "back")]
    assert [payload for _, _, payload in cycle_links(parents_of)] == ["back"]
