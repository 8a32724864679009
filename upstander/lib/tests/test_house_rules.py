"""The house rules a program can check (docs/architecture.md, "Dangerous constructs"). Each test reads the source
of the `upstander` package (tests, migrations and test helpers aside) and names every place that breaks its rule,
so a failure says where to look, not just that something is wrong."""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
REPO = PACKAGE.parent
CLOCK_MODULE = "upstander.lib.clock"
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Receivers of a `.save()`/`.delete()` that are not model rows: forms, sessions, HTTP responses, files.
NOT_MODELS = {"self", "super", "form", "request", "session", "response", "storage", "fh", "zf", "archive"}
LONGEST_FUNCTION = 80
# Raw SQL is allowed only where the ORM cannot say it; each entry says why.
RAW_SQL_ALLOWED = {
    "upstander.audit.log": "takes the database-specific lock that serialises appends to the hash chain",
    "upstander.audit.db_guard": "creates the append-only triggers",
    "upstander.cases.queue": "a window query the ORM cannot express on both databases",
    "upstander.insight.live": "streams structured facts into the columnar layer",
    "upstander.health": "a liveness probe of the database",
    "upstander.operations.setup": "PostgreSQL's advisory lock, so two processes setting up one database take turns",
}


def _is_ours(path: Path) -> bool:
    parts = set(path.relative_to(PACKAGE).parts)
    return not parts & {"tests", "migrations", "testing"}


@cache
def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if _is_ours(path):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found[name] = ast.parse(path.read_text(), filename=str(path))
    return found


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            value = node.func.value
            base = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
            yield node, base, node.func.attr


def _is_view_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.startswith("views") or last.endswith("_views")


def test_no_module_asks_the_time_except_the_clock():
    """One "today" and one "now": every other module asks upstander.lib.clock, so time moves in one place and the
    profile's time zone is honoured everywhere."""
    asked = [f"{name}:{node.lineno} {base}.{attr}" for name, tree in modules().items() if name != CLOCK_MODULE
             for node, base, attr in _references(tree) if (base, attr) in TIME_ASKERS]
    assert asked == []


TIME_ASKERS = {("timezone", "now"), ("timezone", "localdate"), ("date", "today"), ("datetime", "now"),
               ("datetime", "today"), ("datetime", "utcnow"), ("time", "time")}


def _references(tree: ast.AST):
    """Every `base.attr` in the source, called or not (`default_factory=date.today` asks the time too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            value = node.value
            base = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
            yield node, base, node.attr


def test_no_view_module_writes_a_model():
    """Views call action functions; a write in a view skips the permission check and the audit event."""
    writes = [f"{name}:{node.lineno} .{attr}()" for name, tree in modules().items() if _is_view_module(name)
              for node, base, attr in _calls(tree) if attr in WRITES and base not in NOT_MODELS]
    assert writes == []


def test_no_view_module_writes_an_audit_event():
    """Audit events are written by the action (or access function) in the same transaction as what they record."""
    recorded = [f"{name}:{node.lineno}" for name, tree in modules().items() if _is_view_module(name)
                for node, base, attr in _calls(tree) if attr == "record" and base in {"log", "audit", "audit_log"}]
    recorded += [f"{name}: imports audit.log.record" for name, tree in modules().items() if _is_view_module(name)
                 for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "upstander.audit.log"
                 and any(alias.name == "record" for alias in node.names)]
    assert recorded == []


def test_no_function_is_longer_than_eighty_lines():
    """Long functions hide rules; the synthetic-force generator is the one exception (DESIGN.md)."""
    long = [f"{name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for name, tree in modules().items() if not name.startswith("upstander.worldgen")
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION]
    assert long == []


def test_raw_sql_only_where_the_orm_cannot_say_it():
    raw = sorted({name for name, tree in modules().items() if not name.startswith("upstander.worldgen")
                  for node, base, attr in _calls(tree) if attr in {"raw", "cursor", "extra"}} - set(RAW_SQL_ALLOWED))
    assert raw == []


def test_no_module_level_import_cycle():
    """A cycle at import time makes the order of app loading matter; import-linter (below) also forbids the hidden
    ones inside functions between layers."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for name, tree in modules().items():
        for node in tree.body:
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            graph[name].update(t for t in targets if t in graph and t != name)
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_architecture_contracts_hold():
    """import-linter's contracts in pyproject.toml: the reporter and staff sides never import each other, and the
    apps form layers (docs/architecture.md)."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-6000:]
