"""The figures and the picture of the overseer's crews page (crew_views.py): the co-accusal figures of `insight
patterns` for a dataset and window, and the largest crews drawn as a network on the server.

The network is SVG embedded as a data: URI in an <img>: it reads without JavaScript, and the site's
Content-Security-Policy forbids the inline styles an inline <svg> would need. Every colour is a presentation
attribute (fill=, stroke=). A table beside it lists the same people and links for screen readers.

Crews name people: the page reaches these only through oversight/access.py (the overseer, audited).
"""

from __future__ import annotations

import base64
import math
import uuid
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import polars as pl

from upstander.insight import patterns as pt
from upstander.insight.datasets import LIVE, load
from upstander.people.models import Person

# Colour-blind-safe qualitative colours (Okabe-Ito and Tol's muted), one per crew shown; repeated past the end.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#117733", "#999933",
           "#332288", "#aa4499", "#44aa99"]
OUTSIDE = "#8a8a8a"
CELL, HEADER, COLUMNS, MARGIN, LABEL = 250, 40, 4, 16, 40


@dataclass
class Picture:
    """The network drawn: its SVG as a data: URI and, for the text alternative, every link it shows."""

    uri: str
    links: list[dict[str, Any]] = field(default_factory=list)
    outsiders: int = 0


def analyse(params: dict[str, Any]) -> dict[str, Any]:
    """The figures of `insight patterns` (patterns.py's own functions, same definitions) and the co-accusal edges
    the picture needs; repeat witnesses are not computed (not shown here)."""
    window = {"date_from": params["date_from"], "date_to": params["date_to"], "source": params["source"]}
    data = load(params["dataset"], **window)
    pairs = pt.allegation_pairs(data, **window)
    edges, graph_info = pt.coaccusal_edges(pairs, max_group=params["max_group"])
    found = pt.find_crews(edges, min_weight=params["min_pairs"])
    crews, totals = pt.crew_summaries(found, pairs, edges)
    weights = edges.get_column("weight")
    return {
        "window": data.window_label(), "dataset": data.name, "source": params["source"],
        "subjects": pairs.get_column("person_id").n_unique(), "complaints": pairs.get_column("complaint_id").n_unique(),
        "allegations": pairs.height, "substantiated": int(pairs.get_column("substantiated").sum()),
        "concentration": pt.concentration(pairs), "graph": {"edges": edges.height, **graph_info},
        "pairs_ge3": int((weights >= 3).sum()), "pairs_ge5": int((weights >= 5).sum()),
        "crews": crews, "crew_totals": totals, "edges": edges,
    }


def links(shown: list[dict[str, Any]], edges: pl.DataFrame, min_pairs: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Links of the shown crews among pairs co-accused >= min_pairs times: inside a crew (every one), and each
    member's strongest link outside their crew (one each; the heaviest, ties to the lowest id)."""
    membership = pl.DataFrame(
        {"person": [p for c in shown for p in c["members"]], "crew": [k for k, c in enumerate(shown) for _ in c["members"]]},
        schema={"person": pl.Utf8, "crew": pl.Int64})
    strong = edges.filter(pl.col("weight") >= min_pairs)
    both_ways = pl.concat([strong.select(pl.col("a").alias("person"), pl.col("b").alias("other"), "weight"),
                           strong.select(pl.col("b").alias("person"), pl.col("a").alias("other"), "weight")])
    ends = (both_ways.join(membership, on="person")
            .join(membership.rename({"person": "other", "crew": "other_crew"}), on="other", how="left"))
    inside = ends.filter((pl.col("crew") == pl.col("other_crew")) & (pl.col("person") < pl.col("other")))
    outside = (ends.filter(pl.col("other_crew").is_null() | (pl.col("other_crew") != pl.col("crew")))
               .sort(["person", "weight", "other"], descending=[False, True, False])
               .group_by("person", maintain_order=True).first())
    return inside.sort("crew", "person", "other"), outside.sort("crew", "person")


def _layout(nodes: list[str], links: list[tuple[str, str, int]]) -> dict[str, tuple[float, float]]:
    """One crew's cell, laid out deterministically (spring layout from a fixed seed, nodes added in sorted order),
    scaled to [-1, 1]. Links pull equally whatever their weight: weighted, a heavy link pulled its two people on top
    of each other; the weight shows as the line's thickness instead. (Kamada-Kawai drew much the same at 0.3-0.7 s a
    crew on the Chicago data; this takes milliseconds.)"""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted((a, b) for a, b, _ in links))
    if graph.number_of_nodes() == 1:
        return {nodes[0]: (0.0, 0.0)}
    placed = nx.spring_layout(graph, k=1.5 / math.sqrt(graph.number_of_nodes()), weight=None, seed=0,
                              iterations=200)
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: ((float(x) - cx) / half, (float(y) - cy) / half) for n, (x, y) in placed.items()}


