"""Subject resolution: link each subject mention (name, number, unit and rank as the reporter wrote them) to a person
in the roster with probabilistic record linkage (Splink on DuckDB), then decide per mention. See docs/patterns.md.

- Records. The roster is one record per person × unit stint (UnitHistory), so "the unit they were in at the time"
  is a level of the unit comparison; a person's weight for a mention is their best stint's. A mention's unit text
  is read against the roster's own unit and team names.
- Comparisons (Splink): family name (exact with a term-frequency adjustment; one slip — one edit or the same
  sound; Jaro-Winkler ≥ 0.88), given name (the same, the name a person is known by, or a nickname of it from
  the roster's people/data/nicknames.tsv; an initial; one slip), warrant or staff number (exact; one edit: swapped, wrong or
  dropped digit), unit (team and unit at the date; unit at the date; unit at another time), rank, employment at
  the date. Blocking: number, its prefix, suffix, first and last two digits, or its digits in any order; family
  name, its first three letters, its sound, its last three letters, its first and last two letters, or its letters
  in any order (a swap anywhere); and (for mentions with no name) unit and rank.
- Confirmed links feed back: the m probabilities are estimated from the mentions a handler confirmed (pairwise
  labels); u probabilities from random pairs. With no confirmed links yet, m comes from expectation maximisation.
- Exactly one person. Splink weighs each pair on its own; but a mention names one person, so each candidate's
  Bayes factor is divided by the sum over all candidates plus an allowance for everyone blocking left out (each
  taken as disagreeing on every identifying field the mention gives). That share is the mention's probability for
  that person: two equally good candidates each get at most a half, a lone rare surname most of it.
- Decision per mention: best person p1, next-best person p2 (shares). Linked automatically when p1 ≥ `link_at` and
  p2 < `runner_up_below`; suggested (queued for a handler) when p1 ≥ `suggest_at`; otherwise left unresolved.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import polars as pl

from upstander.people.names import nickname_table

RANK_ALIASES = {
    "constable": ["pc", "dc", "constable", "officer", "wpc", "tdc"],
    "sergeant": ["ps", "ds", "sergeant", "sarge", "sgt", "dsgt"],
    "inspector": ["inspector", "di", "insp"],
    "chief inspector": ["chief inspector", "dci", "ci", "ch insp"],
    "superintendent": ["superintendent", "supt", "dsupt", "det supt"],
    "chief superintendent": ["chief superintendent", "ch supt", "chief supt", "dcs"],
    "commander": ["commander", "cmdr"],
    "deputy assistant commissioner": ["deputy assistant commissioner", "dac"],
    "assistant commissioner": ["assistant commissioner", "ac"],
    "staff": ["staff", "police staff", "band a", "band b", "band c", "band d", "band e", "senior leader"],
}
RANK_OF = {alias: rank for rank, aliases in RANK_ALIASES.items() for alias in aliases}

MENTIONS, ROSTER = "mentions", "roster"


@dataclass(frozen=True)
class Thresholds:
    """On the person's share of the mention (module docstring). Chosen on synthetic forces of 2,000 and 10,000 staff
    at both noise levels (docs/patterns.md)."""

    link_at: float = 0.9
    runner_up_below: float = 0.05
    suggest_at: float = 0.1


def canonical_rank(text: str | None) -> str | None:
    if not text:
        return None
    key = re.sub(r"[^a-z ]", "", text.lower()).strip()
    return RANK_OF.get(key, key or None)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9 ,'-]", "", text.lower().replace(".", " ")).strip()
    return re.sub(r"\s+", " ", text) or None


_SOUNDS = [("^mac", "mc"), ("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"), ("y", "i"), ("th", "t"),
           ("dt", "t"), ("sch", "s")]


def sound_key(name: str | None) -> str | None:
    """A rough English sound key: similar-sounding spellings of a family name (Phillips/Fillips, McKenzie/Mackenzie,
    Thomson/Tomson, Smyth/Smith) share it. First letter kept after the rewrites, then consonants, doubles merged."""
    if not name:
        return None
    text = re.sub(r"[^a-z]", "", name.lower())
    for old, new in _SOUNDS:
        text = re.sub(old, new, text)
    if not text:
        return None
    rest = re.sub(r"[aeiouhw]", "", text[1:])
    return re.sub(r"(.)\1+", r"\1", text[0] + rest)


def _nicknames() -> dict[str, list[str]]:
    """Short form -> the full given names it stands for (lower case)."""
    table: dict[str, list[str]] = {}
    for full, shorts in nickname_table().items():
        for short in shorts:
            table.setdefault(short.lower(), []).append(full.lower())
    return table


def _units(roster: pl.DataFrame) -> dict[str, set[str]]:
    """Unit name -> its team names, as the roster records spell them."""
    units: dict[str, set[str]] = {}
    for unit, team in roster.select("unit_name", "team_name").unique().iter_rows():
        if unit:
            units.setdefault(unit, set()).update([team] if team else [])
    return units


def read_unit(text: str | None, units: dict[str, set[str]]) -> tuple[str | None, str | None]:
    """(unit, team) named in a written unit such as "Northgate BCU" or "Response Team A, Northgate": the longest
    roster unit name in it, then the longest of that unit's team names."""
    text = _clean(text)
    if not text:
        return None, None
    head, _, tail = text.rpartition(",")
    unit_part = _unit_name(tail) or ""
    unit = unit_part if unit_part in units else max((u for u in units if u in text), key=len, default=None)
    if unit is None:
        return None, None
    team = max((t for t in units[unit] if t in (head or text)), key=len, default=None)
    return unit, team


