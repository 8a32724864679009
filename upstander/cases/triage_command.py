"""`upstander triage`: run the narrative safety net over narratives on standard input, one per line.

Works offline and needs no database or keys: it imports only upstander.cases.safety_net, never Django models."""

from __future__ import annotations

import json

import click

from upstander.cases.safety_net import FLAGS, explain, more_serious_than


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list, one object per input line, in order.")
@click.option("--category", "categories", multiple=True, metavar="KEY",
              help="A chosen category key (policy/categories.toml); may be repeated. Each result then lists the "
                   "flags no chosen category covers, which a handler must resolve.")
def triage(as_json: bool, categories: tuple[str, ...]) -> None:
    """Flag signs of a serious sexual offence, serious violence, domestic abuse, corruption, discrimination or
    risk of self-harm in narratives read from standard input, one per line. A blank line gives an empty result,
    so results stay aligned with line numbers."""
    results = [_triage_line(number, line.rstrip("\r\n"), categories)
               for number, line in enumerate(click.get_text_stream("stdin"), start=1)]
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
        return
    for result in results:
        flags = ", ".join(result["flags"]) or "-"
        unresolved = f"  (not covered by the categories: {', '.join(result['more_serious_than'])})" \
            if result.get("more_serious_than") else ""
        click.echo(f"line {result['line']}: {flags}{unresolved}")
        for reason in result["reasons"]:
            click.echo(f"    {reason['flag']}: {reason['rule']} ({reason['words']!r})")


def _triage_line(number: int, text: str, categories: tuple[str, ...]) -> dict:
    hits = explain(text) if text.strip() else []
    flags = [flag for flag in FLAGS if any(hit.flag == flag for hit in hits)]
    result: dict = {
        "line": number,
        "flags": flags,
        "reasons": [{"flag": hit.flag, "rule": hit.rule, "words": hit.words} for hit in hits],
    }
    if categories:
        result["more_serious_than"] = more_serious_than(list(categories), flags)
    return result
