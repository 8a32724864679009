"""Concentration and networks of allegations on a dataset in the common schema (see docs/patterns.md).

Definitions (every count is over complaints whose received_date is in the window and whose source matches):
- an *allegation* is a distinct person × complaint pair (several categories against one person on one complaint
  count once); it is *substantiated* when any of its rows has finding "substantiated";
- *subjects* are the distinct accused people, *complaints* the distinct complaints naming at least one of them;
- *concentration* "p" is the share of allegations held by the top k = ceil(p% × subjects) people by allegation
  count (at least 1 when there is any subject). People tied at the boundary have equal counts, so which of them
  is taken does not change the share;
- the *co-accusal graph* joins two people accused on the same complaint; complaints naming more than `max_group`
  people are left out of it (a mass complaint is not a crew). An edge's weight is the number of such complaints;
- *crews* are communities (Louvain, networkx, fixed seed) of the graph restricted to edges of weight
  >= `crew_min_weight`, keeping those with at least `crew_min_size` people;
- *repeat witnesses* are officer witnesses on at least `witness_min` complaints against the same subject. A dataset
  that records no witnesses at all cannot say how many there are: `witness_pairs` is then not known (null, with the
  reason), never zero.

Person-level results (crews with members, witness pairs) are for the overseer and professional standards only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import polars as pl

from upstander.insight import schema
from upstander.insight.datasets import window

SUBSTANTIATED = "substantiated"


def table(dataset: Any, name: str) -> pl.DataFrame:
    """A table of a dataset (attribute, `.tables[name]` or mapping), conformed to the schema; empty if absent."""
    frame = getattr(dataset, name, None)
    if frame is None and hasattr(dataset, "tables"):
        frame = dataset.tables.get(name)
    if frame is None and isinstance(dataset, dict):
        frame = dataset.get(name)
    if frame is None:
        return schema.empty(name)
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    return schema.conform(name, frame)


def window_complaints(
    dataset: Any, *, date_from: date | None = None, date_to: date | None = None, source: str | None = None
) -> pl.DataFrame:
    """Complaints received in [date_from, date_to] (inclusive) from `source` ("public", "internal"; None/"all": any).
    A complaint with no received date is kept only when no date bound is given."""
    frame = window(table(dataset, "complaints"), date_from, date_to)
    if source and source != "all":
        frame = frame.filter(pl.col("source") == source)
    return frame


def allegation_pairs(
    dataset: Any, *, date_from: date | None = None, date_to: date | None = None, source: str | None = None
) -> pl.DataFrame:
    """One row per distinct person × complaint in the window: person_id, complaint_id, received_date,
    closed_date, substantiated (bool)."""
    complaints = window_complaints(dataset, date_from=date_from, date_to=date_to, source=source)
    rows = table(dataset, "allegations").filter(pl.col("person_id").is_not_null())
    return (
        rows.join(complaints.select("complaint_id", "received_date", "closed_date"), on="complaint_id", how="inner")
        .group_by("person_id", "complaint_id")
        .agg(
            pl.col("received_date").first(),
            pl.col("closed_date").first(),
            (pl.col("finding") == SUBSTANTIATED).fill_null(False).any().alias("substantiated"),
        )
        .sort("person_id", "complaint_id")
    )


def concentration(pairs: pl.DataFrame, percents: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    counts = pairs.group_by("person_id").len().get_column("len").sort(descending=True)
    total, people = int(counts.sum()), counts.len()
    shares = {}
    for percent in percents:
        top_k = -(-people * percent // 100)  # ceil without floats
        shares[str(percent)] = float(counts.head(top_k).sum()) / total if total else 0.0
    return shares


def coaccusal_edges(pairs: pl.DataFrame, *, max_group: int = 10) -> tuple[pl.DataFrame, dict[str, int]]:
    """Edges a < b with weight = complaints naming both, over complaints naming 2..max_group people."""
    sizes = pairs.group_by("complaint_id").len("accused")
    used = sizes.filter((pl.col("accused") >= 2) & (pl.col("accused") <= max_group))
    members = pairs.select("complaint_id", "person_id").join(used.select("complaint_id"), on="complaint_id")
    edges = (
        members.rename({"person_id": "a"})
        .join(members.rename({"person_id": "b"}), on="complaint_id")
        .filter(pl.col("a") < pl.col("b"))
        .group_by("a", "b")
        .len("weight")
        .sort("weight", "a", "b", descending=[True, False, False])
    )
    info = {
        "complaints_used": used.height,
        "complaints_excluded": sizes.filter(pl.col("accused") > max_group).height,
        "largest_complaint": int(sizes.get_column("accused").max() or 0),
    }
    return edges, info


def find_crews(
    edges: pl.DataFrame, *, min_weight: int = 3, min_size: int = 3, max_size: int = 20, seed: int = 0
) -> list[list[str]]:
    """Communities of the graph of pairs co-accused at least `min_weight` times, largest first.

    Louvain at the usual resolution merges whole districts of long-standing partners into communities of hundreds;
    a crew is a small group, so a community larger than `max_size` is split again by Louvain on its own subgraph
    until it is small enough or cannot be split (max_size 0: no splitting)."""
    strong = edges.filter(pl.col("weight") >= min_weight)
    # Integer node labels: Louvain iterates over sets of nodes, and sets of strings are ordered by a hash that
    # changes between processes, which made the communities differ from run to run.
    names = sorted(set(strong.get_column("a").to_list()) | set(strong.get_column("b").to_list()))
    index = {name: i for i, name in enumerate(names)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(names)))
    graph.add_weighted_edges_from((index[a], index[b], w) for a, b, w in strong.iter_rows())
    found = _communities(graph, set(graph.nodes), max_size, seed)
    crews = [sorted(names[i] for i in c) for c in found if len(c) >= min_size]
    return sorted(crews, key=lambda c: (-len(c), c[0]))


def _communities(graph: nx.Graph, nodes: set, max_size: int, seed: int) -> list[set]:
    if not nodes:
        return []
    parts = nx.community.louvain_communities(graph.subgraph(nodes), weight="weight", seed=seed)
    found = []
    for part in parts:
        if max_size and len(part) > max_size and len(parts) > 1:  # one part: Louvain cannot split it further
            found.extend(_communities(graph, part, max_size, seed))
        else:
            found.append(part)
    return found


def crew_summaries(crews: list[list[str]], pairs: pl.DataFrame, edges: pl.DataFrame) -> tuple[list[dict], dict]:
    """Each crew's allegations and substantiated allegations, and their shares of the window's totals."""
    total = pairs.height
    total_sub = int(pairs.get_column("substantiated").sum())
    if not crews:
        return [], {"count": 0, "people": 0, "allegations": 0, "substantiated": 0,
                    "share_of_allegations": 0.0, "share_of_substantiated": 0.0}
    membership = pl.DataFrame(
        {"person_id": [p for c in crews for p in c], "crew": [i for i, c in enumerate(crews) for _ in c]},
        schema={"person_id": pl.Utf8, "crew": pl.Int64},
    )
    held = pairs.join(membership, on="person_id")
    per_crew = held.group_by("crew").agg(
        pl.len().alias("allegations"), pl.col("substantiated").sum().alias("substantiated")
    )
    joint = (  # complaints on which at least two members of the same crew are accused together
        held.group_by("crew", "complaint_id").len().filter(pl.col("len") >= 2).group_by("crew").len("joint_complaints")
    )
    internal = (
        edges.join(membership.rename({"person_id": "a"}), on="a")
        .join(membership.rename({"person_id": "b", "crew": "crew_b"}), on="b")
        .filter(pl.col("crew") == pl.col("crew_b"))
        .group_by("crew")
        .agg(pl.col("weight").sum().alias("internal_weight"))
    )
    stats = {row["crew"]: row for row in per_crew.join(joint, on="crew", how="left")
             .join(internal, on="crew", how="left").iter_rows(named=True)}
    summaries = []
    for i, members in enumerate(crews):
        row = stats.get(i, {})
        alleg, sub = int(row.get("allegations") or 0), int(row.get("substantiated") or 0)
        summaries.append({
            "size": len(members), "members": members, "allegations": alleg, "substantiated": sub,
            "joint_complaints": int(row.get("joint_complaints") or 0),
            "internal_weight": int(row.get("internal_weight") or 0),
            "share_of_allegations": alleg / total if total else 0.0,
            "share_of_substantiated": sub / total_sub if total_sub else 0.0,
        })
    all_alleg = sum(s["allegations"] for s in summaries)
    all_sub = sum(s["substantiated"] for s in summaries)
    totals = {
        "count": len(crews), "people": membership.height, "allegations": all_alleg, "substantiated": all_sub,
        "share_of_allegations": all_alleg / total if total else 0.0,
        "share_of_substantiated": all_sub / total_sub if total_sub else 0.0,
    }
    return summaries, totals


def repeat_witnesses(
    dataset: Any, pairs: pl.DataFrame, *, date_from: date | None = None, date_to: date | None = None,
    source: str | None = None, min_complaints: int = 3,
) -> pl.DataFrame:
    """Witness × subject pairs: complaints on which the witness witnessed for the accused subject, and how many
    of those allegations were substantiated; only pairs with >= min_complaints complaints."""
    complaints = window_complaints(dataset, date_from=date_from, date_to=date_to, source=source)
    witnesses = (
        table(dataset, "witnesses").filter(pl.col("person_id").is_not_null())
        .join(complaints.select("complaint_id"), on="complaint_id").unique()
        .rename({"person_id": "witness"})
    )
    return (
        witnesses.join(pairs.select("complaint_id", "person_id", "substantiated"), on="complaint_id")
        .filter(pl.col("witness") != pl.col("person_id"))
        .group_by("witness", pl.col("person_id").alias("subject"))
        .agg(pl.len().alias("complaints"), pl.col("substantiated").sum().alias("substantiated"))
        .filter(pl.col("complaints") >= min_complaints)
        .sort("complaints", "witness", "subject", descending=[True, False, False])
    )


def witnesses_recorded(dataset: Any) -> bool:
    """Whether the dataset records officer witnesses at all (over the whole dataset, not only the window)."""
    if hasattr(dataset, "recorded"):
        return bool(dataset.recorded("witnesses", "person_id"))
    return table(dataset, "witnesses")["person_id"].drop_nulls().len() > 0


def _witness_pairs(dataset: Any, witnesses: pl.DataFrame, witness_min: int) -> dict[str, Any]:
    if not witnesses_recorded(dataset):
        reason = "the dataset records no officer witnesses"
        return {"witness_pairs": {"ge3": None, "ge5": None, "missing": True, "missing_reason": reason},
                "repeat_witnesses": None}
    return {"witness_pairs": {"ge3": witnesses.filter(pl.col("complaints") >= 3).height,
                              "ge5": witnesses.filter(pl.col("complaints") >= 5).height},
            "repeat_witnesses": witnesses.filter(pl.col("complaints") >= witness_min).to_dicts()}


@dataclass(frozen=True)
class PatternOptions:
    date_from: date | None = None
    date_to: date | None = None
    source: str | None = None
    max_group: int = 10
    crew_min_weight: int = 3
    crew_min_size: int = 3
    crew_max_size: int = 20
    witness_min: int = 3
    seed: int = 0


def patterns(dataset: Any, options: PatternOptions | None = None) -> dict:
    """The `insight patterns --json` document."""
    o = options or PatternOptions()
    window = {"date_from": o.date_from, "date_to": o.date_to, "source": o.source}
    pairs = allegation_pairs(dataset, **window)
    edges, graph_info = coaccusal_edges(pairs, max_group=o.max_group)
    crews = find_crews(
        edges, min_weight=o.crew_min_weight, min_size=o.crew_min_size, max_size=o.crew_max_size, seed=o.seed
    )
    crew_list, crew_totals = crew_summaries(crews, pairs, edges)
    witnesses = repeat_witnesses(dataset, pairs, min_complaints=min(o.witness_min, 3), **window)
    weights = edges.get_column("weight")
    return {
        "window": {"from": _iso(o.date_from), "to": _iso(o.date_to), "source": o.source or "all"},
        "subjects": pairs.get_column("person_id").n_unique(),
        "complaints": pairs.get_column("complaint_id").n_unique(),
        "allegations": pairs.height,
        "substantiated": int(pairs.get_column("substantiated").sum()),
        "concentration": concentration(pairs),
        "graph": {"max_group": o.max_group, "nodes": pl.concat([edges["a"], edges["b"]]).n_unique(),
                  "edges": edges.height, **graph_info},
        "coaccused_pairs": {"ge3": int((weights >= 3).sum()), "ge5": int((weights >= 5).sum())},
        "crews": crew_list,
        "crew_totals": {"min_weight": o.crew_min_weight, "min_size": o.crew_min_size, "max_size": o.crew_max_size,
                        **crew_totals},
        **_witness_pairs(dataset, witnesses, o.witness_min),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def resigned_under_investigation(
    dataset: Any, *, date_from: date | None = None, date_to: date | None = None, source: str | None = None
) -> dict:
    """People who left while an allegation against them was open: received_date <= left_date <= the date it was
    closed (the allegation's outcome date, else the complaint's closed date; an allegation with neither is still
    open and counts when the person left after it was received). Listed with what happened to each allegation."""
    complaints = window_complaints(dataset, date_from=date_from, date_to=date_to, source=source).select(
        "complaint_id", "received_date", "closed_date", pl.col("category").alias("complaint_category"))
    rows = table(dataset, "allegations").filter(pl.col("person_id").is_not_null()).join(complaints, on="complaint_id")
    per_allegation = rows.group_by("person_id", "complaint_id").agg(
        pl.col("received_date").first(),
        pl.coalesce(pl.col("outcome_date").min(), pl.col("closed_date").first()).alias("closed_date"),
        pl.coalesce(pl.col("category").drop_nulls().first(), pl.col("complaint_category").first()).alias("category"),
        _first_by_severity("finding", FINDING_ORDER).alias("finding"),
        pl.col("sanction").drop_nulls().first().alias("sanction"),
    )
    people = table(dataset, "people").filter(pl.col("left_date").is_not_null()).select(
        "person_id", "left_date", "left_reason")
    found = (
        per_allegation.join(people, on="person_id")
        .filter((pl.col("received_date") <= pl.col("left_date"))
                & (pl.col("closed_date").is_null() | (pl.col("left_date") <= pl.col("closed_date"))))
        .with_columns(
            pl.col("closed_date").is_null().alias("still_open"),
            (pl.col("closed_date") - pl.col("left_date")).dt.total_days().alias("days_open_after_leaving"),
        )
        .sort("person_id", "received_date", "complaint_id")
    )
    findings = found.group_by(pl.col("finding").fill_null("not_recorded")).len().sort("finding")
    return {
        "people": found.get_column("person_id").n_unique(),
        "allegations": found.height,
        "still_open": int(found.get_column("still_open").sum()),
        "by_finding": dict(findings.iter_rows()),
        "substantiated_after_leaving": found.filter(pl.col("finding") == SUBSTANTIATED).height,
        "list": found.select(
            "person_id", "left_date", "left_reason", "complaint_id", "received_date", "closed_date", "category",
            "finding", "sanction", "still_open", "days_open_after_leaving").to_dicts(),
    }


FINDING_ORDER = [SUBSTANTIATED, "not_substantiated", "unfounded", "exonerated", "no_finding"]


def _first_by_severity(column: str, order: list[str]) -> pl.Expr:
    """The most serious value of `column` among an allegation's rows (order: most serious first)."""
    rank = pl.col(column).replace_strict(order, list(range(len(order))), default=len(order))
    return pl.col(column).sort_by(rank).drop_nulls().first()