def mention_records(mentions: pl.DataFrame, roster: pl.DataFrame | None = None) -> pl.DataFrame:
    """mentions: mention_id, name, number, unit, rank, on (date) -> Splink records (units read against `roster`)."""
    nick = _nicknames()
    units = _units(roster) if roster is not None else {}
    families = set(roster["family"].drop_nulls().to_list()) if roster is not None else set()
    rows = []
    for m in mentions.iter_rows(named=True):
        tokens = (_clean(m["name"]) or "").replace(",", " ").split()
        given = tokens[0] if len(tokens) >= 2 else None
        family = tokens[-1] if tokens else None
        unit, team = read_unit(m["unit"], units)
        rows.append({"unique_id": m["mention_id"], "person_id": None, "given": given,
                     "family_known": family in families if family else None,
                     "given_forms": [given, *nick.get(given, [])] if given else None, "known_as": None,
                     "family": family, "family_sound": sound_key(family), "family_letters": _letters(family),
                     "number": _number(m["number"]), "number_letters": _letters(_number(m["number"])),
                     "unit_text": _clean(m["unit"]), "unit_name": unit, "team_name": team,
                     "rank": canonical_rank(m["rank"]), "seen_on": m["on"], "stint_from": None, "stint_to": None,
                     "joined_on": None, "left_on": None})
    return pl.DataFrame(rows, schema=RECORD_SCHEMA)


def roster_records(people: pl.DataFrame, stints: pl.DataFrame) -> pl.DataFrame:
    """people: person_id, number, given, family, known_as, rank, joined, left;
    stints: person_id, unit_name, team_name, start, end -> one Splink record per person × stint (a person with no
    stint gets one record without a unit)."""
    joined = people.join(stints, on="person_id", how="left").with_row_index("k")
    return pl.DataFrame([{
        "unique_id": f"{r['person_id']}#{r['k']}", "person_id": r["person_id"], "given": _clean(r["given"]),
        "given_forms": None, "known_as": _clean(r["known_as"]), "family": _last(_clean(r["family"])),
        "family_known": None,
        "family_sound": sound_key(_last(_clean(r["family"]))), "family_letters": _letters(_last(_clean(r["family"]))),
        "number": _number(r["number"]), "number_letters": _letters(_number(r["number"])), "unit_text": None,
        "unit_name": _unit_name(r["unit_name"]), "team_name": _clean(r["team_name"]),
        "rank": canonical_rank(r["rank"]), "seen_on": None, "stint_from": r["start"], "stint_to": r["end"],
        "joined_on": r["joined"], "left_on": r["left"]} for r in joined.iter_rows(named=True)], schema=RECORD_SCHEMA)


def _last(family: str | None) -> str | None:
    """A family name as a reporter's last word of it ("de luca" -> "luca")."""
    return family.split()[-1] if family else None