def picture(shown: list[dict[str, Any]], inside: pl.DataFrame, outside: pl.DataFrame, min_pairs: int,
             short: dict[str, str], name: dict[str, str]) -> Picture:
    """The shown crews in a grid of cells, one per crew, each laid out on its own (a spring layout of the whole
    would fling unconnected crews to the edges). A member's strongest outside link brings its other end into the
    cell as a grey node, unless that person is in another shown crew: then the link is drawn dashed, across."""
    crew_of = {p: k for k, c in enumerate(shown) for p in c["members"]}
    guests: dict[str, int] = {}  # outsiders, each drawn once, in the first crew that links to them
    for row in outside.iter_rows(named=True):
        if row["other_crew"] is None:
            guests.setdefault(row["other"], row["crew"])
    rows = math.ceil(len(shown) / COLUMNS)
    width, height = CELL * min(COLUMNS, len(shown)), (CELL + HEADER) * rows
    where: dict[str, tuple[float, float]] = {}
    cells = []
    for k, crew in enumerate(shown):
        members = list(crew["members"])
        nodes = members + sorted(g for g, home in guests.items() if home == k)
        links = [(r["person"], r["other"], r["weight"]) for r in inside.filter(pl.col("crew") == k).iter_rows(named=True)]
        links += [(r["person"], r["other"], r["weight"]) for r in outside.filter(pl.col("crew") == k).iter_rows(named=True)
                  if r["other"] in nodes]
        left, top = (k % COLUMNS) * CELL, (k // COLUMNS) * (CELL + HEADER) + HEADER
        centre, half = left + (CELL - LABEL) / 2, (CELL - LABEL) / 2 - MARGIN  # room on the right for labels
        for node, (x, y) in _layout(nodes, links).items():
            where[node] = (centre + x * half, top + CELL / 2 - y * (CELL / 2 - MARGIN))
        cells.append((k, left, top, crew))

    drawn: list[dict[str, Any]] = []
    heaviest = max([r["weight"] for r in inside.iter_rows(named=True)] + [r["weight"] for r in outside.iter_rows(
        named=True)] + [min_pairs])
    lines = []
    for row in inside.iter_rows(named=True):
        lines.append(_line(where[row["person"]], where[row["other"]], row["weight"], heaviest, PALETTE[row["crew"] % 12]))
        drawn.append({"crew": row["crew"] + 1, "a": name[row["person"]], "b": name[row["other"]],
                      "weight": row["weight"], "kind": "within the crew"})
    for row in outside.iter_rows(named=True):
        across = row["other_crew"] is not None
        lines.append(_line(where[row["person"]], where[row["other"]], row["weight"], heaviest, OUTSIDE, dashed=across))
        drawn.append({"crew": row["crew"] + 1, "a": name[row["person"]], "b": name[row["other"]],
                      "weight": row["weight"], "kind": (f"strongest link outside: crew {row['other_crew'] + 1}"
                                                        if across else "strongest link outside the crews shown")})
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    for k, left, top, crew in cells:
        colour = PALETTE[k % 12]
        parts.append(f'<rect x="{left + 4}" y="{top - HEADER + 4}" width="{CELL - 8}" height="{CELL + HEADER - 8}" '
                     f'fill="none" stroke="#dddddd"/>')
        parts.append(f'<text x="{left + 12}" y="{top - HEADER + 20}" font-size="12" font-weight="bold" '
                     f'fill={quoteattr(colour)}>Crew {k + 1}: {crew["size"]} people</text>')
        share = (f"{100 * crew['share_of_allegations']:.2f}% of allegations, "
                 f"{100 * crew['share_of_substantiated']:.2f}% of substantiated")
        parts.append(f'<text x="{left + 12}" y="{top - HEADER + 34}" font-size="10" fill="#333333">{share}</text>')
    parts.extend(lines)
    for node, (x, y) in sorted(where.items()):
        home = crew_of.get(node)
        fill, stroke = (PALETTE[home % 12], "#ffffff") if home is not None else ("#ffffff", OUTSIDE)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5">'
                     f'<title>{escape(name[node])}</title></circle>')
        parts.append(f'<text x="{x + 8:.1f}" y="{y + 3:.1f}" font-size="8" fill="#333333">{escape(short[node])}</text>')
    parts.append("</svg>")
    uri = "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode()).decode("ascii")
    return Picture(uri=uri, links=drawn, outsiders=len(guests))


def _line(start: tuple[float, float], end: tuple[float, float], weight: int, heaviest: int, colour: str, *,
          dashed: bool = False) -> str:
    stroke = 1 + 4 * math.log1p(weight) / math.log1p(heaviest)  # heavier links thicker, on a log scale
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" stroke="{colour}" '
            f'stroke-width="{stroke:.2f}" stroke-opacity="0.75"{dash}/>')


def names(dataset: str, ids: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each person's full label (tables) and short label (the picture). Live people are roster entries, keyed by
    their public_id's hex: shown by name and number; an id with no roster entry, and imported ids, as they are."""
    full = {i: i for i in ids}
    short = {i: i if len(i) <= 14 else i[:12] + "…" for i in ids}
    if dataset == LIVE and ids:
        wanted = []
        for i in ids:
            try:
                wanted.append(uuid.UUID(hex=i))
            except ValueError:
                continue
        for person in Person.objects.filter(public_id__in=wanted).only("public_id", "given_name", "family_name",
                                                                         "number"):
            full[person.public_id.hex] = f"{person.full_name} ({person.number})"
            short[person.public_id.hex] = person.number
    return full, short
