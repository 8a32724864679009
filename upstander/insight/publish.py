"""The published report: HTML and PDF with charts, the disclosure-controlled figures as JSON and CSV, a SHA-256
manifest of every file and the force's detached Ed25519 signature of that manifest — so a report cannot be
quietly changed after it was published. The overseer countersigns on its own side, with its own key
(`upstander witness countersign`), which never exists on the force's server.

Layout of a report folder:

    report.html, report.pdf      the report (charts are SVG files under charts/, readable without JavaScript)
    charts/*.svg
    data/*.json, *.csv, *.parquet  the published (disclosure-controlled) figures behind every table and chart
    manifest.json                {"files": {path: sha256}, …} — every file above, nothing else
    manifest.sig                 base64 Ed25519 signature of manifest.json's exact bytes, with the force's key
    manifest.countersig          (once the overseer has countersigned) the overseer's signature of the same bytes

`verify(folder, public_key)` checks the signature with a key the caller supplies (the force's, from the data dir,
or one given on the command line) — never a key found inside the folder — then every file's hash, and that no file
was added or removed. `countersignature(folder, overseer_key)` says whether the overseer's countersignature holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from upstander.audit.witness_formats import COUNTERSIGNATURE, countersign_message
from upstander.insight import charts
from upstander.insight import stages as funnel
from upstander.insight.datasets import Dataset, DatasetError
from upstander.insight.published import publishable, publishable_quality
from upstander.lib import clock

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MANIFEST_FORMAT = "upstander-insight-report/1"
_SIGNATURES = (MANIFEST, SIGNATURE, COUNTERSIGNATURE)


# --- building the figures -------------------------------------------------------------------------------------------


def analyse(data: Dataset, *, adjusted: bool = True) -> dict[str, dict[str, Any]]:
    """Every analysis behind the report, exact (for the analyst) — publish with `published_documents`."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices: BLAS threads only contend (see fairness_adjusted._fit)
        return _analyse(data, adjusted=adjusted)


def _analyse(data: Dataset, *, adjusted: bool) -> dict[str, dict[str, Any]]:
    from upstander.insight.attrition import attrition
    from upstander.insight.fairness import fairness
    from upstander.insight.outcomes import outcomes
    from upstander.insight.timeliness import timeliness

    documents = {f"fairness_{by}": fairness(data, by=by) for by in ("ethnicity", "sex", "ethnicity_sex")}
    if adjusted:
        from upstander.insight.fairness_adjusted import adjusted as adjusted_rates

        documents["fairness_adjusted"] = adjusted_rates(data, by="ethnicity")
    documents["outcomes"] = outcomes(data)
    documents["attrition"] = attrition(data, by="ethnicity")
    documents["timeliness"] = timeliness(data)
    return documents