def _letters(text: str | None) -> str | None:
    """The characters in order of sorting: two letters or digits swapped anywhere leave it unchanged."""
    return "".join(sorted(text)) if text else None


def _number(text: str | None) -> str | None:
    return re.sub(r"\s", "", text or "").upper() or None


def _unit_name(name: str | None) -> str | None:
    cleaned = _clean(name)
    return re.sub(r" (bcu|ocu|unit)$", "", cleaned) if cleaned else None


RECORD_SCHEMA = {
    "unique_id": pl.Utf8, "person_id": pl.Utf8, "given": pl.Utf8, "given_forms": pl.List(pl.Utf8),
    "known_as": pl.Utf8, "family": pl.Utf8, "family_known": pl.Boolean, "family_sound": pl.Utf8,
    "family_letters": pl.Utf8, "number_letters": pl.Utf8, "number": pl.Utf8, "unit_text": pl.Utf8,
    "unit_name": pl.Utf8, "team_name": pl.Utf8, "rank": pl.Utf8, "seen_on": pl.Date, "stint_from": pl.Date,
    "stint_to": pl.Date, "joined_on": pl.Date, "left_on": pl.Date,
}


def _either(condition: str) -> str:
    """A condition written with m.X for the mention side and p.X for the roster side, tried both ways round (Splink
    may put either record on the left; its comparison SQL names columns X_l and X_r)."""
    one = re.sub(r"\bp\.(\w+)", r"\1_r", re.sub(r"\bm\.(\w+)", r"\1_l", condition))
    other = re.sub(r"\bp\.(\w+)", r"\1_l", re.sub(r"\bm\.(\w+)", r"\1_r", condition))
    return f"(({one}) OR ({other}))"


def _sides(condition: str) -> str:
    """l.X / r.X written as Splink's X_l / X_r."""
    return re.sub(r"\b([lr])\.(\w+)", r"\2_\1", condition)


def _level(sql: str, label: str, **extra: Any) -> dict:
    return {"sql_condition": sql if sql == "ELSE" else _sides(sql), "label_for_charts": label, **extra}


# Fields whose disagreement the blocking rules make likely for a person they leave out (see _allowance).
IDENTIFYING = {"family": "family", "number": "number", "unit": "unit_name"}


