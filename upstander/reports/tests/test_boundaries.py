"""The reporter side and the staff side never import each other, not even inside a function or a test; both may use
the reports core, which imports neither (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
STAFF = ("cases", "custody", "safeguarding", "oversight", "insight")
RULES = {
    # app: modules it may never import
    "intake": tuple(f"upstander.{app}" for app in STAFF) + ("upstander.people.views",),
    **{app: ("upstander.intake",) for app in ("cases", "custody", "safeguarding", "oversight")},
    "reports": tuple(f"upstander.{app}" for app in (*STAFF, "intake")),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, node.module)] + [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


@pytest.mark.parametrize("app", sorted(RULES))
def test_an_app_never_imports_the_other_side(app):
    forbidden = RULES[app]
    offences = [f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
                for path in sorted((PACKAGE / app).rglob("*.py"))
                for line, name in _imports(path)
                if any(name == f or name.startswith(f + ".") for f in forbidden)]
    assert offences == []
