"""Loops in parenthood: nobody may be their own ancestor. Pure."""


def cycle_links(parents_of):
    """Yield ``(trail, parent, payload)`` for every parent link that closes a loop.

    ``parents_of`` maps a child to ``[(parent, payload), ...]``. A depth-first walk with
    its own stack, not recursion: a line of ancestors can be deeper than Python's
    recursion limit. ``trail`` is the line being walked, from the first person up to the
    current ancestor. Removing every link yielded leaves no loop; the walk follows the
    order of ``parents_of``, so the result is the same every time.
    """
    state = {}
    for start in list(parents_of):
        if start in state:
            continue
        state[start] = "busy"
        trail = [start]
        stack = [iter(parents_of.get(start, ()))]
        while stack:
            for parent, payload in stack[-1]:
                if state.get(parent) == "busy":
                    yield list(trail), parent, payload
                elif parent not in state:
                    state[parent] = "busy"
                    trail.append(parent)
                    stack.append(iter(parents_of.get(parent, ())))
                    break
            else:
                state[trail.pop()] = "done"
                stack.pop()
