"""Charts as SVG text, drawn with matplotlib (Agg backend, SVG output): they read without JavaScript, in a browser, in
the PDF (WeasyPrint) and on the dashboard. Charts are drawn from *published* documents only, so a chart can never
show a count that disclosure control withheld.

Output is deterministic (fixed hash salt, no date in the metadata), so the same figures give the same bytes.

pyplot keeps global state (the current figure, rcParams) and is not thread-safe; a report published from the web is
drawn in a background thread while pages draw their own charts, so every chart is drawn under one lock.
"""

from __future__ import annotations

import functools
import io
import math
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from upstander.insight import stages as funnel  # noqa: E402

plt.rcParams.update({
    "svg.hashsalt": "upstander-insight",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
})
_LOCK = threading.RLock()
_Chart = TypeVar("_Chart", bound=Callable[..., str])


def _serialised(chart: _Chart) -> _Chart:
    @functools.wraps(chart)
    def drawn(*args: Any, **kwargs: Any) -> str:
        with _LOCK:
            return chart(*args, **kwargs)

    return drawn  # type: ignore[return-value]


COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#30638e", "#66a182", "#8d6a9f", "#6b6b6b"]


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype so the SVG can sit inline in HTML


def _empty(message: str) -> str:
    figure, axes = plt.subplots(figsize=(6, 0.8))
    axes.axis("off")
    axes.text(0.5, 0.5, message, ha="center", va="center")
    return _svg(figure)


def _plain_ticks(axes: Any, ticks: list[float]) -> None:
    """Log-scale axes labelled with plain numbers (1.5, not 1.5×10⁰)."""
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.set_xticks(ticks, [f"{t:g}" for t in ticks])


@_serialised
def funnel_chart(rows: list[dict[str, Any]], title: str) -> str:
    """One small funnel per group: of every 1,000 allegations, how many reach each later stage (log scale), from
    published per-allegation rows."""
    stage_order = [s for s in funnel.STAGES if s != "allegation"]
    usable = [r for r in rows if not r.get("missing") and r.get("rate") is not None]
    groups = list(dict.fromkeys(r["group"] for r in usable))
    stages = [s for s in stage_order if any(r["stage"] == s for r in usable)]
    if not groups or not stages:
        return _empty("No stage of the funnel has publishable figures.")
    columns = min(3, len(groups))
    lines = math.ceil(len(groups) / columns)
    figure, axes_grid = plt.subplots(lines, columns, figsize=(3.2 * columns, 0.45 * len(stages) * lines + 0.9),
                                     squeeze=False, sharex=True)
    lookup = {(r["group"], r["stage"]): r["rate"] for r in usable}
    for index, group in enumerate(groups):
        axes = axes_grid[index // columns][index % columns]
        values = [1000 * (lookup.get((group, s)) or 0) for s in stages]
        positions = list(range(len(stages)))[::-1]
        axes.barh(positions, [max(v, 0.1) for v in values], color=COLOURS[index % len(COLOURS)], left=0.1)
        axes.set_xscale("log")
        axes.set_xlim(0.1, 1500)
        _plain_ticks(axes, [1, 10, 100, 1000])
        axes.set_yticks(positions, [funnel.LABELS[s] for s in stages])
        for position, value, stage in zip(positions, values, stages, strict=True):
            shown = lookup.get((group, stage))
            axes.text(max(value, 0.1) * 1.15, position, "x" if shown is None else f"{value:.1f}", va="center",
                      fontsize=7)
        axes.set_title(group, fontsize=9)
        if index % columns:
            axes.set_yticklabels([])
    for index in range(len(groups), lines * columns):
        axes_grid[index // columns][index % columns].axis("off")
    figure.suptitle(title + " (per 1,000 allegations, log scale)", fontsize=10)
    return _svg(figure)


@_serialised
def relative_rate_chart(rows: list[dict[str, Any]], reference: str | None, title: str) -> str:
    """Relative rate against the reference group with its 95% interval, per stage and group (log scale)."""
    usable = [r for r in rows if not r.get("missing") and r.get("relative_rate") and r.get("ci_low")
              and r["group"] != reference]
    if not usable:
        return _empty("No relative rate could be published.")
    figure, axes = plt.subplots(figsize=(7, 0.2 * len(usable) + 1.0))
    groups = list(dict.fromkeys(r["group"] for r in usable))
    labels = []
    for position, row in enumerate(reversed(usable)):
        colour = COLOURS[groups.index(row["group"]) % len(COLOURS)]
        axes.plot([row["ci_low"], row["ci_high"]], [position, position], color=colour, linewidth=1.5)
        axes.plot(row["relative_rate"], position, "o", color=colour, markersize=4)
        labels.append(f"{funnel.LABELS.get(row['stage'], row['stage'])} — {row['group']}")
    axes.axvline(1.0, color="#444", linewidth=0.8, linestyle="--")
    axes.set_xscale("log")
    low = min(r["ci_low"] for r in usable)
    high = max(r["ci_high"] for r in usable)
    _plain_ticks(axes, [t for t in (0.1, 0.2, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20) if low / 1.5 <= t <= high * 1.5])
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel(f"relative rate against {reference} (95% CI, log scale)")
    axes.set_title(title, fontsize=10)
    return _svg(figure)


@_serialised
def bar_chart(rows: list[dict[str, Any]], title: str, value_label: str = "rate") -> str:
    """Horizontal bars of published rates per group, with the numerator/denominator written beside each."""
    usable = [r for r in rows if r.get("rate") is not None]
    if not usable:
        return _empty("No rate could be published.")
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(usable) + 0.9))
    positions = list(range(len(usable)))[::-1]
    axes.barh(positions, [100 * r["rate"] for r in usable], color=COLOURS[0])
    axes.set_yticks(positions, [str(r["group"]).replace("_", " ") for r in usable], fontsize=8)
    for position, row in zip(positions, usable, strict=True):
        axes.text(100 * row["rate"], position, f"  {row['numerator']:,} / {row['denominator']:,}", va="center",
                  fontsize=7)
    axes.set_xlabel(f"{value_label} (%)")
    axes.set_title(title, fontsize=10)
    return _svg(figure)


