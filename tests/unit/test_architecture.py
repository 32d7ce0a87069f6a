"""The shape of the code: concept packages without cycles, a domain free of UI and database.

These read the source with ``ast`` (nothing is imported), so a violation names the file and line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

CORE = ROOT / "mlpm_core"
MAX_LINES = 400


def _package_of(path: Path) -> str:
    """``mlpm_core/estimate/engine.py`` -> ``estimate``; top-level modules are their own."""
    parts = path.relative_to(CORE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(child) for child in ast.walk(node))
    return inside


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, only for type checking) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, id(node) in typing_only))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, id(node) in typing_only)
                         for alias in node.names)
    return found


def _core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_domain_imports_neither_streamlit_nor_sqlalchemy_outside_the_store():
    """Only ``store/`` talks to the database, and no domain module knows about the UI."""
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _core_modules()
        for line, module, _ in _imports(path)
        if module.split(".")[0] == "streamlit"
        or (module.split(".")[0] == "sqlalchemy" and _package_of(path) != "store")
    ]
    assert offending == []


def test_no_domain_package_depends_on_the_store():
    """The engine, the reports and the workshop rules are handed what they need; the store
    depends on them, never the other way round."""
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _core_modules() if _package_of(path) != "store"
        for line, module, _ in _imports(path)
        if module == "mlpm_core.store" or module.startswith("mlpm_core.store.")
    ]
    assert offending == []


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in _core_modules():
        source = _package_of(path)
        for _, module, typing_only in _imports(path):
            parts = module.split(".")
            if (parts[0] == "mlpm_core" and len(parts) > 1 and parts[1] != source
                    and not typing_only):
                graph[source].add(parts[1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in ``graph`` as a path of package names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    """The check below can fail: a two-package loop is reported as a path."""
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_packages_import_each_other_without_cycles():
    """A cycle between concept packages means a concept is in the wrong package."""
    assert _cycle(_package_graph()) is None


def test_other_packages_import_a_package_through_its_face():
    """Outside a package, code imports its ``__init__`` face, never a private module (the
    chart images module, needed only by exports, is imported on its own on purpose)."""
    allowed = {"mlpm_core.charts.images", "mlpm_core.store.schema"}
    sources = [*_core_modules(), *(ROOT / "mlpm_ui").glob("*.py"),
               *(ROOT / "mlpm_cli").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    offending = []
    for path in sources:
        inside = _package_of(path) if CORE in path.parents else None
        for line, module, _ in _imports(path):
            parts = module.split(".")
            if (parts[0] == "mlpm_core" and len(parts) > 2 and parts[1] != inside
                    and module not in allowed):
                offending.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert offending == []


def test_no_module_is_longer_than_four_hundred_lines():
    """A module past ~400 lines is probably two concepts."""
    sources = [*_core_modules(), *(ROOT / "mlpm_ui").glob("*.py"),
               *(ROOT / "mlpm_cli").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    long = {str(path.relative_to(ROOT)): n for path in sources
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_an_estimate_of_a_shipped_example_never_imports_the_sql_store():
    """The engine takes the reference class it is given: estimating with the shipped class in
    a fresh interpreter imports neither SQLAlchemy nor the store's database module."""
    code = ("import sys, json\n"
            "from mlpm_core.assessment import run_estimate\n"
            "from pathlib import Path\n"
            "from mlpm_core.scenario import load_scenario\n"
            f"s = load_scenario(Path({str(ROOT / 'data/examples/fraud_card_payments.json')!r}))\n"
            "run_estimate(s, trials=5000)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
            "'mlpm_core.store')))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