def settings(n_records: int) -> dict:
    at_time = "m.seen_on BETWEEN p.stint_from AND coalesce(p.stint_to, DATE '9999-12-31')"
    known = "coalesce(l.family_known, r.family_known)"  # the written family name is someone's on the roster
    comparisons = [
        {"output_column_name": "family", "comparison_levels": [
            _level("l.family IS NULL OR r.family IS NULL", "null", is_null_level=True),
            _level("l.family = r.family", "exact", tf_adjustment_column="family", tf_adjustment_weight=1.0),
            _level(f"{known} AND (damerau_levenshtein(l.family, r.family) <= 1 OR (l.family_sound = r.family_sound AND "
                   "damerau_levenshtein(l.family, r.family) <= 2) OR jaro_winkler_similarity(l.family, r.family) >= 0.88)",
                   "close to, but another person's name"),
            _level("damerau_levenshtein(l.family, r.family) <= 1", "one edit"),
            _level("l.family_sound = r.family_sound AND damerau_levenshtein(l.family, r.family) <= 2", "sounds alike"),
            _level("jaro_winkler_similarity(l.family, r.family) >= 0.88", "jw 0.88"),
            _level("ELSE", "else")]},
        {"output_column_name": "given", "comparison_levels": [
            _level("l.given IS NULL OR r.given IS NULL", "null", is_null_level=True),
            _level("l.given = r.given", "exact", tf_adjustment_column="given", tf_adjustment_weight=1.0),
            _level(_either("list_contains(m.given_forms, p.given) OR m.given = p.known_as"), "known as or nickname"),
            _level(_either("length(m.given) = 1 AND m.given = substr(p.given, 1, 1)"), "initial"),
            _level("damerau_levenshtein(l.given, r.given) <= 1 OR jaro_winkler_similarity(l.given, r.given) >= 0.9",
                   "one slip"),
            _level("ELSE", "else")]},
        {"output_column_name": "number", "comparison_levels": [
            _level("l.number IS NULL OR r.number IS NULL", "null", is_null_level=True),
            _level("l.number = r.number", "exact"),
            _level("damerau_levenshtein(l.number, r.number) <= 1", "one edit"),
            _level("ELSE", "else")]},
        {"output_column_name": "unit", "comparison_levels": [
            _level("l.unit_name IS NULL OR r.unit_name IS NULL", "null", is_null_level=True),
            _level(_either(f"m.unit_name = p.unit_name AND m.team_name = p.team_name AND {at_time}"),
                   "team and unit then"),
            _level(_either(f"m.unit_name = p.unit_name AND {at_time}"), "unit then"),
            _level("l.unit_name = r.unit_name", "unit at another time"),
            _level("ELSE", "else")]},
        {"output_column_name": "rank", "comparison_levels": [
            _level("l.rank IS NULL OR r.rank IS NULL", "null", is_null_level=True),
            _level("l.rank = r.rank", "exact", tf_adjustment_column="rank", tf_adjustment_weight=1.0),
            _level("ELSE", "else")]},
        {"output_column_name": "employed", "comparison_levels": [
            _level("coalesce(l.seen_on, r.seen_on) IS NULL OR coalesce(l.joined_on, r.joined_on) IS NULL", "null",
                   is_null_level=True),
            _level("coalesce(l.seen_on, r.seen_on) BETWEEN coalesce(l.joined_on, r.joined_on) AND "
                   "coalesce(l.left_on, r.left_on, DATE '9999-12-31') + INTERVAL 180 DAY", "employed then"),
            _level("ELSE", "else")]},
    ]
    blocking = [
        "l.number = r.number",
        "substr(l.number, 1, 4) = substr(r.number, 1, 4)",
        "right(l.number, 4) = right(r.number, 4)",
        "substr(l.number, 1, 2) = substr(r.number, 1, 2) AND right(l.number, 2) = right(r.number, 2)",
        "l.number_letters = r.number_letters",
        "l.family = r.family",
        "l.family_letters = r.family_letters",
        "substr(l.family, 1, 1) = substr(r.family, 1, 1) AND right(l.family, 2) = right(r.family, 2)",
        "substr(l.family, 1, 3) = substr(r.family, 1, 3)",
        "l.family_sound = r.family_sound",
        "right(l.family, 3) = right(r.family, 3)",
        "l.unit_name = r.unit_name AND l.rank = r.rank AND (l.family IS NULL OR r.family IS NULL)",
    ]
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1 / max(n_records, 2),
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in blocking],
        "additional_columns_to_retain": ["person_id"],
        "retain_intermediate_calculation_columns": False,
    }


SCORE_SCHEMA = {"mention_id": pl.Utf8, "person_id": pl.Utf8, "probability": pl.Float64, "runner_up": pl.Float64,
                "runner_up_id": pl.Utf8, "candidates": pl.UInt32}


