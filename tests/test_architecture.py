"""The layout's rules, checked on the source (README, "Layout"), so a new import cannot quietly break them.

* no import cycle between packages (each sub-package of `archiver` and each top-level module is one
  node; a module-level or function-level import is an edge);
* `archiver.warc` is a library like warcio: it imports no Scrapy or Twisted;
* every `request.meta` key is spelt once, in `archiver.request_meta`;
* two modules share a file name only when they do the same job for different backends;
* docstrings and docs point at files users have (README, docs/, the schema), not at DESIGN.md.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRODUCT = sorted([*(REPO / "archiver").rglob("*.py"), *(REPO / "spiders").rglob("*.py")])
# Same file name, same job: the distributed (Redis) counterpart of a local component.
SAME_JOB = {
    "dedupe.py": {"archiver/pipelines", "archiver/distributed"},
    "digest_index.py": {"archiver/warc", "archiver/distributed"},
    "state.py": {"archiver/incremental", "archiver/distributed"},
    "summary.py": {"archiver/extensions", "archiver/distributed"},
    "middlewares.py": {"archiver/incremental", "archiver/distributed"},
}


def node_of(module: str) -> str | None:
    """The package-level node of a dotted module name: archiver.X (package or module) or spiders."""
    parts = module.split(".")
    if parts[0] == "spiders":
        return "spiders"
    if parts[0] != "archiver" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports (absolute names), at any depth of the file."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: `from . import x` in package a.b is a.b.x
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from archiver import load`
    return found


def package_graph() -> dict[str, set[str]]:
    known = {module_name(p) for p in PRODUCT}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PRODUCT:
        source = node_of(module_name(path))
        for target in imported_modules(path):
            target_node = node_of(target)
            if source and target_node and target_node != source and (target in known or target_node in known):
                graph[source].add(target_node)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_packages() -> None:
    graph = package_graph()
    assert "archiver.warc" in graph["archiver.load"]
    assert "archiver.incremental" in graph["archiver.cron"]
    assert "archiver.extract" in graph["spiders"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_packages() -> None:
    graph = package_graph()
    found = cycles(graph)
    described = [" <-> ".join(c) + ": " + "; ".join(f"{a} -> {b}" for a in c for b in sorted(graph[a]) if b in c)
                 for c in found]
    assert not found, "\n".join(described)


def test_warc_imports_no_scrapy() -> None:
    offenders = [f"{p.relative_to(REPO)}: {m}" for p in (REPO / "archiver" / "warc").rglob("*.py")
                 for m in sorted(imported_modules(p)) if m.split(".")[0] in ("scrapy", "twisted")]
    assert not offenders, "archiver/warc/ is a library; Scrapy components live with their kind:\n" + "\n".join(
        offenders)


def test_request_meta_keys_are_spelt_once() -> None:
    key = re.compile(r"""["']_?archiver_[a-z_]+["']""")
    spelt = [f"{p.relative_to(REPO)}:{n}: {line.strip()}" for p in PRODUCT if p.name != "request_meta.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if key.search(line) and "getattr(" not in line and "crawler." not in line and "_OBJECTS" not in line]
    assert not spelt, "use archiver.request_meta:\n" + "\n".join(spelt)


def test_a_file_name_means_one_job() -> None:
    homes: dict[str, set[str]] = defaultdict(set)
    for path in PRODUCT:
        if path.name != "__init__.py":
            homes[path.name].add(str(path.parent.relative_to(REPO)))
    shared = {name: dirs for name, dirs in homes.items() if len(dirs) > 1}
    assert shared == SAME_JOB, "a shared file name must mean the same job (extend SAME_JOB) or be renamed"


def test_no_pointer_to_the_design_file() -> None:
    """DESIGN.md is not shipped: a rule must be said in place or point at README, docs/ or the schema."""
    pointer = re.compile(r"\bDESIGN\b")
    texts = [*PRODUCT, REPO / "README.md", *(REPO / "docs").glob("*.md")]
    found = [f"{p.relative_to(REPO)}:{n}: {line.strip()}" for p in texts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if pointer.search(line)]
    assert not found, "\n".join(found)