def published_documents(documents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds = {"fairness_ethnicity": "fairness", "fairness_sex": "fairness", "fairness_ethnicity_sex": "fairness",
             "fairness_adjusted": "fairness_adjusted", "outcomes": "outcomes", "attrition": "attrition",
             "timeliness": "timeliness"}
    return {name: publishable(kinds[name], document) for name, document in documents.items()}


def _charts(published: dict[str, dict[str, Any]]) -> dict[str, str]:
    made = {}
    for by in ("ethnicity", "sex"):
        doc = published[f"fairness_{by}"]
        made[f"funnel-{by}"] = charts.funnel_chart(doc["rates_per_allegation"], f"Misconduct funnel by {by}")
        made[f"relative-rates-{by}"] = charts.relative_rate_chart(doc["rates"], doc["reference"],
                                                                 f"Relative rates by {by}")
    outcomes = published["outcomes"]
    if not outcomes["by_theme"].get("missing"):
        made["substantiation-by-theme"] = charts.bar_chart(outcomes["by_theme"]["rows"],
                                                           "Allegations substantiated, by theme", "substantiated")
    attrition = published["attrition"]
    for key, label in (("after_accused", "after being accused"), ("after_reporting", "after reporting")):
        if not attrition[key].get("missing"):
            made[f"survival-{key.replace('_', '-')}"] = charts.survival_chart(
                attrition[key], f"Staying in the force {label}, against matched peers")
    return made


# --- writing ------------------------------------------------------------------------------------------------------


def _csv_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    """The rows as CSV and, beside it, as Parquet (same name, .parquet) for analysis tools."""
    import polars as pl

    columns = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    frame = pl.DataFrame([{k: row.get(k) for k in columns} for row in rows], infer_schema_length=None)
    frame.write_parquet(path.with_suffix(".parquet"))


def _data_files(folder: Path, published: dict[str, dict[str, Any]]) -> None:
    from upstander.insight.datasets import json_text

    data = folder / "data"
    data.mkdir()
    for name, document in published.items():
        (data / f"{name}.json").write_text(json_text(document) + "\n")
    for by in ("ethnicity", "sex", "ethnicity_sex"):
        doc = published[f"fairness_{by}"]
        _csv_rows(data / f"fairness-{by}-rates.csv", doc["rates"])
        _csv_rows(data / f"fairness-{by}-per-head.csv", doc["rates_per_head"])
        _csv_rows(data / f"fairness-{by}-per-allegation.csv", doc["rates_per_allegation"])
        _csv_rows(data / f"fairness-{by}-per-person-year.csv", doc["rates_per_person_year"])
    outcomes = published["outcomes"]
    for key in ("by_complainant_sex", "by_complainant_ethnicity", "by_theme", "by_source"):
        if outcomes[key].get("rows"):
            _csv_rows(data / f"outcomes-{key.replace('_', '-')}.csv", outcomes[key]["rows"])
    if published["attrition"]["leaving"].get("rows"):
        _csv_rows(data / "attrition-leaving.csv", published["attrition"]["leaving"]["rows"])


def _html(data: Dataset, published: dict[str, dict[str, Any]], chart_files: dict[str, str],
          generated_on: dt.date) -> str:
    from django.template.loader import render_to_string

    return render_to_string("insight/report.html", {
        "data": data, "meta": data.meta, "docs": published, "generated_on": generated_on,
        "charts": {name.replace("-", "_"): path for name, path in chart_files.items()},
        "stage_labels": funnel.LABELS, "window": data.window_label(),
        "fairness_docs": [(by, published[f"fairness_{by}"]) for by in ("ethnicity", "sex", "ethnicity_sex")],
        "outcome_sections": [("by_complainant_sex", "By the complainant's sex"),
                             ("by_complainant_ethnicity", "By the complainant's ethnicity"),
                             ("by_theme", "By theme of the allegation (each against the other themes)"),
                             ("by_source", "Complaints from the public and from staff")],
        "survival_sections": [("after_reporting", "after reporting"), ("after_accused", "after being accused")],
        "timeliness_shares": [("open_over_12_months", "Open at the as-of date: over 12 months old"),
                              ("open_over_2_years", "Open at the as-of date: over 2 years old"),
                              ("took_over_12_months", "All complaints: took (or have taken) over 12 months"),
                              ("took_over_2_years", "All complaints: took (or have taken) over 2 years")],
        "handover_sections": [("handovers", "Handovers per case", "two_or_more", "two or more handovers"),
                              ("accounts_per_victim", "Accounts taken per victim", "asked_again",
                               "victim asked again")],
    })


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def sign_folder(folder: Path, *, describe: dict[str, Any]) -> dict[str, Any]:
    """Write manifest.json (SHA-256 of every file) and manifest.sig (the force's Ed25519 signature)."""
    from upstander.lib import crypto, keys

    keys.ensure_key_files()
    public = keys.force_signing_public_key()
    files = {name: sha256_file(folder / name) for name in _files(folder) if name not in _SIGNATURES}
    manifest = {"format": MANIFEST_FORMAT, "report": describe, "algorithm": "sha256", "files": files,
                "signature": {"file": SIGNATURE, "scheme": "ed25519",
                              "public_key_sha256": hashlib.sha256(public).hexdigest()}}
    body = (json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n").encode()
    (folder / MANIFEST).write_bytes(body)
    (folder / SIGNATURE).write_text(crypto.b64(crypto.sign(keys.force_signing_private_key(), body)) + "\n")
    return manifest


# The steps of write_report, in order, as `progress` is told of them.
STEPS = ("figures", "charts_and_data", "html_and_pdf", "signing")


def write_report(data: Dataset, out: Path, *, adjusted: bool = True, pdf: bool = True,
                 progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build the report for `data` into the folder `out` (which must not exist or be empty), signed. `progress`, if
    given, is called with each of STEPS as it begins."""
    tell = progress or (lambda step: None)
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DatasetError(f"{out} exists and is not an empty folder; choose a new folder for the report")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.incoming-", dir=out.parent))
    try:
        timings: dict[str, float] = {}
        mark = time.perf_counter()
        tell("figures")
        published = published_documents(analyse(data, adjusted=adjusted))
        published["data_quality"] = publishable_quality(data.meta)
        timings["analyses"] = time.perf_counter() - mark
        mark = time.perf_counter()
        tell("charts_and_data")
        (work / "charts").mkdir()
        chart_files = {}
        for name, svg in _charts(published).items():
            (work / "charts" / f"{name}.svg").write_text(svg)
            chart_files[name] = f"charts/{name}.svg"
        _data_files(work, published)
        timings["charts_and_data"] = time.perf_counter() - mark
        mark = time.perf_counter()
        tell("html_and_pdf")
        generated_on = clock.today()
        html = _html(data, published, chart_files, generated_on)
        (work / "report.html").write_text(html)
        if pdf:
            from weasyprint import HTML

            HTML(string=html, base_url=str(work)).write_pdf(work / "report.pdf")
        timings["html_and_pdf"] = time.perf_counter() - mark
        tell("signing")
        # What the figures rest on travels inside the signed manifest: the import's data-quality summary (under
        # disclosure control) and the hash of the mapping that read the export.
        manifest = sign_folder(work, describe={**data.describe(), "generated_on": generated_on.isoformat(),
                                               "mapping_sha256": published["data_quality"]["mapping_sha256"],
                                               "data_quality": published["data_quality"]["quality"]})
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"out": str(out), "files": len(manifest["files"]) + 2, "seconds": round(time.perf_counter() - started, 2),
            "timings": {k: round(v, 2) for k, v in timings.items()}}


# --- verifying ----------------------------------------------------------------------------------------------------


def verify(folder: Path, public_key: bytes) -> list[str]:
    """Problems with a signed report folder, each naming the file concerned; an empty list means it is exactly
    what was signed. `public_key` must come from outside the folder."""
    from upstander.lib import crypto

    folder = Path(folder)
    manifest_path, signature_path = folder / MANIFEST, folder / SIGNATURE
    if not manifest_path.is_file():
        return [f"{MANIFEST}: missing"]
    if not signature_path.is_file():
        return [f"{SIGNATURE}: missing"]
    body = manifest_path.read_bytes()
    try:
        signature = crypto.unb64(signature_path.read_text().strip())
    except ValueError:
        return [f"{SIGNATURE}: not a base64 signature"]
    if not crypto.verify_signature(public_key, body, signature):
        return [f"{MANIFEST}: the signature does not match (changed, or signed with another key)"]
    manifest = json.loads(body)
    listed: dict[str, str] = manifest.get("files", {})
    problems = []
    for name, expected in sorted(listed.items()):
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            problems.append(f"{name}: unsafe path in the manifest")
        elif path.is_symlink() or not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name}: differs from what was signed")
    for name in _files(folder):
        if name not in listed and name not in _SIGNATURES:
            problems.append(f"{name}: not in the signed manifest")
    return problems


def countersignature(folder: Path, overseer_key: bytes | None) -> str:
    """The overseer's countersignature of the manifest: "ok", "bad", "absent", or "not checked" (no key)."""
    from upstander.lib import crypto

    path = Path(folder) / COUNTERSIGNATURE
    if not path.is_file():
        return "absent"
    if overseer_key is None:
        return "not checked"
    try:
        signature = crypto.unb64(path.read_text().strip())
    except ValueError:
        return "bad"
    body = (Path(folder) / MANIFEST).read_bytes() if (Path(folder) / MANIFEST).is_file() else b""
    return "ok" if crypto.verify_signature(overseer_key, countersign_message(body), signature) else "bad"
