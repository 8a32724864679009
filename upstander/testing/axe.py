"""axe-core in the browser tests: `assert_no_serious_violations(page)` on any Playwright page (JavaScript on).

axe-core is installed by `scripts/bootstrap.sh test` (pinned version and SHA-512) into `.venv/axe/`; the tests find
it beside the Python that runs them (sys.prefix is the virtual environment), or at UPSTANDER_AXE_JS. Its source is
evaluated through the browser's DevTools protocol (`page.evaluate`), which the page's Content-Security-Policy
(script-src 'self', no inline script) does not block, as it blocks `page.add_script_tag`. axe needs a context
with JavaScript on (its run waits on timers that never fire with it off); the other checks below work either way.

axe cannot see everything: duplicate ids (its rules for them are retired), whether every control has a name that
makes sense, or where an error summary's links land. `duplicate_ids`, `unnamed_controls` and
`error_links_that_miss` check those, in the same page.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import pytest

AXE_VERSION = "4.14.1"  # keep in step with scripts/bootstrap.sh
SERIOUS = ("serious", "critical")


def axe_path() -> Path:
    configured = os.environ.get("UPSTANDER_AXE_JS")
    if configured:
        return Path(configured)
    return Path(sys.prefix) / "axe" / f"axe-core-{AXE_VERSION}" / "axe.min.js"


@functools.cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8") + "\n;undefined"


def run_axe(page) -> list[dict]:
    """axe's violations on the page as it is now (WCAG 2.0, 2.1 and 2.2 A and AA, and best practice)."""
    path = axe_path()
    if not path.exists():
        pytest.fail(f"{path} is missing: `scripts/bootstrap.sh test` installs axe-core {AXE_VERSION}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source(path))
    result = page.evaluate("""async () => {
        const r = await window.axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return list(result)


def serious_violations(page) -> list[dict]:
    return [v for v in run_axe(page) if v["impact"] in SERIOUS]


def assert_no_serious_violations(page, *, label: str = "") -> None:
    found = serious_violations(page)
    where = label or page.url
    assert not found, f"axe-core found serious or critical problems on {where}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in found)


# --- what axe does not check -------------------------------------------------------------------------------------

_DUPLICATE_IDS = """() => {
    const seen = {};
    for (const el of document.querySelectorAll('[id]')) { seen[el.id] = (seen[el.id] || 0) + 1; }
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""

_UNNAMED_CONTROLS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button')) {
        if (el.type === 'hidden') { continue; }
        const labels = Array.from(el.labels || []).map(l => l.textContent.trim()).filter(Boolean);
        const byId = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
            .map(id => (document.getElementById(id) || {}).textContent || '').filter(t => t.trim());
        const own = (el.getAttribute('aria-label') || '').trim()
            || (el.tagName === 'BUTTON' ? el.textContent.trim() : '');
        if (!labels.length && !byId.length && !own) { out.push(el.outerHTML.slice(0, 120)); }
    }
    return out;
}"""

_ERROR_LINKS = """() => Array.from(document.querySelectorAll('.error-summary a[href^="#"]')).map(a => a.getAttribute('href'))"""


def duplicate_ids(page) -> list[str]:
    return list(page.evaluate(_DUPLICATE_IDS))


def unnamed_controls(page) -> list[str]:
    """Form controls without an accessible name: no label, aria-labelledby, aria-label or (buttons) text."""
    return list(page.evaluate(_UNNAMED_CONTROLS))


def error_links_that_miss(page) -> list[str]:
    """Follow each error summary link; the ones after which focus is not on a form control of a field that shows
    an error message. The page is left as it was found (the links only move focus)."""
    missed = []
    for href in page.evaluate(_ERROR_LINKS):
        page.locator(f'.error-summary a[href="{href}"]').click()
        landed = page.evaluate("""(href) => {
            const el = document.activeElement;
            if (!el || '#' + el.id !== href || !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) { return false; }
            const field = el.closest('.field');
            return !!(field && field.querySelector('.error-message'));
        }""", href)
        if not landed:
            missed.append(href)
    return missed


def assert_page_is_sound(page, *, label: str = "") -> None:
    """axe (no serious or critical violations) and the checks axe misses, together."""
    where = label or page.url
    assert_no_serious_violations(page, label=where)
    assert not duplicate_ids(page), f"duplicate ids on {where}: {duplicate_ids(page)}"
    assert not unnamed_controls(page), f"controls without a name on {where}: {unnamed_controls(page)}"
    assert not error_links_that_miss(page), f"error summary links that miss their field on {where}: " \
        f"{error_links_that_miss(page)}"
