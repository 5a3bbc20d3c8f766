"""The shape of the code: which project modules import which, read with ``ast`` (nothing
is imported or run), so a test can hold the layers apart and keep cycles out."""

import ast
import fnmatch
import os
import pathlib

import networkx as nx

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOT_PROJECT = {".venv", "node_modules", "__pycache__"}
# Imports on a cycle today that other steps of issue 15 remove, as (importer, imported)
# patterns: core/ importing the domains' migrations (each domain's init_app will
# register them) and the modules of cases/views importing the blueprint from their
# package. Delete a line when its imports are gone: the test then keeps them out.
KNOWN_CYCLE_IMPORTS = []


def project_modules(root):
    """``{dotted name: path}`` of the Python modules under ``root``; a package is named
    by its ``__init__.py``. Hidden folders, ``.venv`` and ``node_modules`` are left out."""
    modules = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in NOT_PROJECT and not d.startswith("."))
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            parts = list(pathlib.Path(folder, file).relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if parts:
                modules[".".join(parts)] = pathlib.Path(folder, file)
    return modules


def _named(node, module, is_package):
    """The dotted names an import statement loads: ``import x.y`` loads ``x.y``; ``from x
    import y`` loads ``x.y`` when that is a module, else ``x`` (``y`` is a name in it)."""
    if isinstance(node, ast.Import):
        return [[alias.name] for alias in node.names]
    if node.level:  # relative: from the module's own package, one level up per dot
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module
    return [[f"{base}.{alias.name}", base] for alias in node.names]


def _project_module(name, modules):
    """The most specific project module ``name`` loads, or None outside the project."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def import_graph(root=ROOT):
    """A ``networkx.DiGraph`` of the project's modules: an edge ``a -> b`` when module
    ``a`` imports module ``b`` anywhere in its text (inside functions too), with the
    ``line`` of the first such import. Importing a submodule counts as importing that
    submodule only, not the packages above it: the edge a cycle would run along."""
    modules = project_modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for names in _named(node, module, is_package):
                # The first of the names that is a project module, else the most
                # specific module the last one lies in.
                exact = [name for name in names if name in modules]
                target = exact[0] if exact else _project_module(names[-1], modules)
                if target and target != module and not graph.has_edge(module, target):
                    graph.add_edge(module, target, line=node.lineno)
    return graph


def test_import_graph_reads_imports_of_every_kind(tmp_path):
    for path, text in {
        "pkg/__init__.py": "from pkg.low import VALUE\n",
        "pkg/low.py": "VALUE = 1\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/mid.py": "from .. import low\nfrom . import deep\n",
        "pkg/sub/deep.py": "def later():\n    import top  # noqa\n",
        "top.py": "import pkg.sub.mid\nimport json\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    graph = import_graph(tmp_path)
    assert set(graph.edges) == {
        ("pkg", "pkg.low"),
        ("pkg.sub.mid", "pkg.low"),
        ("pkg.sub.mid", "pkg.sub.deep"),
        ("pkg.sub.deep", "top"),
        ("top", "pkg.sub.mid"),
    }
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == [{"top", "pkg.sub.mid", "pkg.sub.deep"}]


def _known(edge):
    return any(
        fnmatch.fnmatchcase(edge[0], a) and fnmatch.fnmatchcase(edge[1], b)
        for a, b in KNOWN_CYCLE_IMPORTS
    )


def test_no_import_cycle_between_modules():
    """Two modules that import each other (even lazily, inside a function) are one module
    split in the wrong place: each cycle is named with the line of every import on it."""
    graph = import_graph()
    known = [edge for edge in graph.edges if _known(edge)]
    graph.remove_edges_from(known)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = nx.find_cycle(graph.subgraph(component))
            found.append([f"{a} -> {b} (line {graph.edges[a, b]['line']})" for a, b in cycle])
    assert found == []


def test_known_cycle_imports_are_still_there():
    """A pattern in ``KNOWN_CYCLE_IMPORTS`` that no import matches is stale: delete it."""
    edges = list(import_graph().edges)
    stale = [
        (a, b)
        for a, b in KNOWN_CYCLE_IMPORTS
        if not any(fnmatch.fnmatchcase(s, a) and fnmatch.fnmatchcase(t, b) for s, t in edges)
    ]
    assert stale == []