@_serialised
def survival_chart(section: dict[str, Any], title: str) -> str:
    """Kaplan–Meier curves with 95% bands for the exposed cohort and its matched peers."""
    if section.get("missing"):
        return _empty(f"Not available: {section['missing_reason']}.")
    figure, axes = plt.subplots(figsize=(6.5, 3.2))
    for index, (name, label) in enumerate((("exposed", section.get("exposed_label", "exposed")),
                                           ("peers", "matched peers"))):
        points = section["cohorts"][name]["curve"]
        if not points:
            continue
        years = [p["years"] for p in points]
        axes.step(years, [p["survival"] for p in points], where="post", color=COLOURS[index], label=label)
        axes.fill_between(years, [p["ci_low"] for p in points], [p["ci_high"] for p in points], step="post",
                          color=COLOURS[index], alpha=0.2, linewidth=0)
    axes.set_xlabel("years after the index date")
    axes.set_ylabel("still in the force")
    axes.set_ylim(0, 1.02)
    axes.legend(frameon=False)
    axes.set_title(title, fontsize=10)
    return _svg(figure)


@_serialised
def interval_chart(items: list[dict[str, Any]], title: str, xlabel: str) -> str:
    """Ratios with their 95% intervals (log scale), one line per item: {"label", "value", "low", "high", "colour"}
    (colour: an index into COLOURS, so items of one kind share one)."""
    usable = [i for i in items if i.get("value") and i.get("low") and i.get("high")]
    if not usable:
        return _empty("No ratio with an interval could be shown.")
    figure, axes = plt.subplots(figsize=(7, 0.22 * len(usable) + 1.0))
    for position, item in enumerate(reversed(usable)):
        colour = COLOURS[item.get("colour", 0) % len(COLOURS)]
        axes.plot([item["low"], item["high"]], [position, position], color=colour, linewidth=1.5)
        axes.plot(item["value"], position, "o", color=colour, markersize=4)
    axes.axvline(1.0, color="#444", linewidth=0.8, linestyle="--")
    axes.set_xscale("log")
    low, high = min(i["low"] for i in usable), max(i["high"] for i in usable)
    _plain_ticks(axes, [t for t in (0.1, 0.2, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20) if low / 1.5 <= t <= high * 1.5])
    axes.set_yticks(range(len(usable)), [i["label"] for i in reversed(usable)], fontsize=7)
    axes.set_xlabel(xlabel)
    axes.set_title(title, fontsize=10)
    return _svg(figure)


@_serialised
def value_chart(items: list[dict[str, Any]], title: str, xlabel: str, *, percent: bool = False) -> str:
    """Horizontal bars of one value per item ({"label", "value"}), written beside each bar; `percent`: the values
    are shares, drawn and written as percentages."""
    usable = [i for i in items if i.get("value") is not None]
    if not usable:
        return _empty("No figure could be shown.")
    scale = 100 if percent else 1
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(usable) + 0.9))
    positions = list(range(len(usable)))[::-1]
    axes.barh(positions, [scale * i["value"] for i in usable], color=COLOURS[0])
    axes.set_yticks(positions, [str(i["label"]) for i in usable], fontsize=8)
    for position, item in zip(positions, usable, strict=True):
        written = f"{scale * item['value']:.1f}%" if percent else f"{item['value']:,.0f}"
        axes.text(scale * item["value"], position, f"  {written}", va="center", fontsize=7)
    axes.set_xlabel(xlabel)
    axes.set_title(title, fontsize=10)
    return _svg(figure)