def score(mentions: pl.DataFrame, roster: pl.DataFrame, labels: pl.DataFrame | None = None,
          *, seed: int = 1) -> pl.DataFrame:
    """Best and next-best person for each mention, as shares of the mention (module docstring): mention_id,
    person_id, probability, runner_up, runner_up_id, candidates. `labels` (mention_id, person_id): confirmed links,
    used to estimate the m probabilities."""
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    db = DuckDBAPI()
    mention_df = db.register(mentions.to_arrow(), dataset_display_name=MENTIONS)
    roster_df = db.register(roster.to_arrow(), dataset_display_name=ROSTER)
    linker = Linker([mention_df, roster_df], settings(roster.height), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    pairs = _label_pairs(labels, mentions, roster) if labels is not None else None
    if pairs is not None and pairs.height:
        table = linker.table_management.register_table(pairs.to_arrow(), "__upstander_labels", overwrite=True)
        linker.training.estimate_m_from_pairwise_labels(table)
        model = _smoothed(linker.misc.save_model_to_json(), pairs.height)
    else:
        for rule in ("l.number = r.number", "l.family = r.family"):
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        model = linker.misc.save_model_to_json()
    linker = Linker([mention_df, roster_df], _filled(model), log_level=logging.WARNING)
    frame = pl.from_arrow(linker.inference.predict().as_duckdbpyrelation().arrow())
    if frame.height == 0:
        return pl.DataFrame(schema=SCORE_SCHEMA)
    mention_left = pl.col("person_id_l").is_null()  # roster records carry a person id, mentions do not
    frame = frame.select(
        pl.when(mention_left).then(pl.col("unique_id_l")).otherwise(pl.col("unique_id_r")).alias("mention_id"),
        pl.coalesce("person_id_l", "person_id_r").alias("person_id"),
        (pl.col("match_weight") - _prior_weight(model)).alias("weight"),
    )
    people = roster["person_id"].n_unique()
    per_person = frame.group_by("mention_id", "person_id").agg(pl.col("weight").max())
    allowance = _allowance(model, mentions)
    shares = per_person.join(allowance, on="mention_id", how="left").with_columns(
        pl.col("person_id").count().over("mention_id").alias("candidates"),
        pl.col("weight").max().over("mention_id").alias("top"),
    ).with_columns((2 ** (pl.col("weight") - pl.col("top"))).alias("relative")).with_columns(
        (pl.col("relative") / (pl.col("relative").sum().over("mention_id") + (people - pl.col("candidates")).clip(0)
                               * 2 ** (pl.col("left_out") - pl.col("top")))).alias("probability"))
    ranked = shares.sort(["mention_id", "probability", "person_id"], descending=[False, True, False])
    return ranked.group_by("mention_id", maintain_order=True).agg(
        pl.col("person_id").first(), pl.col("probability").first(),
        pl.col("probability").get(1, null_on_oob=True).fill_null(0.0).alias("runner_up"),
        pl.col("person_id").get(1, null_on_oob=True).alias("runner_up_id"),
        pl.col("candidates").first().cast(pl.UInt32),
    )


def _bayes_factors(model: dict) -> dict[tuple[str, str], float]:
    """(comparison, level label) -> log2 Bayes factor m/u."""
    out = {}
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                m, u = level.get("m_probability") or 1e-6, level.get("u_probability") or 1e-6
                out[(comparison["output_column_name"], level["label_for_charts"])] = math.log2(m / u)
    return out


def _prior_weight(model: dict) -> float:
    p = model["probability_two_random_records_match"]
    return math.log2(p / (1 - p))


def _allowance(model: dict, mentions: pl.DataFrame) -> pl.DataFrame:
    """Per mention, the log2 Bayes factor allowed for each roster person blocking left out: one who disagrees on every
    identifying field the mention gives (family name, number, unit) and is average on the rest (an expected Bayes
    factor of 1)."""
    factors = _bayes_factors(model)
    weight = pl.lit(0.0)
    for comparison, column in IDENTIFYING.items():
        weight = weight + pl.when(pl.col(column).is_not_null()).then(factors[(comparison, "else")]).otherwise(0.0)
    return mentions.select(pl.col("unique_id").alias("mention_id"), weight.alias("left_out"))


def _smoothed(model: dict, labelled: int, pseudo: float = 0.5) -> dict:
    """Add-half smoothing of the m probabilities estimated from `labelled` confirmed links: a level no confirmed
    link happened to reach (a unit named from another time, say) gets a small m instead of Splink's default."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            m = level.get("m_probability") or 0.0
            level["m_probability"] = (m * labelled + pseudo) / (labelled + pseudo * len(levels))
    return model


def _filled(model: dict) -> dict:
    """A level no random pair reached (in a small roster, say) gets the largest u among its comparison's other
    levels short of the last: a cautious guess that keeps it from counting as near-certain."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        known = [lv["u_probability"] for lv in levels[:-1] if lv.get("u_probability")]
        for level in levels:
            if not level.get("u_probability"):
                level["u_probability"] = max(known, default=0.5)
    return model


def _label_pairs(labels: pl.DataFrame, mentions: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    """Each confirmed mention paired with its person's stint at the mention's date (else their first stint)."""
    seen = mentions.select(pl.col("unique_id").alias("mention_id"), "seen_on")
    stints = roster.select(pl.col("unique_id").alias("stint_id"), "person_id", "stint_from", "stint_to")
    candidates = labels.join(seen, on="mention_id").join(stints, on="person_id").with_columns(
        (pl.col("seen_on").is_between(pl.col("stint_from"), pl.col("stint_to").fill_null(pl.date(9999, 12, 31)))
         .fill_null(False)).alias("then"))
    chosen = candidates.sort(["mention_id", "then", "stint_from"], descending=[False, True, False]).unique(
        "mention_id", keep="first")
    return chosen.select(pl.lit(MENTIONS).alias("source_dataset_l"), pl.col("mention_id").alias("unique_id_l"),
                         pl.lit(ROSTER).alias("source_dataset_r"), pl.col("stint_id").alias("unique_id_r"))


def decide(scores: pl.DataFrame, thresholds: Thresholds = Thresholds()) -> pl.DataFrame:
    """Add `decision`: linked | suggested | unresolved (see the module docstring)."""
    t = thresholds
    return scores.with_columns(
        pl.when((pl.col("probability") >= t.link_at) & (pl.col("runner_up") < t.runner_up_below))
        .then(pl.lit("linked"))
        .when(pl.col("probability") >= t.suggest_at).then(pl.lit("suggested"))
        .otherwise(pl.lit("unresolved")).alias("decision"))


def evaluate(decisions: pl.DataFrame, truth: dict[str, str], mention_ids: list[str]) -> dict[str, Any]:
    """Precision, recall and F1 against the true person of every mention in `mention_ids` (each names someone in the
    roster). Precision: right links / links made; recall: right links / mentions.

    linked: automatic links only. confirmed: automatic links plus the suggestions a handler confirms — each queued
    suggestion shown to a handler who confirms it when it names the right person and rejects it otherwise (the
    rejected ones stay unlinked); `reviewed` is the handler's queue."""
    chosen = decisions.filter(pl.col("mention_id").is_in(mention_ids))
    total = len(mention_ids)
    right = chosen.with_columns(pl.struct("mention_id", "person_id").map_elements(
        lambda r: truth.get(r["mention_id"]) == r["person_id"], return_dtype=pl.Boolean).alias("right"))
    auto = right.filter(pl.col("decision") == "linked")
    queued = right.filter(pl.col("decision") == "suggested")
    result: dict[str, Any] = {"mentions": total}
    for name, made, correct in (
            ("linked", auto.height, int(auto["right"].sum())),
            ("confirmed", auto.height + int(queued["right"].sum()), int(auto["right"].sum() + queued["right"].sum()))):
        precision = correct / made if made else None
        recall = correct / total if total else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        result[name] = {"made": made, "correct": correct, "precision": precision, "recall": recall, "f1": f1}
    result["confirmed"]["reviewed"] = queued.height
    result["decisions"] = dict(chosen.group_by("decision").len().iter_rows())
    result["no_candidate"] = total - chosen.height
    return result


# --- the operational database -----------------------------------------------------------------------------------------


def database_frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(mentions, roster records, confirmed links) from the operational database. Mentions carry their current
    link_status; the roster covers every person, leavers included."""
    from upstander.cases.models import SubjectMention
    from upstander.people.models import Person, UnitHistory

    mentions = pl.DataFrame([
        {"mention_id": str(pid), "name": name, "number": number, "unit": unit, "rank": rank, "on": on,
         "status": status, "person_id": str(person) if person else None}
        for pid, name, number, unit, rank, on, status, person in SubjectMention.objects.values_list(
            "public_id", "name_as_written", "number_as_written", "unit_as_written", "rank_as_written",
            "report__received_on", "link_status", "person__public_id")
    ], schema={"mention_id": pl.Utf8, "name": pl.Utf8, "number": pl.Utf8, "unit": pl.Utf8, "rank": pl.Utf8,
               "on": pl.Date, "status": pl.Utf8, "person_id": pl.Utf8})
    people = pl.DataFrame([
        {"person_id": str(pid), "number": number, "given": given, "family": family, "known_as": known_as,
         "rank": rank, "joined": joined, "left": left}
        for pid, number, given, family, known_as, rank, joined, left in Person.objects.values_list(
            "public_id", "number", "given_name", "family_name", "known_as", "rank", "joined_on", "left_on")
    ], schema={"person_id": pl.Utf8, "number": pl.Utf8, "given": pl.Utf8, "family": pl.Utf8, "known_as": pl.Utf8,
               "rank": pl.Utf8, "joined": pl.Date, "left": pl.Date})
    stints = pl.DataFrame([
        {"person_id": str(pid), "unit_name": unit, "team_name": team, "start": start, "end": end}
        for pid, unit, team, start, end in UnitHistory.objects.values_list(
            "person__public_id", "unit__name", "team__name", "started_on", "ended_on")
    ], schema={"person_id": pl.Utf8, "unit_name": pl.Utf8, "team_name": pl.Utf8, "start": pl.Date, "end": pl.Date})
    return mentions, roster_records(people, stints), people


RESOLVABLE = ("unresolved",)


def resolve_frames(mentions: pl.DataFrame, roster: pl.DataFrame, thresholds: Thresholds = Thresholds(),
                   *, rescore_suggested: bool = False) -> pl.DataFrame:
    """Decisions for the mentions still to resolve (unresolved, and suggested ones when `rescore_suggested`),
    trained on the confirmed links among `mentions` (columns of database_frames)."""
    todo_status = [*RESOLVABLE, "suggested"] if rescore_suggested else list(RESOLVABLE)
    if roster.height == 0 or not mentions["status"].is_in(todo_status).any():
        return decide(pl.DataFrame(schema=SCORE_SCHEMA))
    labels = mentions.filter((pl.col("status") == "confirmed") & pl.col("person_id").is_not_null()).select(
        "mention_id", "person_id")
    labelled = pl.col("mention_id").is_in(labels["mention_id"].implode())
    wanted = mentions.filter(pl.col("status").is_in(todo_status) | labelled)
    scores = score(mention_records(wanted, roster), roster, labels)
    todo = mentions.filter(pl.col("status").is_in(todo_status)).select("mention_id")
    return decide(todo.join(scores, on="mention_id", how="inner"), thresholds)


def do_resolve_mentions(*, actor, thresholds: Thresholds = Thresholds(), rescore_suggested: bool = False,
                        dry_run: bool = False) -> dict[str, Any]:
    """Resolve the roster person of every unresolved subject mention. Confident links are made (status linked,
    and the mention's allegations without a subject get that person); doubtful ones are queued for a handler
    (status suggested, the best candidate and its probability recorded, allegations untouched). Confirmed and
    rejected mentions are never changed. Only a system actor (`system:resolve`) or the overseer may run it."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from upstander.accounts.permissions import MENTION_RESOLVERS
    from upstander.audit.log import actor_of
    from upstander.cases.choices import LinkStatus
    from upstander.cases.linking import do_link_mention
    from upstander.cases.models import SubjectMention
    from upstander.people.models import Person

    if actor_of(actor).role not in MENTION_RESOLVERS:
        raise PermissionDenied("Refused: only the overseer or a system actor may resolve subject mentions.")
    mentions, roster, _ = database_frames()
    decisions = resolve_frames(mentions, roster, thresholds, rescore_suggested=rescore_suggested)
    made = decisions.filter(pl.col("decision") != "unresolved")
    summary = {"mentions": mentions.height, "considered": int(mentions["status"].is_in(
        [*RESOLVABLE, "suggested"] if rescore_suggested else list(RESOLVABLE)).sum()),
        "linked": int((made["decision"] == "linked").sum()), "suggested": int((made["decision"] == "suggested").sum()),
        "dry_run": dry_run}
    if dry_run or made.height == 0:
        return summary
    people = {str(p.public_id): p for p in Person.objects.filter(public_id__in=made["person_id"].unique().to_list())}
    status = {"linked": LinkStatus.LINKED, "suggested": LinkStatus.SUGGESTED}
    with transaction.atomic():
        by_id = {str(m.public_id): m for m in SubjectMention.objects.select_for_update(of=("self",)).select_related(
            "report__case").filter(public_id__in=made["mention_id"].to_list(),
                                   link_status__in=[LinkStatus.UNRESOLVED, LinkStatus.SUGGESTED])}
        for mention_id, person_id, probability, decision in made.select(
                "mention_id", "person_id", "probability", "decision").iter_rows():
            mention = by_id.get(mention_id)
            if mention is None:  # a handler confirmed or rejected it meanwhile
                continue
            # The one linking action: a firm link names the allegations' subject and checks separation (issue 15).
            do_link_mention(actor=actor, mention=mention, person=people[person_id], status=status[decision],
                            probability=probability)
    return summary
